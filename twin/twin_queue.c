// SPDX-License-Identifier: MIT
/*
 * The twin's queues and engines: portal writes, the dedicated and shared
 * admission rules, descriptors run through the model, software errors
 * and completion interrupts.
 */
#include "twin_internal.h"

#ifdef __KERNEL__
#include <linux/errno.h>
#else
#include <errno.h>
#endif

/* A PASID with no address space bound: every access fails translation. */
static size_t twin_nomem_read(struct model_mem *m, void *dst, uint64_t src,
			      size_t len, bool block, enum model_fault *fault)
{
	(void)m, (void)dst, (void)src, (void)len, (void)block;
	*fault = MODEL_FAULT_INVALID;
	return 0;
}

static size_t twin_nomem_write(struct model_mem *m, uint64_t dst,
			       const void *src, size_t len, bool block,
			       enum model_fault *fault)
{
	(void)m, (void)dst, (void)src, (void)len, (void)block;
	*fault = MODEL_FAULT_INVALID;
	return 0;
}

static int twin_nomem_comp(struct model_mem *m, uint64_t addr,
			   const struct dsa_comp *comp)
{
	(void)m, (void)addr, (void)comp;
	return -EFAULT;
}

static const struct model_mem_ops twin_nomem_ops = {
	.read = twin_nomem_read,
	.write = twin_nomem_write,
	.write_comp = twin_nomem_comp,
};
static struct model_mem twin_nomem = { .ops = &twin_nomem_ops };

/* Is a disable in progress for this queue?  Then it takes nothing new. */
static bool twin_wq_closing(const struct dsa_twin *t, unsigned int wq)
{
	const struct dsa_twin_pending *p = &t->pending;

	return p->active && (p->wq_mask & (1u << wq)) &&
	       (p->code == DSA_CMD_DISABLE_WQ ||
		p->code == DSA_CMD_DISABLE_DEVICE);
}

static int twin_refuse(struct dsa_twin *t, enum dsa_twin_submit how)
{
	/* A posted write has no answer: the device drops it.  ENQCMD and
	 * ENQCMDS report "retry" (ZF = 1). */
	if (how == DSA_TWIN_MOVDIR64B) {
		t->stats.dropped++;
		return DSA_TWIN_ACCEPTED;
	}
	t->stats.retried++;
	return DSA_TWIN_RETRY;
}

int dsa_twin_portal(struct dsa_twin *t, uint64_t off,
		    const struct dsa_desc *desc, enum dsa_twin_submit how)
{
	unsigned int id, page, limit;
	struct dsa_twin_wq *q;
	struct dsa_twin_entry *e;
	bool limited;

	/* Portal layout: idxd.h idxd_get_wq_portal_full_offset. */
	if (off >= DSA_TWIN_BAR2_SIZE || off % DSA_DESC_SIZE)
		return twin_refuse(t, how);
	id = (unsigned int)(off / (DSA_PORTAL_PAGES_PER_WQ * DSA_PORTAL_PAGE));
	page = (unsigned int)(off / DSA_PORTAL_PAGE % DSA_PORTAL_PAGES_PER_WQ);
	limited = page & 1;
	/* No IMS on the twin: its two portal pages take nothing. */
	if (page & 2 || id >= twin_num_wqs(t))
		return twin_refuse(t, how);
	q = &t->wq[id];
	if (twin_state(t) != DSA_DEV_ENABLED || !q->enabled ||
	    twin_wq_closing(t, id))
		return twin_refuse(t, how);
	if (twin_wq_dedicated(q)) {
		/* Dedicated: MOVDIR64B only (twin: an ENQCMD to it is
		 * refused); beyond the queue's size a write is silently
		 * dropped, since the submitter must count its own work. */
		if (how != DSA_TWIN_MOVDIR64B)
			return twin_refuse(t, how);
		limit = TWIN_WQ(q, DSA_WQCFG_DW_SIZE, DSA_WQCFG_WQ_SIZE);
	} else {
		/* Shared: ENQCMD/ENQCMDS only (twin: a MOVDIR64B to it is
		 * dropped).  The limited portal refuses once the queue
		 * holds its threshold, the unlimited one at its size. */
		if (how == DSA_TWIN_MOVDIR64B)
			return twin_refuse(t, how);
		limit = limited ? TWIN_WQ(q, DSA_WQCFG_DW_THRESH, DSA_WQCFG_THRESH) :
				  TWIN_WQ(q, DSA_WQCFG_DW_SIZE, DSA_WQCFG_WQ_SIZE);
	}
	if (q->count >= limit)
		return twin_refuse(t, how);

	e = &q->ring[(q->head + q->count) % DSA_TWIN_TOTAL_WQ_SIZE];
	memcpy(&e->desc, desc, sizeof(e->desc));
	if (twin_wq_dedicated(q)) {
		/* The queue's PASID, from WQCFG (device.c
		 * __idxd_wq_set_pasid_locked writes it there). */
		e->pasid_en = (uint8_t)TWIN_WQ(q, DSA_WQCFG_DW_MODE, DSA_WQCFG_PASID_EN);
		e->pasid = TWIN_WQ(q, DSA_WQCFG_DW_MODE, DSA_WQCFG_PASID);
		e->priv = (uint8_t)TWIN_WQ(q, DSA_WQCFG_DW_MODE, DSA_WQCFG_PRIV);
	} else {
		/* ENQCMD puts the PASID in bits 19:0 of the first dword
		 * with priv 0; ENQCMDS takes both from its source. */
		e->pasid_en = 1;
		e->pasid = desc->pasid_priv & 0xfffffu;
		e->priv = how == DSA_TWIN_ENQCMDS ? (uint8_t)(desc->pasid_priv >> 31) : 0;
	}
	q->count++;
	return DSA_TWIN_ACCEPTED;
}

static bool twin_entry_matches(const struct dsa_twin_entry *e, bool by_pasid,
			       uint32_t pasid)
{
	return !by_pasid || (e->pasid_en && e->pasid == pasid);
}

void twin_wq_abort(struct dsa_twin *t, unsigned int wq, bool by_pasid,
		   uint32_t pasid)
{
	struct dsa_twin_wq *q = &t->wq[wq];
	unsigned int i, kept = 0;

	for (i = 0; i < q->count; i++) {
		struct dsa_twin_entry *e =
			&q->ring[(q->head + i) % DSA_TWIN_TOTAL_WQ_SIZE];

		if (twin_entry_matches(e, by_pasid, pasid)) {
			t->stats.aborted++;
			continue;
		}
		if (kept != i)
			q->ring[(q->head + kept) % DSA_TWIN_TOTAL_WQ_SIZE] = *e;
		kept++;
	}
	q->count = (uint16_t)kept;
}

bool twin_work_pending(const struct dsa_twin *t, uint32_t wq_mask,
		       bool by_pasid, uint32_t pasid)
{
	unsigned int w, i;

	for (w = 0; w < DSA_TWIN_MAX_WQS; w++) {
		const struct dsa_twin_wq *q = &t->wq[w];

		if (!(wq_mask & (1u << w)))
			continue;
		for (i = 0; i < q->count; i++)
			if (twin_entry_matches(
				    &q->ring[(q->head + i) % DSA_TWIN_TOTAL_WQ_SIZE],
				    by_pasid, pasid))
				return true;
	}
	return false;
}

/* Record a software error (registers.h union sw_err_reg); a second one
 * before software acknowledges the first only sets overflow. */
static void twin_swerr(struct dsa_twin *t, unsigned int wq,
		       const struct dsa_twin_entry *e, uint8_t error,
		       uint64_t addr)
{
	if (DSA_FGET(t->swerr[0], DSA_SWERR_VALID)) {
		t->swerr[0] |= DSA_FPUT(DSA_SWERR_OVERFLOW, 1);
	} else {
		t->swerr[0] = DSA_FPUT(DSA_SWERR_VALID, 1) |
			      DSA_FPUT(DSA_SWERR_DESC_VALID, 1) |
			      DSA_FPUT(DSA_SWERR_WQ_IDX_VALID, 1) |
			      DSA_FPUT(DSA_SWERR_FAULT_RW, 1) |
			      DSA_FPUT(DSA_SWERR_PRIV, e->priv) |
			      DSA_FPUT(DSA_SWERR_ERROR, error) |
			      DSA_FPUT(DSA_SWERR_WQ_IDX, wq) |
			      DSA_FPUT(DSA_SWERR_OPERATION, dsa_desc_opcode(&e->desc)) |
			      DSA_FPUT(DSA_SWERR_PASID, e->pasid);
		t->swerr[1] = 0;
		t->swerr[2] = addr;
		t->swerr[3] = 0;
	}
	twin_raise(t, DSA_INTC_ERR,
		   DSA_FGET(t->genctrl, DSA_GENCTRL_SOFTERR_INT_EN) != 0);
}

void dsa_twin_inject_swerr(struct dsa_twin *t, unsigned int wq, uint8_t error)
{
	if (DSA_FGET(t->swerr[0], DSA_SWERR_VALID)) {
		t->swerr[0] |= DSA_FPUT(DSA_SWERR_OVERFLOW, 1);
	} else {
		t->swerr[0] = DSA_FPUT(DSA_SWERR_VALID, 1) |
			      DSA_FPUT(DSA_SWERR_WQ_IDX_VALID, 1) |
			      DSA_FPUT(DSA_SWERR_ERROR, error) |
			      DSA_FPUT(DSA_SWERR_WQ_IDX, wq);
		t->swerr[1] = t->swerr[2] = t->swerr[3] = 0;
	}
	twin_raise(t, DSA_INTC_ERR,
		   DSA_FGET(t->genctrl, DSA_GENCTRL_SOFTERR_INT_EN) != 0);
}

/* Operations this queue may run: OPCAP, narrowed by op_config (2.0). */
static uint64_t twin_wq_opcap(const struct dsa_twin *t,
			      const struct dsa_twin_wq *q)
{
	uint64_t ops = t->opcap[0];

	if (DSA_FGET(t->wqcap, DSA_WQCAP_OP_CONFIG))
		ops &= q->cfg[DSA_WQCFG_DW_OPCFG] |
		       (uint64_t)q->cfg[DSA_WQCFG_DW_OPCFG + 1] << 32;
	return ops;
}

static void twin_exec(struct dsa_twin *t, unsigned int wq,
		      const struct dsa_twin_entry *e)
{
	const struct dsa_twin_wq *q = &t->wq[wq];
	struct model_exec *x = &t->exec;
	struct model_mem *mem = NULL;
	uint32_t xs = TWIN_WQ(q, DSA_WQCFG_DW_LIMITS, DSA_WQCFG_MAX_XFER_SHIFT);
	uint32_t bs = TWIN_WQ(q, DSA_WQCFG_DW_LIMITS, DSA_WQCFG_MAX_BATCH_SHIFT);
	uint32_t flags = dsa_desc_flags(&e->desc);

	if (t->host && t->host->pasid_mem)
		mem = t->host->pasid_mem(t->host_ctx, e->pasid, e->pasid_en,
					 e->priv);
	x->mem = mem ? mem : &twin_nomem;
	/* The queue's limits (WQCFG max_xfer_shift, max_batch_shift). */
	x->caps.op_cap = twin_wq_opcap(t, q);
	x->caps.max_xfer = xs >= 31 ? 1u << 31 : 1u << xs;
	x->caps.max_batch = 1u << bs;
	x->swerr_valid = 0;
	if (t->host && t->host->exec)
		t->host->exec(t->host_ctx, x, &e->desc);
	else
		model_exec_desc(x, &e->desc);
	t->stats.executed++;
	if (x->swerr_valid)
		twin_swerr(t, wq, e, x->swerr_status, x->swerr_addr);
	/* Completion interrupt through the descriptor's interrupt handle
	 * (the MSI-X index; idxd's ie->int_handle = ie->id). */
	if (flags & DSA_FLAG_RCI && e->desc.int_handle < DSA_TWIN_MSIX_VECTORS &&
	    t->host && t->host->irq)
		t->host->irq(t->host_ctx, e->desc.int_handle);
}

/* A queue the engines serve: enabled, and in a group that has engines. */
static bool twin_wq_served(const struct dsa_twin *t, unsigned int wq)
{
	int g = twin_wq_group(t, wq);

	return t->wq[wq].enabled && t->wq[wq].count && g >= 0 &&
	       t->grpcfg[g][DSA_GRPCFG_ENGINES / 8] != 0;
}

unsigned int dsa_twin_run(struct dsa_twin *t, unsigned int budget)
{
	unsigned int ran = 0, n = twin_num_wqs(t), looked;

	while (ran < budget && twin_state(t) == DSA_DEV_ENABLED) {
		struct dsa_twin_entry e;
		struct dsa_twin_wq *q;
		unsigned int id = 0;

		/* Round-robin over the queues (priorities not modelled). */
		for (looked = 0; looked < n; looked++) {
			id = (t->next_wq + looked) % n;
			if (twin_wq_served(t, id))
				break;
		}
		if (looked == n)
			break;
		t->next_wq = (id + 1) % n;
		q = &t->wq[id];
		e = q->ring[q->head];
		q->head = (uint16_t)((q->head + 1) % DSA_TWIN_TOTAL_WQ_SIZE);
		q->count--;
		twin_exec(t, id, &e);
		ran++;
	}
	twin_cmd_progress(t);
	return ran;
}
