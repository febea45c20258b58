/* SPDX-License-Identifier: MIT */
/*
 * Intel DSA hardware formats: the 64-byte descriptor, the 32-byte completion
 * record, opcodes, flags and status codes, as documented for DSA 1.0 (plus
 * the 16-byte fill pattern of DSA 2.0).
 *
 * Shared by user space (libaccel) and the kernel modules, so it uses only
 * fixed-width types that both environments provide and no libc calls.
 */
#ifndef UACCEL_DSA_HW_H
#define UACCEL_DSA_HW_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/stddef.h>
#else
#include <stdint.h>
#include <stddef.h>
#endif

/*
 * Opcodes, flags, status codes and both layouts follow Linux's uapi
 * <linux/idxd.h>; tests/conformance/conf_uapi.c holds this header against
 * it, constant by constant and byte by byte.
 */

/* ---- Opcodes (descriptor byte 7) ---- */
enum dsa_opcode {
	DSA_OP_NOOP = 0x00,
	DSA_OP_BATCH = 0x01,
	DSA_OP_DRAIN = 0x02,
	DSA_OP_MEMMOVE = 0x03,
	DSA_OP_FILL = 0x04,
	DSA_OP_COMPARE = 0x05,
	DSA_OP_COMPVAL = 0x06,
	DSA_OP_CR_DELTA = 0x07,
	DSA_OP_AP_DELTA = 0x08,
	DSA_OP_DUALCAST = 0x09,
	DSA_OP_TRANSL_FETCH = 0x0a, /* DSA 2.0 */
	DSA_OP_CRCGEN = 0x10,
	DSA_OP_COPY_CRC = 0x11,
	DSA_OP_DIF_CHECK = 0x12,
	DSA_OP_DIF_INS = 0x13,
	DSA_OP_DIF_STRP = 0x14,
	DSA_OP_DIF_UPDT = 0x15,
	DSA_OP_DIX_GEN = 0x17, /* DSA 2.0 */
	DSA_OP_CFLUSH = 0x20,
	DSA_OP_MAX = 0x40,
};

/* Bit n set in an operation capability mask means opcode n is supported. */
#define DSA_OPCAP(op) (1ull << (op))
#define DSA_OPCAP_DSA1                                                         \
	(DSA_OPCAP(DSA_OP_NOOP) | DSA_OPCAP(DSA_OP_BATCH) |                    \
	 DSA_OPCAP(DSA_OP_DRAIN) | DSA_OPCAP(DSA_OP_MEMMOVE) |                 \
	 DSA_OPCAP(DSA_OP_FILL) | DSA_OPCAP(DSA_OP_COMPARE) |                  \
	 DSA_OPCAP(DSA_OP_COMPVAL) | DSA_OPCAP(DSA_OP_CR_DELTA) |              \
	 DSA_OPCAP(DSA_OP_AP_DELTA) | DSA_OPCAP(DSA_OP_DUALCAST) |             \
	 DSA_OPCAP(DSA_OP_CRCGEN) | DSA_OPCAP(DSA_OP_COPY_CRC) |               \
	 DSA_OPCAP(DSA_OP_CFLUSH) | DSA_OPCAP_DIF)
/* The four T10 DIF operations, part of DSA 1.0 (opcodes 0x12-0x15). */
#define DSA_OPCAP_DIF                                                          \
	(DSA_OPCAP(DSA_OP_DIF_CHECK) | DSA_OPCAP(DSA_OP_DIF_INS) |             \
	 DSA_OPCAP(DSA_OP_DIF_STRP) | DSA_OPCAP(DSA_OP_DIF_UPDT))
/*
 * DSA 2.0 adds translation fetch (0x0a) and DIX generate (0x17): the
 * opcodes Linux's uapi idxd.h gained with the 2.0 support (6.x
 * DSA_OPCODE_TRANSL_FETCH, DSA_OPCODE_DIX_GEN).
 */
#define DSA_OPCAP_DSA2                                                         \
	(DSA_OPCAP_DSA1 | DSA_OPCAP(DSA_OP_TRANSL_FETCH) |                     \
	 DSA_OPCAP(DSA_OP_DIX_GEN))

/* ---- Descriptor flags (24 bits; 0..15 common, 16..23 per operation) ---- */
#define DSA_FLAG_FENCE 0x000001u /* wait for earlier batch members */
#define DSA_FLAG_BOF 0x000002u /* block on fault */
#define DSA_FLAG_CRAV 0x000004u /* completion record address valid */
#define DSA_FLAG_RCR 0x000008u /* request completion record */
#define DSA_FLAG_RCI 0x000010u /* request completion interrupt */
#define DSA_FLAG_CRSTS 0x000020u
#define DSA_FLAG_CR 0x000080u /* check result against expected_res */
#define DSA_FLAG_CC 0x000100u /* cache control: write to cache */
#define DSA_FLAG_ADDR1_TCS 0x000200u
#define DSA_FLAG_ADDR2_TCS 0x000400u
#define DSA_FLAG_ADDR3_TCS 0x000800u
#define DSA_FLAG_CR_TCS 0x001000u
#define DSA_FLAG_STORD 0x002000u
#define DSA_FLAG_DRDBK 0x004000u
#define DSA_FLAG_DSTS 0x008000u
/* Operation-specific bits. */
#define DSA_FLAG_FILL_PATTERN16 0x010000u /* fill: 16-byte pattern (DSA 2.0) */
/*
 * CRC generation (0x10) and copy with CRC generation (0x11).  Bit positions
 * as Intel's idxd-config tests state them (test/dsa.h: READ_CRC_SEED 1 << 16,
 * BYPASS_CRC_INV_REF 1 << 17, BYPASS_DATA_REF 1 << 18; Intel DML's
 * crc_specific_flag says the same); Linux's uapi idxd.h names only the
 * common bits 0-15.  What each one changes: model_crc.c.
 */
#define DSA_FLAG_CRC_SEED_ADDR 0x010000u /* seed read from seed_addr */
#define DSA_FLAG_CRC_BYPASS_INV_REF 0x020000u /* seed and result as is */
#define DSA_FLAG_CRC_BYPASS_DATA_REF 0x040000u /* bit 7 of a byte first */
#define DSA_FLAGS_CRC                                                          \
	(DSA_FLAG_CRC_SEED_ADDR | DSA_FLAG_CRC_BYPASS_INV_REF |                \
	 DSA_FLAG_CRC_BYPASS_DATA_REF)
#define DSA_FLAG_MASK 0xffffffu

/* Flags every operation accepts; CR and bits 16-23 depend on the opcode. */
#define DSA_FLAGS_COMMON                                                       \
	(DSA_FLAG_FENCE | DSA_FLAG_BOF | DSA_FLAG_CRAV | DSA_FLAG_RCR |        \
	 DSA_FLAG_RCI | DSA_FLAG_CC | DSA_FLAG_STORD | DSA_FLAG_DRDBK)

/*
 * ---- Completion status: bits 6:0 of byte 0; bit 7 is the read/write bit
 * of a fault (Linux uapi idxd.h: DSA_COMP_STATUS_MASK 0x7f,
 * DSA_COMP_STATUS_WRITE 0x80).  Codes as in its enum dsa_completion_status.
 */
enum dsa_status {
	DSA_COMP_NONE = 0x00,
	DSA_COMP_SUCCESS = 0x01,
	DSA_COMP_SUCCESS_PRED = 0x02, /* success, but CR predicate false */
	DSA_COMP_PAGE_FAULT_NOBOF = 0x03,
	DSA_COMP_PAGE_FAULT_IR = 0x04,
	DSA_COMP_BATCH_FAIL = 0x05,
	DSA_COMP_BATCH_PAGE_FAULT = 0x06,
	DSA_COMP_DR_OFFSET_NOINC = 0x07,
	DSA_COMP_DR_OFFSET_ERANGE = 0x08,
	DSA_COMP_DIF_ERR = 0x09,
	DSA_COMP_BAD_OPCODE = 0x10,
	DSA_COMP_INVALID_FLAGS = 0x11,
	DSA_COMP_NOZERO_RESERVE = 0x12,
	DSA_COMP_XFER_ERANGE = 0x13,
	DSA_COMP_DESC_CNT_ERANGE = 0x14,
	DSA_COMP_DR_ERANGE = 0x15,
	DSA_COMP_OVERLAP_BUFFERS = 0x16,
	DSA_COMP_DCAST_ERR = 0x17,
	DSA_COMP_DESCLIST_ALIGN = 0x18,
	DSA_COMP_INT_HANDLE_INVAL = 0x19,
	DSA_COMP_CRA_XLAT = 0x1a,
	DSA_COMP_CRA_ALIGN = 0x1b,
	DSA_COMP_ADDR_ALIGN = 0x1c,
	DSA_COMP_PRIV_BAD = 0x1d,
	DSA_COMP_TRAFFIC_CLASS_CONF = 0x1e,
	DSA_COMP_PFAULT_RDBA = 0x1f,
	DSA_COMP_HW_ERR1 = 0x20,
	DSA_COMP_HW_ERR_DRB = 0x21,
	DSA_COMP_TRANSLATION_FAIL = 0x22,
};

#define DSA_COMP_STATUS_MASK 0x7f
#define DSA_COMP_STATUS_WRITE 0x80 /* the faulting access was a write */

/* Memmove result bit: the copy ran from high to low addresses. */
#define DSA_RESULT_MEMMOVE_DESCENDING 0x01
/* Create-delta results (0: buffers equal). */
#define DSA_RESULT_DELTA_FOUND 0x01
#define DSA_RESULT_DELTA_OVERFLOW 0x02
/* Compare results. */
#define DSA_RESULT_CMP_EQUAL 0x00
#define DSA_RESULT_CMP_DIFFER 0x01

/*
 * ---- T10 DIF (opcodes 0x12-0x15; DIX generate 0x17 on DSA 2.0) ----
 * Each block of data is followed (DIF) or described (DIX) by 8 bytes of
 * protection information, big-endian: guard (CRC-16 T10, polynomial
 * 0x8BB7) in bytes 0-1, application tag 2-3, reference tag 4-7.  Linux's
 * uapi gives the descriptor and record fields but no flag bits; the bits
 * below are as Intel DML states them (include/dml/detail/common/
 * specific_flags.hpp: dif_specific_flag, dif_source_flag,
 * dif_destination_flag; dmldefs.h DML_DIF_FLAG_*, DML_DIF_CHECK_*) and
 * SPDK uses them (include/spdk/idxd_spec.h IDXD_DIF_FLAG_*,
 * IDXD_DIF_SOURCE_FLAG_*).  What each does: libaccel/model/model_dif.c.
 */
#define DSA_DIF_PI_SIZE 8
/* DIF flags (op-specific byte 2): block size, CRC seed and result. */
#define DSA_DIF_BLK_512 0x00
#define DSA_DIF_BLK_520 0x01
#define DSA_DIF_BLK_4096 0x02
#define DSA_DIF_BLK_4104 0x03
#define DSA_DIF_BLK_MASK 0x03
#define DSA_DIF_INVERT_SEED 0x04 /* guard CRC starts at 0xFFFF, not 0 */
#define DSA_DIF_INVERT_RESULT 0x08 /* guard is the CRC inverted */
#define DSA_DIF_FLAGS_VALID 0x0f
/* Source DIF flags (byte 0): how the PI read is checked. */
#define DSA_DIF_SRC_ALL_F_ERR 0x01 /* an all-F PI is an error (ALL_F) */
#define DSA_DIF_SRC_ALL_F_DETECT 0x02 /* an all-F PI exempts its block */
#define DSA_DIF_SRC_APP_F_DETECT 0x04 /* app tag 0xFFFF exempts */
#define DSA_DIF_SRC_APP_REF_F_DETECT 0x08 /* app and ref tags all F exempt */
#define DSA_DIF_SRC_APP_INC 0x10 /* app tag +1 per block (else fixed) */
#define DSA_DIF_SRC_GUARD_NOCHK 0x20 /* guard not checked */
#define DSA_DIF_SRC_REF_NOCHK 0x40 /* reference tag not checked */
#define DSA_DIF_SRC_REF_FIXED 0x80 /* ref tag fixed (else +1 per block) */
/* Destination DIF flags (byte 1): how the PI written is made.  The
 * pass-through bits (update only) copy the source's field instead. */
#define DSA_DIF_DST_APP_PASS 0x08
#define DSA_DIF_DST_APP_INC 0x10
#define DSA_DIF_DST_GUARD_PASS 0x20
#define DSA_DIF_DST_REF_PASS 0x40
#define DSA_DIF_DST_REF_FIXED 0x80
#define DSA_DIF_DST_PASS                                                       \
	(DSA_DIF_DST_APP_PASS | DSA_DIF_DST_GUARD_PASS | DSA_DIF_DST_REF_PASS)
/* Result byte of a DIF_ERR record (DML_DIF_CHECK_* bits): which check
 * failed in the block at bytes_completed. */
#define DSA_DIF_RES_GUARD 0x01
#define DSA_DIF_RES_APP_TAG 0x02
#define DSA_DIF_RES_REF_TAG 0x04
#define DSA_DIF_RES_ALL_F 0x08
/* CRC-16 T10 of "123456789" (seed 0, no inversion): the standard check. */
#define DSA_CRC16_T10_CHECK 0xd0dbu
/* Application tag mask: a set bit is a bit not checked (SPDK: "may be set
 * to 0xffff to disable application tag checking") and, as DML's reference
 * writes it, written as zero. */
struct dsa_dif_tags {
	uint32_t ref_tag;
	uint16_t app_tag_mask;
	uint16_t app_tag;
} __attribute__((packed));

/* ---- The descriptor ---- */
struct dsa_desc {
	uint32_t pasid_priv; /* pasid 19:0, priv 31; zero from user space */
	uint32_t op_flags; /* flags 23:0, opcode 31:24 */
	uint64_t completion_addr;
	uint64_t src; /* src, pattern, desc_list, src of compval */
	uint64_t dst; /* dst, src2 (compare), comp_pattern (compval) */
	uint32_t size; /* xfer size, or desc count for a batch */
	uint16_t int_handle;
	uint16_t rsvd1;
	union {
		uint8_t op_specific[24];
		struct { /* compare, compval: expected result for DSA_FLAG_CR */
			uint8_t expected_res;
			uint8_t rsvd_cmp[23];
		} cmp;
		struct { /* create delta record */
			uint64_t delta_addr;
			uint32_t max_delta_size;
			uint32_t rsvd_cr;
			uint8_t expected_res_mask;
			uint8_t rsvd_cr2[7];
		} crdelta;
		struct { /* apply delta record: src is the delta record */
			uint32_t delta_rec_size;
			uint8_t rsvd_ap[20];
		} apdelta;
		struct { /* dualcast */
			uint64_t dst2;
			uint8_t rsvd_dc[16];
		} dcast;
		struct { /* crcgen, copy_crc */
			uint32_t seed;
			uint32_t rsvd_crc;
			uint64_t seed_addr;
			uint8_t rsvd_crc2[8];
		} crc;
		struct { /* fill with a 16-byte pattern */
			uint64_t pattern_upper;
			uint8_t rsvd_fill[16];
		} fill;
		/*
		 * DIF check, strip (src flags, src seeds), insert, DIX
		 * generate (dst flags, dst seeds), update (both).  Linux's
		 * uapi names the same bytes per operation (src_dif_flags,
		 * dest_dif_flag, dif_chk_flags, chk_ref_tag_seed, ...).
		 */
		struct {
			uint8_t src_flags; /* DSA_DIF_SRC_* */
			uint8_t dst_flags; /* DSA_DIF_DST_* */
			uint8_t flags; /* DSA_DIF_BLK_* | DSA_DIF_INVERT_* */
			uint8_t rsvd_dif[5];
			struct dsa_dif_tags src; /* seeds of the source PI */
			struct dsa_dif_tags dst; /* seeds of the written PI */
		} dif;
		struct { /* translation fetch (DSA 2.0); size: region size */
			uint64_t rsvd_tf;
			uint32_t region_stride;
			uint8_t rsvd_tf2[12];
		} tfetch;
	};
} __attribute__((packed, aligned(64)));

/* ---- The completion record ---- */
struct dsa_comp {
	uint8_t status; /* written last, with release ordering */
	uint8_t result;
	uint16_t rsvd;
	uint32_t bytes_completed; /* for a batch: descriptors completed */
	uint64_t fault_addr;
	union {
		uint8_t op_specific[16];
		/* INVALID_FLAGS: the offending bits, 23:0 (31:24 reserved) */
		uint32_t invalid_flags;
		uint32_t delta_rec_size; /* create delta */
		/*
		 * crcgen, copy_crc.  Linux's uapi declares crc_val 64 bits
		 * wide at this offset; DSA's CRC-32 is its low 32 bits and
		 * the model writes the rest as zero.
		 */
		uint32_t crc_val;
		/*
		 * DIF: the tags of the next block to process (after a fault
		 * or a DIF error, of the block that stopped it): src for
		 * check, strip and the source of update (uapi dif_chk_*,
		 * dif_upd_src_*), dst for insert, DIX generate and the
		 * destination of update (dif_ins_*, dif_upd_dest_*,
		 * dix_*).  Resuming needs only these as the new seeds.
		 */
		struct {
			struct dsa_dif_tags src;
			struct dsa_dif_tags dst;
		} dif;
	};
} __attribute__((packed, aligned(32)));

#define DSA_DESC_SIZE 64
#define DSA_COMP_SIZE 32
/*
 * Alignment rules (the status a breach gets).  The completion record:
 * 32 bytes (CRA_ALIGN, no record written); a batch's descriptor list: 64
 * bytes (DESCLIST_ALIGN).  Address alignment (ADDR_ALIGN, 0x1c), as Intel
 * DML's table of hardware statuses words it (own_hardware_status.h): in
 * create and apply delta, every address (sources, delta record,
 * destination) and the transfer size are multiples of 8; in the CRC
 * operations a seed read from memory is 4-byte aligned.
 */
#define DSA_COMP_ALIGN 32
#define DSA_BATCH_LIST_ALIGN 64
#define DSA_DELTA_ALIGN 8
#define DSA_CRC_SEED_ALIGN 4
/* Delta record: 8-byte entries, a 2-byte offset (in 8-byte units) and data. */
#define DSA_DELTA_ENTRY_SIZE 10
#define DSA_DELTA_GRANULE 8
/* Addresses of the two dualcast destinations must agree in bits 11:0
 * (DCAST_ERR). */
#define DSA_DUALCAST_ADDR_MASK 0xfffull
/* Compare pattern works in 8-byte units counted from the source's start. */
#define DSA_COMPVAL_UNIT 8
/* CRC-32C check value of "123456789", seed 0, default inversion/reflection. */
#define DSA_CRC32C_CHECK 0xe3069283u

#define dsa_desc_opcode(d) ((uint8_t)((d)->op_flags >> 24))
#define dsa_desc_flags(d) ((d)->op_flags & DSA_FLAG_MASK)
#define dsa_op_flags(op, flags)                                                \
	(((uint32_t)(op) << 24) | ((uint32_t)(flags) & DSA_FLAG_MASK))
#define dsa_comp_status(c) ((c)->status & DSA_COMP_STATUS_MASK)

#ifdef __cplusplus
#define DSA_STATIC_ASSERT(e) static_assert(e, #e)
#else
#define DSA_STATIC_ASSERT(e) _Static_assert(e, #e)
#endif
DSA_STATIC_ASSERT(sizeof(struct dsa_desc) == DSA_DESC_SIZE);
DSA_STATIC_ASSERT(offsetof(struct dsa_desc, op_flags) == 4);
DSA_STATIC_ASSERT(offsetof(struct dsa_desc, completion_addr) == 8);
DSA_STATIC_ASSERT(offsetof(struct dsa_desc, src) == 16);
DSA_STATIC_ASSERT(offsetof(struct dsa_desc, dst) == 24);
DSA_STATIC_ASSERT(offsetof(struct dsa_desc, size) == 32);
DSA_STATIC_ASSERT(offsetof(struct dsa_desc, int_handle) == 36);
DSA_STATIC_ASSERT(offsetof(struct dsa_desc, rsvd1) == 38);
DSA_STATIC_ASSERT(offsetof(struct dsa_desc, op_specific) == 40);
DSA_STATIC_ASSERT(offsetof(struct dsa_desc, cmp.expected_res) == 40);
DSA_STATIC_ASSERT(offsetof(struct dsa_desc, crdelta.delta_addr) == 40);
DSA_STATIC_ASSERT(offsetof(struct dsa_desc, crdelta.max_delta_size) == 48);
DSA_STATIC_ASSERT(offsetof(struct dsa_desc, crdelta.expected_res_mask) == 56);
DSA_STATIC_ASSERT(offsetof(struct dsa_desc, apdelta.delta_rec_size) == 40);
DSA_STATIC_ASSERT(offsetof(struct dsa_desc, dcast.dst2) == 40);
DSA_STATIC_ASSERT(offsetof(struct dsa_desc, crc.seed) == 40);
DSA_STATIC_ASSERT(offsetof(struct dsa_desc, crc.seed_addr) == 48);
DSA_STATIC_ASSERT(offsetof(struct dsa_desc, fill.pattern_upper) == 40);
DSA_STATIC_ASSERT(sizeof(struct dsa_dif_tags) == DSA_DIF_PI_SIZE);
DSA_STATIC_ASSERT(offsetof(struct dsa_desc, dif.src_flags) == 40);
DSA_STATIC_ASSERT(offsetof(struct dsa_desc, dif.dst_flags) == 41);
DSA_STATIC_ASSERT(offsetof(struct dsa_desc, dif.flags) == 42);
DSA_STATIC_ASSERT(offsetof(struct dsa_desc, dif.src.ref_tag) == 48);
DSA_STATIC_ASSERT(offsetof(struct dsa_desc, dif.src.app_tag_mask) == 52);
DSA_STATIC_ASSERT(offsetof(struct dsa_desc, dif.src.app_tag) == 54);
DSA_STATIC_ASSERT(offsetof(struct dsa_desc, dif.dst.ref_tag) == 56);
DSA_STATIC_ASSERT(offsetof(struct dsa_desc, dif.dst.app_tag_mask) == 60);
DSA_STATIC_ASSERT(offsetof(struct dsa_desc, dif.dst.app_tag) == 62);
DSA_STATIC_ASSERT(offsetof(struct dsa_desc, tfetch.region_stride) == 48);
DSA_STATIC_ASSERT(sizeof(struct dsa_comp) == DSA_COMP_SIZE);
DSA_STATIC_ASSERT(offsetof(struct dsa_comp, dif.src.ref_tag) == 16);
DSA_STATIC_ASSERT(offsetof(struct dsa_comp, dif.src.app_tag) == 22);
DSA_STATIC_ASSERT(offsetof(struct dsa_comp, dif.dst.ref_tag) == 24);
DSA_STATIC_ASSERT(offsetof(struct dsa_comp, dif.dst.app_tag) == 30);
DSA_STATIC_ASSERT(offsetof(struct dsa_comp, result) == 1);
DSA_STATIC_ASSERT(offsetof(struct dsa_comp, bytes_completed) == 4);
DSA_STATIC_ASSERT(offsetof(struct dsa_comp, fault_addr) == 8);
DSA_STATIC_ASSERT(offsetof(struct dsa_comp, op_specific) == 16);
DSA_STATIC_ASSERT(offsetof(struct dsa_comp, crc_val) == 16);
DSA_STATIC_ASSERT(offsetof(struct dsa_comp, invalid_flags) == 16);
DSA_STATIC_ASSERT(offsetof(struct dsa_comp, delta_rec_size) == 16);

/* ---- Device capabilities, as GENCAP/WQCAP would report them ---- */
#define DSA_DEFAULT_MAX_XFER (1u << 31) /* 2 GiB: GENCAP max transfer shift 31 */
#define DSA_DEFAULT_MAX_BATCH 1024u
#define DSA_MIN_BATCH 2u /* a batch of fewer than 2 is DESC_CNT_ERANGE */

#endif /* UACCEL_DSA_HW_H */
