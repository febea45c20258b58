// SPDX-License-Identifier: MIT
/* Bring-up, every command and its error codes, configuration refused,
 * halt and recovery. */
#include "hw_harness.h"

#include <criterion/criterion.h>
#include <string.h>

static const enum dsa_twin_version versions[] = { DSA_TWIN_V1, DSA_TWIN_V2 };

static struct hw_wq wq_ok(unsigned int id, bool dedicated)
{
	struct hw_wq q = { .id = id, .dedicated = dedicated, .size = 8,
			   .thresh = dedicated ? 0 : 4, .prio = 1,
			   .pasid = dedicated ? HW_PASID_A : 0,
			   .xfer_shift = 31, .batch_shift = 10 };
	return q;
}

/* Probe, write one queue and group 0 with engine 0, enable the device. */
static void enable_with(struct hw *h, const struct hw_wq *q)
{
	hw_probe(h);
	hw_write_wqcfg(h, q);
	hw_write_grpcfg(h, 0, 1ull << q->id, 1, 0);
	cr_assert_eq(hw_cmd(h, DSA_CMD_ENABLE_DEVICE, 0), 0);
}

Test(hw_cmds, bring_up_in_idxd_order_and_copy)
{
	for (unsigned int i = 0; i < 2; i++) {
		struct hw *h = hw_new(versions[i]);
		char src[256], dst[256];
		struct dsa_comp comp __attribute__((aligned(32)));
		struct dsa_desc d;

		hw_default(h);
		cr_expect_eq(DSA_FGET(dsa_twin_read32(h->t, DSA_REG_GENSTS),
				      DSA_GENSTS_STATE), DSA_DEV_ENABLED);
		memset(src, 0x5a, sizeof(src));
		memset(dst, 0, sizeof(dst));
		hw_memmove(&d, dst, src, sizeof(src), &comp);
		cr_assert_eq(hw_submit(h, 0, false, &d, DSA_TWIN_MOVDIR64B), 0);
		cr_expect_eq(comp.status, 0, "ran before the engines ran");
		cr_assert_eq(dsa_twin_run(h->t, 16), 1);
		cr_expect_eq(comp.status, DSA_COMP_SUCCESS);
		cr_expect_eq(memcmp(src, dst, sizeof(src)), 0);
		/* The dedicated queue's PASID came from WQCFG. */
		cr_expect_eq(h->last_pasid, HW_PASID_A);
		cr_expect(h->last_pasid_en);
		hw_free(h);
	}
}

Test(hw_cmds, init_reset_is_polled_without_interrupt)
{
	struct hw *h = hw_new(DSA_TWIN_V1);

	hw_probe(h);
	cr_expect_eq(h->irqs[0], 0);
	cr_expect_eq(dsa_twin_read32(h->t, DSA_REG_INTCAUSE) & DSA_INTC_CMD, 0);
	hw_free(h);
}

Test(hw_cmds, unknown_and_unsupported_commands)
{
	struct hw *h = hw_new(DSA_TWIN_V1);

	hw_probe(h);
	cr_expect_eq(hw_cmd(h, 0, 0), DSA_CMDSTS_INVAL_CMD);
	cr_expect_eq(hw_cmd(h, 15, 0), DSA_CMDSTS_INVAL_CMD);
	cr_expect_eq(hw_cmd(h, 31, 0), DSA_CMDSTS_INVAL_CMD);
	/* 1.0 personality: no interrupt-handle commands in CMDCAP. */
	cr_expect_eq(hw_cmd(h, DSA_CMD_REQUEST_INT_HANDLE, 1), DSA_CMDSTS_INVAL_CMD);
	cr_expect_eq(hw_cmd(h, DSA_CMD_RELEASE_INT_HANDLE, 1), DSA_CMDSTS_INVAL_CMD);
	hw_free(h);
}

Test(hw_cmds, enable_device_twice)
{
	struct hw *h = hw_new(DSA_TWIN_V1);

	hw_default(h);
	cr_expect_eq(hw_cmd(h, DSA_CMD_ENABLE_DEVICE, 0), DSA_CMDSTS_ERR_DEV_ENABLED);
	hw_free(h);
}

Test(hw_cmds, enable_device_without_bus_master)
{
	struct hw *h = hw_new(DSA_TWIN_V1);

	hw_probe(h);
	h->t->bus_master = false;
	cr_expect_eq(hw_cmd(h, DSA_CMD_ENABLE_DEVICE, 0), DSA_CMDSTS_ERR_BUSMASTER_EN);
	h->t->bus_master = true;
	cr_expect_eq(hw_cmd(h, DSA_CMD_ENABLE_DEVICE, 0), 0);
	hw_free(h);
}

Test(hw_cmds, sizes_above_wqcap_refused)
{
	struct hw *h = hw_new(DSA_TWIN_V2);
	struct hw_wq a = wq_ok(0, true), b = wq_ok(1, false);

	hw_probe(h);
	a.size = 100;
	b.size = 29; /* 129 > WQCAP total 128 */
	hw_write_wqcfg(h, &a);
	hw_write_wqcfg(h, &b);
	hw_write_grpcfg(h, 0, 3, 1, 0);
	cr_expect_eq(hw_cmd(h, DSA_CMD_ENABLE_DEVICE, 0), DSA_CMDSTS_ERR_WQ_SIZE_ERANGE);
	b.size = 28; /* exactly 128 */
	hw_write_wqcfg(h, &b);
	cr_expect_eq(hw_cmd(h, DSA_CMD_ENABLE_DEVICE, 0), 0);
	hw_free(h);
}

Test(hw_cmds, group_configurations_refused)
{
	struct hw *h = hw_new(DSA_TWIN_V1);
	struct hw_wq a = wq_ok(0, true);

	hw_probe(h);
	hw_write_wqcfg(h, &a);
	/* A group with a queue and no engine. */
	hw_write_grpcfg(h, 0, 1, 0, 0);
	cr_expect_eq(hw_cmd(h, DSA_CMD_ENABLE_DEVICE, 0), DSA_CMDSTS_ERR_GRP_CONFIG);
	/* A queue in two groups. */
	hw_write_grpcfg(h, 0, 1, 1, 0);
	hw_write_grpcfg(h, 1, 1, 2, 0);
	cr_expect_eq(hw_cmd(h, DSA_CMD_ENABLE_DEVICE, 0), DSA_CMDSTS_ERR_GRP_CONFIG2);
	/* An engine in two groups. */
	hw_write_grpcfg(h, 1, 0, 1, 0);
	cr_expect_eq(hw_cmd(h, DSA_CMD_ENABLE_DEVICE, 0), DSA_CMDSTS_ERR_GRP_CONFIG3);
	/* More read buffers reserved than GRPCAP has (96). */
	hw_write_grpcfg(h, 1, 0, 2, DSA_FPUT(DSA_GRPFLG_RDBUFS_RESERVED, 60));
	hw_write_grpcfg(h, 0, 1, 1, DSA_FPUT(DSA_GRPFLG_RDBUFS_RESERVED, 60));
	cr_expect_eq(hw_cmd(h, DSA_CMD_ENABLE_DEVICE, 0), DSA_CMDSTS_ERR_GRP_CONFIG4);
	hw_write_grpcfg(h, 1, 0, 0, 0);
	cr_expect_eq(hw_cmd(h, DSA_CMD_ENABLE_DEVICE, 0), 0);
	hw_free(h);
}

Test(hw_cmds, sized_queue_in_no_group_refused)
{
	struct hw *h = hw_new(DSA_TWIN_V1);
	struct hw_wq a = wq_ok(0, true), b = wq_ok(3, true);

	hw_probe(h);
	hw_write_wqcfg(h, &a);
	hw_write_wqcfg(h, &b);
	hw_write_grpcfg(h, 0, 1, 1, 0); /* queue 3 in no group */
	cr_expect_eq(hw_cmd(h, DSA_CMD_ENABLE_DEVICE, 0), DSA_CMDSTS_ERR_GRP_CONFIG);
	hw_free(h);
}

Test(hw_cmds, enable_wq_errors)
{
	for (unsigned int i = 0; i < 2; i++) {
		struct hw *h = hw_new(versions[i]);
		struct hw_wq q = wq_ok(2, false);

		hw_probe(h);
		cr_expect_eq(hw_cmd(h, DSA_CMD_ENABLE_WQ, 2), DSA_CMDSTS_ERR_DEV_NOTEN);
		enable_with(h, &q);
		cr_expect_eq(hw_cmd(h, DSA_CMD_ENABLE_WQ, 8), DSA_CMDSTS_INVAL_WQIDX);
		cr_expect_eq(hw_cmd(h, DSA_CMD_ENABLE_WQ, 0xfffff), DSA_CMDSTS_INVAL_WQIDX);
		/* Each wrong field, one at a time (WQCFG stays writable
		 * while the queue is disabled). */
		q.size = 0;
		hw_write_wqcfg(h, &q);
		cr_expect_eq(hw_cmd(h, DSA_CMD_ENABLE_WQ, 2), DSA_CMDSTS_ERR_WQ_SIZE);
		q = wq_ok(2, false);
		q.thresh = 9;
		hw_write_wqcfg(h, &q);
		cr_expect_eq(hw_cmd(h, DSA_CMD_ENABLE_WQ, 2), DSA_CMDSTS_ERR_WQ_SIZE);
		q = wq_ok(2, false);
		q.size = 129;
		hw_write_wqcfg(h, &q);
		cr_expect_eq(hw_cmd(h, DSA_CMD_ENABLE_WQ, 2), DSA_CMDSTS_ERR_WQ_SIZE);
		q = wq_ok(2, false);
		q.prio = 0;
		hw_write_wqcfg(h, &q);
		cr_expect_eq(hw_cmd(h, DSA_CMD_ENABLE_WQ, 2), DSA_CMDSTS_ERR_WQ_PRIOR);
		q = wq_ok(2, false);
		q.xfer_shift = 31;
		q.batch_shift = 11;
		hw_write_wqcfg(h, &q);
		cr_expect_eq(hw_cmd(h, DSA_CMD_ENABLE_WQ, 2), DSA_CMDSTS_ERR_MAX_BATCH_SIZE);
		q = wq_ok(2, false);
		/* Shift 31 is GENCAP's; the field holds up to 31, so write a
		 * larger queue limit through a device with a smaller cap. */
		h->t->gencap &= ~DSA_FMASK(DSA_GENCAP_MAX_XFER_SHIFT);
		h->t->gencap |= DSA_FPUT(DSA_GENCAP_MAX_XFER_SHIFT, 20);
		hw_write_wqcfg(h, &q);
		cr_expect_eq(hw_cmd(h, DSA_CMD_ENABLE_WQ, 2), DSA_CMDSTS_ERR_MAX_XFER_SIZE);
		q.xfer_shift = 20;
		hw_write_wqcfg(h, &q);
		cr_expect_eq(hw_cmd(h, DSA_CMD_ENABLE_WQ, 2), 0);
		cr_expect_eq(hw_cmd(h, DSA_CMD_ENABLE_WQ, 2), DSA_CMDSTS_ERR_WQ_ENABLED);
		hw_free(h);
	}
}

Test(hw_cmds, shared_queue_needs_pasid)
{
	struct hw *h = hw_new(DSA_TWIN_V1);
	struct hw_wq q = wq_ok(0, false);
	uint32_t off;

	enable_with(h, &q);
	off = h->wqcfg + 4 * DSA_WQCFG_DW_MODE;
	dsa_twin_write32(h->t, off, dsa_twin_read32(h->t, off) &
				    ~(uint32_t)DSA_FMASK(DSA_WQCFG_PASID_EN));
	cr_expect_eq(hw_cmd(h, DSA_CMD_ENABLE_WQ, 0), DSA_CMDSTS_ERR_PASID_EN);
	hw_free(h);
}

Test(hw_cmds, bof_without_capability_refused)
{
	struct hw *h = hw_new(DSA_TWIN_V1);
	struct hw_wq q = wq_ok(0, true);
	uint32_t off;

	h->t->gencap &= ~DSA_FMASK(DSA_GENCAP_BOF);
	enable_with(h, &q);
	off = h->wqcfg + 4 * DSA_WQCFG_DW_MODE;
	dsa_twin_write32(h->t, off, dsa_twin_read32(h->t, off) |
				    (uint32_t)DSA_FMASK(DSA_WQCFG_BOF));
	cr_expect_eq(hw_cmd(h, DSA_CMD_ENABLE_WQ, 0), DSA_CMDSTS_ERR_BOF_EN);
	hw_free(h);
}

Test(hw_cmds, queue_added_later_without_group)
{
	struct hw *h = hw_new(DSA_TWIN_V1);
	struct hw_wq a = wq_ok(0, true), b = wq_ok(5, true);

	enable_with(h, &a);
	hw_write_wqcfg(h, &b);
	cr_expect_eq(hw_cmd(h, DSA_CMD_ENABLE_WQ, 5), DSA_CMDSTS_ERR_CONFIG);
	hw_free(h);
}

Test(hw_cmds, device_commands_on_a_disabled_device)
{
	struct hw *h = hw_new(DSA_TWIN_V1);

	hw_probe(h);
	cr_expect_eq(hw_cmd(h, DSA_CMD_DISABLE_DEVICE, 0), DSA_CMDSTS_ERR_DIS_DEV_EN);
	cr_expect_eq(hw_cmd(h, DSA_CMD_DISABLE_WQ, dsa_cmd_wq_operand(0)),
		     DSA_CMDSTS_ERR_DEV_NOT_EN);
	cr_expect_eq(hw_cmd(h, DSA_CMD_DRAIN_WQ, 1), DSA_CMDSTS_ERR_DEV_NOT_EN);
	cr_expect_eq(hw_cmd(h, DSA_CMD_ABORT_WQ, 1), DSA_CMDSTS_ERR_DEV_NOT_EN);
	cr_expect_eq(hw_cmd(h, DSA_CMD_RESET_WQ, 1), DSA_CMDSTS_ERR_DEV_NOT_EN);
	cr_expect_eq(hw_cmd(h, DSA_CMD_DRAIN_ALL, 0), DSA_CMDSTS_ERR_DEV_NOT_EN);
	cr_expect_eq(hw_cmd(h, DSA_CMD_ABORT_ALL, 0), DSA_CMDSTS_ERR_DEV_NOT_EN);
	cr_expect_eq(hw_cmd(h, DSA_CMD_DRAIN_PASID, 1), DSA_CMDSTS_ERR_DEV_NOT_EN);
	cr_expect_eq(hw_cmd(h, DSA_CMD_ABORT_PASID, 1), DSA_CMDSTS_ERR_DEV_NOT_EN);
	hw_free(h);
}

Test(hw_cmds, wq_bitmap_operand_checked)
{
	struct hw *h = hw_new(DSA_TWIN_V1);

	hw_default(h);
	/* Bits for queues 8-15 and block 1 name queues that do not exist. */
	cr_expect_eq(hw_cmd(h, DSA_CMD_DRAIN_WQ, 1u << 8), DSA_CMDSTS_INVAL_WQIDX);
	cr_expect_eq(hw_cmd(h, DSA_CMD_ABORT_WQ, dsa_cmd_wq_operand(17)),
		     DSA_CMDSTS_INVAL_WQIDX);
	cr_expect_eq(hw_cmd(h, DSA_CMD_DRAIN_WQ, dsa_cmd_wq_operand(7)), 0);
	hw_free(h);
}

Test(hw_cmds, disable_and_reenable)
{
	struct hw *h = hw_new(DSA_TWIN_V2);

	hw_default(h);
	cr_expect_eq(hw_cmd(h, DSA_CMD_DISABLE_WQ, dsa_cmd_wq_operand(1)), 0);
	cr_expect_eq(DSA_FGET(dsa_twin_read32(h->t, h->wqcfg + h->wqcfg_size +
						      4 * DSA_WQCFG_DW_STATE),
			      DSA_WQCFG_WQ_STATE), DSA_WQ_STATE_DISABLED);
	cr_expect_eq(hw_cmd(h, DSA_CMD_ENABLE_WQ, 1), 0);
	cr_expect_eq(hw_cmd(h, DSA_CMD_DISABLE_DEVICE, 0), 0);
	cr_expect_eq(DSA_FGET(dsa_twin_read32(h->t, DSA_REG_GENSTS),
			      DSA_GENSTS_STATE), DSA_DEV_DISABLED);
	/* The configuration survives a disable: enable again as it was. */
	cr_expect_eq(hw_cmd(h, DSA_CMD_ENABLE_DEVICE, 0), 0);
	cr_expect_eq(hw_cmd(h, DSA_CMD_ENABLE_WQ, 0), 0);
	cr_expect_eq(hw_cmd(h, DSA_CMD_ENABLE_WQ, 1), 0);
	hw_free(h);
}

Test(hw_cmds, configuration_locked_while_enabled)
{
	struct hw *h = hw_new(DSA_TWIN_V1);
	uint32_t size_off, pasid_off;

	hw_default(h);
	/* GRPCFG: locked while the device is enabled. */
	dsa_twin_write64(h->t, h->grpcfg + DSA_GRPCFG_ENGINES, 0xf);
	cr_expect_eq(dsa_twin_read64(h->t, h->grpcfg + DSA_GRPCFG_ENGINES), 1);
	/* WQCFG: locked while its queue is enabled ... */
	size_off = h->wqcfg;
	dsa_twin_write32(h->t, size_off, 2);
	cr_expect_eq(dsa_twin_read32(h->t, size_off), 8);
	/* ... and writable once it is disabled (idxd_wq_set_pasid). */
	cr_expect_eq(hw_cmd(h, DSA_CMD_DISABLE_WQ, dsa_cmd_wq_operand(0)), 0);
	pasid_off = h->wqcfg + 4 * DSA_WQCFG_DW_MODE;
	dsa_twin_write32(h->t, pasid_off,
			 (dsa_twin_read32(h->t, pasid_off) &
			  ~(uint32_t)DSA_FMASK(DSA_WQCFG_PASID)) |
				 (uint32_t)DSA_FPUT(DSA_WQCFG_PASID, HW_PASID_B));
	cr_expect_eq(hw_cmd(h, DSA_CMD_ENABLE_WQ, 0), 0);
	cr_expect_eq(DSA_FGET(dsa_twin_read32(h->t, pasid_off), DSA_WQCFG_PASID),
		     HW_PASID_B);
	hw_free(h);
}

Test(hw_cmds, interrupt_handles_dsa2)
{
	struct hw *h = hw_new(DSA_TWIN_V2);
	uint32_t sts;

	hw_probe(h);
	cr_expect_eq(hw_cmd(h, DSA_CMD_REQUEST_INT_HANDLE, 1), 0);
	sts = dsa_twin_read32(h->t, DSA_REG_CMDSTS);
	cr_expect_eq(DSA_FGET(sts, DSA_CMDSTS_RESULT), 1);
	cr_expect_eq(hw_cmd(h, DSA_CMD_REQUEST_INT_HANDLE, 1), DSA_CMDSTS_ERR_NO_HANDLE);
	cr_expect_eq(hw_cmd(h, DSA_CMD_REQUEST_INT_HANDLE, 1 | DSA_CMD_INT_HANDLE_IMS),
		     DSA_CMDSTS_ERR_INVAL_INT_IDX);
	cr_expect_eq(hw_cmd(h, DSA_CMD_REQUEST_INT_HANDLE, DSA_TWIN_MSIX_VECTORS),
		     DSA_CMDSTS_ERR_INVAL_INT_IDX);
	cr_expect_eq(hw_cmd(h, DSA_CMD_RELEASE_INT_HANDLE, 1), 0);
	cr_expect_eq(hw_cmd(h, DSA_CMD_RELEASE_INT_HANDLE, 1), DSA_CMDSTS_ERR_INVAL_INT_IDX);
	hw_free(h);
}

Test(hw_cmds, command_while_active_is_ignored)
{
	struct hw *h = hw_new(DSA_TWIN_V1);
	struct dsa_desc d;
	char a[64], b[64];

	hw_default(h);
	hw_memmove(&d, b, a, sizeof(a), NULL);
	d.op_flags = dsa_op_flags(DSA_OP_MEMMOVE, 0);
	cr_assert_eq(hw_submit(h, 0, false, &d, DSA_TWIN_MOVDIR64B), 0);
	cr_assert_eq(hw_cmd(h, DSA_CMD_DRAIN_ALL, 0), -1);
	/* An abort now would discard the work; it must not run. */
	dsa_twin_write32(h->t, DSA_REG_CMD, dsa_cmd_word(DSA_CMD_ABORT_ALL, 0, 1));
	cr_expect_eq(dsa_twin_occupancy(h->t, 0), 1);
	cr_expect_eq(dsa_twin_run(h->t, 8), 1);
	cr_expect_eq(dsa_twin_read32(h->t, DSA_REG_CMDSTS), 0);
	cr_expect_eq(h->t->stats.aborted, 0);
	hw_free(h);
}

Test(hw_cmds, halt_and_software_reset_recovery)
{
	for (unsigned int i = 0; i < 2; i++) {
		struct hw *h = hw_new(versions[i]);
		char a[64], b[64];
		struct dsa_comp comp __attribute__((aligned(32)));
		struct dsa_desc d;

		hw_default(h);
		hw_memmove(&d, b, a, sizeof(a), &comp);
		cr_assert_eq(hw_submit(h, 0, false, &d, DSA_TWIN_MOVDIR64B), 0);
		dsa_twin_halt(h->t, DSA_RESET_SOFTWARE);
		cr_expect_eq(DSA_FGET(dsa_twin_read32(h->t, DSA_REG_GENSTS),
				      DSA_GENSTS_STATE), DSA_DEV_HALT);
		cr_expect(dsa_twin_read32(h->t, DSA_REG_INTCAUSE) & DSA_INTC_HALT_STATE);
		cr_expect_eq(h->irqs[0], 3 + 1, "halt interrupt (enable dev, 2 wqs, halt)");
		/* Work in flight is lost, nothing more is taken. */
		cr_expect_eq(dsa_twin_run(h->t, 8), 0);
		cr_expect_eq(comp.status, 0);
		cr_expect_eq(hw_submit(h, 1, true, &d, DSA_TWIN_ENQCMD), DSA_TWIN_RETRY);
		/* Only a reset is carried out. */
		cr_expect_eq(hw_cmd(h, DSA_CMD_ENABLE_WQ, 0), DSA_CMDSTS_HW_ERR);
		cr_expect_eq(hw_cmd(h, DSA_CMD_DISABLE_DEVICE, 0), DSA_CMDSTS_HW_ERR);
		dsa_twin_write32(h->t, DSA_REG_INTCAUSE, DSA_INTC_HALT_STATE);
		cr_expect_eq(hw_cmd(h, DSA_CMD_RESET_DEVICE, 0), 0);
		cr_expect_eq(DSA_FGET(dsa_twin_read32(h->t, DSA_REG_GENSTS),
				      DSA_GENSTS_STATE), DSA_DEV_DISABLED);
		/* Reset cleared the configuration and masked errors. */
		cr_expect_eq(dsa_twin_read32(h->t, h->wqcfg), 0);
		cr_expect_eq(dsa_twin_read32(h->t, DSA_REG_GENCTRL), 0);
		/* And the device comes back as at probe. */
		hw_default(h);
		cr_assert_eq(hw_submit(h, 0, false, &d, DSA_TWIN_MOVDIR64B), 0);
		cr_expect_eq(dsa_twin_run(h->t, 8), 1);
		cr_expect_eq(comp.status, DSA_COMP_SUCCESS);
		hw_free(h);
	}
}

Test(hw_cmds, halt_needing_flr_refuses_reset)
{
	struct hw *h = hw_new(DSA_TWIN_V1);

	hw_default(h);
	dsa_twin_halt(h->t, DSA_RESET_FLR);
	cr_expect_eq(DSA_FGET(dsa_twin_read32(h->t, DSA_REG_GENSTS),
			      DSA_GENSTS_RESET_TYPE), DSA_RESET_FLR);
	cr_expect_eq(hw_cmd(h, DSA_CMD_RESET_DEVICE, 0), DSA_CMDSTS_HW_ERR);
	cr_expect_eq(DSA_FGET(dsa_twin_read32(h->t, DSA_REG_GENSTS),
			      DSA_GENSTS_STATE), DSA_DEV_HALT);
	hw_free(h);
}

Test(hw_cmds, halt_interrupt_masked)
{
	struct hw *h = hw_new(DSA_TWIN_V1);
	unsigned int before;

	hw_default(h);
	dsa_twin_write32(h->t, DSA_REG_GENCTRL, 0);
	before = h->irqs[0];
	dsa_twin_halt(h->t, DSA_RESET_SOFTWARE);
	cr_expect_eq(h->irqs[0], before);
	cr_expect(dsa_twin_read32(h->t, DSA_REG_INTCAUSE) & DSA_INTC_HALT_STATE);
	hw_free(h);
}

Test(hw_cmds, halt_fails_an_active_command)
{
	struct hw *h = hw_new(DSA_TWIN_V1);
	struct dsa_desc d;
	char a[64], b[64];

	hw_default(h);
	hw_memmove(&d, b, a, sizeof(a), NULL);
	d.op_flags = dsa_op_flags(DSA_OP_MEMMOVE, 0);
	hw_submit(h, 0, false, &d, DSA_TWIN_MOVDIR64B);
	cr_assert_eq(hw_cmd(h, DSA_CMD_DRAIN_WQ, dsa_cmd_wq_operand(0)), -1);
	dsa_twin_halt(h->t, DSA_RESET_SOFTWARE);
	cr_expect_eq(dsa_twin_read32(h->t, DSA_REG_CMDSTS), DSA_CMDSTS_HW_ERR);
	hw_free(h);
}
