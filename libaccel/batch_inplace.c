// SPDX-License-Identifier: MIT
/*
 * Batches prepared in place.  accel_submit_batch() takes members that are
 * full accel_ops, so it must copy each descriptor into a list and settle
 * each member's bookkeeping: about as much work per member as the
 * member's own preparation.  An accel_batch owns the list the device reads
 * and the members' completion records (packed, two to a cache line), so a
 * member costs one 64-byte copy from a prepared op, and the submission is
 * one descriptor for the whole batch.  Records are valid once a poll or
 * wait has seen the batch complete.
 */
#include <errno.h>
#include <immintrin.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct accel_batch {
	struct accel_op op; /* the batch descriptor and its record */
	struct dsa_desc *list; /* max descriptors, 64-byte aligned */
	struct dsa_comp *comp; /* max records, 32-byte aligned */
	unsigned max, n;
	uint64_t max_xfer; /* the context's: members are refused past it */
};

ACCEL_EXPORT int accel_batch_create(struct accel_ctx *ctx, unsigned max,
				    struct accel_batch **out)
{
	struct accel_batch *b;
	size_t list_sz, size;

	if (out)
		*out = NULL;
	if (!ctx || !out || max < DSA_MIN_BATCH || max > ctx->info.max_batch)
		return -EINVAL;
	b = aligned_alloc(64, sizeof(*b));
	if (!b)
		return -ENOMEM;
	memset(b, 0, sizeof(*b));
	/* One allocation: the list, then the members' records. */
	list_sz = (size_t)max * sizeof(struct dsa_desc);
	size = list_sz + (size_t)max * sizeof(struct dsa_comp);
	b->list = aligned_alloc(64, size);
	if (!b->list) {
		free(b);
		return -ENOMEM;
	}
	memset(b->list, 0, size);
	b->comp = (struct dsa_comp *)(void *)((char *)b->list + list_sz);
	b->max = max;
	b->max_xfer = ctx->info.max_xfer;
	*out = b;
	return 0;
}

/* A batch the device may still write into must not be freed. */
static void settle(struct accel_batch *b)
{
	while (b->op.state == ACCEL_OPST_INFLIGHT &&
	       !__atomic_load_n(&b->op.comp.status, __ATOMIC_ACQUIRE))
		_mm_pause();
}

ACCEL_EXPORT void accel_batch_destroy(struct accel_batch *b)
{
	if (!b)
		return;
	settle(b);
	free(b->list);
	free(b);
}

ACCEL_EXPORT int accel_batch_add(struct accel_batch *b,
				 const struct accel_op *op)
{
	struct dsa_desc *d;

	if (__builtin_expect(!b || !op, 0))
		return -EINVAL;
	if (__builtin_expect(b->op.state != ACCEL_OPST_IDLE, 0)) {
		if (b->op.state == ACCEL_OPST_INFLIGHT)
			return -EBUSY;
		b->n = 0; /* the last batch finished: start the next */
		b->op.state = ACCEL_OPST_IDLE;
	}
	if (b->n == 0) /* the batch's own record, written by the device */
		accel_prefetchw(&b->op.comp);
	if (__builtin_expect(b->n == b->max, 0))
		return -ENOSPC;
	if (__builtin_expect(op->state >= ACCEL_OPST_BAD_ADDR, 0))
		return op->state == ACCEL_OPST_TOO_BIG ? -E2BIG : -EFAULT;
	if (__builtin_expect(op->desc.size > b->max_xfer, 0))
		return -E2BIG;
	d = &b->list[b->n];
	/* The list's lines were last read by the device: taking each back
	 * on the store measured ~70 ns a member on the twin; asking for
	 * them 8 members ahead overlaps those round trips. */
	if (b->n + 8 < b->max)
		accel_prefetchw(&b->list[b->n + 8]);
	*d = op->desc;
	/* As in accel_submit_batch(): a page that is not present is the
	 * device's to resolve, so that it does not fail the batch. */
	d->op_flags |= DSA_FLAG_BOF;
	d->completion_addr = (uintptr_t)&b->comp[b->n];
	return (int)b->n++;
}

ACCEL_EXPORT unsigned accel_batch_count(const struct accel_batch *b)
{
	return b ? b->n : 0;
}

ACCEL_EXPORT int accel_batch_submit(struct accel_ctx *ctx,
				    struct accel_batch *b)
{
	int rc;

	if (!ctx || !b)
		return -EINVAL;
	if (b->op.state == ACCEL_OPST_INFLIGHT)
		return -EBUSY;
	if (b->n < DSA_MIN_BATCH)
		return -EINVAL;
	accel_prep_desc(&b->op, DSA_OP_BATCH, 0, (uintptr_t)b->list, 0, b->n);
	/* The list is ours, not a member array for accel_op_finish() to
	 * settle and free. */
	b->op.orig_src = 0;
	rc = accel_submit(ctx, &b->op);
	if (rc)
		b->op.state = ACCEL_OPST_IDLE;
	return rc;
}

ACCEL_EXPORT int accel_batch_poll(struct accel_ctx *ctx, struct accel_batch *b)
{
	if (!b)
		return -EINVAL;
	if (b->op.state == ACCEL_OPST_IDLE)
		return -EINVAL; /* nothing submitted */
	return accel_poll(ctx, &b->op);
}

ACCEL_EXPORT int accel_batch_wait(struct accel_ctx *ctx, struct accel_batch *b,
				  enum accel_wait_mode mode)
{
	if (!b)
		return -EINVAL;
	if (b->op.state == ACCEL_OPST_IDLE)
		return -EINVAL;
	return accel_wait(ctx, &b->op, mode);
}

/*
 * Members' records are not cleared before a submission: the device writes
 * the record of every member it processes, and it processes a prefix of
 * the list (members are abandoned only at a fence, and then all that
 * follow), whose length its own record gives.  Past that prefix a record
 * holds an older run's result, so it is answered with a record of status
 * 0, "not run".  This spares the submitter a write into each record, a
 * line the device has just written.
 */
static const struct dsa_comp not_run;

ACCEL_EXPORT const struct dsa_comp *
accel_batch_record(const struct accel_batch *b, unsigned i)
{
	if (!b)
		return NULL;
	if (i == ACCEL_BATCH_SELF)
		return &b->op.comp;
	if (i >= b->n)
		return NULL;
	if (b->op.state == ACCEL_OPST_DONE &&
	    i >= b->op.comp.bytes_completed)
		return &not_run;
	return &b->comp[i];
}
