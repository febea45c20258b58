// SPDX-License-Identifier: MIT
/*
 * Completions in an application's io_uring (libaccel/notify.c), and
 * waiting for completions where io_uring is refused (libaccel/fd_sleep.c):
 * by $ACCEL_NO_URING=1, and by a seccomp filter that fails io_uring_setup
 * as a container's profile does.  Backends: $ACCEL_TEST_BACKENDS (default
 * "emul cpu").  Prints "uring: N passed, M failed".
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <liburing.h>

#include "accel.h"

#define OPS 24
#define LEN (256u << 10)

static unsigned passed, failed;

#define EXPECT(cond, ...)                                                    \
	do {                                                                 \
		if (cond) {                                                  \
			passed++;                                            \
		} else {                                                     \
			failed++;                                            \
			fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
			fprintf(stderr, __VA_ARGS__);                        \
			fputc('\n', stderr);                                 \
		}                                                            \
	} while (0)

struct slot {
	struct accel_op op;
	unsigned char src[LEN], dst[LEN];
} __attribute__((aligned(64)));

static struct slot slots[OPS];

static void prep(struct accel_ctx *ctx, unsigned i)
{
	memset(slots[i].src, (int)(i + 1), LEN);
	memset(slots[i].dst, 0, LEN);
	accel_prep_memmove(&slots[i].op, slots[i].dst, slots[i].src, LEN, 0);
	while (accel_submit(ctx, &slots[i].op) == -EAGAIN)
		;
}

static int intact(unsigned i)
{
	return !memcmp(slots[i].src, slots[i].dst, LEN);
}

/* Every op's completion arrives as a tagged CQE in our own ring. */
static void app_ring(const char *backend)
{
	struct accel_op *inflight[OPS];
	struct accel_notify *nt;
	struct accel_ctx *ctx;
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	unsigned i, left = OPS, reaped = 0, cqes = 0;
	int rc;

	rc = accel_open(&ctx, backend);
	EXPECT(rc == 0, "%s: open: %s", backend, accel_strerror(rc));
	if (rc)
		return;
	rc = accel_notify_open(ctx, &nt);
	EXPECT(rc == 0 && accel_notify_fd(nt) >= 0, "%s: notify_open: %s",
	       backend, accel_strerror(rc));
	if (rc)
		goto out_ctx;
	if (io_uring_queue_init(4, &ring, 0)) {
		EXPECT(0, "%s: io_uring unavailable here", backend);
		goto out_nt;
	}
	for (i = 0; i < OPS; i++) {
		prep(ctx, i);
		inflight[i] = &slots[i].op;
	}
	while (left) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
		int n;

		io_uring_prep_poll_add(sqe, accel_notify_fd(nt), POLLIN);
		io_uring_sqe_set_data64(sqe, 0xacce1);
		io_uring_submit(&ring);
		if (io_uring_wait_cqe(&ring, &cqe))
			break;
		cqes += io_uring_cqe_get_data64(cqe) == 0xacce1 &&
			cqe->res > 0;
		io_uring_cqe_seen(&ring, cqe);
		n = accel_notify_reap(nt, inflight, left);
		if (n < 0)
			break;
		for (i = 0; i < (unsigned)n; i++)
			reaped += accel_poll(ctx, inflight[i]) == 0;
		memmove(inflight, inflight + n,
			(left - (unsigned)n) * sizeof(*inflight));
		left -= (unsigned)n;
	}
	EXPECT(left == 0 && reaped == OPS, "%s: %u of %u reaped", backend,
	       reaped, OPS);
	EXPECT(cqes >= 1, "%s: tagged CQEs seen: %u", backend, cqes);
	for (i = 0; i < OPS; i++)
		EXPECT(intact(i), "%s: op %u's copy", backend, i);
	io_uring_queue_exit(&ring);
out_nt:
	accel_notify_close(nt);
out_ctx:
	accel_close(ctx);
}

/* reap: bad arguments, NULL entries, an op never submitted. */
static void reap_edges(const char *backend)
{
	struct accel_op *list[2] = { NULL, NULL };
	struct accel_notify *nt;
	struct accel_ctx *ctx;

	if (accel_open(&ctx, backend))
		return;
	EXPECT(accel_notify_open(NULL, &nt) == -EINVAL, "open(NULL)");
	EXPECT(accel_notify_open(ctx, NULL) == -EINVAL, "open(ctx, NULL)");
	EXPECT(accel_notify_fd(NULL) == -EINVAL, "fd(NULL)");
	EXPECT(accel_notify_reap(NULL, list, 2) == -EINVAL, "reap(NULL)");
	if (!accel_notify_open(ctx, &nt)) {
		EXPECT(accel_notify_reap(nt, NULL, 1) == -EINVAL,
		       "reap(ops NULL)");
		EXPECT(accel_notify_reap(nt, list, 2) == 0, "NULL entries");
		accel_notify_close(nt);
	}
	accel_notify_close(NULL);
	accel_close(ctx);
}

/* accel_wait(EVENT) for every op: the library's own sleeping. */
static int event_waits(const char *backend)
{
	struct accel_ctx *ctx;
	unsigned i, bad = 0;
	int rc = accel_open(&ctx, backend);

	if (rc)
		return rc;
	for (i = 0; i < OPS; i++)
		prep(ctx, i);
	/* The last op first: it is still queued behind the others, so this
	 * wait really sleeps on the completion eventfd (in order, a fast
	 * device has finished each op before its wait begins). */
	for (i = OPS; i-- > 0;)
		bad += accel_wait(ctx, &slots[i].op, ACCEL_WAIT_EVENT) != 0 ||
		       !intact(i);
	accel_close(ctx);
	return bad ? -EIO : 0;
}

/* As Docker's default profile does: io_uring_setup fails, all else runs. */
static int refuse_io_uring(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_setup, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(f) / sizeof(f[0]),
				   .filter = f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -errno;
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog))
		return -errno;
	return 0;
}

/* In a child: io_uring refused by seccomp (or by the variable). */
static void without_uring(const char *backend, int by_seccomp)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		struct io_uring r;
		int rc = 0;

		if (by_seccomp) {
			rc = refuse_io_uring();
			/* The filter is in place: io_uring really is gone. */
			if (!rc && io_uring_queue_init(2, &r, 0) != -ENOSYS)
				_exit(3);
		} else {
			setenv("ACCEL_NO_URING", "1", 1);
		}
		_exit(rc ? 4 : event_waits(backend) ? 1 : 0);
	}
	EXPECT(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
		       WEXITSTATUS(st) == 0,
	       "%s: ACCEL_WAIT_EVENT without io_uring (%s): status %d",
	       backend, by_seccomp ? "seccomp" : "ACCEL_NO_URING=1",
	       WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

static void bad_variable(void)
{
	struct accel_ctx *ctx = NULL;

	setenv("ACCEL_NO_URING", "yes", 1);
	EXPECT(accel_open(&ctx, "emul") == -EINVAL,
	       "ACCEL_NO_URING=yes refused");
	unsetenv("ACCEL_NO_URING");
	if (ctx)
		accel_close(ctx);
}

int main(void)
{
	const char *env = getenv("ACCEL_TEST_BACKENDS");
	char list[128], *save = NULL, *b;

	snprintf(list, sizeof(list), "%s", env ? env : "emul cpu");
	for (b = strtok_r(list, " ", &save); b; b = strtok_r(NULL, " ", &save)) {
		app_ring(b);
		reap_edges(b);
		EXPECT(event_waits(b) == 0, "%s: ACCEL_WAIT_EVENT", b);
		without_uring(b, 0);
		without_uring(b, 1);
	}
	bad_variable();
	printf("uring: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
