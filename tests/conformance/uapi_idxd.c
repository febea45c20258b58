// SPDX-License-Identifier: MIT
/*
 * The Linux uapi side of conf_uapi.c: this file includes <linux/idxd.h>
 * (Debian's linux-libc-dev) and nothing of ours.
 */
#include <linux/idxd.h>
#include <string.h>

#include "uapi_idxd.h"

#define C(x) { #x, (uint32_t)(x) }

const struct uapi_const uapi_idxd_consts[] = {
	C(IDXD_OP_FLAG_FENCE), C(IDXD_OP_FLAG_BOF), C(IDXD_OP_FLAG_CRAV),
	C(IDXD_OP_FLAG_RCR), C(IDXD_OP_FLAG_RCI), C(IDXD_OP_FLAG_CRSTS),
	C(IDXD_OP_FLAG_CR), C(IDXD_OP_FLAG_CC), C(IDXD_OP_FLAG_ADDR1_TCS),
	C(IDXD_OP_FLAG_ADDR2_TCS), C(IDXD_OP_FLAG_ADDR3_TCS),
	C(IDXD_OP_FLAG_CR_TCS), C(IDXD_OP_FLAG_STORD), C(IDXD_OP_FLAG_DRDBK),
	C(IDXD_OP_FLAG_DSTS),
	C(DSA_OPCODE_NOOP), C(DSA_OPCODE_BATCH), C(DSA_OPCODE_DRAIN),
	C(DSA_OPCODE_MEMMOVE), C(DSA_OPCODE_MEMFILL), C(DSA_OPCODE_COMPARE),
	C(DSA_OPCODE_COMPVAL), C(DSA_OPCODE_CR_DELTA), C(DSA_OPCODE_AP_DELTA),
	C(DSA_OPCODE_DUALCAST), C(DSA_OPCODE_CRCGEN), C(DSA_OPCODE_COPY_CRC),
	C(DSA_OPCODE_DIF_CHECK), C(DSA_OPCODE_DIF_INS),
	C(DSA_OPCODE_DIF_STRP), C(DSA_OPCODE_DIF_UPDT), C(DSA_OPCODE_CFLUSH),
	C(DSA_COMP_NONE), C(DSA_COMP_SUCCESS), C(DSA_COMP_SUCCESS_PRED),
	C(DSA_COMP_PAGE_FAULT_NOBOF), C(DSA_COMP_PAGE_FAULT_IR),
	C(DSA_COMP_BATCH_FAIL), C(DSA_COMP_BATCH_PAGE_FAULT),
	C(DSA_COMP_DR_OFFSET_NOINC), C(DSA_COMP_DR_OFFSET_ERANGE),
	C(DSA_COMP_DIF_ERR), C(DSA_COMP_BAD_OPCODE),
	C(DSA_COMP_INVALID_FLAGS), C(DSA_COMP_NOZERO_RESERVE),
	C(DSA_COMP_XFER_ERANGE), C(DSA_COMP_DESC_CNT_ERANGE),
	C(DSA_COMP_DR_ERANGE), C(DSA_COMP_OVERLAP_BUFFERS),
	C(DSA_COMP_DCAST_ERR), C(DSA_COMP_DESCLIST_ALIGN),
	C(DSA_COMP_INT_HANDLE_INVAL), C(DSA_COMP_CRA_XLAT),
	C(DSA_COMP_CRA_ALIGN), C(DSA_COMP_ADDR_ALIGN), C(DSA_COMP_PRIV_BAD),
	C(DSA_COMP_TRAFFIC_CLASS_CONF), C(DSA_COMP_PFAULT_RDBA),
	C(DSA_COMP_HW_ERR1), C(DSA_COMP_HW_ERR_DRB),
	C(DSA_COMP_TRANSLATION_FAIL),
	C(DSA_COMP_STATUS_MASK), C(DSA_COMP_STATUS_WRITE),
	{ "sizeof(struct dsa_hw_desc)", sizeof(struct dsa_hw_desc) },
	{ "sizeof(struct dsa_completion_record)",
	  sizeof(struct dsa_completion_record) },
	{ NULL, 0 },
};

void uapi_idxd_desc(const struct uapi_desc_fields *f, uint8_t out[64])
{
	struct dsa_hw_desc d;

	memset(&d, 0, sizeof(d));
	d.pasid = f->pasid;
	d.priv = f->priv;
	d.flags = f->flags;
	d.opcode = f->opcode;
	d.completion_addr = f->completion_addr;
	d.src_addr = f->src;
	d.dst_addr = f->dst;
	d.xfer_size = f->size;
	d.int_handle = f->int_handle;
	switch (f->which) {
	case 0:
		d.crc_seed = f->seed;
		d.seed_addr = f->seed_addr;
		break;
	case 1:
		d.delta_addr = f->delta_addr;
		d.max_delta_size = f->max_delta_size;
		d.expected_res_mask = f->expected_res_mask;
		break;
	case 2:
		d.delta_rec_size = f->delta_rec_size;
		break;
	case 3:
		d.dest2 = f->dest2;
		break;
	case 5:
		d.src_dif_flags = f->dif_src_flags;
		d.dif_chk_flags = f->dif_flags;
		d.chk_ref_tag_seed = f->dif_ref[0];
		d.chk_app_tag_mask = f->dif_mask[0];
		d.chk_app_tag_seed = f->dif_app[0];
		break;
	case 6:
		d.dest_dif_flag = f->dif_dst_flags;
		d.dif_ins_flags = f->dif_flags;
		d.ins_ref_tag_seed = f->dif_ref[1];
		d.ins_app_tag_mask = f->dif_mask[1];
		d.ins_app_tag_seed = f->dif_app[1];
		break;
	case 7:
		d.src_upd_flags = f->dif_src_flags;
		d.upd_dest_flags = f->dif_dst_flags;
		d.dif_upd_flags = f->dif_flags;
		d.src_ref_tag_seed = f->dif_ref[0];
		d.src_app_tag_mask = f->dif_mask[0];
		d.src_app_tag_seed = f->dif_app[0];
		d.dest_ref_tag_seed = f->dif_ref[1];
		d.dest_app_tag_mask = f->dif_mask[1];
		d.dest_app_tag_seed = f->dif_app[1];
		break;
	default:
		d.expected_res = f->expected_res;
		break;
	}
	memcpy(out, &d, 64);
}

void uapi_idxd_comp(const uint8_t in[32], struct uapi_comp_fields *f)
{
	struct dsa_completion_record c;

	memcpy(&c, in, sizeof(c));
	f->status = c.status;
	f->result = c.result;
	f->bytes_completed = c.bytes_completed;
	f->fault_addr = c.fault_addr;
	f->invalid_flags = c.invalid_flags;
	f->delta_rec_size = c.delta_rec_size;
	f->crc_lo = (uint32_t)c.crc_val;
	f->dif_ref[0] = c.dif_chk_ref_tag;
	f->dif_mask[0] = c.dif_chk_app_tag_mask;
	f->dif_app[0] = c.dif_chk_app_tag;
	f->dif_ref[1] = c.dif_ins_ref_tag;
	f->dif_mask[1] = c.dif_ins_app_tag_mask;
	f->dif_app[1] = c.dif_ins_app_tag;
	f->upd_ref[0] = c.dif_upd_src_ref_tag;
	f->upd_mask[0] = c.dif_upd_src_app_tag_mask;
	f->upd_app[0] = c.dif_upd_src_app_tag;
	f->upd_ref[1] = c.dif_upd_dest_ref_tag;
	f->upd_mask[1] = c.dif_upd_dest_app_tag_mask;
	f->upd_app[1] = c.dif_upd_dest_app_tag;
}
