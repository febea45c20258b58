// SPDX-License-Identifier: MIT
/*
 * The split copy's shares follow the speeds it observes: a device that is
 * late gets less of the next split of that size, the result is correct
 * whatever the share, and the shares stay within their bounds.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emul.h"
#include "internal.h"
#include "tcommon.h"

static void *unpause_later(void *arg)
{
	usleep(30000);
	accel_emul_pause(arg, false);
	return NULL;
}

static unsigned share_4m(struct accel_ctx *c)
{
	/* Classes: [0] below 2 MiB, [1] 2 MiB, [2] 4 MiB, ... */
	return atomic_load(&c->tune.split_device_pct[2]);
}

Test(split, a_late_device_gets_less_and_the_copy_is_right)
{
	enum { N = 4 << 20 };
	uint8_t *a = malloc(N), *b = malloc(N);
	struct accel_ctx *c;
	pthread_t t;
	unsigned before, after;

	cr_assert(a && b);
	tb_fill_random(a, N);
	cr_assert_eq(accel_open(&c, "emul"), 0);
	before = share_4m(c);
	cr_assert_eq(before, 50, "a context starts at half");

	/* The device holds its part for 30 ms: the CPU waits, the device
	 * share drops toward what that speed would have deserved. */
	cr_assert_eq(accel_emul_pause(c, true), 0);
	cr_assert_eq(pthread_create(&t, NULL, unpause_later, c), 0);
	memset(b, 0, N);
	cr_assert_eq(accel_memcpy(c, b, a, N), 0);
	pthread_join(t, NULL);
	cr_assert_eq(accel_last_path(c), ACCEL_PATH_SPLIT);
	cr_assert(!memcmp(a, b, N), "copy with a late device");
	after = share_4m(c);
	cr_assert_lt(after, before - 5, "late device: share %u -> %u", before,
		     after);

	/* Whatever the share becomes, copies stay right and it stays in
	 * bounds; sizes of other classes keep their own. */
	for (int i = 0; i < 40; i++) {
		size_t n = N - (size_t)(i + 1) * 4093;

		memset(b, 0, N);
		cr_assert_eq(accel_memcpy(c, b, a, n), 0);
		cr_assert(!memcmp(a, b, n), "copy %d", i);
		cr_assert_eq(b[n], 0, "copy %d wrote past its end", i);
		cr_assert_geq(share_4m(c), 5);
		cr_assert_leq(share_4m(c), 95);
	}
	cr_assert_eq(atomic_load(&c->tune.split_device_pct[7]), 50,
		     "128 MiB class untouched");
	accel_close(c);
	free(a);
	free(b);
}

/* Thresholds set to split everything: sizes too small to share still copy
 * (on the CPU), and every size comes out right. */
Test(split, any_size_when_everything_splits)
{
	enum { N = 300000 };
	uint8_t *a = malloc(N), *b = malloc(N + 1);
	struct accel_ctx *c;

	cr_assert(a && b);
	tb_fill_random(a, N);
	setenv("ACCEL_CPU_MAX", "0", 1);
	setenv("ACCEL_SPLIT_MIN", "0", 1);
	cr_assert_eq(accel_open(&c, "emul"), 0);
	unsetenv("ACCEL_CPU_MAX");
	unsetenv("ACCEL_SPLIT_MIN");
	for (size_t n = 1; n <= N; n = n * 3 + 1) {
		memset(b, 0, N + 1);
		cr_assert_eq(accel_memcpy(c, b, a, n), 0, "n=%zu", n);
		cr_assert(!memcmp(a, b, n), "n=%zu", n);
		cr_assert_eq(b[n], 0, "n=%zu wrote past its end", n);
		cr_assert_eq(accel_last_path(c),
			     n >= 2 * 4096 ? ACCEL_PATH_SPLIT : ACCEL_PATH_CPU,
			     "n=%zu", n);
	}
	accel_close(c);
	free(a);
	free(b);
}
