// SPDX-License-Identifier: MIT
/*
 * Synchronous calls and the path choice behind them: small work stays on
 * the calling CPU (a hand-off costs more than it saves), large copies and
 * moves are split between the calling CPU and the device so both move
 * bytes (split_copy.c), and the rest goes to the device.  The thresholds
 * live in ctx->tune.
 */
#include <errno.h>
#include <immintrin.h>
#include <string.h>

#include "internal.h"

/* Exported (part of the ABI: older inline copies store into it).  A thread
 * starts at "cpu": accel.h's inline copies and moves, which run on the
 * CPU, do not record themselves. */
ACCEL_EXPORT __thread unsigned char accel_tls_path = ACCEL_PATH_CPU;

#define SET_PATH(p) (accel_tls_path = (unsigned char)(p))

ACCEL_EXPORT enum accel_path accel_last_path(struct accel_ctx *ctx)
{
	(void)ctx;
	return (enum accel_path)accel_tls_path;
}

static int sync_run(struct accel_ctx *ctx, struct accel_op *op)
{
	int rc;

	while ((rc = accel_submit(ctx, op)) == -EAGAIN)
		_mm_pause();
	if (rc)
		return rc;
	rc = accel_wait(ctx, op, ACCEL_WAIT_PAUSE);
	SET_PATH(ACCEL_PATH_DEVICE);
	return rc;
}

static bool too_big(const struct accel_ctx *ctx, size_t n)
{
	return n > ctx->info.max_xfer;
}

/* Device copy of [off, n) in max_xfer pieces, all in flight at once. */
static int device_copy(struct accel_ctx *ctx, char *dst, const char *src,
		       size_t n)
{
	struct accel_op ops[8];
	size_t step = ctx->info.max_xfer, off = 0;
	int rc = 0;

	while (off < n && rc == 0) {
		unsigned k = 0, i;

		for (; k < 8 && off < n; k++) {
			size_t c = n - off < step ? n - off : step;

			accel_prep_memmove(&ops[k], dst + off, src + off, c, 0);
			while ((rc = accel_submit(ctx, &ops[k])) == -EAGAIN)
				_mm_pause();
			if (rc)
				break;
			off += c;
		}
		for (i = 0; i < k; i++) {
			int r = accel_wait(ctx, &ops[i], ACCEL_WAIT_PAUSE);

			if (r && !rc)
				rc = r;
		}
	}
	return rc;
}

/* Out of line so that the small-copy path below needs no stack frame. */
static __attribute__((noinline)) int memcpy_large(struct accel_ctx *ctx,
						  void *dst, const void *src,
						  size_t n)
{
	if (n >= ctx->tune.split_min)
		return accel_split_copy(ctx, dst, src, n);
	SET_PATH(ACCEL_PATH_DEVICE);
	return device_copy(ctx, dst, src, n);
}

/* The out-of-line form; accel.h inlines the small-copy test before it. */
ACCEL_EXPORT int(accel_memcpy)(struct accel_ctx *ctx, void *dst,
			       const void *src, size_t n)
{
	if (!ctx)
		return -EINVAL;
	if (__builtin_expect(n >= ctx->head.cpu_max, 0))
		return memcpy_large(ctx, dst, src, n);
	SET_PATH(ACCEL_PATH_CPU);
	return accel_cpu_copy(dst, src, n);
}

/*
 * An overlapping move as copies that are each safe: with dst and src gap
 * bytes apart, a gap-long step never overlaps itself, and only overwrites
 * the source of the step before it (moving down: the steps go up from
 * the bottom; moving up: down from the top).  Each step can then split.
 */
static int move_in_steps(struct accel_ctx *ctx, char *dst, const char *src,
			 size_t n, size_t gap)
{
	bool up = dst > src;
	size_t done = 0;
	bool split = false;
	int rc = 0;

	while (done < n && rc == 0) {
		size_t len = n - done < gap ? n - done : gap;
		size_t off = up ? n - done - len : done;

		rc = accel_split_copy(ctx, dst + off, src + off, len);
		split |= accel_tls_path == ACCEL_PATH_SPLIT;
		done += len;
	}
	SET_PATH(split ? ACCEL_PATH_SPLIT : ACCEL_PATH_CPU);
	return rc;
}

static __attribute__((noinline)) int memmove_large(struct accel_ctx *ctx,
						   char *dst, const char *src,
						   size_t n)
{
	size_t gap = dst > src ? (size_t)(dst - src) : (size_t)(src - dst);
	struct accel_op op;

	if (gap >= n) /* disjoint: a copy */
		return memcpy_large(ctx, dst, src, n);
	if (n < ctx->tune.split_min && !too_big(ctx, n)) {
		/* The device moves overlapping buffers itself. */
		accel_prep_memmove(&op, dst, src, n, 0);
		return sync_run(ctx, &op);
	}
	if (gap >= ctx->tune.split_min)
		return move_in_steps(ctx, dst, src, n, gap);
	/* Steps this short would cost more than they share. */
	SET_PATH(ACCEL_PATH_CPU);
	return accel_cpu_memmove(dst, src, n);
}

/* The out-of-line form; accel.h inlines the small-move test before it
 * (and that inline move faults as memmove does: docs/api.md). */
ACCEL_EXPORT int(accel_memmove)(struct accel_ctx *ctx, void *dst,
				const void *src, size_t n)
{
	if (!ctx)
		return -EINVAL;
	if (__builtin_expect(n >= ctx->head.cpu_max, 0))
		return memmove_large(ctx, dst, src, n);
	SET_PATH(ACCEL_PATH_CPU);
	return accel_cpu_memmove(dst, src, n);
}

ACCEL_EXPORT int accel_fill(struct accel_ctx *ctx, void *dst, uint64_t pattern,
			    size_t n)
{
	struct accel_op op;

	if (!ctx)
		return -EINVAL;
	if (n == 0)
		return 0;
	if (n < ctx->head.cpu_max) {
		SET_PATH(ACCEL_PATH_CPU);
		return accel_cpu_fill(dst, &pattern, 8, n);
	}
	if (too_big(ctx, n))
		return -E2BIG;
	accel_prep_fill(&op, dst, pattern, n, 0);
	return sync_run(ctx, &op);
}

ACCEL_EXPORT int accel_fill16(struct accel_ctx *ctx, void *dst,
			      const void *pattern16, size_t n)
{
	struct accel_op op;

	if (!ctx || !pattern16)
		return -EINVAL;
	if (n == 0)
		return 0;
	if (n < ctx->head.cpu_max) {
		SET_PATH(ACCEL_PATH_CPU);
		return accel_cpu_fill(dst, pattern16, 16, n);
	}
	if (too_big(ctx, n))
		return -E2BIG;
	accel_prep_fill16(&op, dst, pattern16, n, 0);
	return sync_run(ctx, &op);
}

/* Run a compare; 0 equal, 1 different (first difference in *differ_at). */
static int compare_result(struct accel_ctx *ctx, struct accel_op *op, size_t n,
			  size_t *differ_at)
{
	int rc = sync_run(ctx, op);
	size_t at = op->comp.result ? op->comp.bytes_completed : n;

	if (rc)
		return rc;
	if (differ_at && accel_guarded_store(differ_at, &at, sizeof(at)))
		return -EFAULT;
	return op->comp.result != 0;
}

ACCEL_EXPORT int accel_compare(struct accel_ctx *ctx, const void *a,
			       const void *b, size_t n, size_t *differ_at)
{
	struct accel_op op;

	if (!ctx)
		return -EINVAL;
	if (n == 0 || n < ctx->head.cpu_max) {
		SET_PATH(ACCEL_PATH_CPU);
		return accel_cpu_compare(a, b, n, differ_at);
	}
	if (too_big(ctx, n))
		return -E2BIG;
	accel_prep_compare(&op, a, b, n, 0);
	return compare_result(ctx, &op, n, differ_at);
}

ACCEL_EXPORT int accel_compare_pattern(struct accel_ctx *ctx, const void *src,
				       uint64_t pattern, size_t n,
				       size_t *differ_at)
{
	struct accel_op op;

	if (!ctx || n == 0)
		return -EINVAL;
	if (too_big(ctx, n))
		return -E2BIG;
	accel_prep_compare_pattern(&op, src, pattern, n, 0);
	return compare_result(ctx, &op, n, differ_at);
}

ACCEL_EXPORT int accel_crc32c(struct accel_ctx *ctx, const void *src, size_t n,
			      uint32_t seed, uint32_t *crc)
{
	struct accel_op op;
	int rc;

	if (!ctx || !crc)
		return -EINVAL;
	if (n == 0)
		return accel_guarded_store(crc, &seed, sizeof(seed));
	if (n < ctx->head.cpu_max) {
		SET_PATH(ACCEL_PATH_CPU);
		return accel_cpu_crc32c(src, n, seed, crc);
	}
	if (too_big(ctx, n))
		return -E2BIG;
	accel_prep_crc32c(&op, src, n, seed, 0);
	rc = sync_run(ctx, &op);
	if (rc == 0)
		rc = accel_guarded_store(crc, &op.comp.crc_val, sizeof(*crc));
	return rc;
}

ACCEL_EXPORT int accel_copy_crc32c(struct accel_ctx *ctx, void *dst,
				   const void *src, size_t n, uint32_t seed,
				   uint32_t *crc)
{
	struct accel_op op;
	int rc;

	if (!ctx || !crc || n == 0)
		return -EINVAL;
	if (too_big(ctx, n))
		return -E2BIG;
	accel_prep_copy_crc32c(&op, dst, src, n, seed, 0);
	rc = sync_run(ctx, &op);
	if (rc == 0)
		rc = accel_guarded_store(crc, &op.comp.crc_val, sizeof(*crc));
	return rc;
}

ACCEL_EXPORT int accel_dualcast(struct accel_ctx *ctx, void *dst1, void *dst2,
				const void *src, size_t n)
{
	struct accel_op op;

	if (!ctx || n == 0)
		return -EINVAL;
	if (too_big(ctx, n))
		return -E2BIG;
	accel_prep_dualcast(&op, dst1, dst2, src, n, 0);
	return sync_run(ctx, &op);
}

ACCEL_EXPORT int accel_delta_create(struct accel_ctx *ctx, const void *old_buf,
				    const void *new_buf, size_t n, void *rec,
				    size_t rec_max, size_t *rec_size)
{
	struct accel_op op;
	int rc;

	if (!ctx || !rec_size || n == 0 || n > UINT32_MAX ||
	    rec_max > UINT32_MAX)
		return -EINVAL;
	/* NULL as the device sees it (address 0), without handing the model
	 * a record address it would pass on to memcpy. */
	if (!old_buf || !new_buf || !rec)
		return -EFAULT;
	accel_prep_desc(&op, DSA_OP_CR_DELTA, 0, (uintptr_t)old_buf,
			(uintptr_t)new_buf, n);
	op.desc.crdelta.delta_addr = (uintptr_t)rec;
	op.desc.crdelta.max_delta_size = (uint32_t)rec_max;
	rc = sync_run(ctx, &op);
	if (rc)
		return rc;
	if (accel_guarded_store(rec_size, &(size_t){ op.comp.delta_rec_size },
				sizeof(*rec_size)))
		return -EFAULT;
	if (op.comp.result == DSA_RESULT_DELTA_OVERFLOW)
		return -ENOSPC;
	return op.comp.result == DSA_RESULT_DELTA_FOUND;
}

ACCEL_EXPORT int accel_delta_apply(struct accel_ctx *ctx, void *dst,
				   const void *rec, size_t rec_size, size_t n)
{
	struct accel_op op;

	if (!ctx || n == 0 || n > UINT32_MAX || rec_size > UINT32_MAX)
		return -EINVAL;
	if (!dst || !rec)
		return -EFAULT;
	accel_prep_desc(&op, DSA_OP_AP_DELTA, 0, (uintptr_t)rec, (uintptr_t)dst,
			n);
	op.desc.apdelta.delta_rec_size = (uint32_t)rec_size;
	return sync_run(ctx, &op);
}

ACCEL_EXPORT int accel_cache_flush(struct accel_ctx *ctx, const void *addr,
				   size_t n)
{
	struct accel_op op;

	if (!ctx || n == 0)
		return -EINVAL;
	if (too_big(ctx, n))
		return -E2BIG;
	accel_prep_cache_flush(&op, addr, n, 0);
	return sync_run(ctx, &op);
}

ACCEL_EXPORT int accel_noop(struct accel_ctx *ctx)
{
	struct accel_op op;

	if (!ctx)
		return -EINVAL;
	accel_prep_noop(&op);
	return sync_run(ctx, &op);
}

ACCEL_EXPORT int accel_drain(struct accel_ctx *ctx)
{
	struct accel_op op;

	if (!ctx)
		return -EINVAL;
	accel_prep_desc(&op, DSA_OP_DRAIN, 0, 0, 0, 0);
	return sync_run(ctx, &op);
}
