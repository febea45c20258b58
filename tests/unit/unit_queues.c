// SPDX-License-Identifier: MIT
/*
 * The emul backend's work queues as the hardware's behave: a shared queue
 * refuses at its threshold and loses nothing, a dedicated queue would drop
 * a posted write past its size (so the library never sends one), every
 * wait mode completes, the engine sleeps when idle, and many threads can
 * submit on one context at once.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "emul.h"
#include "tcommon.h"

static struct accel_ctx *open_emul(enum accel_wq_mode mode, uint32_t size,
				   uint32_t threshold)
{
	struct accel_opts o = { .backend = "emul", .wq_mode = mode,
				.wq_size = size, .shared_threshold = threshold,
				.numa_node = -1 };
	struct accel_ctx *c = NULL;

	cr_assert_eq(accel_open_opts(&c, &o), 0);
	return c;
}

Test(queues, shared_queue_refuses_at_threshold_and_loses_nothing)
{
	struct accel_ctx *c = open_emul(ACCEL_WQ_SHARED, 16, 6);
	struct accel_op op[8];
	int i;

	cr_assert_eq(accel_emul_pause(c, true), 0);
	for (i = 0; i < 8; i++)
		accel_prep_noop(&op[i]);
	for (i = 0; i < 6; i++)
		cr_assert_eq(accel_submit(c, &op[i]), 0, "enqueue %d", i);
	cr_assert_eq(accel_submit(c, &op[6]), -EAGAIN,
		     "the 7th enqueue must be refused (retry)");
	cr_assert_eq(accel_poll(c, &op[0]), -EINPROGRESS, "engine paused");
	cr_assert_eq(accel_emul_pause(c, false), 0);
	for (i = 0; i < 6; i++)
		cr_assert_eq(accel_wait(c, &op[i], ACCEL_WAIT_PAUSE), 0);
	cr_assert_eq(accel_submit(c, &op[6]), 0, "retry after room");
	cr_assert_eq(accel_wait(c, &op[6], ACCEL_WAIT_PAUSE), 0);
	accel_close(c);
}

Test(queues, dedicated_queue_is_never_overfilled)
{
	struct accel_ctx *c = open_emul(ACCEL_WQ_DEDICATED, 8, 0);
	struct accel_op op[9];
	struct dsa_comp comp __attribute__((aligned(32)));
	struct dsa_desc d;
	int i;

	cr_assert_eq(accel_emul_pause(c, true), 0);
	for (i = 0; i < 9; i++)
		accel_prep_noop(&op[i]);
	for (i = 0; i < 8; i++)
		cr_assert_eq(accel_submit(c, &op[i]), 0);
	cr_assert_eq(accel_submit(c, &op[8]), -EAGAIN,
		     "the library must not post into a full dedicated queue");
	cr_assert_eq(accel_emul_dropped(c), 0);
	/* What the library prevents: the device drops the posted write. */
	tb_desc(&d, DSA_OP_NOOP, DSA_FLAG_CRAV | DSA_FLAG_RCR, NULL, NULL, 0);
	d.completion_addr = (uintptr_t)&comp;
	memset(&comp, 0, sizeof(comp));
	cr_assert_eq(accel_emul_post_raw(c, &d), -ENOSPC);
	cr_assert_eq(accel_emul_dropped(c), 1);
	cr_assert_eq(accel_emul_pause(c, false), 0);
	for (i = 0; i < 8; i++)
		cr_assert_eq(accel_wait(c, &op[i], ACCEL_WAIT_PAUSE), 0);
	usleep(20000);
	cr_assert_eq(comp.status, 0, "a dropped descriptor never completes");
	accel_close(c);
}

struct release_arg {
	struct accel_ctx *c;
	int delay_us;
};

static void *release_later(void *p)
{
	struct release_arg *a = p;

	usleep((useconds_t)a->delay_us);
	accel_emul_pause(a->c, false);
	return NULL;
}

Test(queues, every_wait_mode_completes)
{
	const enum accel_wait_mode modes[] = { ACCEL_WAIT_SPIN, ACCEL_WAIT_PAUSE,
					       ACCEL_WAIT_UMWAIT,
					       ACCEL_WAIT_EVENT };
	struct accel_ctx *c = open_emul(ACCEL_WQ_DEDICATED, 32, 0);
	struct accel_info info;

	cr_assert_eq(accel_get_info(c, &info), 0);
	for (unsigned m = 0; m < 4; m++) {
		struct release_arg a = { c, 20000 };
		struct accel_op op;
		pthread_t t;
		int rc;

		/* Held in the queue for 20 ms, released by another thread. */
		cr_assert_eq(accel_emul_pause(c, true), 0);
		accel_prep_noop(&op);
		cr_assert_eq(accel_submit(c, &op), 0);
		pthread_create(&t, NULL, release_later, &a);
		rc = accel_wait(c, &op, modes[m]);
		pthread_join(t, NULL);
		if (modes[m] == ACCEL_WAIT_UMWAIT && !info.has_waitpkg) {
			cr_assert_eq(rc, -ENOTSUP,
				     "UMWAIT without WAITPKG is refused");
			cr_assert_eq(accel_wait(c, &op, ACCEL_WAIT_PAUSE), 0);
			continue;
		}
		cr_assert_eq(rc, 0, "wait mode %u: %s", m, accel_strerror(rc));
	}
	cr_assert_eq(accel_wait(c, &(struct accel_op){ 0 }, 99), -EINVAL);
	accel_close(c);
}

static double cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

Test(queues, idle_engine_sleeps)
{
	struct accel_ctx *c = open_emul(ACCEL_WQ_DEDICATED, 32, 0);
	double t0;

	for (int i = 0; i < 100; i++)
		cr_assert_eq(accel_noop(c), 0);
	usleep(100000); /* past the engine's short spin */
	t0 = cpu_ms();
	usleep(300000);
	cr_assert_lt(cpu_ms() - t0, 30.0,
		     "the idle engine used %.1f ms of CPU in 300 ms",
		     cpu_ms() - t0);
	/* And it wakes for new work. */
	cr_assert_eq(accel_noop(c), 0);
	accel_close(c);
}

struct worker {
	struct accel_ctx *c;
	int id;
	int errors;
};

static void *copy_worker(void *p)
{
	struct worker *w = p;
	uint8_t src[2048], dst[2048];

	for (int i = 0; i < 400; i++) {
		struct accel_op op;
		size_t n = 1 + (size_t)((i * 37 + w->id * 11) % sizeof(src));
		int rc;

		memset(src, w->id * 16 + i, n);
		memset(dst, 0, n);
		accel_prep_memmove(&op, dst, src, n, 0);
		while ((rc = accel_submit(w->c, &op)) == -EAGAIN)
			sched_yield();
		if (rc || accel_wait(w->c, &op, ACCEL_WAIT_PAUSE) ||
		    memcmp(src, dst, n))
			w->errors++;
	}
	return NULL;
}

static void many_threads(enum accel_wq_mode mode)
{
	struct accel_ctx *c = open_emul(mode, 16, 4);
	struct worker w[8];
	pthread_t t[8];

	for (int i = 0; i < 8; i++) {
		w[i] = (struct worker){ c, i, 0 };
		pthread_create(&t[i], NULL, copy_worker, &w[i]);
	}
	for (int i = 0; i < 8; i++) {
		pthread_join(t[i], NULL);
		cr_assert_eq(w[i].errors, 0, "thread %d: %d bad copies", i,
			     w[i].errors);
	}
	accel_close(c);
}

Test(queues, many_threads_dedicated)
{
	many_threads(ACCEL_WQ_DEDICATED);
}

Test(queues, many_threads_shared)
{
	many_threads(ACCEL_WQ_SHARED);
}
