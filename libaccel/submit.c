// SPDX-License-Identifier: MIT
/*
 * Building descriptors and handing them to the calling thread's queue.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <emmintrin.h>

#include "internal.h"

/*
 * Clear an accel_op with explicit 16-byte stores.  Left to itself gcc turns
 * the memset of this fixed size into "rep stos", whose start-up cost (tens
 * of cycles on the AMD machines measured) was most of what preparing a
 * descriptor cost; the stores are unaligned-tolerant, as callers may place
 * an op where they like.
 */
static inline void op_zero(struct accel_op *op)
{
	const __m128i z = _mm_setzero_si128();
	__m128i *p = (__m128i *)(void *)op;

	_Static_assert(sizeof(*op) == 12 * 16, "op_zero writes 12 x 16 bytes");
	_mm_storeu_si128(p + 0, z);
	_mm_storeu_si128(p + 1, z);
	_mm_storeu_si128(p + 2, z);
	_mm_storeu_si128(p + 3, z);
	_mm_storeu_si128(p + 4, z);
	_mm_storeu_si128(p + 5, z);
	_mm_storeu_si128(p + 6, z);
	_mm_storeu_si128(p + 7, z);
	_mm_storeu_si128(p + 8, z);
	_mm_storeu_si128(p + 9, z);
	_mm_storeu_si128(p + 10, z);
	_mm_storeu_si128(p + 11, z);
}

/* Every op asks for a completion record in its own struct. */
#define OP_FLAGS (DSA_FLAG_CRAV | DSA_FLAG_RCR)

void accel_prep_desc(struct accel_op *op, uint8_t opcode, uint32_t flags,
		     uint64_t src, uint64_t dst, size_t n)
{
	op_zero(op);
	op->desc.op_flags = dsa_op_flags(opcode, flags | OP_FLAGS);
	op->desc.completion_addr = (uint64_t)(uintptr_t)&op->comp;
	op->desc.src = src;
	op->desc.dst = dst;
	/* Sizes past 4 GiB truncate to a value the device rejects or
	 * accel_submit() catches: see size_ok(). */
	op->desc.size = (uint32_t)n;
	op->orig_size = (uint32_t)n;
	op->orig_src = src;
	op->orig_dst = dst;
	if (n > UINT32_MAX)
		op->state = ACCEL_OPST_TOO_BIG;
}

ACCEL_EXPORT void accel_prep_noop(struct accel_op *op)
{
	accel_prep_desc(op, DSA_OP_NOOP, 0, 0, 0, 0);
}

ACCEL_EXPORT void accel_prep_memmove(struct accel_op *op, void *dst,
				     const void *src, size_t n, uint32_t flags)
{
	accel_prep_desc(op, DSA_OP_MEMMOVE, flags, (uintptr_t)src, (uintptr_t)dst, n);
}

ACCEL_EXPORT void accel_prep_fill(struct accel_op *op, void *dst,
				  uint64_t pattern, size_t n, uint32_t flags)
{
	accel_prep_desc(op, DSA_OP_FILL, flags, pattern, (uintptr_t)dst, n);
	op->pattern[0] = pattern;
}

ACCEL_EXPORT void accel_prep_fill16(struct accel_op *op, void *dst,
				    const void *pat16, size_t n,
				    uint32_t flags)
{
	uint64_t p[2] = { 0, 0 };
	/* The pattern is read here, not by the device: a bad pointer must
	 * fail the submission, not the process. */
	int bad = accel_guarded_store(p, pat16, 16);

	accel_prep_desc(op, DSA_OP_FILL, flags | DSA_FLAG_FILL_PATTERN16, p[0],
	     (uintptr_t)dst, n);
	op->desc.fill.pattern_upper = p[1];
	op->pattern[0] = p[0];
	op->pattern[1] = p[1];
	if (bad)
		op->state = ACCEL_OPST_BAD_ADDR;
}

ACCEL_EXPORT void accel_prep_compare(struct accel_op *op, const void *a,
				     const void *b, size_t n, uint32_t flags)
{
	accel_prep_desc(op, DSA_OP_COMPARE, flags, (uintptr_t)a, (uintptr_t)b, n);
}

ACCEL_EXPORT void accel_prep_compare_pattern(struct accel_op *op,
					     const void *src, uint64_t pattern,
					     size_t n, uint32_t flags)
{
	accel_prep_desc(op, DSA_OP_COMPVAL, flags, (uintptr_t)src, pattern, n);
	op->pattern[0] = pattern;
}

ACCEL_EXPORT void accel_prep_crc32c(struct accel_op *op, const void *src,
				    size_t n, uint32_t seed, uint32_t flags)
{
	accel_prep_desc(op, DSA_OP_CRCGEN, flags, (uintptr_t)src, 0, n);
	op->desc.crc.seed = seed;
	op->crc_seed = seed;
}

ACCEL_EXPORT void accel_prep_copy_crc32c(struct accel_op *op, void *dst,
					 const void *src, size_t n,
					 uint32_t seed, uint32_t flags)
{
	accel_prep_desc(op, DSA_OP_COPY_CRC, flags, (uintptr_t)src, (uintptr_t)dst, n);
	op->desc.crc.seed = seed;
	op->crc_seed = seed;
}

ACCEL_EXPORT void accel_prep_dualcast(struct accel_op *op, void *dst1,
				      void *dst2, const void *src, size_t n,
				      uint32_t flags)
{
	accel_prep_desc(op, DSA_OP_DUALCAST, flags, (uintptr_t)src, (uintptr_t)dst1, n);
	op->desc.dcast.dst2 = (uintptr_t)dst2;
	op->orig_dst2 = (uintptr_t)dst2;
}

ACCEL_EXPORT void accel_prep_cache_flush(struct accel_op *op, const void *addr,
					 size_t n, uint32_t flags)
{
	accel_prep_desc(op, DSA_OP_CFLUSH, flags, 0, (uintptr_t)addr, n);
}

int accel_submit_desc(struct accel_queue *q, const struct dsa_desc *d)
{
	return q->ops->submit(q, d);
}

/* An op that accel_prep_*() already found unusable: its error. */
static int op_refused(const struct accel_op *op)
{
	return op->state == ACCEL_OPST_TOO_BIG ? -E2BIG : -EFAULT;
}

/* The device refuses a larger transfer only when it runs the descriptor;
 * refuse it here, as the synchronous calls do.  A batch's size is its
 * member count, checked against max_batch instead. */
static bool op_too_big(const struct accel_ctx *ctx, const struct dsa_desc *d)
{
	return d->size > ctx->info.max_xfer &&
	       dsa_desc_opcode(d) != DSA_OP_BATCH;
}

static int queue_for(struct accel_ctx *ctx, struct accel_queue **q)
{
	if (!ctx)
		return -EINVAL;
	*q = accel_queue_get(ctx);
	return *q ? 0 : -ENOMEM;
}

ACCEL_EXPORT int accel_submit(struct accel_ctx *ctx, struct accel_op *op)
{
	struct accel_queue *q;
	int rc;

	if (!op || op->state >= ACCEL_OPST_BAD_ADDR)
		return op ? op_refused(op) : -EINVAL;
	if (op->state == ACCEL_OPST_INFLIGHT)
		return -EBUSY;
	if (!ctx)
		return -EINVAL;
	if (__builtin_expect(op_too_big(ctx, &op->desc), 0))
		return -E2BIG;
	/* accel_queue_get inline: this is the path every descriptor takes. */
	q = accel_queue_get(ctx);
	if (__builtin_expect(!q, 0))
		return -ENOMEM;
	op->comp.status = 0;
	op->queue = q;
	op->path = ACCEL_PATH_DEVICE;
	rc = q->ops->submit(q, &op->desc);
	if (rc == 0)
		op->state = ACCEL_OPST_INFLIGHT;
	return rc;
}

ACCEL_EXPORT int accel_submit_batch(struct accel_ctx *ctx,
				    struct accel_op *batch,
				    struct accel_op *members, unsigned n)
{
	struct dsa_desc *list;
	unsigned i;
	int rc;

	if (!ctx || !batch || !members)
		return -EINVAL;
	if (n < DSA_MIN_BATCH || n > ctx->info.max_batch)
		return -EINVAL;
	/*
	 * The device reads the member descriptors from a 64-byte aligned
	 * list; accel_op places each descriptor at the start of a 64-byte
	 * aligned struct, so the list is the members themselves only if
	 * they are packed: copy them into the batch's own list instead.
	 */
	list = accel_batch_list_get(ctx, n);
	if (!list)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		if (members[i].state >= ACCEL_OPST_BAD_ADDR ||
		    op_too_big(ctx, &members[i].desc)) {
			rc = members[i].state >= ACCEL_OPST_BAD_ADDR ?
				     op_refused(&members[i]) :
				     -E2BIG;
			while (i--)
				members[i].state = ACCEL_OPST_IDLE;
			accel_batch_list_put(ctx, list);
			return rc;
		}
		members[i].comp.status = 0;
		members[i].path = ACCEL_PATH_DEVICE;
		/* Members block on fault: a fault in one does not fail the
		 * batch, and only an invalid address ends a member. */
		members[i].desc.op_flags |= DSA_FLAG_BOF;
		members[i].state = ACCEL_OPST_INFLIGHT;
		list[i] = members[i].desc;
	}
	op_zero(batch);
	batch->desc.op_flags = dsa_op_flags(DSA_OP_BATCH, OP_FLAGS);
	batch->desc.completion_addr = (uintptr_t)&batch->comp;
	batch->desc.src = (uintptr_t)list;
	batch->desc.size = n;
	batch->orig_src = (uintptr_t)list; /* freed when the batch finishes */
	batch->orig_size = n;
	batch->orig_dst = (uintptr_t)members;
	rc = accel_submit(ctx, batch);
	if (rc) {
		for (i = 0; i < n; i++)
			members[i].state = ACCEL_OPST_IDLE;
		accel_batch_list_put(ctx, list);
		batch->orig_src = 0;
	}
	return rc;
}

ACCEL_EXPORT int accel_submit_raw(struct accel_ctx *ctx,
				  const struct dsa_desc *desc)
{
	struct accel_queue *q;
	int rc;

	if (!desc)
		return -EINVAL;
	rc = queue_for(ctx, &q);
	if (rc)
		return rc;
	return q->ops->submit(q, desc);
}
