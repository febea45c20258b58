// SPDX-License-Identifier: MIT
/*
 * Sleeping until a completion eventfd becomes readable: through io_uring
 * where the process may use it, else through poll(2).  Containers often
 * refuse io_uring (Docker's default seccomp profile blocks io_uring_setup
 * since 2023; kernel.io_uring_disabled=2 does so system-wide), and
 * $ACCEL_NO_URING=1 asks for poll(2) outright (docs/io_uring.md).
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

bool accel_no_uring;

int accel_env_no_uring(void)
{
	const char *e = getenv("ACCEL_NO_URING");

	if (!e)
		return 0;
	if (!strcmp(e, "0") || !strcmp(e, "1")) {
		accel_no_uring = e[0] == '1';
		return 0;
	}
	return accel_env_bad("ACCEL_NO_URING", e, "not 0 or 1");
}

static int poll_sleep(int fd, uint64_t timeout_ns)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int ms = (int)(timeout_ns / 1000000u), rc;

	rc = poll(&p, 1, ms ? ms : 1);
	if (rc < 0)
		return errno == EINTR ? 0 : -errno;
	return rc ? 0 : -ETIMEDOUT;
}

int accel_fd_sleep(struct accel_fd_sleeper *s, int fd, uint64_t timeout_ns)
{
	struct __kernel_timespec ts;
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	int rc;

	if (s->state == ACCEL_SLEEP_NEW)
		s->state = !accel_no_uring &&
					   !io_uring_queue_init(2, &s->ring, 0) ?
				   ACCEL_SLEEP_URING :
				   ACCEL_SLEEP_POLL;
	if (s->state == ACCEL_SLEEP_POLL)
		return poll_sleep(fd, timeout_ns);
	sqe = io_uring_get_sqe(&s->ring);
	io_uring_prep_poll_add(sqe, fd, POLLIN);
	io_uring_submit(&s->ring);
	ts.tv_sec = (long long)(timeout_ns / 1000000000ull);
	ts.tv_nsec = (long long)(timeout_ns % 1000000000ull);
	rc = io_uring_wait_cqe_timeout(&s->ring, &cqe, &ts);
	if (rc == 0) {
		io_uring_cqe_seen(&s->ring, cqe);
		return 0;
	}
	/* Timed out: take the poll back before the ring is reused. */
	sqe = io_uring_get_sqe(&s->ring);
	io_uring_prep_poll_remove(sqe, 0);
	io_uring_submit_and_wait(&s->ring, 1);
	while (io_uring_peek_cqe(&s->ring, &cqe) == 0)
		io_uring_cqe_seen(&s->ring, cqe);
	return rc == -ETIME ? -ETIMEDOUT : rc;
}

void accel_fd_sleeper_fini(struct accel_fd_sleeper *s)
{
	if (s->state == ACCEL_SLEEP_URING)
		io_uring_queue_exit(&s->ring);
	s->state = ACCEL_SLEEP_NEW;
}
