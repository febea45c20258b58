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
	DSA_OP_CRCGEN = 0x10,
	DSA_OP_COPY_CRC = 0x11,
	DSA_OP_DIF_CHECK = 0x12,
	DSA_OP_DIF_INS = 0x13,
	DSA_OP_DIF_STRP = 0x14,
	DSA_OP_DIF_UPDT = 0x15,
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
	 DSA_OPCAP(DSA_OP_CFLUSH))

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
DSA_STATIC_ASSERT(sizeof(struct dsa_comp) == DSA_COMP_SIZE);
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
