// SPDX-License-Identifier: MIT
/*
 * The benchmark's folded CRC-16 T10 (PCLMULQDQ, four accumulators)
 * against the byte table: the check value, every length across the
 * 64-byte fold and 16-byte tail boundaries, unaligned starts, seeds.
 * Prints "crc16-baseline: N passed, M failed".
 */
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"

int main(void)
{
	enum { MAX = 4104 * 3 + 77 };
	static uint8_t buf[MAX + 8];
	unsigned pass = 0, fail = 0;
	uint16_t seed = 0x1234;

	for (unsigned i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(rand() >> 7);
	if (bench_crc16_t10(0, "123456789", 9) == 0xd0db &&
	    bench_crc16_t10_table(0, "123456789", 9) == 0xd0db)
		pass++;
	else
		fail++, printf("FAIL check value\n");
	for (size_t n = 0; n <= MAX; n += n < 1024 ? 1 : 7) {
		for (unsigned off = 0; off < 8; off += 3) {
			uint16_t want = bench_crc16_t10_table(seed, buf + off, n);
			uint16_t got = bench_crc16_t10(seed, buf + off, n);

			if (want == got) {
				pass++;
			} else if (fail++ < 10) {
				printf("FAIL n=%zu off=%u: %04x, want %04x\n", n,
				       off, got, want);
			}
			seed = (uint16_t)(seed * 25173u + 13849u);
		}
	}
	printf("crc16-baseline (%s): %u passed, %u failed\n",
	       bench_crc16_t10_fast() ? "pclmul" : "table", pass, fail);
	return fail != 0;
}
