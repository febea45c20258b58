// SPDX-License-Identifier: MIT
/*
 * Running a guest descriptor (the twin's exec hook).
 *
 * Two ways, one contract (model_exec_desc's): the guest sees the record a
 * DSA would write.
 *  - Host path: no-op, memmove and fill (the bulk of a guest's traffic)
 *    are rewritten for the host libaccel queue.  Every guest address is
 *    translated through the DMA regions; a buffer that crosses regions
 *    becomes several host descriptors, one per piece, and the guest gets
 *    one record.  The first untranslatable byte ends the descriptor with
 *    the page-fault status, the fault address (a guest address) and the
 *    bytes done before it, as a device whose IOMMU has no mapping there.
 *  - Model path: every other operation (batches, compare, CRC, delta,
 *    dualcast, DIF) and every descriptor the model must judge (invalid
 *    fields, overlapping buffers) runs in the in-process model, whose
 *    every memory access goes through the same translation (vfu_dma.c).
 * docs/vfio-user.md argues the split.
 */
#include "vfu_internal.h"

#include <errno.h>

static bool vfu_overlap(uint64_t a, uint64_t b, uint64_t n)
{
	return a < b + n && b < a + n;
}

static bool vfu_host_eligible(const struct model_exec *x,
			      const struct dsa_desc *desc)
{
	uint32_t flags = dsa_desc_flags(desc), inval;

	switch (dsa_desc_opcode(desc)) {
	case DSA_OP_NOOP:
		break;
	case DSA_OP_MEMMOVE:
		/* The model knows the direction rules of an overlap. */
		if (vfu_overlap(desc->src, desc->dst, desc->size))
			return false;
		break;
	case DSA_OP_FILL:
		if (flags & DSA_FLAG_FILL_PATTERN16)
			return false;
		break;
	default:
		return false;
	}
	if ((flags & DSA_FLAG_CRAV) && desc->completion_addr % DSA_COMP_ALIGN)
		return false;
	return model_validate(&x->caps, desc, &inval) == DSA_COMP_SUCCESS;
}

static void vfu_fault(struct dsa_comp *c, const struct dsa_desc *desc,
		      bool write, uint64_t addr, uint64_t done)
{
	/* As the model words it (model_exec.c model_fault): no mapping at
	 * all is an invalid response when the descriptor blocks on faults. */
	uint8_t st = dsa_desc_flags(desc) & DSA_FLAG_BOF ?
			     DSA_COMP_PAGE_FAULT_IR :
			     DSA_COMP_PAGE_FAULT_NOBOF;

	c->status = st | (write ? DSA_COMP_STATUS_WRITE : 0);
	c->fault_addr = addr;
	c->bytes_completed = (uint32_t)done;
}

/* One host descriptor, waited for. */
static int vfu_host_op(struct vfu_dsa *d, struct accel_op *op,
		       struct dsa_comp *c, uint64_t done)
{
	int rc = accel_submit(d->hostq, op);

	while (rc == -EAGAIN)
		rc = accel_submit(d->hostq, op);
	if (!rc)
		rc = accel_wait(d->hostq, op, ACCEL_WAIT_PAUSE);
	d->stats.host_descs++;
	if (rc) {
		/* The host queue failed on memory the guest may use: a
		 * device error for the guest, never the host's details. */
		c->status = DSA_COMP_HW_ERR1;
		c->bytes_completed = (uint32_t)done;
	}
	return rc;
}

static uint64_t vfu_rotr(uint64_t v, unsigned int bits)
{
	return bits ? v >> bits | v << (64 - bits) : v;
}

static void vfu_host_memmove(struct vfu_dsa *d, const struct dsa_desc *desc,
			     struct dsa_comp *c)
{
	uint32_t cc = dsa_desc_flags(desc) & DSA_FLAG_CC;
	uint64_t done = 0, n = desc->size;
	struct accel_op op;

	while (done < n) {
		uint64_t ns, nd;
		void *s = vfu_dma_xlat(d, desc->src + done, n - done, false, &ns);
		void *t = vfu_dma_xlat(d, desc->dst + done, n - done, true, &nd);

		if (!s)
			return vfu_fault(c, desc, false, desc->src + done, done);
		if (!t)
			return vfu_fault(c, desc, true, desc->dst + done, done);
		if (nd < ns)
			ns = nd;
		accel_prep_memmove(&op, t, s, (size_t)ns, cc);
		if (vfu_host_op(d, &op, c, done))
			return;
		done += ns;
	}
}

static void vfu_host_fill(struct vfu_dsa *d, const struct dsa_desc *desc,
			  struct dsa_comp *c)
{
	uint32_t cc = dsa_desc_flags(desc) & DSA_FLAG_CC;
	uint64_t done = 0, n = desc->size;
	struct accel_op op;

	while (done < n) {
		uint64_t nd;
		void *t = vfu_dma_xlat(d, desc->dst + done, n - done, true, &nd);

		if (!t)
			return vfu_fault(c, desc, true, desc->dst + done, done);
		/* Byte k of the fill is pattern byte k % 8: a piece that
		 * starts mid-pattern starts with the pattern rotated. */
		accel_prep_fill(&op, t, vfu_rotr(desc->src, 8 * (done % 8)),
				(size_t)nd, cc);
		if (vfu_host_op(d, &op, c, done))
			return;
		done += nd;
	}
}

static void vfu_host_run(struct vfu_dsa *d, struct model_exec *x,
			 const struct dsa_desc *desc)
{
	uint32_t flags = dsa_desc_flags(desc);
	struct dsa_comp c;
	struct accel_op op;

	memset(&c, 0, sizeof(c));
	c.status = DSA_COMP_SUCCESS;
	switch (dsa_desc_opcode(desc)) {
	case DSA_OP_NOOP:
		accel_prep_noop(&op);
		vfu_host_op(d, &op, &c, 0);
		break;
	case DSA_OP_MEMMOVE:
		vfu_host_memmove(d, desc, &c);
		break;
	case DSA_OP_FILL:
		vfu_host_fill(d, desc, &c);
		break;
	}
	if ((c.status & DSA_COMP_STATUS_MASK) != DSA_COMP_SUCCESS)
		d->stats.faults++;
	/* Delivery as model_exec.c complete(): a record only with CRAV, and
	 * on success only with RCR. */
	if (!(flags & DSA_FLAG_CRAV) ||
	    (c.status == DSA_COMP_SUCCESS && !(flags & DSA_FLAG_RCR)))
		return;
	if (x->mem->ops->write_comp(x->mem, desc->completion_addr, &c)) {
		x->swerr_addr = desc->completion_addr;
		x->swerr_status = DSA_COMP_CRA_XLAT;
		x->swerr_valid = 1;
	}
}

void vfu_exec(void *ctx, struct model_exec *x, const struct dsa_desc *desc)
{
	struct vfu_dsa *d = ctx;
	uint8_t st;

	d->stats.descs++;
	/* The twin hands the guest's memory here (vfu_device.c pasid_mem). */
	if (d->hostq && x->mem == &d->mem && vfu_host_eligible(x, desc)) {
		vfu_host_run(d, x, desc);
		return;
	}
	d->stats.model_descs++;
	st = model_exec_desc(x, desc);
	st &= DSA_COMP_STATUS_MASK;
	if (st == DSA_COMP_PAGE_FAULT_NOBOF || st == DSA_COMP_PAGE_FAULT_IR ||
	    st == DSA_COMP_BATCH_PAGE_FAULT)
		d->stats.faults++;
}
