// SPDX-License-Identifier: MIT
/*
 * A signal sent to the process must reach the program's threads, never a
 * thread libaccel started: with the signal blocked in the program's only
 * thread, it stays pending until that thread unblocks it.  (Without the
 * engine's own mask the kernel hands it to the emul engine, which runs the
 * program's handler concurrently with the program.)
 * Prints "engine_signals: N passed, M failed".
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "accel.h"

static volatile pid_t handler_tid;
static volatile int handled;

static void on_usr1(int sig)
{
	(void)sig;
	handler_tid = (pid_t)syscall(SYS_gettid);
	handled++;
}

int main(void)
{
	static char a[1 << 16], b[1 << 16];
	struct sigaction sa = { .sa_handler = on_usr1 };
	unsigned passed = 0, failed = 0;
	struct accel_ctx *ctx;
	struct accel_op op;
	sigset_t usr1, was;
	pid_t me = (pid_t)syscall(SYS_gettid);
	int rc, i;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	rc = accel_open(&ctx, "emul");
	if (rc) {
		printf("engine_signals: 0 passed, 1 failed (open: %s)\n",
		       accel_strerror(rc));
		return 1;
	}
	/* The engine is running. */
	accel_prep_memmove(&op, b, a, sizeof(a), 0);
	while (accel_submit(ctx, &op) == -EAGAIN)
		;
	accel_wait(ctx, &op, ACCEL_WAIT_PAUSE);

	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	for (i = 0; i < 20; i++) {
		handled = 0;
		handler_tid = 0;
		pthread_sigmask(SIG_BLOCK, &usr1, &was);
		kill(getpid(), SIGUSR1);
		usleep(2000); /* time for any other thread to take it */
		if (handled)
			break; /* it ran elsewhere, while we block it */
		pthread_sigmask(SIG_SETMASK, &was, NULL);
		if (handled == 1 && handler_tid == me)
			passed++;
		else
			break;
	}
	if (i < 20) {
		failed++;
		printf("FAIL signal %d ran on thread %d, not the program's %d\n",
		       i, (int)handler_tid, (int)me);
	}
	accel_close(ctx);
	printf("engine_signals: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
