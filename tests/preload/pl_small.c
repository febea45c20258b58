// SPDX-License-Identifier: MIT
/*
 * What a small call costs: CALLS calls of memcpy, memset and memcmp on 64
 * bytes, made through the PLT as any program's are (a volatile function
 * pointer keeps the compiler from inlining them).  Run it with and without
 * the preload; docs/preload.md has the numbers.
 *   pl_small [calls]      (default 20000000)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void *(*volatile cpy)(void *, const void *, size_t) = memcpy;
static void *(*volatile set)(void *, int, size_t) = memset;
static int (*volatile cmp)(const void *, const void *, size_t) = memcmp;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
	unsigned long calls = argc > 1 ? strtoul(argv[1], NULL, 0) : 20000000;
	static char a[64], b[64];
	volatile int sink = 0;
	double t0, t1, t2, t3;

	t0 = now();
	for (unsigned long i = 0; i < calls; i++)
		cpy(a, b, 64);
	t1 = now();
	for (unsigned long i = 0; i < calls; i++)
		set(a, (int)i, 64);
	t2 = now();
	for (unsigned long i = 0; i < calls; i++)
		sink += cmp(a, b, 64);
	t3 = now();
	printf("ns per 64-byte call: memcpy %.2f memset %.2f memcmp %.2f\n",
	       (t1 - t0) / calls, (t2 - t1) / calls, (t3 - t2) / calls);
	return sink == 12345;
}
