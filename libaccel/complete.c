// SPDX-License-Identifier: MIT
/*
 * Completion: reading records, waiting, and recovering from page faults
 * the way the DSA documentation prescribes: touch the faulting page, then
 * resubmit what remains with addresses, seed or pattern adjusted.
 */
#include <errno.h>
#include <immintrin.h>
#include <stdlib.h>
#include <time.h>

#include "internal.h"

#define MAX_FAULT_RETRIES 4096u

static uint64_t rot_pattern(uint64_t p, unsigned bytes)
{
	bytes %= 8;
	return bytes ? (p >> (8 * bytes)) | (p << (64 - 8 * bytes)) : p;
}

static void rot_pattern16(uint64_t p[2], unsigned bytes)
{
	uint8_t b[16], o[16];
	unsigned i;

	__builtin_memcpy(b, p, 16);
	for (i = 0; i < 16; i++)
		o[i] = b[(i + bytes) % 16];
	__builtin_memcpy(p, o, 16);
}

/*
 * DIF: the device stopped at a block boundary (bc source bytes of whole
 * blocks) and left the tags of the next block in the record, the seeds to
 * go on with (as idxd-config's dsa_reprep_dif() resumes).
 */
static void resume_dif(struct dsa_desc *d, const struct dsa_comp *c,
		       uint32_t bc)
{
	uint8_t op = dsa_desc_opcode(d);
	uint32_t blk = model_dif_block_size(d->dif.flags);
	bool pi_in = op == DSA_OP_DIF_CHECK || op == DSA_OP_DIF_STRP ||
		     op == DSA_OP_DIF_UPDT;
	uint32_t nb = bc / (blk + (pi_in ? DSA_DIF_PI_SIZE : 0));

	d->src += bc;
	d->size -= bc;
	switch (op) {
	case DSA_OP_DIF_INS:
	case DSA_OP_DIF_UPDT:
		d->dst += (uint64_t)nb * (blk + DSA_DIF_PI_SIZE);
		break;
	case DSA_OP_DIF_STRP:
		d->dst += (uint64_t)nb * blk;
		break;
	case DSA_OP_DIX_GEN:
		d->dst += (uint64_t)nb * DSA_DIF_PI_SIZE;
		break;
	default:
		break;
	}
	if (pi_in)
		d->dif.src = c->dif.src;
	if (op != DSA_OP_DIF_CHECK && op != DSA_OP_DIF_STRP)
		d->dif.dst = c->dif.dst;
}

/* Rewrite op->desc to cover what the faulted run left undone. */
static void resume_desc(struct accel_op *op)
{
	struct dsa_desc *d = &op->desc;
	uint32_t bc = op->comp.bytes_completed;

	switch (dsa_desc_opcode(d)) {
	case DSA_OP_MEMMOVE:
		if (!(op->comp.result & DSA_RESULT_MEMMOVE_DESCENDING)) {
			d->src += bc;
			d->dst += bc;
		}
		/* Descending: the top bc bytes are done; the front remains. */
		d->size -= bc;
		break;
	case DSA_OP_FILL:
		d->dst += bc;
		d->size -= bc;
		if (dsa_desc_flags(d) & DSA_FLAG_FILL_PATTERN16) {
			uint64_t p[2] = { d->src, d->fill.pattern_upper };

			rot_pattern16(p, bc % 16);
			d->src = p[0];
			d->fill.pattern_upper = p[1];
		} else {
			d->src = rot_pattern(d->src, bc);
		}
		break;
	case DSA_OP_COMPARE:
		d->src += bc;
		d->dst += bc;
		d->size -= bc;
		break;
	case DSA_OP_COMPVAL:
		d->src += bc;
		d->size -= bc;
		d->dst = rot_pattern(d->dst, bc);
		break;
	case DSA_OP_CRCGEN:
	case DSA_OP_COPY_CRC:
		d->src += bc;
		if (dsa_desc_opcode(d) == DSA_OP_COPY_CRC)
			d->dst += bc;
		d->size -= bc;
		d->crc.seed = op->comp.crc_val;
		break;
	case DSA_OP_DUALCAST:
		d->src += bc;
		d->dst += bc;
		d->dcast.dst2 += bc;
		d->size -= bc;
		break;
	case DSA_OP_CFLUSH:
	case DSA_OP_TRANSL_FETCH:
		if (dsa_desc_opcode(d) == DSA_OP_CFLUSH)
			d->dst += bc;
		else
			d->src += bc;
		d->size -= bc;
		break;
	case DSA_OP_DIF_CHECK:
	case DSA_OP_DIF_INS:
	case DSA_OP_DIF_STRP:
	case DSA_OP_DIF_UPDT:
	case DSA_OP_DIX_GEN:
		resume_dif(d, &op->comp, bc);
		break;
	default:
		/* Delta records hold offsets from the start: run it all again,
		 * now that the page is in. */
		return;
	}
	op->result_bytes += bc;
}

/* Bytes from a fault address to the end of the buffer that holds it. */
static uint64_t fault_span(const struct accel_op *op, uint64_t fa)
{
	const struct dsa_desc *d = &op->desc;
	uint64_t bufs[3] = { d->src, d->dst, 0 };
	unsigned i;

	if (dsa_desc_opcode(d) == DSA_OP_DUALCAST)
		bufs[2] = d->dcast.dst2;
	for (i = 0; i < 3; i++)
		if (bufs[i] && fa >= bufs[i] && fa < bufs[i] + d->size)
			return bufs[i] + d->size - fa;
	return 1;
}

static bool is_fault(uint8_t st)
{
	return (st & DSA_COMP_STATUS_MASK) == DSA_COMP_PAGE_FAULT_NOBOF;
}

static int status_errno(uint8_t st)
{
	switch (st & DSA_COMP_STATUS_MASK) {
	case DSA_COMP_SUCCESS:
	case DSA_COMP_SUCCESS_PRED:
		return 0;
	case DSA_COMP_PAGE_FAULT_NOBOF:
	case DSA_COMP_PAGE_FAULT_IR:
	case DSA_COMP_BATCH_PAGE_FAULT:
	case DSA_COMP_TRANSLATION_FAIL:
		return -EFAULT;
	case DSA_COMP_DIF_ERR:
		return -EBADMSG;
	case DSA_COMP_BATCH_FAIL:
	case DSA_COMP_HW_ERR1:
	case DSA_COMP_HW_ERR_DRB:
		return -EIO;
	default:
		return -EINVAL; /* the device refused the descriptor */
	}
}

/*
 * Batch done: free the list.  When the batch succeeded every member has its
 * own record, and polling a member settles it as any op; only a failed
 * batch can leave members the device never reached (record still zero),
 * and those are settled here, so that no member polls "in progress"
 * forever.
 */
static int finish_batch(struct accel_ctx *ctx, struct accel_op *b)
{
	struct accel_op *m = (struct accel_op *)(uintptr_t)b->orig_dst;
	unsigned i;
	int rc = status_errno(b->comp.status);

	for (i = 0; rc && i < b->orig_size; i++) {
		m[i].final_status = m[i].comp.status;
		m[i].state = ACCEL_OPST_DONE;
	}
	accel_batch_list_put(ctx, (struct dsa_desc *)(uintptr_t)b->orig_src);
	b->orig_src = 0;
	return rc;
}

int accel_op_finish(struct accel_ctx *ctx, struct accel_op *op)
{
	uint8_t st = op->comp.status;

	op->final_status = st;
	if (is_fault(st) && op->retries < MAX_FAULT_RETRIES) {
		struct accel_queue *q = op->queue;
		int rc;

		if (accel_touch(op->comp.fault_addr,
				fault_span(op, op->comp.fault_addr),
				st & DSA_COMP_STATUS_WRITE)) {
			op->state = ACCEL_OPST_DONE;
			return -EFAULT;
		}
		resume_desc(op);
		op->retries++;
		op->comp.status = 0;
		/* A dedicated queue has room: this op's own entry left it. */
		do {
			rc = q->ops->submit(q, &op->desc);
		} while (rc == -EAGAIN);
		if (rc) {
			op->state = ACCEL_OPST_DONE;
			return rc;
		}
		return -EINPROGRESS;
	}
	op->state = ACCEL_OPST_DONE;
	if (dsa_desc_opcode(&op->desc) == DSA_OP_BATCH && op->orig_src)
		return finish_batch(ctx, op);
	if ((dsa_desc_opcode(&op->desc) == DSA_OP_COMPARE ||
	     dsa_desc_opcode(&op->desc) == DSA_OP_COMPVAL) &&
	    op->comp.result)
		op->comp.bytes_completed += (uint32_t)op->result_bytes;
	/* A DIF error's offset, from the op's start after resumptions. */
	if ((st & DSA_COMP_STATUS_MASK) == DSA_COMP_DIF_ERR)
		op->comp.bytes_completed += (uint32_t)op->result_bytes;
	return status_errno(st);
}

ACCEL_EXPORT int accel_poll(struct accel_ctx *ctx, struct accel_op *op)
{
	uint8_t st;

	if (!op)
		return -EINVAL;
	if (__builtin_expect(op->state != ACCEL_OPST_INFLIGHT, 0))
		return op->state == ACCEL_OPST_DONE ?
			       status_errno(op->final_status) :
			       -EINVAL;
	st = __atomic_load_n(&op->comp.status, __ATOMIC_ACQUIRE);
	if (!st)
		return -EINPROGRESS;
	/* The common case: success at the first try, nothing to settle. */
	if (st == DSA_COMP_SUCCESS && !op->retries &&
	    dsa_desc_opcode(&op->desc) != DSA_OP_BATCH) {
		op->final_status = st;
		op->state = ACCEL_OPST_DONE;
		return 0;
	}
	return accel_op_finish(ctx, op);
}

__attribute__((target("waitpkg"))) static void
umwait_for(const volatile uint8_t *p)
{
	_umonitor((void *)p);
	if (!*p)
		_umwait(0, __rdtsc() + 100000);
}

ACCEL_EXPORT int accel_wait(struct accel_ctx *ctx, struct accel_op *op,
			    enum accel_wait_mode mode)
{
	int rc;

	if (!op || mode > ACCEL_WAIT_EVENT)
		return -EINVAL;
	if (mode == ACCEL_WAIT_UMWAIT && !accel_cpu.waitpkg)
		return -ENOTSUP;
	while ((rc = accel_poll(ctx, op)) == -EINPROGRESS) {
		const volatile uint8_t *st = &op->comp.status;

		switch (mode) {
		case ACCEL_WAIT_SPIN:
			break;
		case ACCEL_WAIT_PAUSE:
			_mm_pause();
			break;
		case ACCEL_WAIT_UMWAIT:
			umwait_for(st);
			break;
		case ACCEL_WAIT_EVENT:
			/* No completion signal (cpu): an op there has run by
			 * the time its submission (or resubmission after a
			 * fault, in the poll above) returns; poll again. */
			if (!op->queue->ops->wait_event) {
				_mm_pause();
				break;
			}
			rc = op->queue->ops->wait_event(op->queue, st,
							100000000ull);
			if (rc && rc != -ETIMEDOUT)
				return rc;
			break;
		}
	}
	return rc;
}
