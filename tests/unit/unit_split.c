// SPDX-License-Identifier: MIT
/*
 * Split copies and moves (libaccel/split_copy.c): the calling CPU and the
 * device claim pieces of one range, so every byte is copied exactly once
 * and right whatever each side manages; what the device has not started
 * is taken back, so a call finishes even when the device never runs; an
 * overlapping move is cut into steps that are safe in order; and a bad
 * buffer is an error code, not a signal.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "emul.h"
#include "internal.h"
#include "tcommon.h"

#define MiB (1u << 20)

static struct accel_ctx *open_emul(void)
{
	struct accel_ctx *c;

	cr_assert_eq(accel_open(&c, "emul"), 0);
	return c;
}

/* Every byte once: the two sides' counts tile the copy exactly. */
static void assert_tiled(size_t n, const char *what)
{
	const struct accel_split_stats *s = &accel_split_last;

	cr_assert_eq(s->cpu + s->dev, n, "%s: cpu %zu + device %zu != %zu",
		     what, s->cpu, s->dev, n);
}

Test(split, every_byte_once_at_every_size)
{
	enum { N = 6 * MiB };
	uint8_t *a = malloc(N), *b = malloc(N + 64);
	struct accel_ctx *c = open_emul();

	cr_assert(a && b);
	tb_fill_random(a, N);
	for (size_t n = c->tune.split_min; n <= N; n = n * 5 / 3 + 4093) {
		memset(b, 0, N + 64);
		cr_assert_eq(accel_memcpy(c, b, a, n), 0, "n=%zu", n);
		cr_assert(!memcmp(a, b, n), "n=%zu", n);
		for (int k = 0; k < 64; k++)
			cr_assert_eq(b[n + k], 0, "n=%zu wrote past its end", n);
		assert_tiled(n, "memcpy");
	}
	accel_close(c);
	free(a);
	free(b);
}

/* Destination pages never touched: the device's pieces fault and resume
 * (the DSA partial-completion path), and the tiling still holds. */
Test(split, every_byte_once_into_untouched_pages)
{
	enum { N = 8 * MiB };
	uint8_t *a = malloc(N);
	struct accel_ctx *c = open_emul();

	cr_assert(a);
	tb_fill_random(a, N);
	for (int i = 0; i < 4; i++) {
		uint8_t *b = mmap(NULL, N, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		cr_assert_neq(b, MAP_FAILED);
		cr_assert_eq(accel_memcpy(c, b, a, N), 0);
		cr_assert(!memcmp(a, b, N), "round %d", i);
		assert_tiled(N, "untouched");
		munmap(b, N);
	}
	accel_close(c);
	free(a);
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
		assert_tiled(n, "memcpy");
	}
	accel_close(c);
	free(a);
	free(b);
}

/*
 * A watchdog for the stalled-device tests: it releases the device if the
 * call has not returned after a long while, so that a broken take-back
 * fails the test (the flag) instead of hanging it.  Not a timing test: the
 * call needs microseconds, the watchdog waits seconds.
 */
struct watchdog {
	struct accel_ctx *ctx;
	pthread_t t;
	pthread_mutex_t m;
	pthread_cond_t cv;
	bool done, fired;
};

static void *watchdog_main(void *arg)
{
	struct watchdog *w = arg;
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 20;
	pthread_mutex_lock(&w->m);
	while (!w->done &&
	       pthread_cond_timedwait(&w->cv, &w->m, &until) == 0)
		;
	if (!w->done) {
		w->fired = true;
		accel_emul_pause(w->ctx, false);
	}
	pthread_mutex_unlock(&w->m);
	return NULL;
}

static void watchdog_start(struct watchdog *w, struct accel_ctx *c)
{
	*w = (struct watchdog){ .ctx = c };
	pthread_mutex_init(&w->m, NULL);
	pthread_cond_init(&w->cv, NULL);
	cr_assert_eq(pthread_create(&w->t, NULL, watchdog_main, w), 0);
}

static bool watchdog_stop(struct watchdog *w)
{
	pthread_mutex_lock(&w->m);
	w->done = true;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->m);
	pthread_join(w->t, NULL);
	return !w->fired;
}

/*
 * The device holds every descriptor (as an engine thread that never gets a
 * core): the call still finishes, by taking its pieces back, and a piece
 * taken back never runs later, when the device wakes up.
 */
Test(split, a_stalled_device_is_not_waited_for)
{
	enum { N = 8 * MiB };
	uint8_t *a = malloc(N), *b = malloc(N);
	struct accel_ctx *c = open_emul();
	struct watchdog w;
	int rc;

	cr_assert(a && b);
	tb_fill_random(a, N);
	memset(b, 0, N);
	cr_assert_eq(accel_emul_pause(c, true), 0);
	watchdog_start(&w, c);
	rc = accel_memcpy(c, b, a, N);
	cr_assert(watchdog_stop(&w), "the copy waited for a stalled device");
	cr_assert_eq(rc, 0);
	cr_assert(!memcmp(a, b, N));
	assert_tiled(N, "stalled");
	cr_assert_gt(accel_split_last.taken_back, 0, "nothing taken back");
	cr_assert_eq(accel_split_last.dev, 0, "a paused device did work");

	/* Released now, the device must find nothing of that copy left. */
	memset(b, 0, N);
	cr_assert_eq(accel_emul_pause(c, false), 0);
	cr_assert_eq(accel_drain(c), 0);
	for (size_t i = 0; i < N; i += 4096)
		cr_assert_eq(b[i], 0, "a taken-back piece ran later (at %zu)",
			     i);
	accel_close(c);
	free(a);
	free(b);
}

/* A late device is not woken on every call: the next splits of that size
 * go without it for a while, then it is asked again. */
Test(split, a_late_device_is_left_alone_for_a_while)
{
	enum { N = 4 * MiB };
	uint8_t *a = malloc(N), *b = malloc(N);
	struct accel_ctx *c = open_emul();
	bool asked = false;

	cr_assert(a && b);
	tb_fill_random(a, N);
	cr_assert_eq(accel_emul_pause(c, true), 0);
	for (int i = 0; i < 2; i++) { /* once is chance, twice a pattern */
		cr_assert_eq(accel_memcpy(c, b, a, N), 0);
		cr_assert_gt(accel_split_last.taken_back, 0, "call %d", i);
	}
	memset(b, 0, N);
	cr_assert_eq(accel_memcpy(c, b, a, N), 0);
	cr_assert(!memcmp(a, b, N));
	cr_assert(accel_split_last.dev == 0 && accel_split_last.taken_back == 0,
		  "the late device was handed work again at once");
	cr_assert_eq(accel_emul_pause(c, false), 0);
	/* Lateness backs off to at most 256 calls, then the device is
	 * offered pieces again (whether it is quick enough or not). */
	for (int i = 0; i < 600 && !asked; i++) {
		memset(b, 0, N);
		cr_assert_eq(accel_memcpy(c, b, a, N), 0);
		cr_assert(!memcmp(a, b, N));
		asked = accel_split_last.dev || accel_split_last.taken_back;
	}
	cr_assert(asked, "the device was never asked again");
	accel_close(c);
	free(a);
	free(b);
}

/* A split that has cost more than the CPU alone is not chosen, but still
 * tried now and then (one call in 16, then half as often while it keeps
 * losing), so that a change can be seen. */
Test(split, a_costlier_split_is_only_tried)
{
	enum { N = 4 * MiB };
	uint8_t *a = malloc(N), *b = malloc(N);
	struct accel_ctx *c = open_emul();
	struct accel_split_class *k = &c->tune.split_class[2]; /* 4 MiB */
	unsigned splits = 0;

	cr_assert(a && b);
	tb_fill_random(a, N);
	atomic_store(&k->cost_split, 1000000000u); /* ns per MiB */
	atomic_store(&k->cost_cpu, 1000u);
	for (int i = 0; i < 32; i++) {
		memset(b, 0, N);
		cr_assert_eq(accel_memcpy(c, b, a, N), 0);
		cr_assert(!memcmp(a, b, N));
		splits += accel_last_path(c) == ACCEL_PATH_SPLIT;
	}
	cr_assert_eq(splits, 2, "%u splits in 32 calls", splits);
	/* Each losing trial doubles the wait for the next (up to 256
	 * calls): after the two, the next is call 63, not call 47. */
	cr_assert_eq(atomic_load(&k->trial_gap), 2);
	for (int i = 32; i < 63; i++) {
		cr_assert_eq(accel_memcpy(c, b, a, N), 0);
		splits += accel_last_path(c) == ACCEL_PATH_SPLIT;
	}
	cr_assert_eq(splits, 2, "%u splits in 63 calls", splits);
	accel_close(c);
	free(a);
	free(b);
}

/* The reference: glibc's memmove on a copy of the same buffer. */
static void check_move(struct accel_ctx *c, size_t total, size_t dst_off,
		       size_t src_off, size_t n)
{
	uint8_t *buf = malloc(total), *ref = malloc(total);

	cr_assert(buf && ref);
	tb_fill_random(buf, total);
	memcpy(ref, buf, total);
	memmove(ref + dst_off, ref + src_off, n);
	cr_assert_eq(accel_memmove(c, buf + dst_off, buf + src_off, n), 0,
		     "dst %zu src %zu n %zu", dst_off, src_off, n);
	cr_assert(!memcmp(buf, ref, total), "dst %zu src %zu n %zu", dst_off,
		  src_off, n);
	free(buf);
	free(ref);
}

/* Overlapping moves in both directions, at gaps below and above the size
 * at which steps split, with a working and a stalled device. */
Test(split, overlapping_moves_both_ways)
{
	static const size_t gaps[] = { 1, 64, 4095, 300000, 512 * 1024,
				       700001, 2 * MiB + 3 };
	enum { N = 5 * MiB + 17 };
	struct accel_ctx *c = open_emul();

	for (int paused = 0; paused < 2; paused++) {
		cr_assert_eq(accel_emul_pause(c, paused), 0);
		for (unsigned g = 0; g < sizeof(gaps) / sizeof(gaps[0]); g++) {
			check_move(c, N + gaps[g], 0, gaps[g], N); /* down */
			check_move(c, N + gaps[g], gaps[g], 0, N); /* up */
		}
		check_move(c, N, 0, 0, N); /* onto itself */
	}
	cr_assert_eq(accel_emul_pause(c, false), 0);
	accel_close(c);
}

/* A move between buffers that do not overlap is a split copy. */
Test(split, a_disjoint_move_splits)
{
	enum { N = 4 * MiB };
	uint8_t *a = malloc(N), *b = malloc(N);
	struct accel_ctx *c = open_emul();

	cr_assert(a && b);
	tb_fill_random(a, N);
	memset(b, 0, N);
	cr_assert_eq(accel_memmove(c, b, a, N), 0);
	cr_assert(!memcmp(a, b, N));
	assert_tiled(N, "memmove");
	accel_close(c);
	free(a);
	free(b);
}

/* Small moves stay on the caller, inline, like small copies. */
Test(split, small_moves_stay_on_the_cpu)
{
	uint8_t buf[256];
	struct accel_ctx *c = open_emul();

	for (int i = 0; i < 256; i++)
		buf[i] = (uint8_t)i;
	cr_assert_eq(accel_memmove(c, buf + 1, buf, 200), 0);
	cr_assert_eq(buf[1], 0);
	cr_assert_eq(buf[200], 199);
	cr_assert_eq(accel_last_path(c), ACCEL_PATH_CPU);
	cr_assert_eq((accel_memmove)(c, buf, buf + 1, 200), 0);
	cr_assert_eq(buf[0], 0);
	accel_close(c);
}

/* An address range with no mapping at all. */
static uint8_t *unmapped(size_t n)
{
	void *p = mmap(NULL, n, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	cr_assert_neq(p, MAP_FAILED);
	munmap(p, n);
	return p;
}

/* NULL, hidden from the compiler's non-null checks of the inline path. */
static void *volatile null_ptr;

static void bad_pointers(struct accel_ctx *c, const char *how)
{
	uint8_t *const NUL = null_ptr;
	size_t n = 1 * MiB;
	uint8_t *a = malloc(4 * n), *ro, *gone;

	cr_assert(a);
	memset(a, 1, 4 * n);
	ro = mmap(NULL, 4 * n, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	cr_assert_neq(ro, MAP_FAILED);
	gone = unmapped(4 * n); /* last: nothing may be mapped there again */
	for (size_t sz = n; sz <= 4 * n; sz *= 4) {
		cr_assert_eq(accel_memcpy(c, NUL, a, sz), -EFAULT, "%s", how);
		cr_assert_eq(accel_memcpy(c, a, NUL, sz), -EFAULT, "%s", how);
		cr_assert_eq(accel_memcpy(c, gone, a, sz), -EFAULT, "%s", how);
		cr_assert_eq(accel_memcpy(c, a, gone, sz), -EFAULT, "%s", how);
		cr_assert_eq(accel_memcpy(c, ro, a, sz), -EFAULT, "%s", how);
		cr_assert_eq(accel_memmove(c, NUL, a, sz), -EFAULT, "%s", how);
		cr_assert_eq(accel_memmove(c, a, NUL, sz), -EFAULT, "%s", how);
		cr_assert_eq(accel_memmove(c, gone, a, sz), -EFAULT, "%s", how);
		cr_assert_eq(accel_memmove(c, ro, a, sz), -EFAULT, "%s", how);
		/* Overlapping, partly past the end of a mapping. */
		cr_assert_eq(accel_memmove(c, gone + 4096, gone, sz), -EFAULT,
			     "%s", how);
	}
	/* The library function answers at every size, small ones too (the
	 * inline move below the CPU threshold faults as memmove does). */
	cr_assert_eq((accel_memmove)(c, gone, a, 100), -EFAULT, "%s", how);
	cr_assert_eq((accel_memmove)(c, NUL, a, 100), -EFAULT, "%s", how);
	cr_assert_eq((accel_memmove)(c, NUL, NUL, 0), 0, "%s", how);
	/* Unharmed: the next copy works. */
	cr_assert_eq(accel_memcpy(c, a + 2 * n, a, n), 0, "%s", how);
	munmap(ro, 4 * n);
	free(a);
}

Test(split, bad_pointers_are_errors)
{
	struct accel_ctx *c = open_emul();

	bad_pointers(c, "device running");
	cr_assert_eq(accel_emul_pause(c, true), 0);
	bad_pointers(c, "device stalled");
	cr_assert_eq(accel_emul_pause(c, false), 0);
	accel_close(c);
}
