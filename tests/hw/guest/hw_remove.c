// SPDX-License-Identifier: MIT
/*
 * Run at the very end (guest-hw.sh, suite hw_remove): the driver is
 * unloaded while processes hold its queues open with work in flight, one
 * of them on a device that is halted for good (hw_last).  rmmod completes;
 * every queue's work is drained first (records written); the files
 * answer -ENODEV and poll() reports the error from then on.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#include "hwg.h"

/* Large enough that work is still queued when rmmod starts (the test
 * logs how much).  Whether removal drained it or let it finish is not
 * told apart here (with aborts instead of drains the work still finished
 * first in a trial): hw_close is the drain's test. */
#define N 32
#define XFER (4 << 20)

/*
 * rmmod by posix_spawn, not fork: a fork write-protects this process's
 * pages (copy-on-write) until it writes them again, and a device writing
 * the destination then faults without block-on-fault, as a real one
 * would on the read-only entries.
 */
static int run_rmmod(void)
{
	char *const argv[] = { "rmmod", "dsa_pci", NULL };
	int st;
	pid_t p;

	cr_assert_eq(posix_spawnp(&p, "rmmod", NULL, NULL, argv, environ), 0);
	cr_assert_eq(waitpid(p, &st, 0), p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

Test(hw_remove, rmmod_with_files_open_and_work_in_flight, .timeout = 60)
{
	static _Alignas(32) struct dsa_comp recs[N];
	uint8_t *src = malloc(XFER), *dst = malloc(XFER);
	struct pollfd pf;
	struct dsa_desc d;
	struct kt_q q;
	int n, pipefd[2], busy = 0;
	pid_t child;

	cr_assert(src && dst);
	memset(src, 0x77, XFER);
	cr_assert_eq(pipe(pipefd), 0);
	/* A second process holds the same queue, with work of its own. */
	child = fork();
	if (!child) {
		static _Alignas(32) struct dsa_comp c[4];
		struct kt_q cq;

		close(pipefd[0]);
		/* Never outlive the test, whatever it asserts. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		alarm(60);
		if (kt_open(&cq, hwg_dev("HW_V1_SWQ"), true, false))
			_exit(1);
		for (int k = 0; k < 4; k++) {
			kt_desc(&d, DSA_OP_MEMMOVE, 0, src, dst, XFER, &c[k]);
			kt_write(&cq, &d);
		}
		if (write(pipefd[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(pipefd[1]);
	cr_assert_eq(read(pipefd[0], &n, 1), 1, "child could not open");
	/* Present and writable here, after the fork: a page still shared
	 * copy-on-write with the child is read-only to a device, which
	 * faults on it without block-on-fault. */
	memset(dst, 0, XFER);
	hwg_open(&q, "HW_V1_SWQ");
	for (n = 0; n < N; n++) {
		kt_desc(&d, DSA_OP_MEMMOVE, 0, src, dst, XFER, &recs[n]);
		if (hwg_write(&q, &d, 1) != (long)sizeof(d))
			break;
	}
	cr_assert_gt(n, 1);
	for (int k = 0; k < n; k++)
		busy += !recs[k].status;
	cr_log_info("%d of %d descriptors in flight at rmmod", busy, n);
	cr_assert_eq(run_rmmod(), 0, "rmmod dsa_pci with files open");
	for (int k = 0; k < n; k++)
		cr_assert_eq(recs[k].status, DSA_COMP_SUCCESS,
			     "descriptor %d of %d: status %#x after removal",
			     k, n, recs[k].status);
	kt_desc(&d, DSA_OP_NOOP, 0, NULL, NULL, 0, &recs[0]);
	cr_assert_eq(hwg_write(&q, &d, 1), -ENODEV);
	pf = (struct pollfd){ .fd = q.fd, .events = POLLIN };
	cr_assert_eq(poll(&pf, 1, 1000), 1);
	cr_assert(pf.revents & (POLLERR | POLLHUP));
	kt_close(&q);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	free(src);
	free(dst);
}
