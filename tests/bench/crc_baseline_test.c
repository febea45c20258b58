// SPDX-License-Identifier: MIT
/*
 * The benchmark's fast CRC-32C baseline (SSE4.2, three streams joined by
 * zero-extension tables) against the byte-table reference: every length
 * through all three tiers and their boundaries, unaligned starts, seeds.
 * Prints "crc-baseline: N passed, M failed".
 */
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"

int main(void)
{
	enum { MAX = 3 * 2048 * 3 + 777 };
	static uint8_t buf[MAX + 8];
	unsigned pass = 0, fail = 0;
	uint32_t seed = 0x12345678;

	for (unsigned i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(rand() >> 7);
	if (bench_crc32c(0, "123456789", 9) == 0xE3069283u)
		pass++;
	else
		fail++, printf("FAIL check value: %08x\n",
			       bench_crc32c(0, "123456789", 9));
	for (size_t n = 0; n <= MAX; n += n < 2048 ? 1 : 13) {
		for (unsigned off = 0; off < 8; off += 3) {
			uint32_t want = bench_crc32c_table(seed, buf + off, n);
			uint32_t got = bench_crc32c(seed, buf + off, n);

			if (want == got) {
				pass++;
			} else if (fail++ < 10) {
				printf("FAIL n=%zu off=%u: %08x, want %08x\n", n,
				       off, got, want);
			}
			seed = seed * 1103515245u + 12345u;
		}
	}
	printf("crc-baseline (%s): %u passed, %u failed\n", bench_crc32c_name(),
	       pass, fail);
	return fail != 0;
}
