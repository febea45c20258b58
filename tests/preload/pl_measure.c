// SPDX-License-Identifier: MIT
/*
 * How the preload's default thresholds were chosen: per call and size, the
 * C library's function against the libaccel call the preload would make,
 * on the default backend.  Prints one line per size and, per call, the
 * smallest size from which libaccel is faster at that size and every larger
 * one measured ("never" if none).  Median of repeated runs; on a shared
 * machine the numbers move, so it prints what it measured, not a verdict.
 *
 *   pl_measure [max_size]      (default 64M)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accel.h"

#define REPS 9

enum { M_MEMCPY, M_MEMSET, M_MEMCMP, M_N };
static const char *const names[M_N] = { "memcpy", "memset", "memcmp" };

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static volatile int sink;

static void run(struct accel_ctx *ctx, int op, int lib, char *a, char *b,
		size_t n)
{
	size_t at;

	switch (op) {
	case M_MEMCPY:
		if (lib)
			(accel_memcpy)(ctx, a, b, n);
		else
			memcpy(a, b, n);
		break;
	case M_MEMSET:
		if (lib)
			accel_fill(ctx, a, 0x5a5a5a5a5a5a5a5aull, n);
		else
			memset(a, 0x5a, n);
		break;
	default:
		sink = lib ? accel_compare(ctx, a, b, n, &at) : memcmp(a, b, n);
		break;
	}
}

static uint64_t median_ns(struct accel_ctx *ctx, int op, int lib, char *a,
			  char *b, size_t n)
{
	uint64_t t[REPS];
	unsigned i, inner = n < (1u << 20) ? 16 : 2;

	for (i = 0; i < REPS; i++) {
		uint64_t t0 = now_ns();

		for (unsigned k = 0; k < inner; k++)
			run(ctx, op, lib, a, b, n);
		t[i] = (now_ns() - t0) / inner;
	}
	qsort(t, REPS, sizeof(t[0]), cmp_u64);
	return t[REPS / 2];
}

int main(int argc, char **argv)
{
	size_t max = 64u << 20, n, from[M_N];
	struct accel_ctx *ctx;
	char *a, *b;
	int rc, op;

	if (argc > 1)
		max = strtoull(argv[1], NULL, 0);
	rc = accel_open(&ctx, NULL);
	if (rc) {
		fprintf(stderr, "accel_open: %s\n", accel_strerror(rc));
		return 1;
	}
	a = aligned_alloc(4096, max);
	b = aligned_alloc(4096, max);
	if (!a || !b)
		return 1;
	memset(a, 1, max);
	memset(b, 1, max);
	printf("# backend %s; ns per call, median of %d (glibc / libaccel)\n",
	       accel_backend_name(ctx), REPS);
	printf("%10s", "size");
	for (op = 0; op < M_N; op++) {
		printf(" %22s", names[op]);
		from[op] = 0;
	}
	printf("\n");
	for (n = 64u << 10; n <= max; n *= 2) {
		printf("%10zu", n);
		for (op = 0; op < M_N; op++) {
			/* memcmp reads both buffers whole only when equal. */
			if (op == M_MEMCMP)
				memcpy(b, a, n);
			uint64_t g = median_ns(ctx, op, 0, a, b, n);
			uint64_t l = median_ns(ctx, op, 1, a, b, n);

			printf(" %10llu/%-11llu", (unsigned long long)g,
			       (unsigned long long)l);
			if (l >= g)
				from[op] = 0;
			else if (!from[op])
				from[op] = n;
		}
		printf("\n");
	}
	for (op = 0; op < M_N; op++)
		if (from[op])
			printf("# %s: libaccel faster from %zu bytes\n",
			       names[op], from[op]);
		else
			printf("# %s: libaccel never faster\n", names[op]);
	accel_close(ctx);
	free(a);
	free(b);
	return 0;
}
