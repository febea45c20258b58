// SPDX-License-Identifier: MIT
/*
 * include/dsa_hw.h against Linux's uapi <linux/idxd.h>: every flag, opcode,
 * status code and mask, and the bytes of descriptors and completion
 * records built or read through each.  uapi_idxd.c is the uapi side.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "dsa_hw.h"
#include "tcommon.h"
#include "uapi_idxd.h"

#define M(u, ours) { #u, (uint32_t)(ours) }

static const struct uapi_const ours[] = {
	M(IDXD_OP_FLAG_FENCE, DSA_FLAG_FENCE), M(IDXD_OP_FLAG_BOF, DSA_FLAG_BOF),
	M(IDXD_OP_FLAG_CRAV, DSA_FLAG_CRAV), M(IDXD_OP_FLAG_RCR, DSA_FLAG_RCR),
	M(IDXD_OP_FLAG_RCI, DSA_FLAG_RCI), M(IDXD_OP_FLAG_CRSTS, DSA_FLAG_CRSTS),
	M(IDXD_OP_FLAG_CR, DSA_FLAG_CR), M(IDXD_OP_FLAG_CC, DSA_FLAG_CC),
	M(IDXD_OP_FLAG_ADDR1_TCS, DSA_FLAG_ADDR1_TCS),
	M(IDXD_OP_FLAG_ADDR2_TCS, DSA_FLAG_ADDR2_TCS),
	M(IDXD_OP_FLAG_ADDR3_TCS, DSA_FLAG_ADDR3_TCS),
	M(IDXD_OP_FLAG_CR_TCS, DSA_FLAG_CR_TCS),
	M(IDXD_OP_FLAG_STORD, DSA_FLAG_STORD),
	M(IDXD_OP_FLAG_DRDBK, DSA_FLAG_DRDBK),
	M(IDXD_OP_FLAG_DSTS, DSA_FLAG_DSTS),
	M(DSA_OPCODE_NOOP, DSA_OP_NOOP), M(DSA_OPCODE_BATCH, DSA_OP_BATCH),
	M(DSA_OPCODE_DRAIN, DSA_OP_DRAIN), M(DSA_OPCODE_MEMMOVE, DSA_OP_MEMMOVE),
	M(DSA_OPCODE_MEMFILL, DSA_OP_FILL), M(DSA_OPCODE_COMPARE, DSA_OP_COMPARE),
	M(DSA_OPCODE_COMPVAL, DSA_OP_COMPVAL),
	M(DSA_OPCODE_CR_DELTA, DSA_OP_CR_DELTA),
	M(DSA_OPCODE_AP_DELTA, DSA_OP_AP_DELTA),
	M(DSA_OPCODE_DUALCAST, DSA_OP_DUALCAST),
	M(DSA_OPCODE_CRCGEN, DSA_OP_CRCGEN),
	M(DSA_OPCODE_COPY_CRC, DSA_OP_COPY_CRC),
	M(DSA_OPCODE_DIF_CHECK, DSA_OP_DIF_CHECK),
	M(DSA_OPCODE_DIF_INS, DSA_OP_DIF_INS),
	M(DSA_OPCODE_DIF_STRP, DSA_OP_DIF_STRP),
	M(DSA_OPCODE_DIF_UPDT, DSA_OP_DIF_UPDT),
	M(DSA_OPCODE_CFLUSH, DSA_OP_CFLUSH),
	M(DSA_COMP_NONE, DSA_COMP_NONE), M(DSA_COMP_SUCCESS, DSA_COMP_SUCCESS),
	M(DSA_COMP_SUCCESS_PRED, DSA_COMP_SUCCESS_PRED),
	M(DSA_COMP_PAGE_FAULT_NOBOF, DSA_COMP_PAGE_FAULT_NOBOF),
	M(DSA_COMP_PAGE_FAULT_IR, DSA_COMP_PAGE_FAULT_IR),
	M(DSA_COMP_BATCH_FAIL, DSA_COMP_BATCH_FAIL),
	M(DSA_COMP_BATCH_PAGE_FAULT, DSA_COMP_BATCH_PAGE_FAULT),
	M(DSA_COMP_DR_OFFSET_NOINC, DSA_COMP_DR_OFFSET_NOINC),
	M(DSA_COMP_DR_OFFSET_ERANGE, DSA_COMP_DR_OFFSET_ERANGE),
	M(DSA_COMP_DIF_ERR, DSA_COMP_DIF_ERR),
	M(DSA_COMP_BAD_OPCODE, DSA_COMP_BAD_OPCODE),
	M(DSA_COMP_INVALID_FLAGS, DSA_COMP_INVALID_FLAGS),
	M(DSA_COMP_NOZERO_RESERVE, DSA_COMP_NOZERO_RESERVE),
	M(DSA_COMP_XFER_ERANGE, DSA_COMP_XFER_ERANGE),
	M(DSA_COMP_DESC_CNT_ERANGE, DSA_COMP_DESC_CNT_ERANGE),
	M(DSA_COMP_DR_ERANGE, DSA_COMP_DR_ERANGE),
	M(DSA_COMP_OVERLAP_BUFFERS, DSA_COMP_OVERLAP_BUFFERS),
	M(DSA_COMP_DCAST_ERR, DSA_COMP_DCAST_ERR),
	M(DSA_COMP_DESCLIST_ALIGN, DSA_COMP_DESCLIST_ALIGN),
	M(DSA_COMP_INT_HANDLE_INVAL, DSA_COMP_INT_HANDLE_INVAL),
	M(DSA_COMP_CRA_XLAT, DSA_COMP_CRA_XLAT),
	M(DSA_COMP_CRA_ALIGN, DSA_COMP_CRA_ALIGN),
	M(DSA_COMP_ADDR_ALIGN, DSA_COMP_ADDR_ALIGN),
	M(DSA_COMP_PRIV_BAD, DSA_COMP_PRIV_BAD),
	M(DSA_COMP_TRAFFIC_CLASS_CONF, DSA_COMP_TRAFFIC_CLASS_CONF),
	M(DSA_COMP_PFAULT_RDBA, DSA_COMP_PFAULT_RDBA),
	M(DSA_COMP_HW_ERR1, DSA_COMP_HW_ERR1),
	M(DSA_COMP_HW_ERR_DRB, DSA_COMP_HW_ERR_DRB),
	M(DSA_COMP_TRANSLATION_FAIL, DSA_COMP_TRANSLATION_FAIL),
	M(DSA_COMP_STATUS_MASK, DSA_COMP_STATUS_MASK),
	M(DSA_COMP_STATUS_WRITE, DSA_COMP_STATUS_WRITE),
	{ "sizeof(struct dsa_hw_desc)", sizeof(struct dsa_desc) },
	{ "sizeof(struct dsa_completion_record)", sizeof(struct dsa_comp) },
	{ NULL, 0 },
};

Test(uapi, every_constant_matches)
{
	unsigned nu = 0, no = 0;

	for (const struct uapi_const *u = uapi_idxd_consts; u->name; u++) {
		const struct uapi_const *o = ours;

		while (o->name && strcmp(o->name, u->name))
			o++;
		cr_assert_not_null(o->name, "dsa_hw.h has nothing for %s",
				   u->name);
		cr_assert_eq(o->value, u->value,
			     "%s: uapi %#x, dsa_hw.h %#x", u->name, u->value,
			     o->value);
		nu++;
	}
	for (const struct uapi_const *o = ours; o->name; o++)
		no++;
	cr_assert_eq(nu, no, "both lists name the same constants");
}

/* Descriptors with every field set, one op-specific layout at a time. */
Test(uapi, descriptor_bytes_match)
{
	tb_seed(0x1d8d);
	for (int i = 0; i < 500; i++) {
		struct uapi_desc_fields f;
		struct dsa_desc d;
		uint8_t want[64];

		memset(&f, 0, sizeof(f));
		f.pasid = (uint32_t)tb_rand() & 0xfffff;
		f.priv = (uint32_t)tb_rand() & 1;
		f.flags = (uint32_t)tb_rand() & DSA_FLAG_MASK;
		f.opcode = (uint32_t)tb_rand() & 0xff;
		f.completion_addr = tb_rand();
		f.src = tb_rand();
		f.dst = tb_rand();
		f.size = (uint32_t)tb_rand();
		f.int_handle = (uint16_t)tb_rand();
		f.which = i % 8;
		f.dif_src_flags = (uint8_t)tb_rand();
		f.dif_dst_flags = (uint8_t)tb_rand();
		f.dif_flags = (uint8_t)tb_rand();
		for (int k = 0; k < 2; k++) {
			f.dif_ref[k] = (uint32_t)tb_rand();
			f.dif_mask[k] = (uint16_t)tb_rand();
			f.dif_app[k] = (uint16_t)tb_rand();
		}
		f.seed = (uint32_t)tb_rand();
		f.seed_addr = tb_rand();
		f.delta_addr = tb_rand();
		f.max_delta_size = (uint32_t)tb_rand();
		f.expected_res_mask = (uint8_t)tb_rand();
		f.delta_rec_size = (uint32_t)tb_rand();
		f.dest2 = tb_rand();
		f.expected_res = (uint8_t)tb_rand();
		uapi_idxd_desc(&f, want);

		memset(&d, 0, sizeof(d));
		d.pasid_priv = f.pasid | f.priv << 31;
		d.op_flags = dsa_op_flags(f.opcode, f.flags);
		d.completion_addr = f.completion_addr;
		d.src = f.src;
		d.dst = f.dst;
		d.size = f.size;
		d.int_handle = f.int_handle;
		switch (f.which) {
		case 0:
			d.crc.seed = f.seed;
			d.crc.seed_addr = f.seed_addr;
			break;
		case 1:
			d.crdelta.delta_addr = f.delta_addr;
			d.crdelta.max_delta_size = f.max_delta_size;
			d.crdelta.expected_res_mask = f.expected_res_mask;
			break;
		case 2:
			d.apdelta.delta_rec_size = f.delta_rec_size;
			break;
		case 3:
			d.dcast.dst2 = f.dest2;
			break;
		case 5:
		case 6:
		case 7:
			if (f.which != 6)
				d.dif.src_flags = f.dif_src_flags;
			if (f.which != 5)
				d.dif.dst_flags = f.dif_dst_flags;
			d.dif.flags = f.dif_flags;
			if (f.which != 6) {
				d.dif.src.ref_tag = f.dif_ref[0];
				d.dif.src.app_tag_mask = f.dif_mask[0];
				d.dif.src.app_tag = f.dif_app[0];
			}
			if (f.which != 5) {
				d.dif.dst.ref_tag = f.dif_ref[1];
				d.dif.dst.app_tag_mask = f.dif_mask[1];
				d.dif.dst.app_tag = f.dif_app[1];
			}
			break;
		default:
			d.cmp.expected_res = f.expected_res;
			break;
		}
		cr_assert(!memcmp(&d, want, 64),
			  "descriptor layout %d differs from the uapi's",
			  f.which);
		cr_assert_eq(dsa_desc_opcode(&d), f.opcode);
		cr_assert_eq(dsa_desc_flags(&d), f.flags);
	}
}

/* Completion records of random bytes read through both definitions. */
Test(uapi, completion_record_fields_match)
{
	tb_seed(0xc0c0);
	for (int i = 0; i < 500; i++) {
		_Alignas(32) struct dsa_comp c;
		struct uapi_comp_fields u;
		uint8_t raw[32];

		tb_fill_random(raw, sizeof(raw));
		memcpy(&c, raw, sizeof(c));
		uapi_idxd_comp(raw, &u);
		cr_assert_eq(c.status, u.status);
		cr_assert_eq(c.result, u.result);
		cr_assert_eq(c.bytes_completed, u.bytes_completed);
		cr_assert_eq(c.fault_addr, u.fault_addr);
		/* A 24-bit field upstream; the model writes no more. */
		cr_assert_eq(c.invalid_flags & DSA_FLAG_MASK, u.invalid_flags);
		cr_assert_eq(c.delta_rec_size, u.delta_rec_size);
		cr_assert_eq(c.crc_val, u.crc_lo);
		for (int k = 0; k < 2; k++) {
			const struct dsa_dif_tags *t =
				k ? &c.dif.dst : &c.dif.src;

			cr_assert_eq(t->ref_tag, u.dif_ref[k]);
			cr_assert_eq(t->app_tag_mask, u.dif_mask[k]);
			cr_assert_eq(t->app_tag, u.dif_app[k]);
			cr_assert_eq(t->ref_tag, u.upd_ref[k]);
			cr_assert_eq(t->app_tag_mask, u.upd_mask[k]);
			cr_assert_eq(t->app_tag, u.upd_app[k]);
		}
	}
}
