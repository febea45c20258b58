// SPDX-License-Identifier: MIT
/*
 * Many threads, many operations, every backend: THREADS threads start
 * together and each runs OPS operations (asynchronous copies and fills
 * waited in every mode, batches, synchronous copies large enough to
 * split, compares with a planted difference, CRC-32C against a bitwise
 * reference), every result checked.  Each backend runs twice: every thread
 * on a queue of its own (dedicated), and all threads enqueuing into one
 * shared queue whose threshold refuses them at once (where the backend
 * has one: emul, and uacce or idxd on a shared queue; the cpu backend
 * refuses the mode, a visible SKIP).  A plain program,
 * so that it also runs under TSan and in the QEMU guest.
 *
 *   threads_test [threads] [ops]       (default 8 120)
 * Backends: $ACCEL_TEST_BACKENDS (default "emul cpu").
 * Prints "threads: N passed, M failed".
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accel.h"

static unsigned threads = 8, ops = 120;
static _Atomic unsigned passed, failed;
static pthread_barrier_t start;

struct worker {
	struct accel_ctx *ctx;
	unsigned id;
	char err[160];
};

/* CRC-32C as DSA computes it (reflected, inverted): a bitwise reference. */
static uint32_t ref_crc32c(uint32_t seed, const uint8_t *p, size_t n)
{
	uint32_t c = ~seed;

	while (n--) {
		c ^= *p++;
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0x82F63B78u & -(c & 1));
	}
	return ~c;
}

static uint8_t pat(unsigned seed, size_t i)
{
	return (uint8_t)(i * 31 + seed * 7 + (i >> 9));
}

#define FAIL(w, ...)                                                         \
	do {                                                                 \
		snprintf((w)->err, sizeof((w)->err), __VA_ARGS__);           \
		goto out;                                                    \
	} while (0)

static int submit(struct accel_ctx *ctx, struct accel_op *op)
{
	int rc;

	while ((rc = accel_submit(ctx, op)) == -EAGAIN)
		; /* a shared queue refused the enqueue: retry */
	return rc;
}

static void *worker_main(void *arg)
{
	static const enum accel_wait_mode modes[] = {
		ACCEL_WAIT_SPIN, ACCEL_WAIT_PAUSE, ACCEL_WAIT_EVENT
	};
	struct worker *w = arg;
	size_t big = (1u << 20) + 4096 * w->id, n;
	uint8_t *a = malloc(big), *b = malloc(big);
	struct accel_op op, members[4], batch;
	unsigned i, k;
	int rc;

	if (!a || !b)
		FAIL(w, "out of memory");
	for (n = 0; n < big; n++)
		a[n] = pat(w->id, n);
	pthread_barrier_wait(&start);
	for (i = 0; i < ops; i++) {
		size_t len = 1 + (i * 7919u + w->id * 131u) % 65536;
		size_t at;
		uint32_t crc;

		switch (i % 6) {
		case 0: /* asynchronous copy, the wait mode varying */
			memset(b, 0, len);
			accel_prep_memmove(&op, b, a, len, 0);
			rc = submit(w->ctx, &op);
			if (!rc)
				rc = accel_wait(w->ctx, &op, modes[(i / 6) % 3]);
			if (rc || memcmp(a, b, len))
				FAIL(w, "op %u copy %zu: %s", i, len,
				     accel_strerror(rc));
			break;
		case 1: /* asynchronous fill */
			accel_prep_fill(&op, b, 0x0102030405060708ull * (i | 1),
					len, 0);
			rc = submit(w->ctx, &op);
			if (!rc)
				rc = accel_wait(w->ctx, &op, ACCEL_WAIT_PAUSE);
			for (n = 0; !rc && n < len; n++)
				if (b[n] != (uint8_t)((0x0102030405060708ull *
						       (i | 1)) >> (8 * (n % 8))))
					rc = -EIO;
			if (rc)
				FAIL(w, "op %u fill %zu: %s", i, len,
				     accel_strerror(rc));
			break;
		case 2: /* a batch of four copies */
			for (k = 0; k < 4; k++)
				accel_prep_memmove(&members[k], b + k * 16384,
						   a + k * 16384, 16384, 0);
			memset(b, 0, 4 * 16384);
			rc = accel_submit_batch(w->ctx, &batch, members, 4);
			while (rc == -EAGAIN)
				rc = accel_submit_batch(w->ctx, &batch,
							members, 4);
			if (!rc)
				rc = accel_wait(w->ctx, &batch,
						ACCEL_WAIT_PAUSE);
			if (rc || memcmp(a, b, 4 * 16384))
				FAIL(w, "op %u batch: %s", i,
				     accel_strerror(rc));
			break;
		case 3: /* a synchronous copy large enough to split */
			memset(b, 0, big);
			rc = accel_memcpy(w->ctx, b, a, big);
			if (rc || memcmp(a, b, big))
				FAIL(w, "op %u memcpy %zu: %s", i, big,
				     accel_strerror(rc));
			break;
		case 4: /* compare, equal then one byte planted */
			memcpy(b, a, len);
			rc = accel_compare(w->ctx, a, b, len, &at);
			if (rc != 0 || at != len)
				FAIL(w, "op %u compare equal: %d at %zu", i, rc,
				     at);
			b[len / 2] ^= 0x10;
			rc = accel_compare(w->ctx, a, b, len, &at);
			if (rc != 1 || at != len / 2)
				FAIL(w, "op %u compare: %d at %zu, not %zu", i,
				     rc, at, len / 2);
			break;
		default: /* CRC-32C against the reference */
			rc = accel_crc32c(w->ctx, a, len, i, &crc);
			if (rc || crc != ref_crc32c(i, a, len))
				FAIL(w, "op %u crc %zu: %s", i, len,
				     accel_strerror(rc));
			break;
		}
	}
out:
	free(a);
	free(b);
	return NULL;
}

static void run(const char *backend, enum accel_wq_mode mode)
{
	struct accel_opts o = { .backend = backend, .wq_mode = mode,
				.numa_node = -1 };
	struct worker *w = calloc(threads, sizeof(*w));
	pthread_t *t = calloc(threads, sizeof(*t));
	const char *name = mode == ACCEL_WQ_SHARED ? "shared" : "dedicated";
	struct accel_ctx *ctx;
	struct timespec t0, t1;
	unsigned i, bad = 0;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (mode == ACCEL_WQ_SHARED) {
		/* Far fewer slots than threads with work: refusals for sure. */
		o.wq_size = 16;
		o.shared_threshold = 4;
	}
	rc = accel_open_opts(&ctx, &o);
	if (rc == -EOPNOTSUPP) {
		printf("SKIP %s %s: the backend has no such queue\n", backend,
		       name);
		goto out;
	}
	if (rc || !w || !t) {
		printf("FAIL %s %s: open: %s\n", backend, name,
		       accel_strerror(rc));
		failed++;
		goto out;
	}
	pthread_barrier_init(&start, NULL, threads);
	for (i = 0; i < threads; i++) {
		w[i] = (struct worker){ .ctx = ctx, .id = i };
		if (pthread_create(&t[i], NULL, worker_main, &w[i]))
			return;
	}
	for (i = 0; i < threads; i++) {
		pthread_join(t[i], NULL);
		if (w[i].err[0]) {
			printf("FAIL %s %s thread %u: %s\n", backend, name, i,
			       w[i].err);
			bad++;
		}
	}
	pthread_barrier_destroy(&start);
	accel_close(ctx);
	if (bad) {
		failed++;
	} else {
		passed++;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		printf("PASS %s %s: %u threads x %u ops, %.0f ms\n", backend,
		       name, threads, ops,
		       (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
			       (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	}
out:
	free(w);
	free(t);
}

int main(int argc, char **argv)
{
	const char *env = getenv("ACCEL_TEST_BACKENDS");
	char list[128], *save = NULL, *b;

	if (argc > 1)
		threads = (unsigned)atoi(argv[1]);
	if (argc > 2)
		ops = (unsigned)atoi(argv[2]);
	if (!threads)
		return 2;
	snprintf(list, sizeof(list), "%s", env ? env : "emul cpu");
	for (b = strtok_r(list, " ", &save); b; b = strtok_r(NULL, " ", &save)) {
		run(b, ACCEL_WQ_DEDICATED);
		run(b, ACCEL_WQ_SHARED);
	}
	printf("threads: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
