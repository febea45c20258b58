// SPDX-License-Identifier: MIT
/*
 * Many threads, started and ended in waves, each making large memcpy,
 * memmove (disjoint and overlapping), memset and memcmp calls that the
 * preload takes over; every result is checked with plain loops.  Written
 * as an ordinary program that knows nothing of libaccel.
 *
 *   pl_threads [threads] [waves] [rounds]     (default 8 3 3)
 * Prints "threads: N passed, M failed"; exit status 0 when none failed.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "pl_check.h"

#define SZ (3u << 20)

static _Atomic unsigned pl_passed, pl_failed;
static unsigned rounds = 3;
/* Read at run time: the compiler must not see that the two halves of one
 * buffer are disjoint (it would turn that memmove into a memcpy, as it
 * does for two separate allocations). */
static volatile size_t half = SZ + 4096;

static void *worker(void *arg)
{
	unsigned id = (unsigned)(uintptr_t)arg, r;
	uint8_t *a = malloc(SZ + 4096), *b = malloc(2 * (SZ + 4096));

	if (!a || !b) {
		pl_failed++;
		free(a);
		free(b);
		return NULL;
	}
	for (r = 0; r < rounds; r++) {
		unsigned seed = id * 131 + r;
		int c;

		pl_fill(a, seed, SZ);
		memcpy(b, a, SZ);
		PL_EXPECT(!pl_holds(b, seed, 0, SZ), "memcpy");
		PL_EXPECT(memcmp(a, b, SZ) == 0, "memcmp equal");
		b[SZ - 5] ^= 0x40;
		c = memcmp(a, b, SZ);
		PL_EXPECT(c != 0 && (c < 0) == (a[SZ - 5] < b[SZ - 5]),
			  "memcmp sign");
		memmove(b + half, b, SZ); /* disjoint halves: a copy */
		PL_EXPECT(!pl_holds(b + half, seed, 0, SZ - 8) &&
				  b[half + SZ - 5] == (a[SZ - 5] ^ 0x40),
			  "memmove");
		memmove(a + 1000, a, SZ - 1000); /* overlapping, upwards */
		PL_EXPECT(!pl_holds(a + 1000, seed, 0, SZ - 1000) &&
				  !pl_holds(a, seed, 0, 1000),
			  "memmove overlap");
		memset(a, (int)(seed & 0xff), SZ);
		PL_EXPECT(!pl_all(a, (uint8_t)seed, SZ), "memset");
	}
	free(a);
	free(b);
	return NULL;
}

int main(int argc, char **argv)
{
	unsigned threads = argc > 1 ? (unsigned)atoi(argv[1]) : 8;
	unsigned waves = argc > 2 ? (unsigned)atoi(argv[2]) : 3, w, i;
	pthread_t *t = calloc(threads, sizeof(*t));

	if (argc > 3)
		rounds = (unsigned)atoi(argv[3]);
	if (!t || !threads)
		return 2;
	for (w = 0; w < waves; w++) {
		for (i = 0; i < threads; i++)
			if (pthread_create(&t[i], NULL, worker,
					   (void *)(uintptr_t)(w * threads + i)))
				return 2;
		for (i = 0; i < threads; i++)
			pthread_join(t[i], NULL);
	}
	free(t);
	printf("threads: %u passed, %u failed\n", pl_passed, pl_failed);
	return pl_failed ? 1 : 0;
}
