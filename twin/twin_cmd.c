// SPDX-License-Identifier: MIT
/*
 * The twin's command protocol: a write to CMD starts a command, CMDSTS
 * says active until it is done and then carries its error code and
 * result; with int_req set, completion sets INTCAUSE.CMD and raises
 * vector 0 (registers.h union idxd_command_reg, union cmdsts_reg, the
 * idxd_cmd and idxd_cmdsts_err enums; device.c idxd_cmd_exec and
 * idxd_misc_thread's use of them).
 *
 * Where registers.h names an error code but not the rule that produces
 * it, the rule below is the twin's reading and says so ("twin:").
 */
#include "twin_internal.h"

static void twin_cmd_finish(struct dsa_twin *t, uint8_t err, uint16_t result,
			    bool int_req)
{
	t->pending.active = 0;
	t->cmdsts = (uint32_t)(DSA_FPUT(DSA_CMDSTS_ERR, err) |
			       DSA_FPUT(DSA_CMDSTS_RESULT, result));
	/* twin: the cause bit and the interrupt only when requested; idxd's
	 * polled commands (init reset, release handle) pass int_req 0. */
	if (int_req)
		twin_raise(t, DSA_INTC_CMD, true);
}

static void twin_abort_all(struct dsa_twin *t)
{
	unsigned int i;

	for (i = 0; i < DSA_TWIN_MAX_WQS; i++)
		twin_wq_abort(t, i, false, 0);
}

static uint8_t twin_check_groups(const struct dsa_twin *t)
{
	uint64_t wq_seen[4] = { 0 }, eng_seen = 0;
	unsigned int g, w, rdbufs = 0;

	for (g = 0; g < twin_num_groups(t); g++) {
		const uint64_t *c = t->grpcfg[g];
		uint64_t engines = c[DSA_GRPCFG_ENGINES / 8];
		bool has_wq = false;

		/* twin: an engine in two groups is GRP_CONFIG3. */
		if (engines & eng_seen)
			return DSA_CMDSTS_ERR_GRP_CONFIG3;
		eng_seen |= engines;
		for (w = 0; w < 4; w++) {
			/* twin: a queue in two groups is GRP_CONFIG2. */
			if (c[w] & wq_seen[w])
				return DSA_CMDSTS_ERR_GRP_CONFIG2;
			wq_seen[w] |= c[w];
			has_wq |= c[w] != 0;
		}
		/* twin: a group with queues but no engine could never run
		 * them: GRP_CONFIG. */
		if (has_wq && !engines)
			return DSA_CMDSTS_ERR_GRP_CONFIG;
		rdbufs += (unsigned int)DSA_FGET(c[DSA_GRPCFG_FLAGS / 8],
						 DSA_GRPFLG_RDBUFS_RESERVED);
	}
	/* twin: reserved read buffers beyond GRPCAP.total_rdbufs: GRP_CONFIG4. */
	if (rdbufs > DSA_FGET(t->grpcap, DSA_GRPCAP_TOTAL_RDBUFS))
		return DSA_CMDSTS_ERR_GRP_CONFIG4;
	return DSA_CMDSTS_SUCCESS;
}

static unsigned int twin_total_size(const struct dsa_twin *t)
{
	unsigned int i, sum = 0;

	for (i = 0; i < twin_num_wqs(t); i++)
		sum += TWIN_WQ(&t->wq[i], DSA_WQCFG_DW_SIZE, DSA_WQCFG_WQ_SIZE);
	return sum;
}

static uint8_t twin_enable_device(struct dsa_twin *t)
{
	unsigned int i;
	uint8_t err;

	if (twin_state(t) == DSA_DEV_ENABLED)
		return DSA_CMDSTS_ERR_DEV_ENABLED;
	/* A function that may not master the bus cannot fetch or write. */
	if (!t->bus_master)
		return DSA_CMDSTS_ERR_BUSMASTER_EN;
	err = twin_check_groups(t);
	if (err)
		return err;
	/* The queues share WQCAP.total_wq_size entries. */
	if (twin_total_size(t) > DSA_FGET(t->wqcap, DSA_WQCAP_TOTAL_SIZE))
		return DSA_CMDSTS_ERR_WQ_SIZE_ERANGE;
	/* twin: a sized queue that no group lists is a group error (idxd
	 * never writes WQCFG of a queue without a group, device.c
	 * idxd_wq_config_write). */
	for (i = 0; i < twin_num_wqs(t); i++)
		if (TWIN_WQ(&t->wq[i], DSA_WQCFG_DW_SIZE, DSA_WQCFG_WQ_SIZE) &&
		    twin_wq_group(t, i) < 0)
			return DSA_CMDSTS_ERR_GRP_CONFIG;
	t->gensts = (uint32_t)DSA_FPUT(DSA_GENSTS_STATE, DSA_DEV_ENABLED);
	return DSA_CMDSTS_SUCCESS;
}

static uint8_t twin_enable_wq(struct dsa_twin *t, uint32_t id)
{
	struct dsa_twin_wq *q;
	uint32_t size, thresh;

	if (id >= twin_num_wqs(t))
		return DSA_CMDSTS_INVAL_WQIDX;
	if (twin_state(t) != DSA_DEV_ENABLED)
		return DSA_CMDSTS_ERR_DEV_NOTEN;
	q = &t->wq[id];
	if (q->enabled)
		return DSA_CMDSTS_ERR_WQ_ENABLED;
	size = TWIN_WQ(q, DSA_WQCFG_DW_SIZE, DSA_WQCFG_WQ_SIZE);
	thresh = TWIN_WQ(q, DSA_WQCFG_DW_THRESH, DSA_WQCFG_THRESH);
	/* An empty queue, or sizes summing beyond WQCAP (WQCFG may have
	 * changed since Enable Device). */
	if (!size || twin_total_size(t) > DSA_FGET(t->wqcap, DSA_WQCAP_TOTAL_SIZE))
		return DSA_CMDSTS_ERR_WQ_SIZE;
	/* twin: the threshold is a count of the queue's entries. */
	if (!twin_wq_dedicated(q) && thresh > size)
		return DSA_CMDSTS_ERR_WQ_SIZE;
	/* twin: no group, no engine to serve it (generic config error). */
	if (twin_wq_group(t, id) < 0)
		return DSA_CMDSTS_ERR_CONFIG;
	/* twin: priority 0 is reserved, 1-15 valid (accel-config's range). */
	if (!TWIN_WQ(q, DSA_WQCFG_DW_MODE, DSA_WQCFG_PRIORITY))
		return DSA_CMDSTS_ERR_WQ_PRIOR;
	if (twin_wq_dedicated(q) ?
		    !DSA_FGET(t->wqcap, DSA_WQCAP_DEDICATED_MODE) :
		    !DSA_FGET(t->wqcap, DSA_WQCAP_SHARED_MODE))
		return DSA_CMDSTS_ERR_WQ_MODE;
	if (TWIN_WQ(q, DSA_WQCFG_DW_MODE, DSA_WQCFG_BOF) &&
	    !DSA_FGET(t->gencap, DSA_GENCAP_BOF))
		return DSA_CMDSTS_ERR_BOF_EN;
	/* twin: a shared queue takes each descriptor's PASID from ENQCMD,
	 * so it needs PASID enabled. */
	if (!twin_wq_dedicated(q) &&
	    !TWIN_WQ(q, DSA_WQCFG_DW_MODE, DSA_WQCFG_PASID_EN))
		return DSA_CMDSTS_ERR_PASID_EN;
	/* A queue's limits cannot exceed the device's (GENCAP). */
	if (TWIN_WQ(q, DSA_WQCFG_DW_LIMITS, DSA_WQCFG_MAX_BATCH_SHIFT) >
	    DSA_FGET(t->gencap, DSA_GENCAP_MAX_BATCH_SHIFT))
		return DSA_CMDSTS_ERR_MAX_BATCH_SIZE;
	if (TWIN_WQ(q, DSA_WQCFG_DW_LIMITS, DSA_WQCFG_MAX_XFER_SHIFT) >
	    DSA_FGET(t->gencap, DSA_GENCAP_MAX_XFER_SHIFT))
		return DSA_CMDSTS_ERR_MAX_XFER_SIZE;
	q->enabled = 1;
	return DSA_CMDSTS_SUCCESS;
}

/* Queue bitmap of a DISABLE/DRAIN/ABORT/RESET_WQ operand, or -1. */
static int twin_wq_mask(const struct dsa_twin *t, uint32_t operand,
			uint32_t *mask)
{
	uint32_t block = operand >> 16, bits = operand & 0xffff;
	unsigned int n = twin_num_wqs(t);

	*mask = 0;
	/* A block past the last queue names none (and must not reach the
	 * shift below, whose count would wrap: found by fuzz-vfio-user). */
	if (block * 16 >= n)
		return bits ? -1 : 0;
	if (block * 16 + 16 > n && (bits >> (n - block * 16)))
		return -1;
	*mask = bits << (block * 16);
	return 0;
}

/* Start a command that completes once matching work has drained. */
static void twin_cmd_wait(struct dsa_twin *t, uint8_t code, bool int_req,
			  uint32_t wq_mask, bool by_pasid, uint32_t pasid)
{
	t->pending.active = 1;
	t->pending.code = code;
	t->pending.int_req = int_req;
	t->pending.wq_mask = wq_mask;
	t->pending.by_pasid = by_pasid;
	t->pending.pasid = pasid;
	t->cmdsts = DSA_CMDSTS_ACTIVE_BIT;
	twin_cmd_progress(t);
}

/* Finish a waiting command when its work is gone. */
void twin_cmd_progress(struct dsa_twin *t)
{
	struct dsa_twin_pending *p = &t->pending;
	unsigned int i;

	if (!p->active ||
	    twin_work_pending(t, p->wq_mask, p->by_pasid, p->pasid))
		return;
	if (p->code == DSA_CMD_DISABLE_WQ || p->code == DSA_CMD_DISABLE_DEVICE)
		for (i = 0; i < DSA_TWIN_MAX_WQS; i++)
			if (p->wq_mask & (1u << i))
				t->wq[i].enabled = 0;
	if (p->code == DSA_CMD_DISABLE_DEVICE)
		t->gensts = (uint32_t)DSA_FPUT(DSA_GENSTS_STATE, DSA_DEV_DISABLED);
	twin_cmd_finish(t, DSA_CMDSTS_SUCCESS, 0, p->int_req);
}

static void twin_reset_device(struct dsa_twin *t)
{
	unsigned int i;

	twin_abort_all(t);
	for (i = 0; i < DSA_TWIN_MAX_WQS; i++)
		t->wq[i].enabled = 0;
	twin_reset_config(t);
	memset(t->swerr, 0, sizeof(t->swerr));
	t->gensts = (uint32_t)DSA_FPUT(DSA_GENSTS_STATE, DSA_DEV_DISABLED);
	t->next_wq = 0;
}

static uint8_t twin_int_handle(struct dsa_twin *t, uint32_t code,
			       uint32_t operand, uint16_t *result)
{
	uint32_t idx = operand & 0xffff;

	/* No IMS on the twin (offsets table ims = 0). */
	if (operand & DSA_CMD_INT_HANDLE_IMS || idx >= DSA_TWIN_MSIX_VECTORS)
		return DSA_CMDSTS_ERR_INVAL_INT_IDX;
	if (code == DSA_CMD_REQUEST_INT_HANDLE) {
		/* twin: one handle per vector, equal to its index. */
		if (t->int_handles & (1u << idx))
			return DSA_CMDSTS_ERR_NO_HANDLE;
		t->int_handles |= 1u << idx;
		*result = (uint16_t)idx;
		return DSA_CMDSTS_SUCCESS;
	}
	if (!(t->int_handles & (1u << idx)))
		return DSA_CMDSTS_ERR_INVAL_INT_IDX;
	t->int_handles &= ~(1u << idx);
	return DSA_CMDSTS_SUCCESS;
}

void twin_cmd_write(struct dsa_twin *t, uint32_t val)
{
	uint32_t code = (uint32_t)DSA_FGET(val, DSA_CMD_CODE);
	uint32_t operand = (uint32_t)DSA_FGET(val, DSA_CMD_OPERAND);
	bool int_req = DSA_FGET(val, DSA_CMD_INT_REQ) != 0;
	uint32_t all = (1u << twin_num_wqs(t)) - 1, mask;
	uint16_t result = 0;
	uint8_t err = DSA_CMDSTS_SUCCESS;

	/* twin: a command written while one is active is ignored; software
	 * must wait (idxd serialises on IDXD_FLAG_CMD_RUNNING). */
	if (t->cmdsts & DSA_CMDSTS_ACTIVE_BIT)
		return;
	if (code == 0 || code > 31 || !(t->cmdcap & (1u << code))) {
		twin_cmd_finish(t, DSA_CMDSTS_INVAL_CMD, 0, int_req);
		return;
	}
	/* In HALT only a Reset Device of a software-resettable halt is
	 * carried out (GENSTS.reset_type); idxd itself sends nothing to a
	 * halted device (idxd_cmd_exec answers IDXD_CMDSTS_HW_ERR). */
	if (twin_state(t) == DSA_DEV_HALT &&
	    (code != DSA_CMD_RESET_DEVICE ||
	     DSA_FGET(t->gensts, DSA_GENSTS_RESET_TYPE) != DSA_RESET_SOFTWARE)) {
		twin_cmd_finish(t, DSA_CMDSTS_HW_ERR, 0, int_req);
		return;
	}
	switch (code) {
	case DSA_CMD_ENABLE_DEVICE:
		err = twin_enable_device(t);
		break;
	case DSA_CMD_DISABLE_DEVICE:
		if (twin_state(t) != DSA_DEV_ENABLED) {
			err = DSA_CMDSTS_ERR_DIS_DEV_EN;
			break;
		}
		/* Outstanding work completes first. */
		twin_cmd_wait(t, (uint8_t)code, int_req, all, false, 0);
		return;
	case DSA_CMD_RESET_DEVICE:
		twin_reset_device(t);
		break;
	case DSA_CMD_ENABLE_WQ:
		err = twin_enable_wq(t, operand);
		break;
	case DSA_CMD_DRAIN_ALL:
	case DSA_CMD_ABORT_ALL:
	case DSA_CMD_DRAIN_PASID:
	case DSA_CMD_ABORT_PASID:
	case DSA_CMD_DISABLE_WQ:
	case DSA_CMD_DRAIN_WQ:
	case DSA_CMD_ABORT_WQ:
	case DSA_CMD_RESET_WQ: {
		bool by_pasid = code == DSA_CMD_DRAIN_PASID ||
				code == DSA_CMD_ABORT_PASID;
		bool per_wq = code >= DSA_CMD_DISABLE_WQ &&
			      code <= DSA_CMD_RESET_WQ;
		unsigned int i;

		/* DEV_NOT_EN is registers.h's code for the per-queue
		 * commands; twin: the same for the device-wide ones. */
		if (twin_state(t) != DSA_DEV_ENABLED) {
			err = DSA_CMDSTS_ERR_DEV_NOT_EN;
			break;
		}
		mask = all;
		if (per_wq && twin_wq_mask(t, operand, &mask) < 0) {
			err = DSA_CMDSTS_INVAL_WQIDX;
			break;
		}
		if (code == DSA_CMD_DRAIN_ALL || code == DSA_CMD_DRAIN_PASID ||
		    code == DSA_CMD_DISABLE_WQ || code == DSA_CMD_DRAIN_WQ) {
			twin_cmd_wait(t, (uint8_t)code, int_req, mask, by_pasid,
				      operand);
			return;
		}
		/* Aborts discard queued work: no completion records. */
		for (i = 0; i < DSA_TWIN_MAX_WQS; i++)
			if (mask & (1u << i))
				twin_wq_abort(t, i, by_pasid, operand);
		/* twin: Reset WQ also disables the queue and returns its
		 * WQCFG to reset values (idxd_wq_reset clears its copy). */
		if (code == DSA_CMD_RESET_WQ)
			for (i = 0; i < DSA_TWIN_MAX_WQS; i++)
				if (mask & (1u << i)) {
					t->wq[i].enabled = 0;
					memset(t->wq[i].cfg, 0,
					       sizeof(t->wq[i].cfg));
				}
		break;
	}
	case DSA_CMD_REQUEST_INT_HANDLE:
	case DSA_CMD_RELEASE_INT_HANDLE:
		err = twin_int_handle(t, code, operand, &result);
		break;
	}
	twin_cmd_finish(t, err, result, int_req);
}

void dsa_twin_halt(struct dsa_twin *t, enum dsa_reset_type reset_type)
{
	unsigned int i;

	/* Work in a halted device is lost; CMDSTS of an active command
	 * reports a hardware error. */
	for (i = 0; i < DSA_TWIN_MAX_WQS; i++) {
		twin_wq_abort(t, i, false, 0);
		t->wq[i].enabled = 0;
	}
	t->gensts = (uint32_t)(DSA_FPUT(DSA_GENSTS_STATE, DSA_DEV_HALT) |
			       DSA_FPUT(DSA_GENSTS_RESET_TYPE, reset_type));
	if (t->pending.active)
		twin_cmd_finish(t, DSA_CMDSTS_HW_ERR, 0, t->pending.int_req);
	/* INTCAUSE.HALT_STATE with GENCTRL.halt_int_en (registers.h). */
	twin_raise(t, DSA_INTC_HALT_STATE,
		   DSA_FGET(t->genctrl, DSA_GENCTRL_HALT_INT_EN) != 0);
}
