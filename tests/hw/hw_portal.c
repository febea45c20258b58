// SPDX-License-Identifier: MIT
/* Portals, work in flight (drain, abort, disable), software errors,
 * completion interrupts, per-queue limits. */
#include "hw_harness.h"

#include <criterion/criterion.h>
#include <string.h>

static const enum dsa_twin_version versions[] = { DSA_TWIN_V1, DSA_TWIN_V2 };

struct job {
	char src[128], dst[128];
	struct dsa_comp comp __attribute__((aligned(32)));
	struct dsa_desc d;
};

static void job_init(struct job *j, uint32_t pasid, char fill)
{
	memset(j->src, fill, sizeof(j->src));
	memset(j->dst, 0, sizeof(j->dst));
	hw_memmove(&j->d, j->dst, j->src, sizeof(j->src), &j->comp);
	j->d.pasid_priv = pasid; /* what ENQCMD puts there */
}

Test(hw_portal, dedicated_drops_beyond_size)
{
	for (unsigned int v = 0; v < 2; v++) {
		struct hw *h = hw_new(versions[v]);
		struct job j[10];

		hw_default(h); /* wq 0: dedicated, size 8 */
		for (unsigned int i = 0; i < 10; i++) {
			job_init(&j[i], 0, (char)i);
			/* A posted write never answers, even when dropped. */
			cr_expect_eq(hw_submit(h, 0, false, &j[i].d,
					       DSA_TWIN_MOVDIR64B), DSA_TWIN_ACCEPTED);
		}
		cr_expect_eq(dsa_twin_occupancy(h->t, 0), 8);
		cr_expect_eq(h->t->stats.dropped, 2);
		cr_expect_eq(dsa_twin_run(h->t, 100), 8);
		for (unsigned int i = 0; i < 10; i++)
			cr_expect_eq(j[i].comp.status, i < 8 ? DSA_COMP_SUCCESS : 0,
				     "job %u", i);
		/* No software error for a dropped write. */
		cr_expect_eq(hw_swerr(h, 0), 0);
		hw_free(h);
	}
}

Test(hw_portal, shared_limited_portal_retries_at_threshold)
{
	for (unsigned int v = 0; v < 2; v++) {
		struct hw *h = hw_new(versions[v]);
		struct job j[20];
		unsigned int ok = 0;

		hw_default(h); /* wq 1: shared, size 16, threshold 4 */
		for (unsigned int i = 0; i < 6; i++) {
			job_init(&j[i], HW_PASID_A, 1);
			if (hw_submit(h, 1, true, &j[i].d, DSA_TWIN_ENQCMD) ==
			    DSA_TWIN_ACCEPTED)
				ok++;
		}
		cr_expect_eq(ok, 4);
		cr_expect_eq(h->t->stats.retried, 2);
		/* The unlimited portal fills up to the size. */
		for (unsigned int i = 6; i < 20; i++) {
			job_init(&j[i], HW_PASID_A, 1);
			if (hw_submit(h, 1, false, &j[i].d, DSA_TWIN_ENQCMDS) ==
			    DSA_TWIN_ACCEPTED)
				ok++;
		}
		cr_expect_eq(ok, 16);
		/* Room again once the engines ran. */
		dsa_twin_run(h->t, 13);
		job_init(&j[0], HW_PASID_A, 1);
		cr_expect_eq(hw_submit(h, 1, true, &j[0].d, DSA_TWIN_ENQCMD),
			     DSA_TWIN_ACCEPTED);
		hw_free(h);
	}
}

Test(hw_portal, occupancy_in_wqcfg_on_dsa2)
{
	for (unsigned int v = 0; v < 2; v++) {
		struct hw *h = hw_new(versions[v]);
		struct job j;
		uint32_t off;

		hw_default(h);
		job_init(&j, HW_PASID_A, 1);
		hw_submit(h, 1, true, &j.d, DSA_TWIN_ENQCMD);
		hw_submit(h, 1, true, &j.d, DSA_TWIN_ENQCMD);
		off = h->wqcfg + h->wqcfg_size + 4 * DSA_WQCFG_DW_STATE;
		cr_expect_eq(DSA_FGET(dsa_twin_read32(h->t, off), DSA_WQCFG_OCCUPANCY),
			     v ? 2 : 0, "WQCAP.occupancy says whether it is reported");
		hw_free(h);
	}
}

Test(hw_portal, wrong_instruction_for_the_mode)
{
	struct hw *h = hw_new(DSA_TWIN_V1);
	struct job j;

	hw_default(h);
	job_init(&j, HW_PASID_A, 1);
	cr_expect_eq(hw_submit(h, 0, false, &j.d, DSA_TWIN_ENQCMD), DSA_TWIN_RETRY);
	cr_expect_eq(hw_submit(h, 1, false, &j.d, DSA_TWIN_MOVDIR64B),
		     DSA_TWIN_ACCEPTED);
	cr_expect_eq(dsa_twin_occupancy(h->t, 0), 0);
	cr_expect_eq(dsa_twin_occupancy(h->t, 1), 0);
	cr_expect_eq(h->t->stats.dropped, 1);
	hw_free(h);
}

Test(hw_portal, disabled_queue_and_bad_offsets)
{
	struct hw *h = hw_new(DSA_TWIN_V1);
	struct job j;

	hw_probe(h);
	job_init(&j, HW_PASID_A, 1);
	/* Device disabled. */
	cr_expect_eq(hw_submit(h, 1, true, &j.d, DSA_TWIN_ENQCMD), DSA_TWIN_RETRY);
	hw_default(h);
	/* Queue 3 is not enabled. */
	cr_expect_eq(hw_submit(h, 3, true, &j.d, DSA_TWIN_ENQCMD), DSA_TWIN_RETRY);
	/* IMS pages (no IMS), unaligned, past BAR2. */
	cr_expect_eq(dsa_twin_portal(h->t, dsa_portal_offset(1, 1, 1), &j.d,
				     DSA_TWIN_ENQCMD), DSA_TWIN_RETRY);
	cr_expect_eq(dsa_twin_portal(h->t, dsa_portal_offset(1, 1, 0) + 8, &j.d,
				     DSA_TWIN_ENQCMD), DSA_TWIN_RETRY);
	cr_expect_eq(dsa_twin_portal(h->t, DSA_TWIN_BAR2_SIZE, &j.d,
				     DSA_TWIN_ENQCMD), DSA_TWIN_RETRY);
	/* Any 64-byte slot of the portal page works (idxd rotates them). */
	cr_expect_eq(dsa_twin_portal(h->t, dsa_portal_offset(1, 1, 0) + 0xfc0, &j.d,
				     DSA_TWIN_ENQCMD), DSA_TWIN_ACCEPTED);
	cr_expect_eq(dsa_twin_occupancy(h->t, 1), 1);
	hw_free(h);
}

Test(hw_portal, shared_queue_pasid_from_enqcmd)
{
	struct hw *h = hw_new(DSA_TWIN_V2);
	struct job j;

	hw_default(h);
	job_init(&j, HW_PASID_B, 1);
	j.d.pasid_priv |= 1u << 31; /* ENQCMD clears priv */
	hw_submit(h, 1, true, &j.d, DSA_TWIN_ENQCMD);
	dsa_twin_run(h->t, 1);
	cr_expect_eq(h->last_pasid, HW_PASID_B);
	cr_expect_eq(h->t->stats.executed, 1);
	hw_free(h);
}

Test(hw_portal, drain_wq_waits_for_work_in_flight)
{
	for (unsigned int v = 0; v < 2; v++) {
		struct hw *h = hw_new(versions[v]);
		struct job j[3];

		hw_default(h);
		for (unsigned int i = 0; i < 3; i++) {
			job_init(&j[i], 0, 7);
			hw_submit(h, 0, false, &j[i].d, DSA_TWIN_MOVDIR64B);
		}
		cr_assert_eq(hw_cmd(h, DSA_CMD_DRAIN_WQ, dsa_cmd_wq_operand(0)), -1);
		cr_expect_eq(dsa_twin_run(h->t, 2), 2);
		cr_expect(dsa_twin_read32(h->t, DSA_REG_CMDSTS) & DSA_CMDSTS_ACTIVE_BIT);
		cr_expect_eq(dsa_twin_run(h->t, 2), 1);
		cr_expect_eq(dsa_twin_read32(h->t, DSA_REG_CMDSTS), 0);
		cr_expect(dsa_twin_read32(h->t, DSA_REG_INTCAUSE) & DSA_INTC_CMD);
		for (unsigned int i = 0; i < 3; i++)
			cr_expect_eq(j[i].comp.status, DSA_COMP_SUCCESS);
		hw_free(h);
	}
}

Test(hw_portal, drain_of_an_empty_queue_completes_at_once)
{
	struct hw *h = hw_new(DSA_TWIN_V1);

	hw_default(h);
	cr_expect_eq(hw_cmd(h, DSA_CMD_DRAIN_WQ, dsa_cmd_wq_operand(1)), 0);
	cr_expect_eq(hw_cmd(h, DSA_CMD_DRAIN_ALL, 0), 0);
	cr_expect_eq(hw_cmd(h, DSA_CMD_DRAIN_PASID, HW_PASID_A), 0);
	hw_free(h);
}

Test(hw_portal, abort_wq_discards_without_records)
{
	struct hw *h = hw_new(DSA_TWIN_V1);
	struct job j[3];

	hw_default(h);
	for (unsigned int i = 0; i < 3; i++) {
		job_init(&j[i], HW_PASID_A, 3);
		hw_submit(h, i ? 1 : 0, !!i, &j[i].d,
			  i ? DSA_TWIN_ENQCMD : DSA_TWIN_MOVDIR64B);
	}
	cr_expect_eq(hw_cmd(h, DSA_CMD_ABORT_WQ, dsa_cmd_wq_operand(1)), 0);
	cr_expect_eq(h->t->stats.aborted, 2);
	cr_expect_eq(dsa_twin_run(h->t, 8), 1);
	cr_expect_eq(j[0].comp.status, DSA_COMP_SUCCESS);
	cr_expect_eq(j[1].comp.status, 0);
	cr_expect_eq(j[2].comp.status, 0);
	cr_expect_eq(j[1].dst[0], 0);
	hw_free(h);
}

Test(hw_portal, drain_pasid_waits_only_for_that_pasid)
{
	struct hw *h = hw_new(DSA_TWIN_V2);
	struct job a, b;

	hw_default(h);
	job_init(&a, HW_PASID_A, 1);
	job_init(&b, HW_PASID_B, 2);
	/* Queue 0 is dedicated to A; B submits to the shared queue. */
	hw_submit(h, 0, false, &a.d, DSA_TWIN_MOVDIR64B);
	hw_submit(h, 1, true, &b.d, DSA_TWIN_ENQCMD);
	cr_assert_eq(hw_cmd(h, DSA_CMD_DRAIN_PASID, HW_PASID_B), -1);
	/* Round-robin: queue 0 first (A), then queue 1 (B). */
	dsa_twin_run(h->t, 1);
	cr_expect(dsa_twin_read32(h->t, DSA_REG_CMDSTS) & DSA_CMDSTS_ACTIVE_BIT);
	dsa_twin_run(h->t, 1);
	cr_expect_eq(dsa_twin_read32(h->t, DSA_REG_CMDSTS), 0);
	cr_expect_eq(b.comp.status, DSA_COMP_SUCCESS);
	hw_free(h);
}

Test(hw_portal, abort_pasid_spares_other_pasids)
{
	struct hw *h = hw_new(DSA_TWIN_V1);
	struct job a, b, c;

	hw_default(h);
	job_init(&a, HW_PASID_A, 1);
	job_init(&b, HW_PASID_B, 2);
	job_init(&c, HW_PASID_A, 3);
	hw_submit(h, 1, true, &a.d, DSA_TWIN_ENQCMD);
	hw_submit(h, 1, true, &b.d, DSA_TWIN_ENQCMD);
	hw_submit(h, 0, false, &c.d, DSA_TWIN_MOVDIR64B); /* WQCFG PASID A */
	cr_expect_eq(hw_cmd(h, DSA_CMD_ABORT_PASID, HW_PASID_A), 0);
	cr_expect_eq(h->t->stats.aborted, 2);
	cr_expect_eq(dsa_twin_run(h->t, 8), 1);
	cr_expect_eq(b.comp.status, DSA_COMP_SUCCESS);
	cr_expect_eq(a.comp.status, 0);
	cr_expect_eq(c.comp.status, 0);
	hw_free(h);
}

Test(hw_portal, abort_all_and_drain_all)
{
	struct hw *h = hw_new(DSA_TWIN_V2);
	struct job a, b;

	hw_default(h);
	job_init(&a, HW_PASID_A, 1);
	job_init(&b, HW_PASID_B, 2);
	hw_submit(h, 0, false, &a.d, DSA_TWIN_MOVDIR64B);
	hw_submit(h, 1, true, &b.d, DSA_TWIN_ENQCMD);
	cr_assert_eq(hw_cmd(h, DSA_CMD_DRAIN_ALL, 0), -1);
	dsa_twin_run(h->t, 8);
	cr_expect_eq(dsa_twin_read32(h->t, DSA_REG_CMDSTS), 0);
	hw_submit(h, 0, false, &a.d, DSA_TWIN_MOVDIR64B);
	hw_submit(h, 1, true, &b.d, DSA_TWIN_ENQCMD);
	cr_expect_eq(hw_cmd(h, DSA_CMD_ABORT_ALL, 0), 0);
	cr_expect_eq(h->t->stats.aborted, 2);
	cr_expect_eq(dsa_twin_occupancy(h->t, 0) + dsa_twin_occupancy(h->t, 1), 0);
	hw_free(h);
}

Test(hw_portal, disable_wq_finishes_work_and_refuses_new)
{
	struct hw *h = hw_new(DSA_TWIN_V1);
	struct job a, b;

	hw_default(h);
	job_init(&a, HW_PASID_A, 1);
	job_init(&b, HW_PASID_A, 2);
	hw_submit(h, 1, true, &a.d, DSA_TWIN_ENQCMD);
	cr_assert_eq(hw_cmd(h, DSA_CMD_DISABLE_WQ, dsa_cmd_wq_operand(1)), -1);
	cr_expect_eq(hw_submit(h, 1, true, &b.d, DSA_TWIN_ENQCMD), DSA_TWIN_RETRY);
	dsa_twin_run(h->t, 8);
	cr_expect_eq(dsa_twin_read32(h->t, DSA_REG_CMDSTS), 0);
	cr_expect_eq(a.comp.status, DSA_COMP_SUCCESS);
	cr_expect_eq(hw_submit(h, 1, true, &b.d, DSA_TWIN_ENQCMD), DSA_TWIN_RETRY);
	hw_free(h);
}

Test(hw_portal, disable_device_with_work_in_flight)
{
	struct hw *h = hw_new(DSA_TWIN_V2);
	struct job a;

	hw_default(h);
	job_init(&a, 0, 1);
	hw_submit(h, 0, false, &a.d, DSA_TWIN_MOVDIR64B);
	cr_assert_eq(hw_cmd(h, DSA_CMD_DISABLE_DEVICE, 0), -1);
	cr_expect_eq(DSA_FGET(dsa_twin_read32(h->t, DSA_REG_GENSTS),
			      DSA_GENSTS_STATE), DSA_DEV_ENABLED);
	dsa_twin_run(h->t, 8);
	cr_expect_eq(a.comp.status, DSA_COMP_SUCCESS);
	cr_expect_eq(DSA_FGET(dsa_twin_read32(h->t, DSA_REG_GENSTS),
			      DSA_GENSTS_STATE), DSA_DEV_DISABLED);
	hw_free(h);
}

Test(hw_portal, reset_wq_aborts_disables_and_clears)
{
	struct hw *h = hw_new(DSA_TWIN_V1);
	struct job a;

	hw_default(h);
	job_init(&a, 0, 1);
	hw_submit(h, 0, false, &a.d, DSA_TWIN_MOVDIR64B);
	cr_expect_eq(hw_cmd(h, DSA_CMD_RESET_WQ, dsa_cmd_wq_operand(0)), 0);
	cr_expect_eq(h->t->stats.aborted, 1);
	cr_expect_eq(dsa_twin_read32(h->t, h->wqcfg), 0);
	cr_expect_eq(hw_cmd(h, DSA_CMD_ENABLE_WQ, 0), DSA_CMDSTS_ERR_WQ_SIZE);
	/* Queue 1 untouched. */
	cr_expect_eq(hw_submit(h, 1, true, &a.d, DSA_TWIN_ENQCMD), DSA_TWIN_ACCEPTED);
	hw_free(h);
}

Test(hw_portal, swerr_on_unwritable_completion_record)
{
	for (unsigned int v = 0; v < 2; v++) {
		struct hw *h = hw_new(versions[v]);
		struct job a, b;
		uint64_t w0;

		hw_default(h);
		job_init(&a, HW_PASID_A, 1);
		job_init(&b, HW_PASID_A, 1);
		h->mem.hole_lo = (uintptr_t)&a.comp;
		h->mem.hole_hi = (uintptr_t)(&a.comp + 1);
		hw_submit(h, 1, true, &a.d, DSA_TWIN_ENQCMD);
		dsa_twin_run(h->t, 1);
		w0 = hw_swerr(h, 0);
		cr_expect_eq(DSA_FGET(w0, DSA_SWERR_VALID), 1);
		cr_expect_eq(DSA_FGET(w0, DSA_SWERR_OVERFLOW), 0);
		cr_expect_eq(DSA_FGET(w0, DSA_SWERR_WQ_IDX_VALID), 1);
		cr_expect_eq(DSA_FGET(w0, DSA_SWERR_WQ_IDX), 1);
		cr_expect_eq(DSA_FGET(w0, DSA_SWERR_ERROR), DSA_COMP_CRA_XLAT);
		cr_expect_eq(DSA_FGET(w0, DSA_SWERR_OPERATION), DSA_OP_MEMMOVE);
		cr_expect_eq(DSA_FGET(w0, DSA_SWERR_PASID), HW_PASID_A);
		cr_expect_eq(hw_swerr(h, 2), (uintptr_t)&a.comp);
		cr_expect(dsa_twin_read32(h->t, DSA_REG_INTCAUSE) & DSA_INTC_ERR);
		cr_expect_eq(h->irqs[0], 4, "3 commands + the error");
		/* A second error before the ack: overflow only. */
		h->mem.hole_lo = (uintptr_t)&b.comp;
		h->mem.hole_hi = (uintptr_t)(&b.comp + 1);
		hw_submit(h, 1, true, &b.d, DSA_TWIN_ENQCMD);
		dsa_twin_run(h->t, 1);
		cr_expect_eq(DSA_FGET(hw_swerr(h, 0), DSA_SWERR_OVERFLOW), 1);
		cr_expect_eq(hw_swerr(h, 2), (uintptr_t)&a.comp);
		/* Acknowledge as idxd does (IDXD_SWERR_ACK). */
		dsa_twin_write64(h->t, DSA_REG_SWERR, DSA_SWERR_ACK);
		cr_expect_eq(hw_swerr(h, 0) & DSA_SWERR_ACK, 0);
		/* The data moved anyway: only the record was lost. */
		cr_expect_eq(a.dst[5], 1);
		hw_free(h);
	}
}

Test(hw_portal, swerr_when_no_address_space_is_bound)
{
	struct hw *h = hw_new(DSA_TWIN_V1);
	struct job b;

	hw_default(h);
	h->bind_b = false;
	job_init(&b, HW_PASID_B, 1);
	hw_submit(h, 1, true, &b.d, DSA_TWIN_ENQCMD);
	dsa_twin_run(h->t, 1);
	cr_expect_eq(b.comp.status, 0);
	cr_expect_eq(b.dst[0], 0);
	cr_expect_eq(DSA_FGET(hw_swerr(h, 0), DSA_SWERR_VALID), 1);
	cr_expect_eq(DSA_FGET(hw_swerr(h, 0), DSA_SWERR_PASID), HW_PASID_B);
	hw_free(h);
}

Test(hw_portal, software_error_interrupt_masked)
{
	struct hw *h = hw_new(DSA_TWIN_V1);
	struct job a;

	hw_default(h);
	dsa_twin_write32(h->t, DSA_REG_GENCTRL, 0);
	job_init(&a, HW_PASID_A, 1);
	a.d.completion_addr += 8; /* misaligned record: CRA_ALIGN to SWERR */
	hw_submit(h, 1, true, &a.d, DSA_TWIN_ENQCMD);
	dsa_twin_run(h->t, 1);
	cr_expect_eq(DSA_FGET(hw_swerr(h, 0), DSA_SWERR_ERROR), DSA_COMP_CRA_ALIGN);
	cr_expect_eq(h->irqs[0], 3);
	cr_expect(dsa_twin_read32(h->t, DSA_REG_INTCAUSE) & DSA_INTC_ERR);
	hw_free(h);
}

/* An injected software error: the queue, the code, no descriptor; then
 * a halt on top of it (a fatal one) keeps it for the driver to read. */
Test(hw_portal, injected_swerr_and_halt)
{
	struct hw *h = hw_new(DSA_TWIN_V2);
	unsigned int before;
	uint64_t w0;

	hw_default(h);
	before = h->irqs[0];
	dsa_twin_inject_swerr(h->t, 1, 0x42);
	w0 = hw_swerr(h, 0);
	cr_expect_eq(DSA_FGET(w0, DSA_SWERR_VALID), 1);
	cr_expect_eq(DSA_FGET(w0, DSA_SWERR_DESC_VALID), 0);
	cr_expect_eq(DSA_FGET(w0, DSA_SWERR_WQ_IDX_VALID), 1);
	cr_expect_eq(DSA_FGET(w0, DSA_SWERR_WQ_IDX), 1);
	cr_expect_eq(DSA_FGET(w0, DSA_SWERR_ERROR), 0x42);
	cr_expect_eq(h->irqs[0], before + 1);
	cr_expect(dsa_twin_read32(h->t, DSA_REG_INTCAUSE) & DSA_INTC_ERR);
	dsa_twin_inject_swerr(h->t, 0, 0x43);
	cr_expect_eq(DSA_FGET(hw_swerr(h, 0), DSA_SWERR_OVERFLOW), 1);
	cr_expect_eq(DSA_FGET(hw_swerr(h, 0), DSA_SWERR_WQ_IDX), 1);
	dsa_twin_halt(h->t, DSA_RESET_SOFTWARE);
	cr_expect_eq(DSA_FGET(hw_swerr(h, 0), DSA_SWERR_ERROR), 0x42);
	cr_expect_eq(DSA_FGET(dsa_twin_read32(h->t, DSA_REG_GENSTS),
			      DSA_GENSTS_STATE), DSA_DEV_HALT);
	hw_free(h);
}

Test(hw_portal, completion_interrupt_on_its_vector)
{
	struct hw *h = hw_new(DSA_TWIN_V1);
	struct job a;

	hw_default(h);
	job_init(&a, HW_PASID_A, 1);
	a.d.op_flags |= DSA_FLAG_RCI;
	a.d.int_handle = 2;
	hw_submit(h, 1, true, &a.d, DSA_TWIN_ENQCMD);
	dsa_twin_run(h->t, 1);
	cr_expect_eq(a.comp.status, DSA_COMP_SUCCESS);
	cr_expect_eq(h->irqs[2], 1);
	cr_expect_eq(h->irqs[1], 0);
	hw_free(h);
}

Test(hw_portal, queue_transfer_limit_applies)
{
	struct hw *h = hw_new(DSA_TWIN_V1);
	const struct hw_wq q = { .id = 0, .dedicated = true, .size = 4, .prio = 1,
				 .xfer_shift = 6, .batch_shift = 10 };
	struct job a;

	hw_bring_up(h, &q, 1);
	job_init(&a, 0, 1); /* 128 bytes > 1 << 6 */
	hw_submit(h, 0, false, &a.d, DSA_TWIN_MOVDIR64B);
	dsa_twin_run(h->t, 1);
	cr_expect_eq(a.comp.status, DSA_COMP_XFER_ERANGE);
	cr_expect_eq(h->last_pasid_en, false, "no PASID in WQCFG");
	hw_free(h);
}

Test(hw_portal, op_config_narrows_operations_on_dsa2)
{
	struct hw *h = hw_new(DSA_TWIN_V2);
	const struct hw_wq q = { .id = 0, .dedicated = true, .size = 4, .prio = 1,
				 .xfer_shift = 31, .batch_shift = 10 };
	struct job a;

	hw_bring_up(h, &q, 1);
	/* Only NOOP allowed on queue 0: disable, rewrite, enable. */
	cr_assert_eq(hw_cmd(h, DSA_CMD_DISABLE_WQ, dsa_cmd_wq_operand(0)), 0);
	dsa_twin_write32(h->t, h->wqcfg + 4 * DSA_WQCFG_DW_OPCFG, 1);
	cr_assert_eq(hw_cmd(h, DSA_CMD_ENABLE_WQ, 0), 0);
	job_init(&a, 0, 1);
	hw_submit(h, 0, false, &a.d, DSA_TWIN_MOVDIR64B);
	dsa_twin_run(h->t, 1);
	cr_expect_eq(a.comp.status, DSA_COMP_BAD_OPCODE);
	hw_free(h);
}

Test(hw_portal, engines_serve_queues_round_robin)
{
	struct hw *h = hw_new(DSA_TWIN_V1);
	struct job a[3], b[3];

	hw_default(h);
	for (unsigned int i = 0; i < 3; i++) {
		job_init(&a[i], 0, 1);
		job_init(&b[i], HW_PASID_A, 2);
		hw_submit(h, 0, false, &a[i].d, DSA_TWIN_MOVDIR64B);
		hw_submit(h, 1, true, &b[i].d, DSA_TWIN_ENQCMD);
	}
	dsa_twin_run(h->t, 2);
	cr_expect_eq(a[0].comp.status, DSA_COMP_SUCCESS);
	cr_expect_eq(b[0].comp.status, DSA_COMP_SUCCESS);
	cr_expect_eq(a[1].comp.status, 0);
	hw_free(h);
}

Test(hw_portal, queue_in_group_without_engine_does_not_run)
{
	struct hw *h = hw_new(DSA_TWIN_V1);
	struct job a;

	hw_default(h);
	/* Not reachable through GRPCFG while enabled; the twin's state
	 * stands in for a device whose engine was taken away. */
	h->t->grpcfg[0][DSA_GRPCFG_ENGINES / 8] = 0;
	job_init(&a, 0, 1);
	hw_submit(h, 0, false, &a.d, DSA_TWIN_MOVDIR64B);
	cr_expect_eq(dsa_twin_run(h->t, 4), 0);
	cr_expect_eq(dsa_twin_occupancy(h->t, 0), 1);
	hw_free(h);
}
