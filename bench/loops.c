// SPDX-License-Identifier: MIT
/*
 * The copy and move loops of the sync mode, library and baseline, each in
 * BENCH_PLACES copies whose loop sits at a different offset in its cache
 * line (4, 12 ... 60 bytes of padding run once before the loop).
 *
 * Why: at 64 B-2 KiB a copy takes 3-60 ns, and where the linker puts the
 * calling loop moves that by up to 8%.  The same glibc memmove in the same
 * loop read 0.92x at 4 of 8 paddings and 1.00x at the other 4 (against one
 * fixed baseline loop), every run: one fixed placement per side measured
 * the placement, not the library.  Round pair k runs both sides at
 * placement k % BENCH_PLACES, so both are measured over the same set of
 * placements, and identical code at the same placement is identical.
 *
 * The walk is the same, call for call, in all of them, with as few values
 * live across the call as it allows (all in callee-saved registers).
 */
#include <string.h>

#include "bench.h"

#define LOOPS(k, pad)                                                        \
	static LOOP_FN int lib_copy_##k(struct accel_ctx *ctx,               \
					const struct copy_pair *p0,          \
					const struct copy_pair *pend,        \
					size_t n, uint64_t ops)              \
	{                                                                    \
		const struct copy_pair *p = p0;                              \
		int rc;                                                      \
		__asm__ volatile(".skip " #pad ", 0x90");                    \
		for (; ops; ops--) {                                         \
			if ((rc = accel_memcpy(ctx, p->dst, p->src, n)))     \
				return rc;                                   \
			__asm__ volatile("" ::: "memory");                   \
			if (++p == pend)                                     \
				p = p0;                                      \
		}                                                            \
		return 0;                                                    \
	}                                                                    \
	static LOOP_FN int lib_move_##k(struct accel_ctx *ctx,               \
					const struct copy_pair *p0,          \
					const struct copy_pair *pend,        \
					size_t n, uint64_t ops)              \
	{                                                                    \
		const struct copy_pair *p = p0;                              \
		int rc;                                                      \
		__asm__ volatile(".skip " #pad ", 0x90");                    \
		for (; ops; ops--) {                                         \
			if ((rc = accel_memmove(ctx, p->dst, p->src, n)))    \
				return rc;                                   \
			__asm__ volatile("" ::: "memory");                   \
			if (++p == pend)                                     \
				p = p0;                                      \
		}                                                            \
		return 0;                                                    \
	}                                                                    \
	static LOOP_FN void base_copy_##k(const struct copy_pair *p0,        \
					  const struct copy_pair *pend,      \
					  size_t n, uint64_t ops)            \
	{                                                                    \
		const struct copy_pair *p = p0;                              \
		__asm__ volatile(".skip " #pad ", 0x90");                    \
		for (; ops; ops--) {                                         \
			memcpy(p->dst, p->src, n);                           \
			__asm__ volatile("" ::: "memory");                   \
			if (++p == pend)                                     \
				p = p0;                                      \
		}                                                            \
	}                                                                    \
	static LOOP_FN void base_move_##k(const struct copy_pair *p0,        \
					  const struct copy_pair *pend,      \
					  size_t n, uint64_t ops)            \
	{                                                                    \
		const struct copy_pair *p = p0;                              \
		__asm__ volatile(".skip " #pad ", 0x90");                    \
		for (; ops; ops--) {                                         \
			memmove(p->dst, p->src, n);                          \
			__asm__ volatile("" ::: "memory");                   \
			if (++p == pend)                                     \
				p = p0;                                      \
		}                                                            \
	}

LOOPS(0, 4)
LOOPS(1, 12)
LOOPS(2, 20)
LOOPS(3, 28)
LOOPS(4, 36)
LOOPS(5, 44)
LOOPS(6, 52)
LOOPS(7, 60)

_Static_assert(BENCH_PLACES == 8, "one LOOPS() line per placement");

const bench_lib_loop_fn bench_lib_copy[BENCH_PLACES] = {
	lib_copy_0, lib_copy_1, lib_copy_2, lib_copy_3,
	lib_copy_4, lib_copy_5, lib_copy_6, lib_copy_7,
};
const bench_lib_loop_fn bench_lib_move[BENCH_PLACES] = {
	lib_move_0, lib_move_1, lib_move_2, lib_move_3,
	lib_move_4, lib_move_5, lib_move_6, lib_move_7,
};
const bench_base_loop_fn bench_base_copy[BENCH_PLACES] = {
	base_copy_0, base_copy_1, base_copy_2, base_copy_3,
	base_copy_4, base_copy_5, base_copy_6, base_copy_7,
};
const bench_base_loop_fn bench_base_move[BENCH_PLACES] = {
	base_move_0, base_move_1, base_move_2, base_move_3,
	base_move_4, base_move_5, base_move_6, base_move_7,
};
