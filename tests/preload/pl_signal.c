// SPDX-License-Identifier: MIT
/*
 * Signal handlers that copy: POSIX lets a handler call memcpy and memset,
 * and the preload must then stay out of libaccel (no lock, no allocation).
 *
 *   pl_signal handler   a timer's handler copies and fills 2 MiB while the
 *                       main thread copies 4 MiB in a loop; handlers set
 *                       with sigaction() and signal() are reported back as
 *                       the program's own
 *   pl_signal longjmp   a handler left by siglongjmp, then COPIES copies of
 *                       4 MiB outside any handler (the statistics must show
 *                       them offloaded, not held back as "in a handler")
 * Prints "signal: N passed, M failed"; exit status 0 when none failed.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "pl_check.h"

#define BIG (4u << 20)
#define SMALLER (2u << 20)
#define COPIES 8

static unsigned pl_passed, pl_failed;
static uint8_t *hsrc, *hdst;
static volatile sig_atomic_t handled, handler_bad;
static sigjmp_buf jb;

static void on_alarm(int sig)
{
	(void)sig;
	memcpy(hdst, hsrc, SMALLER);
	if (pl_holds(hdst, 7, 0, SMALLER))
		handler_bad = 1;
	memset(hdst, 0x33, SMALLER);
	if (pl_all(hdst, 0x33, SMALLER))
		handler_bad = 1;
	handled++;
}

static void on_usr1(int sig)
{
	(void)sig;
	memset(hdst, 0x44, SMALLER);
	handled++;
}

static void on_usr2(int sig)
{
	(void)sig;
	siglongjmp(jb, 1);
}

static int handler_case(void)
{
	struct itimerval it = { { 0, 10000 }, { 0, 10000 } }, off = { 0 };
	struct sigaction sa = { .sa_handler = on_alarm }, old;
	uint8_t *a = malloc(BIG), *b = malloc(BIG);
	unsigned i;

	if (!a || !b)
		return -1;
	sigemptyset(&sa.sa_mask);
	PL_EXPECT(sigaction(SIGALRM, &sa, NULL) == 0, "sigaction");
	PL_EXPECT(sigaction(SIGALRM, NULL, &old) == 0 &&
			  old.sa_handler == on_alarm,
		  "sigaction reports the program's handler");
	PL_EXPECT(signal(SIGUSR1, on_usr1) == SIG_DFL, "signal: old SIG_DFL");
	PL_EXPECT(signal(SIGUSR1, on_usr1) == on_usr1, "signal: old handler");
	pl_fill(a, 3, BIG);
	setitimer(ITIMER_REAL, &it, NULL);
	for (i = 0; i < 50 || handled < 5; i++) {
		memcpy(b, a, BIG);
		if (pl_holds(b, 3, 0, BIG)) {
			PL_EXPECT(0, "main copy under signals");
			break;
		}
		if (i > 5000)
			break;
	}
	setitimer(ITIMER_REAL, &off, NULL);
	PL_EXPECT(handled >= 5, "timer handler ran");
	raise(SIGUSR1);
	PL_EXPECT(!pl_all(hdst, 0x44, SMALLER), "memset in signal() handler");
	PL_EXPECT(!handler_bad, "copies inside the handler");
	free(a);
	free(b);
	return 0;
}

static int longjmp_case(void)
{
	struct sigaction sa = { .sa_handler = on_usr2 };
	uint8_t *a = malloc(BIG), *b = malloc(BIG);
	unsigned i;

	if (!a || !b)
		return -1;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR2, &sa, NULL);
	if (!sigsetjmp(jb, 1))
		raise(SIGUSR2);
	pl_fill(a, 9, BIG);
	for (i = 0; i < COPIES; i++) {
		memcpy(b, a, BIG);
		PL_EXPECT(!pl_holds(b, 9, 0, BIG), "copy after siglongjmp");
	}
	free(a);
	free(b);
	return 0;
}

int main(int argc, char **argv)
{
	int rc;

	hsrc = malloc(SMALLER);
	hdst = malloc(SMALLER);
	if (argc != 2 || !hsrc || !hdst)
		return 2;
	pl_fill(hsrc, 7, SMALLER);
	if (!strcmp(argv[1], "handler"))
		rc = handler_case();
	else if (!strcmp(argv[1], "longjmp"))
		rc = longjmp_case();
	else
		return 2;
	printf("signal: %u passed, %u failed\n", pl_passed, pl_failed);
	return rc || pl_failed ? 1 : 0;
}
