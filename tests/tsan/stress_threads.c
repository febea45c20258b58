// SPDX-License-Identifier: MIT
/*
 * Threaded stress under ThreadSanitizer: many submitters on one context
 * (dedicated and shared queues), every wait mode, threads that come and go,
 * split copies from several threads.  (Fork is tested in the conformance
 * suite: TSan does not support threads after a multi-threaded fork.)
 * A plain program (Criterion cannot run
 * under TSan): each case prints PASS or FAIL, the last line is
 * "stress: N passed, M failed", and the exit status is non-zero on failure.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stdatomic.h>
#include <unistd.h>

#include "accel.h"
#include "planted.h"
#include "emul.h"

#define THREADS 6
#define OPS 150

static int passed, failed;

static void report(const char *name, const char *err)
{
	if (err) {
		failed++;
		printf("FAIL %s: %s\n", name, err);
	} else {
		passed++;
		printf("PASS %s\n", name);
	}
	fflush(stdout);
}

struct worker {
	struct accel_ctx *ctx;
	int id;
	const char *err;
};

/* Mixed copies and CRCs, checked, with the wait mode varying per op. */
static void *worker_main(void *arg)
{
	static const enum accel_wait_mode modes[] = { ACCEL_WAIT_SPIN,
						      ACCEL_WAIT_PAUSE,
						      ACCEL_WAIT_EVENT };
	struct worker *w = arg;
	size_t n = 20000 + 997 * (size_t)w->id;
	uint8_t *a = malloc(n), *b = malloc(n);
	int i;

	if (!a || !b) {
		w->err = "out of memory";
		goto out;
	}
	memset(a, w->id + 1, n);
	for (i = 0; i < OPS && !w->err; i++) {
		struct accel_op op;
		size_t len = 1 + (size_t)(i * 131) % n;
		int rc;

		memset(b, 0, len);
		accel_prep_memmove(&op, b, a, len, 0);
		while ((rc = accel_submit(w->ctx, &op)) == -EAGAIN)
			;
		if (rc == 0)
			rc = accel_wait(w->ctx, &op, modes[i % 3]);
		if (rc)
			w->err = accel_strerror(rc);
		else if (memcmp(a, b, len))
			w->err = "copied data differs";
	}
out:
	free(a);
	free(b);
	return NULL;
}

static const char *run_threads(struct accel_ctx *ctx)
{
	struct worker w[THREADS];
	pthread_t t[THREADS];
	const char *err = NULL;
	int i;

	for (i = 0; i < THREADS; i++) {
		w[i] = (struct worker){ .ctx = ctx, .id = i };
		pthread_create(&t[i], NULL, worker_main, &w[i]);
	}
	for (i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		if (w[i].err && !err)
			err = w[i].err;
	}
	return err;
}

/* $STRESS_BACKEND: the guest runs this against uacce. */
static const char *backend(void)
{
	const char *b = getenv("STRESS_BACKEND");

	return b && *b ? b : "emul";
}

static void case_threads(const char *name, enum accel_wq_mode mode)
{
	struct accel_opts o = { .backend = backend(), .wq_mode = mode,
				.wq_size = 16, .shared_threshold = 8 };
	struct accel_ctx *ctx;
	int rc = accel_open_opts(&ctx, &o);

	if (rc) {
		report(name, accel_strerror(rc));
		return;
	}
	report(name, run_threads(ctx));
	/* The threads are gone: their queues must be too, and a second
	 * generation of threads must work on the same context. */
	report("threads come and go", run_threads(ctx));
	accel_close(ctx);
}

/* Large synchronous copies from several threads: split paths at once. */
static void *split_main(void *arg)
{
	struct worker *w = arg;
	size_t n = 3u << 20;
	uint8_t *a = malloc(n), *b = malloc(n);
	int i;

	if (!a || !b) {
		w->err = "out of memory";
		goto out;
	}
	memset(a, 0x5a + w->id, n);
	for (i = 0; i < 8 && !w->err; i++) {
		memset(b, 0, n);
		if (accel_memcpy(w->ctx, b, a, n) || memcmp(a, b, n))
			w->err = "split copy failed or differs";
	}
out:
	free(a);
	free(b);
	return NULL;
}

static void case_split(void)
{
	struct accel_ctx *ctx;
	struct worker w[3];
	pthread_t t[3];
	const char *err = NULL;
	int i;

	if (accel_open(&ctx, backend())) {
		report("concurrent split copies", "open failed");
		return;
	}
	for (i = 0; i < 3; i++) {
		w[i] = (struct worker){ .ctx = ctx, .id = i };
		pthread_create(&t[i], NULL, split_main, &w[i]);
	}
	for (i = 0; i < 3; i++) {
		pthread_join(t[i], NULL);
		if (w[i].err && !err)
			err = w[i].err;
	}
	accel_close(ctx);
	report("concurrent split copies", err);
}

/*
 * Split copies and overlapping moves while the device stalls and resumes
 * under them: the submitters take pieces back from the engine as it takes
 * others, and every result must still be exact.
 */
struct stall {
	struct accel_ctx *ctx;
	_Atomic int stop;
};

static void *stall_main(void *arg)
{
	struct stall *s = arg;
	bool paused = false;

	while (!atomic_load(&s->stop)) {
		paused = !paused;
		accel_emul_pause(s->ctx, paused); /* -ENOTSUP off emul: fine */
		usleep(paused ? 300 : 700);
	}
	accel_emul_pause(s->ctx, false);
	return NULL;
}

static void *move_main(void *arg)
{
	struct worker *w = arg;
	size_t n = 3u << 20, gap = 700000 + 4096 * (size_t)w->id;
	uint8_t *a = malloc(n + gap), *ref = malloc(n + gap);
	int i;

	if (!a || !ref) {
		w->err = "out of memory";
		goto out;
	}
	for (i = 0; i < 6 && !w->err; i++) {
		uint8_t *d = i & 1 ? a + gap : a, *s = i & 1 ? a : a + gap;

		for (size_t k = 0; k < n + gap; k++)
			a[k] = (uint8_t)(k * 31 + (size_t)i + (size_t)w->id);
		memcpy(ref, a, n + gap);
		memmove(ref + (d - a), ref + (s - a), n);
		if (accel_memmove(w->ctx, d, s, n) || memcmp(a, ref, n + gap))
			w->err = "overlapping move failed or differs";
		else if (accel_memcpy(w->ctx, ref, a, n) || memcmp(a, ref, n))
			w->err = "split copy failed or differs";
	}
out:
	free(a);
	free(ref);
	return NULL;
}

static void case_split_stalls(void)
{
	struct stall st = { .stop = 0 };
	struct worker w[3];
	pthread_t t[3], ts;
	const char *err = NULL;
	int i;

	if (accel_open(&st.ctx, backend())) {
		report("split copies on a stalling device", "open failed");
		return;
	}
	pthread_create(&ts, NULL, stall_main, &st);
	for (i = 0; i < 3; i++) {
		w[i] = (struct worker){ .ctx = st.ctx, .id = i };
		pthread_create(&t[i], NULL, move_main, &w[i]);
	}
	for (i = 0; i < 3; i++) {
		pthread_join(t[i], NULL);
		if (w[i].err && !err)
			err = w[i].err;
	}
	atomic_store(&st.stop, 1);
	pthread_join(ts, NULL);
	accel_close(st.ctx);
	report("split copies on a stalling device", err);
}

int main(void)
{
	if (stress_planted()) /* make check-harness only */
		return 0;
	case_threads("dedicated queues, 6 threads", ACCEL_WQ_DEDICATED);
	case_threads("shared queue, 6 threads", ACCEL_WQ_SHARED);
	case_split();
	case_split_stalls();
	printf("stress: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
