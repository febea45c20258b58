// SPDX-License-Identifier: MIT
/*
 * The slow path: a call at or above its threshold.  It goes to libaccel
 * only when that is safe from where it was made; otherwise to the C
 * library, counted by reason:
 * - from inside libaccel on this thread (libaccel's own calls are renamed
 *   away at link time, but libnuma's and liburing's come back here), or
 *   from a thread libaccel started: the thread-local busy count;
 * - from a signal handler (signals.c): no lock, no allocation there;
 * - from a vfork child (vfork.c): the parent's memory, not its own;
 * - before the context exists: the first large call opens it, once, with
 *   an atomic state rather than a lock, so that a second thread (or a
 *   signal handler) meanwhile goes to the C library instead of waiting;
 * - after libaccel answered an error: that call is done again by the C
 *   library, and a device error stops the offload for the process (a
 *   device that disappeared stays gone).
 * A forked child keeps the context: libaccel opens a device of its own in
 * the child on first use (context.c).
 */
#include <errno.h>
#include <stdint.h>

#include "accel.h"
#include "preload.h"

enum { ST_CLOSED, ST_OPENING, ST_OPEN, ST_FAILED, ST_GONE };

static _Atomic int state = ST_CLOSED;
static struct accel_ctx *ctx;
static _Atomic unsigned long offloads;

__thread unsigned pl_tls_busy;

/* 0: libaccel may be used from here, with ctx open; else why not. */
static int may_offload(void)
{
	int st, expect = ST_CLOSED;

	if (pl_tls_busy)
		return PL_FB_NESTED;
	if (pl_tls_vfork)
		return PL_FB_VFORK;
	if (pl_tls_in_signal && pl_signal_still_inside())
		return PL_FB_SIGNAL;
	st = atomic_load_explicit(&state, memory_order_acquire);
	if (__builtin_expect(st == ST_OPEN, 1))
		return 0;
	if (st != ST_CLOSED)
		goto why;
	if (!atomic_compare_exchange_strong(&state, &expect, ST_OPENING))
		return PL_FB_NOT_READY;
	pl_tls_busy++;
	st = accel_open(&ctx, NULL) ? ST_FAILED : ST_OPEN;
	pl_tls_busy--;
	atomic_store_explicit(&state, st, memory_order_release);
why:
	switch (st) {
	case ST_OPEN:
		return 0;
	case ST_FAILED:
		return PL_FB_OPEN_FAILED;
	case ST_GONE:
		return PL_FB_DEVICE_GONE;
	default:
		return PL_FB_NOT_READY;
	}
}

/* The test hook of ACCEL_PRELOAD_TEST_GONE: the device "leaves" here. */
static int test_gone(void)
{
	unsigned long after = pl_config.test_gone_after;

	return after && atomic_fetch_add(&offloads, 1) >= after;
}

/* libaccel answered rc: count the call by path, or note the failure. */
static int settle(enum pl_call c, size_t n, int rc)
{
	if (rc >= 0) {
		pl_count(&pl_stats.path[c][accel_last_path(ctx) & 3], n);
		return 0;
	}
	pl_count(&pl_stats.fallback[c][PL_FB_DEVICE_ERROR], n);
	/* A bad pointer is the program's: the C library faults on it as it
	 * would have without the preload.  Anything else is the device's. */
	if (rc != -EFAULT)
		atomic_store(&state, ST_GONE);
	return -1;
}

void *pl_offload_memcpy(void *dst, const void *src, size_t n)
{
	int why = may_offload(), rc;

	if (why) {
		pl_count(&pl_stats.fallback[PL_MEMCPY][why], n);
		return pl_real.memcpy(dst, src, n);
	}
	pl_tls_busy++;
	rc = test_gone() ? -ENODEV : (accel_memcpy)(ctx, dst, src, n);
	pl_tls_busy--;
	if (settle(PL_MEMCPY, n, rc))
		return pl_real.memcpy(dst, src, n);
	return dst;
}

void *pl_offload_memmove(void *dst, const void *src, size_t n)
{
	uintptr_t d = (uintptr_t)dst, s = (uintptr_t)src;
	int why = may_offload(), rc;

	/* An overlapping move cannot be done again after a failure half way
	 * (its source is partly overwritten): those stay with the C library. */
	if (!why && (d > s ? d - s : s - d) < n)
		why = PL_FB_OVERLAP;
	if (why) {
		pl_count(&pl_stats.fallback[PL_MEMMOVE][why], n);
		return pl_real.memmove(dst, src, n);
	}
	pl_tls_busy++;
	rc = test_gone() ? -ENODEV : (accel_memmove)(ctx, dst, src, n);
	pl_tls_busy--;
	if (settle(PL_MEMMOVE, n, rc))
		return pl_real.memmove(dst, src, n);
	return dst;
}

void *pl_offload_memset(void *dst, int c, size_t n)
{
	int why = may_offload(), rc;

	if (why) {
		pl_count(&pl_stats.fallback[PL_MEMSET][why], n);
		return pl_real.memset(dst, c, n);
	}
	pl_tls_busy++;
	rc = test_gone() ? -ENODEV :
			   accel_fill(ctx, dst,
				      (uint8_t)c * 0x0101010101010101ull, n);
	pl_tls_busy--;
	if (settle(PL_MEMSET, n, rc))
		return pl_real.memset(dst, c, n);
	return dst;
}

int pl_offload_memcmp(const void *a, const void *b, size_t n)
{
	int why = may_offload(), rc;
	size_t at = 0;

	if (why) {
		pl_count(&pl_stats.fallback[PL_MEMCMP][why], n);
		return pl_real.memcmp(a, b, n);
	}
	pl_tls_busy++;
	rc = test_gone() ? -ENODEV : accel_compare(ctx, a, b, n, &at);
	pl_tls_busy--;
	if (settle(PL_MEMCMP, n, rc))
		return pl_real.memcmp(a, b, n);
	/* glibc's sign convention: the first differing bytes, unsigned. */
	return rc ? ((const unsigned char *)a)[at] -
			    ((const unsigned char *)b)[at] :
		    0;
}

/* The fork happened while another thread was opening: that thread is not
 * in the child, so the child opens again on its first large call. */
void pl_offload_atfork_child(void)
{
	int expect = ST_OPENING;

	atomic_compare_exchange_strong(&state, &expect, ST_CLOSED);
}

/* The backend's name for the report ("" before any open). */
PL_HIDDEN const char *pl_offload_backend(void);
const char *pl_offload_backend(void)
{
	return atomic_load(&state) >= ST_OPEN && ctx ?
		       accel_backend_name(ctx) :
		       "";
}
