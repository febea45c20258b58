// SPDX-License-Identifier: MIT
/*
 * Running a guest descriptor (the twin's exec hook).
 *
 * Two ways, one contract (model_exec_desc's): the guest sees the record a
 * DSA would write.
 *  - Host path: the operations over plain buffers (no-op, memmove, fill,
 *    compare, compare-pattern, CRC, copy-CRC, dualcast, cache flush) are
 *    rewritten for the host libaccel queue.  Every guest buffer is
 *    translated through the DMA regions; where any of them crosses a
 *    region boundary the descriptor becomes several host descriptors,
 *    one per piece, chained as libaccel resumes a faulted descriptor
 *    (complete.c resume_desc: the CRC of one piece seeds the next, a
 *    compare stops at the first piece that differs), and the guest gets
 *    one record.  The first untranslatable byte ends the descriptor with
 *    the page-fault status, the fault address (a guest address) and the
 *    bytes done before it, as a device whose IOMMU has no mapping there.
 *  - Batches: the list is read through the regions and each member
 *    takes the path it would take alone (model_exec.c run_batch's rules
 *    for fences, nesting and the batch's record).
 *  - Model path: delta records, DIF, 16-byte fills, and every descriptor
 *    the model must judge (invalid fields, overlapping buffers, a CRC
 *    seed in memory, a checked result) run in the in-process model, whose
 *    every memory access goes through the same translation (vfu_dma.c).
 * docs/vfio-user.md argues the split.
 */
#include "vfu_internal.h"

#include <errno.h>

static bool vfu_overlap(uint64_t a, uint64_t b, uint64_t n)
{
	return a < b + n && b < a + n;
}

/* The guest buffers of a descriptor, in the order the device reads them. */
struct vfu_bufs {
	uint64_t addr[3];
	bool write[3];
	unsigned int n;
};

static void vfu_desc_bufs(const struct dsa_desc *d, struct vfu_bufs *b)
{
	b->n = 0;
	switch (dsa_desc_opcode(d)) {
	case DSA_OP_MEMMOVE:
	case DSA_OP_COPY_CRC:
		b->addr[0] = d->src, b->write[0] = false;
		b->addr[1] = d->dst, b->write[1] = true;
		b->n = 2;
		break;
	case DSA_OP_FILL:
		b->addr[0] = d->dst, b->write[0] = true;
		b->n = 1;
		break;
	case DSA_OP_COMPARE:
		b->addr[0] = d->src, b->write[0] = false;
		b->addr[1] = d->dst, b->write[1] = false;
		b->n = 2;
		break;
	case DSA_OP_COMPVAL:
	case DSA_OP_CRCGEN:
		b->addr[0] = d->src, b->write[0] = false;
		b->n = 1;
		break;
	case DSA_OP_DUALCAST:
		b->addr[0] = d->src, b->write[0] = false;
		b->addr[1] = d->dst, b->write[1] = true;
		b->addr[2] = d->dcast.dst2, b->write[2] = true;
		b->n = 3;
		break;
	case DSA_OP_CFLUSH:
		b->addr[0] = d->dst, b->write[0] = false;
		b->n = 1;
		break;
	}
}

static bool vfu_host_eligible(const struct vfu_dsa *d,
			      const struct model_exec *x,
			      const struct dsa_desc *desc)
{
	uint32_t flags = dsa_desc_flags(desc), inval;

	/* An operation the host queue lacks stays in the model (OPCAP has
	 * a bit for opcodes below 64 only: fuzz-vfio-user's second finding,
	 * a shift past the word). */
	if (dsa_desc_opcode(desc) >= 64 ||
	    !(d->host_opcap & DSA_OPCAP(dsa_desc_opcode(desc))))
		return false;
	switch (dsa_desc_opcode(desc)) {
	case DSA_OP_NOOP:
	case DSA_OP_CFLUSH:
		break;
	case DSA_OP_MEMMOVE:
	case DSA_OP_COPY_CRC:
		/* The model knows the direction rules of an overlap. */
		if (vfu_overlap(desc->src, desc->dst, desc->size))
			return false;
		if (flags & DSA_FLAG_CRC_SEED_ADDR &&
		    dsa_desc_opcode(desc) == DSA_OP_COPY_CRC)
			return false;
		break;
	case DSA_OP_FILL:
		if (flags & DSA_FLAG_FILL_PATTERN16)
			return false;
		break;
	case DSA_OP_CRCGEN:
		if (flags & DSA_FLAG_CRC_SEED_ADDR)
			return false; /* a seed read from guest memory */
		break;
	case DSA_OP_COMPARE:
		if (flags & DSA_FLAG_CR)
			return false; /* the predicate is the model's */
		break;
	case DSA_OP_COMPVAL:
		/* Pieces must start on the 8-byte units the result counts. */
		if (flags & DSA_FLAG_CR || desc->src % DSA_COMPVAL_UNIT)
			return false;
		break;
	case DSA_OP_DUALCAST:
		if (vfu_overlap(desc->src, desc->dst, desc->size) ||
		    vfu_overlap(desc->src, desc->dcast.dst2, desc->size) ||
		    vfu_overlap(desc->dst, desc->dcast.dst2, desc->size))
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
	int rc;

	d->inflight++;
	rc = accel_submit(d->hostq, op);
	while (rc == -EAGAIN)
		rc = accel_submit(d->hostq, op);
	if (!rc)
		rc = accel_wait(d->hostq, op, ACCEL_WAIT_PAUSE);
	d->inflight--;
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

/*
 * Piece by piece: each piece is the longest run from offset done on which
 * every buffer stays inside one region, up to what one host descriptor
 * may carry.  Returns false when the
 * descriptor ended (a fault, a host error, a compare that differed).
 */
static bool vfu_host_piece(struct vfu_dsa *d, struct vfu_as *as,
			   const struct dsa_desc *desc,
			   const struct vfu_bufs *b, uint64_t *done,
			   uint32_t *crc, struct dsa_comp *c)
{
	uint32_t flags = dsa_desc_flags(desc);
	uint32_t keep = flags & (DSA_FLAG_CC | DSA_FLAG_CRC_BYPASS_INV_REF |
				 DSA_FLAG_CRC_BYPASS_DATA_REF);
	uint64_t n = desc->size - *done, avail;
	void *h[3] = { NULL, NULL, NULL };
	struct accel_op op;
	unsigned int i;

	/* The piece's bound first: a paged buffer's walk looks no further
	 * ahead than the piece can go. */
	if (n > d->max_piece)
		n = d->max_piece;
	for (i = 0; i < b->n; i++) {
		h[i] = vfu_as_xlat(as, b->addr[i] + *done, n, b->write[i], &avail);
		if (!h[i]) {
			vfu_fault(c, desc, b->write[i], b->addr[i] + *done, *done);
			return false;
		}
		if (avail < n)
			n = avail;
	}
	/* Only the CRC flags of a CRC matter past the common ones. */
	if (dsa_desc_opcode(desc) != DSA_OP_CRCGEN &&
	    dsa_desc_opcode(desc) != DSA_OP_COPY_CRC)
		keep &= DSA_FLAG_CC;
	switch (dsa_desc_opcode(desc)) {
	case DSA_OP_MEMMOVE:
		accel_prep_memmove(&op, h[1], h[0], (size_t)n, keep);
		break;
	case DSA_OP_FILL:
		/* Byte k of the fill is pattern byte k % 8: a piece that
		 * starts mid-pattern starts with the pattern rotated. */
		accel_prep_fill(&op, h[0], vfu_rotr(desc->src, 8 * (*done % 8)),
				(size_t)n, keep);
		break;
	case DSA_OP_COMPARE:
		accel_prep_compare(&op, h[0], h[1], (size_t)n, keep);
		break;
	case DSA_OP_COMPVAL:
		accel_prep_compare_pattern(&op, h[0], desc->dst, (size_t)n, keep);
		break;
	case DSA_OP_CRCGEN:
		accel_prep_crc32c(&op, h[0], (size_t)n, *crc, keep);
		break;
	case DSA_OP_COPY_CRC:
		accel_prep_copy_crc32c(&op, h[1], h[0], (size_t)n, *crc, keep);
		break;
	case DSA_OP_DUALCAST:
		accel_prep_dualcast(&op, h[1], h[2], h[0], (size_t)n, keep);
		break;
	case DSA_OP_CFLUSH:
		accel_prep_cache_flush(&op, h[0], (size_t)n, keep);
		break;
	}
	if (vfu_host_op(d, &op, c, *done))
		return false;
	/* A CRC's result seeds the next piece under the same flags
	 * (model.h model_crc_result; libaccel resume_desc). */
	if (dsa_desc_opcode(desc) == DSA_OP_CRCGEN ||
	    dsa_desc_opcode(desc) == DSA_OP_COPY_CRC) {
		*crc = op.comp.crc_val;
		c->crc_val = *crc;
	}
	if ((dsa_desc_opcode(desc) == DSA_OP_COMPARE ||
	     dsa_desc_opcode(desc) == DSA_OP_COMPVAL) && op.comp.result) {
		c->result = op.comp.result;
		c->bytes_completed = (uint32_t)(*done + op.comp.bytes_completed);
		return false;
	}
	*done += n;
	return true;
}

/* Delivery as model_exec.c complete(): a record only with CRAV, and on
 * success only with RCR; one that cannot be written goes to SWERR. */
static uint8_t vfu_deliver(struct model_exec *x, const struct dsa_desc *desc,
			   const struct dsa_comp *c)
{
	uint32_t flags = dsa_desc_flags(desc);

	if (!(flags & DSA_FLAG_CRAV) ||
	    (c->status == DSA_COMP_SUCCESS && !(flags & DSA_FLAG_RCR)))
		return c->status;
	if (x->mem->ops->write_comp(x->mem, desc->completion_addr, c)) {
		x->swerr_addr = desc->completion_addr;
		x->swerr_status = DSA_COMP_CRA_XLAT;
		x->swerr_valid = 1;
	}
	return c->status;
}

static uint8_t vfu_host_run(struct vfu_dsa *d, struct model_exec *x,
			    const struct dsa_desc *desc)
{
	struct vfu_as *as = vfu_as_of(d, x->mem);
	uint32_t crc = desc->crc.seed;
	struct vfu_bufs b;
	struct dsa_comp c;
	uint64_t done = 0;
	struct accel_op op;

	memset(&c, 0, sizeof(c));
	c.status = DSA_COMP_SUCCESS;
	if (dsa_desc_opcode(desc) == DSA_OP_CRCGEN ||
	    dsa_desc_opcode(desc) == DSA_OP_COPY_CRC)
		c.crc_val = crc; /* the CRC of nothing is its seed */
	if (dsa_desc_opcode(desc) == DSA_OP_NOOP) {
		accel_prep_noop(&op);
		vfu_host_op(d, &op, &c, 0);
	} else {
		vfu_desc_bufs(desc, &b);
		while (done < desc->size &&
		       vfu_host_piece(d, as, desc, &b, &done, &crc, &c))
			;
	}
	return vfu_deliver(x, desc, &c);
}

/* A batch member: model_exec.c run_one's rules for a descriptor inside a
 * batch, then the host path where it applies, else the model. */
static uint8_t vfu_member(struct vfu_dsa *d, struct model_exec *x,
			  const struct dsa_desc *m)
{
	uint8_t op = dsa_desc_opcode(m);
	struct dsa_comp c;
	uint32_t inval = 0;

	if ((dsa_desc_flags(m) & DSA_FLAG_CRAV) &&
	    m->completion_addr % DSA_COMP_ALIGN) {
		x->swerr_addr = m->completion_addr;
		x->swerr_status = DSA_COMP_CRA_ALIGN;
		x->swerr_valid = 1;
		return DSA_COMP_CRA_ALIGN;
	}
	if (op == DSA_OP_BATCH || op == DSA_OP_DRAIN) {
		memset(&c, 0, sizeof(c));
		c.status = model_validate(&x->caps, m, &inval);
		if (c.status == DSA_COMP_SUCCESS)
			c.status = DSA_COMP_BAD_OPCODE; /* no nesting */
		c.invalid_flags = inval;
		return vfu_deliver(x, m, &c);
	}
	if (vfu_host_eligible(d, x, m))
		return vfu_host_run(d, x, m);
	return model_exec_desc(x, m);
}

/*
 * A batch (model_exec.c run_batch's rules): the list read from guest
 * memory through the regions, one member at a time; a fence after a
 * failure abandons the rest; the batch's record counts the members run.
 */
static uint8_t vfu_host_batch(struct vfu_dsa *d, struct model_exec *x,
			      const struct dsa_desc *desc)
{
	bool block = dsa_desc_flags(desc) & DSA_FLAG_BOF, failed = false;
	uint32_t i, done = 0;
	struct dsa_comp c;

	memset(&c, 0, sizeof(c));
	for (i = 0; i < desc->size; i++) {
		uint64_t at = desc->src + (uint64_t)i * DSA_DESC_SIZE;
		enum model_fault f;
		struct dsa_desc m;
		size_t got = x->mem->ops->read(x->mem, &m, at, sizeof(m), block, &f);

		if (got < sizeof(m)) {
			c.status = DSA_COMP_BATCH_PAGE_FAULT;
			c.fault_addr = at + got;
			c.bytes_completed = done;
			return vfu_deliver(x, desc, &c);
		}
		if ((dsa_desc_flags(&m) & DSA_FLAG_FENCE) && failed)
			break;
		if ((vfu_member(d, x, &m) & DSA_COMP_STATUS_MASK) !=
		    DSA_COMP_SUCCESS)
			failed = true;
		done++;
	}
	c.bytes_completed = done;
	c.status = failed || done < desc->size ? DSA_COMP_BATCH_FAIL :
						 DSA_COMP_SUCCESS;
	return vfu_deliver(x, desc, &c);
}

static bool vfu_batch_eligible(const struct model_exec *x,
			       const struct dsa_desc *desc)
{
	uint32_t inval;

	if (dsa_desc_opcode(desc) != DSA_OP_BATCH)
		return false;
	if ((dsa_desc_flags(desc) & DSA_FLAG_CRAV) &&
	    desc->completion_addr % DSA_COMP_ALIGN)
		return false;
	return model_validate(&x->caps, desc, &inval) == DSA_COMP_SUCCESS;
}

static bool vfu_is_fault(uint8_t st)
{
	st &= DSA_COMP_STATUS_MASK;
	return st == DSA_COMP_PAGE_FAULT_NOBOF || st == DSA_COMP_PAGE_FAULT_IR ||
	       st == DSA_COMP_BATCH_PAGE_FAULT;
}

void vfu_exec(void *ctx, struct model_exec *x, const struct dsa_desc *desc)
{
	struct vfu_dsa *d = ctx;
	uint8_t st;

	d->stats.descs++;
	/* The twin hands one of our address spaces here (vfu_walk.c
	 * vfu_pasid_mem): guest-physical, or the PASID's paged one. */
	if (d->hostq && vfu_as_of(d, x->mem) && vfu_host_eligible(d, x, desc)) {
		st = vfu_host_run(d, x, desc);
	} else if (d->hostq && vfu_as_of(d, x->mem) &&
		   vfu_batch_eligible(x, desc)) {
		st = vfu_host_batch(d, x, desc);
	} else {
		d->stats.model_descs++;
		st = model_exec_desc(x, desc);
	}
	if (vfu_is_fault(st))
		d->stats.faults++;
}
