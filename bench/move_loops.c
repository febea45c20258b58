// SPDX-License-Identifier: MIT
/*
 * The memmove loops, library and baseline: the same walk, call for call,
 * as measure.c's copy loops, so that a small move's ratio is the library's
 * inline test and not the harness (through the generic per-call switch the
 * library's side read 0.72-0.87x at 64-512 B while memcpy read 1.00x).
 */
#include <string.h>

#include "bench.h"

LOOP_FN int
bench_lib_move_loop(struct accel_ctx *ctx, const struct copy_pair *p0,
		    const struct copy_pair *pend, size_t n, uint64_t ops)
{
	const struct copy_pair *p = p0;
	int rc;

	LOOP_PAD();
	for (; ops; ops--) {
		if ((rc = accel_memmove(ctx, p->dst, p->src, n)))
			return rc;
		__asm__ volatile("" ::: "memory");
		if (++p == pend)
			p = p0;
	}
	return 0;
}

LOOP_FN void
bench_base_move_loop(const struct copy_pair *p0, const struct copy_pair *pend,
		     size_t n, uint64_t ops)
{
	const struct copy_pair *p = p0;

	for (; ops; ops--) {
		memmove(p->dst, p->src, n);
		__asm__ volatile("" ::: "memory");
		if (++p == pend)
			p = p0;
	}
}
