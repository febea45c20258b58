// SPDX-License-Identifier: MIT
/*
 * An application with its own io_uring loop that also receives libaccel
 * completions: it submits copies to the accelerator, adds the completion
 * eventfd to its ring with a POLL_ADD tagged ACCEL_TAG, and keeps a timer
 * of its own in the same ring.  When the poll fires it reaps what finished
 * and arms the poll again while copies remain.  Where the kernel (or a
 * container) refuses io_uring, the same loop runs on poll(2).
 *
 *   uring_loop [copies] [bytes]        (default 32 copies of 1 MiB)
 * Exit status 0 when every copy arrived intact.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <liburing.h>

#include "accel.h"

#define ACCEL_TAG 1 /* user_data of the poll on libaccel's eventfd */
#define TIMER_TAG 2 /* user_data of the application's own timer */

struct job {
	struct accel_op op; /* first: 64-byte aligned with the job */
	unsigned char *src, *dst;
	int done;
};

static void arm_poll(struct io_uring *ring, int fd)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	io_uring_prep_poll_add(sqe, fd, POLLIN);
	io_uring_sqe_set_data64(sqe, ACCEL_TAG);
}

/* Settle what finished; returns how many are still in flight. */
static unsigned reap(struct accel_notify *nt, struct accel_op **inflight,
		     unsigned left, unsigned *failed)
{
	int n = accel_notify_reap(nt, inflight, left), i;

	if (n < 0) {
		fprintf(stderr, "reap: %s\n", accel_strerror(n));
		*failed += left;
		return 0;
	}
	for (i = 0; i < n; i++) {
		struct job *j = (struct job *)inflight[i];

		if (accel_poll(NULL, &j->op) ||
		    memcmp(j->src, j->dst, j->op.orig_size))
			(*failed)++;
		j->done = 1;
	}
	/* The finished ones are at the front: keep the rest. */
	memmove(inflight, inflight + n, (left - (unsigned)n) * sizeof(*inflight));
	return left - (unsigned)n;
}

static unsigned loop_uring(struct io_uring *ring, struct accel_notify *nt,
			   struct accel_op **inflight, unsigned left)
{
	struct __kernel_timespec tick = { .tv_nsec = 5000000 };
	unsigned failed = 0, ticks = 0;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;

	arm_poll(ring, accel_notify_fd(nt));
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_timeout(sqe, &tick, 0, 0);
	io_uring_sqe_set_data64(sqe, TIMER_TAG);
	io_uring_submit(ring);
	while (left) {
		if (io_uring_wait_cqe(ring, &cqe))
			return failed + left;
		switch (io_uring_cqe_get_data64(cqe)) {
		case ACCEL_TAG:
			left = reap(nt, inflight, left, &failed);
			if (left)
				arm_poll(ring, accel_notify_fd(nt));
			break;
		case TIMER_TAG: /* the application's own work goes on */
			ticks++;
			sqe = io_uring_get_sqe(ring);
			io_uring_prep_timeout(sqe, &tick, 0, 0);
			io_uring_sqe_set_data64(sqe, TIMER_TAG);
			break;
		}
		io_uring_cqe_seen(ring, cqe);
		io_uring_submit(ring);
	}
	printf("io_uring loop: %u timer ticks meanwhile\n", ticks);
	return failed;
}

static unsigned loop_poll(struct accel_notify *nt, struct accel_op **inflight,
			  unsigned left)
{
	struct pollfd p = { .fd = accel_notify_fd(nt), .events = POLLIN };
	unsigned failed = 0;

	while (left) {
		if (poll(&p, 1, 5) < 0 && errno != EINTR)
			return failed + left;
		left = reap(nt, inflight, left, &failed);
	}
	printf("poll(2) loop\n");
	return failed;
}

int main(int argc, char **argv)
{
	unsigned copies = argc > 1 ? (unsigned)atoi(argv[1]) : 32, i, failed;
	size_t bytes = argc > 2 ? strtoull(argv[2], NULL, 0) : 1u << 20;
	struct accel_op **inflight = calloc(copies, sizeof(*inflight));
	struct job *jobs = aligned_alloc(64, copies * sizeof(*jobs));
	struct accel_notify *nt;
	struct accel_ctx *ctx;
	struct io_uring ring;
	int rc, have_ring;

	if (!inflight || !jobs || !copies)
		return 2;
	rc = accel_open(&ctx, NULL);
	if (rc == 0)
		rc = accel_notify_open(ctx, &nt);
	if (rc) {
		fprintf(stderr, "libaccel: %s\n", accel_strerror(rc));
		return 1;
	}
	for (i = 0; i < copies; i++) {
		struct job *j = &jobs[i];

		memset(j, 0, sizeof(*j));
		j->src = malloc(bytes);
		j->dst = malloc(bytes);
		if (!j->src || !j->dst)
			return 2;
		memset(j->src, (int)(i * 7 + 1), bytes);
		accel_prep_memmove(&j->op, j->dst, j->src, bytes, 0);
		while ((rc = accel_submit(ctx, &j->op)) == -EAGAIN)
			accel_notify_reap(nt, inflight, i); /* queue full */
		if (rc) {
			fprintf(stderr, "submit: %s\n", accel_strerror(rc));
			return 1;
		}
		inflight[i] = &j->op;
	}
	/* The same switch the library honours: no io_uring, poll(2) instead. */
	have_ring = !(getenv("ACCEL_NO_URING") &&
		      !strcmp(getenv("ACCEL_NO_URING"), "1")) &&
		    io_uring_queue_init(8, &ring, 0) == 0;
	failed = have_ring ? loop_uring(&ring, nt, inflight, copies) :
			     loop_poll(nt, inflight, copies);
	if (have_ring)
		io_uring_queue_exit(&ring);
	printf("%u copies of %zu bytes on %s: %u failed\n", copies, bytes,
	       accel_backend_name(ctx), failed);
	for (i = 0; i < copies; i++) {
		free(jobs[i].src);
		free(jobs[i].dst);
	}
	accel_notify_close(nt);
	accel_close(ctx);
	free(jobs);
	free(inflight);
	return failed ? 1 : 0;
}
