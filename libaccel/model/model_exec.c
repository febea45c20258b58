// SPDX-License-Identifier: MIT
/*
 * The executor: validation, dispatch, batches and completion delivery.
 * The operations themselves live in model_ops_*.c.
 */
#include "model_internal.h"

void model_fault(struct model_run *r, enum model_fault f, bool write,
		 uint64_t addr, uint32_t done)
{
	/*
	 * With block-on-fault the device asked the OS and was refused
	 * (invalid response); without it, any fault ends the operation.
	 */
	uint8_t st = (r->block && f == MODEL_FAULT_INVALID) ?
			     DSA_COMP_PAGE_FAULT_IR :
			     DSA_COMP_PAGE_FAULT_NOBOF;

	r->comp.status = st | (write ? DSA_COMP_STATUS_WRITE : 0);
	r->comp.fault_addr = addr;
	r->comp.bytes_completed = done;
}

const uint8_t *model_win_read(struct model_run *r, uint64_t addr, size_t want,
			      uint8_t *buf, size_t bufsz, size_t *got,
			      enum model_fault *f)
{
	const struct model_mem_ops *ops = r->x->mem->ops;

	*f = MODEL_FAULT_NONE;
	if (ops->probe) {
		*got = ops->probe(r->x->mem, addr, want, false, r->block, f);
		return (const uint8_t *)(uintptr_t)addr;
	}
	want = MODEL_MIN(want, bufsz);
	*got = ops->read(r->x->mem, buf, addr, want, r->block, f);
	return buf;
}

uint8_t *model_win_write(struct model_run *r, uint64_t addr, size_t want,
			 uint8_t *buf, size_t bufsz, size_t *got,
			 enum model_fault *f)
{
	const struct model_mem_ops *ops = r->x->mem->ops;

	*f = MODEL_FAULT_NONE;
	if (ops->probe) {
		*got = ops->probe(r->x->mem, addr, want, true, r->block, f);
		return (uint8_t *)(uintptr_t)addr;
	}
	*got = MODEL_MIN(want, bufsz);
	return buf;
}

size_t model_win_commit(struct model_run *r, uint64_t addr,
			const uint8_t *p, size_t len, enum model_fault *f)
{
	const struct model_mem_ops *ops = r->x->mem->ops;

	*f = MODEL_FAULT_NONE;
	if (ops->probe)
		return len;
	return ops->write(r->x->mem, addr, p, len, r->block, f);
}

static void run_op(struct model_run *r)
{
	switch (dsa_desc_opcode(r->d)) {
	case DSA_OP_NOOP:
	case DSA_OP_DRAIN: /* in-order engine: all earlier work is done */
		break;
	case DSA_OP_MEMMOVE:
		model_op_memmove(r);
		break;
	case DSA_OP_FILL:
		model_op_fill(r);
		break;
	case DSA_OP_COMPARE:
		model_op_compare(r);
		break;
	case DSA_OP_COMPVAL:
		model_op_compval(r);
		break;
	case DSA_OP_CR_DELTA:
		model_op_cr_delta(r);
		break;
	case DSA_OP_AP_DELTA:
		model_op_ap_delta(r);
		break;
	case DSA_OP_DUALCAST:
		model_op_dualcast(r);
		break;
	case DSA_OP_CRCGEN:
		model_op_crc(r, false);
		break;
	case DSA_OP_COPY_CRC:
		model_op_crc(r, true);
		break;
	case DSA_OP_CFLUSH:
		model_op_cflush(r);
		break;
	case DSA_OP_DIF_CHECK:
	case DSA_OP_DIF_INS:
	case DSA_OP_DIF_STRP:
	case DSA_OP_DIF_UPDT:
	case DSA_OP_DIX_GEN:
		model_op_dif(r);
		break;
	case DSA_OP_TRANSL_FETCH:
		model_op_tfetch(r);
		break;
	default:
		r->comp.status = DSA_COMP_BAD_OPCODE;
		break;
	}
}

/* Deliver the record if asked; returns the status it carries. */
static uint8_t complete(struct model_exec *x, const struct dsa_desc *d,
			struct dsa_comp *c)
{
	uint32_t flags = dsa_desc_flags(d);
	bool ok = dsa_comp_status(c) == DSA_COMP_SUCCESS;

	if (!(flags & DSA_FLAG_CRAV))
		return c->status;
	/* Without RCR the device writes a record only when something failed. */
	if (ok && !(flags & DSA_FLAG_RCR))
		return c->status;
	if (x->mem->ops->write_comp(x->mem, d->completion_addr, c)) {
		x->swerr_addr = d->completion_addr;
		x->swerr_status = DSA_COMP_CRA_XLAT;
		x->swerr_valid = 1;
	}
	return c->status;
}

static void run_one(struct model_exec *x, const struct dsa_desc *d,
		    struct dsa_comp *c, bool in_batch);

static void run_batch(struct model_run *r)
{
	struct model_exec *x = r->x;
	uint64_t list = r->d->src;
	uint32_t count = r->d->size, i, done = 0;
	bool failed = false;
	enum model_fault f;

	for (i = 0; i < count; i++) {
		struct dsa_desc m;
		struct dsa_comp mc;
		size_t got;

		got = x->mem->ops->read(x->mem, &m, list + (uint64_t)i * 64,
					sizeof(m), r->block, &f);
		if (got < sizeof(m)) {
			r->comp.status = DSA_COMP_BATCH_PAGE_FAULT;
			r->comp.fault_addr = list + (uint64_t)i * 64 + got;
			r->comp.bytes_completed = done;
			return;
		}
		/* A fence waits for earlier members; after a failure it and
		 * everything behind it are abandoned. */
		if ((dsa_desc_flags(&m) & DSA_FLAG_FENCE) && failed)
			break;
		run_one(x, &m, &mc, true);
		done++;
		if (dsa_comp_status(&mc) != DSA_COMP_SUCCESS)
			failed = true;
	}
	r->comp.bytes_completed = done;
	r->comp.status = failed || done < count ? DSA_COMP_BATCH_FAIL :
						  DSA_COMP_SUCCESS;
}

static void run_one(struct model_exec *x, const struct dsa_desc *d,
		    struct dsa_comp *c, bool in_batch)
{
	struct model_run r = { .x = x, .d = d };
	uint32_t inval;
	uint8_t st;

	r.block = dsa_desc_flags(d) & DSA_FLAG_BOF;
	memset(&r.comp, 0, sizeof(r.comp));

	if ((dsa_desc_flags(d) & DSA_FLAG_CRAV) &&
	    (d->completion_addr & (DSA_COMP_ALIGN - 1))) {
		/* No record can be written: the error goes to SWERR. */
		x->swerr_addr = d->completion_addr;
		x->swerr_status = DSA_COMP_CRA_ALIGN;
		x->swerr_valid = 1;
		c->status = DSA_COMP_CRA_ALIGN;
		return;
	}

	st = model_validate(&x->caps, d, &inval);
	if (st == DSA_COMP_SUCCESS && in_batch &&
	    (dsa_desc_opcode(d) == DSA_OP_BATCH ||
	     dsa_desc_opcode(d) == DSA_OP_DRAIN))
		st = DSA_COMP_BAD_OPCODE;
	if (st != DSA_COMP_SUCCESS) {
		r.comp.status = st;
		r.comp.invalid_flags = inval;
	} else {
		r.comp.status = DSA_COMP_SUCCESS;
		if (dsa_desc_opcode(d) == DSA_OP_BATCH)
			run_batch(&r);
		else
			run_op(&r);
	}
	*c = r.comp;
	complete(x, d, c);
}

uint8_t model_exec_desc(struct model_exec *x, const struct dsa_desc *desc)
{
	struct dsa_comp c;

	run_one(x, desc, &c, false);
	return c.status;
}
