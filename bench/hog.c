// SPDX-License-Identifier: MIT
/*
 * The busy machine, on demand: --hog N runs N processes that do nothing
 * but spin, for as long as the benchmark runs, as N other programs (a
 * build, a guest, a shell loop) would.  They are processes, not threads,
 * and left to the scheduler like any other program: the library must cope
 * with whatever placement it gets.  They die with the benchmark, also if
 * it is killed (PR_SET_PDEATHSIG).
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

#define HOG_MAX 256

static pid_t hogs[HOG_MAX];
static unsigned nhogs;

static void hog_stop(void)
{
	unsigned i;

	for (i = 0; i < nhogs; i++)
		kill(hogs[i], SIGKILL);
	for (i = 0; i < nhogs; i++)
		waitpid(hogs[i], NULL, 0);
	nhogs = 0;
}

static _Noreturn void hog_main(pid_t parent)
{
	volatile unsigned long spin = 0;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent) /* the parent died before the prctl */
		_exit(0);
	for (;;)
		spin++;
}

int bench_hog_start(unsigned n)
{
	pid_t parent = getpid();

	if (n > HOG_MAX)
		return -EINVAL;
	if (n && atexit(hog_stop))
		return -ENOMEM;
	while (nhogs < n) {
		pid_t p = fork();

		if (p < 0) {
			int rc = -errno;

			hog_stop();
			return rc;
		}
		if (p == 0)
			hog_main(parent);
		hogs[nhogs++] = p;
	}
	return 0;
}
