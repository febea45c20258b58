// SPDX-License-Identifier: MIT
/*
 * Synchronous calls and the path choice behind them: small work stays on
 * the calling CPU (a hand-off costs more than it saves), large copies are
 * split between the calling CPU and the device so both move bytes, and the
 * rest goes to the device.  The thresholds live in ctx->tune.
 */
#include <errno.h>
#include <immintrin.h>
#include <string.h>

#include "internal.h"

/* Exported: accel.h's inline memcpy records its path here too. */
ACCEL_EXPORT __thread unsigned char accel_tls_path;

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

/*
 * A split copy gives the device one descriptor for the top part and copies
 * the bottom part on the calling CPU.  The device's share adapts to what
 * the last splits showed: if the CPU finished first and had to wait, the
 * device got too much; if the device was already done, too little.  Each
 * split moves the share toward the split that would have finished both at
 * once, so it follows the machine (a device that is another core of the
 * same kind, or a real DSA, or a neighbour's load) instead of a guess.
 * One descriptor, because each costs the device a fixed start.
 */
#define SHARE_MIN 5 /* percent */
#define SHARE_MAX 95

/* Speeds differ with size (a device's fixed start weighs on small
 * copies, the cache on mid-sized ones): one share for everything below
 * 2 MiB, then one per power of two. */
static _Atomic unsigned *share_of(struct accel_ctx *ctx, size_t n)
{
	unsigned c = 0;

	for (n >>= 21; n && c + 1 < ACCEL_SPLIT_CLASSES; n >>= 1)
		c++;
	return &ctx->tune.split_device_pct[c];
}

static void share_update(_Atomic unsigned *share, unsigned pct, size_t cpu,
			 size_t dev, uint64_t cpu_ns, uint64_t wait_ns,
			 bool dev_was_done)
{
	unsigned next;

	if (dev_was_done) {
		/* The device finished within the CPU's time: give it more,
		 * a step at a time (its real speed is unknown). */
		next = pct + 2;
	} else {
		/* Both rates are known: the share that ends both at once. */
		double r_cpu = (double)cpu / (double)(cpu_ns ? cpu_ns : 1);
		double r_dev = (double)dev / (double)(cpu_ns + wait_ns);
		double ideal = 100.0 * r_dev / (r_dev + r_cpu);

		next = (unsigned)((3.0 * pct + ideal) / 4.0 + 0.5);
	}
	next = next < SHARE_MIN ? SHARE_MIN : next > SHARE_MAX ? SHARE_MAX : next;
	atomic_store_explicit(share, next, memory_order_relaxed);
}

static int split_copy(struct accel_ctx *ctx, char *dst, const char *src,
		      size_t n)
{
	_Atomic unsigned *share = share_of(ctx, n);
	unsigned pct = atomic_load_explicit(share, memory_order_relaxed);
	size_t dev = (n / 100) * pct, cpu;
	uint64_t t0, t1;
	struct accel_op op;
	bool done;
	int rc, cpu_rc;

	dev &= ~(size_t)4095; /* whole pages to the device */
	if (!dev) { /* too small to share (thresholds set that low) */
		SET_PATH(ACCEL_PATH_CPU);
		return accel_cpu_copy(dst, src, n);
	}
	cpu = n - dev;
	accel_prep_memmove(&op, dst + cpu, src + cpu, dev, 0);
	while ((rc = accel_submit(ctx, &op)) == -EAGAIN)
		_mm_pause();
	if (rc)
		return rc;
	t0 = accel_now_ns();
	/* The device writes its part to memory (cache control clear); past
	 * the cache the CPU's part is faster done the same way.  A bad
	 * buffer is -EFAULT here as on the device (the op is waited for). */
	cpu_rc = accel_cpu_copy(dst, src, cpu);
	t1 = accel_now_ns();
	done = __atomic_load_n(&op.comp.status, __ATOMIC_ACQUIRE) != 0;
	rc = accel_wait(ctx, &op, ACCEL_WAIT_PAUSE);
	if (cpu_rc)
		rc = cpu_rc;
	if (!rc && op.retries == 0)
		share_update(share, pct, cpu, dev, t1 - t0, accel_now_ns() - t1,
			     done);
	SET_PATH(ACCEL_PATH_SPLIT);
	return rc;
}

/* Out of line so that the small-copy path below needs no stack frame. */
static __attribute__((noinline)) int memcpy_large(struct accel_ctx *ctx,
						  void *dst, const void *src,
						  size_t n)
{
	if (n >= ctx->tune.split_min && !too_big(ctx, n))
		return split_copy(ctx, dst, src, n);
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

ACCEL_EXPORT int accel_memmove(struct accel_ctx *ctx, void *dst,
			       const void *src, size_t n)
{
	struct accel_op op;

	if (!ctx)
		return -EINVAL;
	if (n < ctx->head.cpu_max || too_big(ctx, n)) {
		/* Overlapping pieces cannot be split safely: keep it whole. */
		SET_PATH(ACCEL_PATH_CPU);
		return accel_cpu_memmove(dst, src, n);
	}
	accel_prep_memmove(&op, dst, src, n, 0);
	return sync_run(ctx, &op);
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
