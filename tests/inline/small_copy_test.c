// SPDX-License-Identifier: MIT
/*
 * The inline small copy of accel.h (accel_small_copy.h) against memmove:
 * every size 0..1024, sources at several alignments, every destination
 * distance from -40 to +40 bytes and the distances where the buffers just
 * touch, just overlap or overlap by half, through accel_memmove() and (when
 * the buffers do not overlap) accel_memcpy().  The bytes around the
 * destination must be untouched, and every copy that ends at a page
 * followed by an inaccessible one, or starts at a page preceded by one,
 * must not fault: a load or store outside [p, p + n) would.
 *
 * Built several ways by tests/inline/inline.mk (default, -mavx2,
 * ACCEL_NO_INLINE_AVX, clang), since each takes other branches of the
 * header.  Exit status 0: every case right; 1: the first wrong case is
 * printed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "accel.h"

#define MAX_N 1024
#define MARGIN 64
#define ARENA (4 * MAX_N)

static unsigned char arena[ARENA], want[ARENA];
static unsigned long cases;

static void fill(unsigned char *p, size_t len, unsigned seed)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (unsigned char)(i * 131u + seed * 7u + (i >> 8));
}

/* One case: n bytes from arena[so] to arena[so + delta]. */
static int one(struct accel_ctx *ctx, size_t n, size_t so, long delta,
	       int copy)
{
	size_t dof = (size_t)((long)so + delta);
	size_t lo = (so < dof ? so : dof) - MARGIN;
	size_t hi = (so > dof ? so : dof) + n + MARGIN;
	int rc;

	fill(arena + lo, hi - lo, (unsigned)(n + so));
	memcpy(want + lo, arena + lo, hi - lo);
	memmove(want + dof, want + so, n);
	if (copy)
		rc = accel_memcpy(ctx, arena + dof, arena + so, n);
	else
		rc = accel_memmove(ctx, arena + dof, arena + so, n);
	cases++;
	if (rc || memcmp(arena + lo, want + lo, hi - lo)) {
		size_t i = lo;

		while (i < hi && arena[i] == want[i])
			i++;
		fprintf(stderr,
			"FAIL accel_%s n=%zu src=+%zu dst=%+ld: rc %d, first wrong byte at %+ld from dst\n",
			copy ? "memcpy" : "memmove", n, so, delta, rc,
			(long)i - (long)dof);
		return 1;
	}
	return 0;
}

static int sizes_and_overlaps(struct accel_ctx *ctx)
{
	static const size_t src_off[] = { 0, 1, 15, 31 };

	for (size_t n = 0; n <= MAX_N; n++) {
		long far[] = { (long)n - 1, (long)n, (long)n + 1,
			       (long)n + 33, (long)n / 2, (long)n - 16,
			       (long)n - 32 };

		for (size_t k = 0; k < sizeof(src_off) / sizeof(src_off[0]);
		     k++) {
			size_t so = MAX_N + 2 * MARGIN + src_off[k];

			for (long d = -40; d <= 40; d++)
				if (one(ctx, n, so, d, 0))
					return 1;
			for (size_t j = 0; j < sizeof(far) / sizeof(far[0]);
			     j++) {
				long d = far[j];

				if (d <= 40)
					continue; /* done above */
				if (one(ctx, n, so, d, 0) ||
				    one(ctx, n, so, -d, 0))
					return 1;
				/* Apart by at least n: a memcpy too. */
				if (d >= (long)n && (one(ctx, n, so, d, 1) ||
						     one(ctx, n, so, -d, 1)))
					return 1;
			}
		}
	}
	return 0;
}

/* Copies flush against an inaccessible page on either side: a byte read
 * or written outside the buffer faults (the test dies on SIGSEGV). */
static int page_edges(struct accel_ctx *ctx)
{
	long pg = sysconf(_SC_PAGESIZE);
	unsigned char *m = mmap(NULL, (size_t)pg * 5, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned char *a, *b, *a_end, *b_end;

	if (m == MAP_FAILED || mprotect(m, (size_t)pg, PROT_NONE) ||
	    mprotect(m + 2 * pg, (size_t)pg, PROT_NONE) ||
	    mprotect(m + 4 * pg, (size_t)pg, PROT_NONE)) {
		perror("mmap/mprotect");
		return 1;
	}
	a = m + pg; /* a page between guards */
	b = m + 3 * pg;
	a_end = a + pg;
	b_end = b + pg;
	for (size_t n = 0; n <= MAX_N; n++) {
		fill(a, (size_t)pg, (unsigned)n);
		/* source at the start of its page, destination at the end */
		if (accel_memcpy(ctx, b_end - n, a, n) ||
		    memcmp(b_end - n, a, n) ||
		    /* source at the end, destination at the start */
		    accel_memmove(ctx, b, a_end - n, n) ||
		    memcmp(b, a_end - n, n)) {
			fprintf(stderr, "FAIL page edge copy, n=%zu\n", n);
			return 1;
		}
		cases += 2;
	}
	munmap(m, (size_t)pg * 5);
	return 0;
}

int main(void)
{
	struct accel_ctx *ctx;
	int rc = accel_open(&ctx, "cpu");

	if (rc) {
		fprintf(stderr, "accel_open(cpu): %s\n", accel_strerror(rc));
		return 1;
	}
	/* The inline path runs only below the context's CPU threshold. */
	if (((const struct accel_ctx_head *)ctx)->cpu_max <= MAX_N) {
		fprintf(stderr, "CPU threshold below %d: set ACCEL_CPU_MAX\n",
			MAX_N);
		accel_close(ctx);
		return 1;
	}
	rc = sizes_and_overlaps(ctx) || page_edges(ctx);
	accel_close(ctx);
	printf("small copy (inline up to %d B, %s): %lu cases, %s\n",
	       ACCEL_SMALL_COPY_MAX,
#if defined(__x86_64__) && !defined(ACCEL_NO_INLINE_AVX)
	       __builtin_cpu_supports("avx") ? "AVX" : "16-byte",
#else
	       "16-byte",
#endif
	       cases, rc ? "FAILED" : "all right");
	return rc;
}
