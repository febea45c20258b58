// SPDX-License-Identifier: MIT
/*
 * In the QEMU 11.1 guest: the cost of one descriptor through the real
 * VMM, as a program pays it: write(2) of one memmove to the queue named
 * by argv[1], then a spin on its completion record.  Prints, per size,
 * the median and the 10th/90th percentiles of n round trips:
 *   vmm-cost: queue Q bytes B n N median_ns M p10_ns A p90_ns Z
 * docs/vmm.md sets these beside build/vfu-bench on the host.
 * Exit 0 when every descriptor succeeded.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kt_util.h"

#define N 100

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	static const uint32_t sizes[] = { 64, 4096, 65536 };
	static _Alignas(32) struct dsa_comp c;
	static uint64_t ns[N];
	uint8_t *src = malloc(65536), *dst = malloc(65536);
	struct kt_q q;
	int rc;

	if (argc != 2 || !src || !dst) {
		fprintf(stderr, "usage: vmm_cost NODE\n");
		return 2;
	}
	rc = kt_open(&q, argv[1], true, false);
	if (rc) {
		fprintf(stderr, "vmm_cost: open %s: %s\n", argv[1], strerror(-rc));
		return 1;
	}
	memset(src, 1, 65536);
	memset(dst, 0, 65536);
	for (unsigned int s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		for (int i = -10; i < N; i++) { /* ten to warm up */
			struct dsa_desc d;
			uint64_t t0 = now_ns();

			kt_desc(&d, DSA_OP_MEMMOVE, 0, src, dst, sizes[s], &c);
			rc = kt_write(&q, &d);
			if (rc || kt_wait(&c, 5000) != DSA_COMP_SUCCESS) {
				fprintf(stderr, "vmm_cost: %u bytes: write %d status %#x\n",
					sizes[s], rc, c.status);
				return 1;
			}
			if (i >= 0)
				ns[i] = now_ns() - t0;
		}
		qsort(ns, N, sizeof(ns[0]), cmp_u64);
		printf("vmm-cost: queue %s bytes %u n %d median_ns %llu p10_ns %llu p90_ns %llu\n",
		       argv[1], sizes[s], N, (unsigned long long)ns[N / 2],
		       (unsigned long long)ns[N / 10],
		       (unsigned long long)ns[N - N / 10]);
	}
	kt_close(&q);
	return 0;
}
