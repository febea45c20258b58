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
 *   pl_signal variants  handlers installed with every other libc entry
 *                       point (sysv_signal, __sysv_signal, bsd_signal,
 *                       ssignal, sigset, __sigaction), each copying 2 MiB
 *                       once: the statistics must count VARIANTS copies
 *                       in handlers; each function's answers and
 *                       semantics (SIG_DFL after a System V delivery,
 *                       SIG_HOLD) checked
 *   pl_signal raw       a handler installed with the raw rt_sigaction
 *                       system call (the preload cannot see it) copies
 *                       2 MiB every 20 ms while the main thread fills and
 *                       copies 4 MiB in a loop: every result right, no
 *                       hang; handlers that land inside an offloaded call
 *                       go to the C library (counted "fallback-nested")
 * Prints "signal: N passed, M failed"; exit status 0 when none failed.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

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

/* glibc exports these; its headers declare them for old standards only. */
__sighandler_t bsd_signal(int sig, __sighandler_t fn);
int __sigaction(int sig, const struct sigaction *act, struct sigaction *old);

#define VARIANTS 6
static volatile sig_atomic_t copied;

static void on_copy(int sig)
{
	(void)sig;
	memset(hdst, 0, SMALLER);
	memcpy(hdst, hsrc, SMALLER);
	if (pl_holds(hdst, 7, 0, SMALLER))
		handler_bad = 1;
	copied++;
}

static __sighandler_t now_installed(int sig)
{
	struct sigaction old;

	return sigaction(sig, NULL, &old) ? SIG_ERR : old.sa_handler;
}

/* sigset() is deprecated, and still called by old programs: the point. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
static int variants_case(void)
{
	struct sigaction sa = { .sa_handler = on_copy };
	uint8_t *a = malloc(BIG), *b = malloc(BIG);
	sigset_t mask;

	if (!a || !b)
		return -1;
	/* System V: one delivery, then the default again. */
	PL_EXPECT(sysv_signal(SIGUSR1, on_copy) == SIG_DFL, "sysv_signal");
	raise(SIGUSR1);
	PL_EXPECT(now_installed(SIGUSR1) == SIG_DFL,
		  "sysv_signal: SIG_DFL after delivery");
	PL_EXPECT(__sysv_signal(SIGUSR2, on_copy) == SIG_DFL,
		  "__sysv_signal");
	raise(SIGUSR2);
	/* BSD: the handler stays. */
	PL_EXPECT(bsd_signal(SIGHUP, on_copy) == SIG_DFL, "bsd_signal");
	PL_EXPECT(bsd_signal(SIGHUP, on_copy) == on_copy,
		  "bsd_signal: the old handler");
	raise(SIGHUP);
	PL_EXPECT(now_installed(SIGHUP) == on_copy,
		  "bsd_signal: the program's handler reported, still there");
	PL_EXPECT(ssignal(SIGWINCH, on_copy) == SIG_DFL, "ssignal");
	raise(SIGWINCH);
	/* sigset: SIG_HOLD blocks; a handler then unblocks, answering
	 * SIG_HOLD. */
	PL_EXPECT(sigset(SIGURG, SIG_HOLD) == SIG_DFL, "sigset(SIG_HOLD)");
	pthread_sigmask(SIG_BLOCK, NULL, &mask);
	PL_EXPECT(sigismember(&mask, SIGURG), "sigset(SIG_HOLD) blocks");
	PL_EXPECT(sigset(SIGURG, on_copy) == SIG_HOLD,
		  "sigset: SIG_HOLD answered");
	pthread_sigmask(SIG_BLOCK, NULL, &mask);
	PL_EXPECT(!sigismember(&mask, SIGURG), "sigset unblocks");
	raise(SIGURG);
	PL_EXPECT(sigset(SIGURG, SIG_DFL) == on_copy, "sigset: old handler");
	sigemptyset(&sa.sa_mask);
	PL_EXPECT(__sigaction(SIGPROF, &sa, NULL) == 0, "__sigaction");
	raise(SIGPROF);
	PL_EXPECT(copied == VARIANTS, "every handler ran");
#pragma GCC diagnostic pop
	PL_EXPECT(!handler_bad, "copies inside the handlers");
	/* Outside handlers: offloaded as before. */
	pl_fill(a, 5, BIG);
	for (unsigned i = 0; i < 4; i++) {
		memcpy(b, a, BIG);
		PL_EXPECT(!pl_holds(b, 5, 0, BIG), "copy after the handlers");
	}
	free(a);
	free(b);
	return 0;
}

/*
 * The raw system call: the kernel's struct (handler, flags, restorer,
 * mask) and a restorer of our own (rt_sigreturn, 15 on x86-64), as the C
 * library passes them.
 */
struct kernel_sigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	uint64_t mask;
};
#define K_SA_RESTORER 0x04000000ul
void pl_test_restorer(void);
__asm__(".text\n"
	".globl pl_test_restorer\n"
	"pl_test_restorer:\n"
	"	movq $15, %rax\n"
	"	syscall\n");

static int raw_case(void)
{
	struct kernel_sigaction ks = {
		.handler = on_copy,
		.flags = K_SA_RESTORER | SA_RESTART,
		.restorer = pl_test_restorer,
	};
	struct itimerval it = { { 0, 20000 }, { 0, 20000 } }, off = { 0 };
	uint8_t *a = malloc(BIG), *b = malloc(BIG);
	unsigned i;

	if (!a || !b)
		return -1;
	PL_EXPECT(syscall(SYS_rt_sigaction, SIGALRM, &ks, NULL, 8) == 0,
		  "rt_sigaction");
	pl_fill(a, 11, BIG);
	setitimer(ITIMER_REAL, &it, NULL);
	/* Mostly inside offloaded calls (fills on the device, copies), so
	 * that handlers land while a device operation is in flight; checked
	 * now and then. */
	for (i = 0; copied < 20 && i < 20000; i++) {
		memset(b, (int)i, BIG);
		memset(b, (int)i + 1, BIG);
		memcpy(b, a, BIG);
		if (i % 8 == 0 && pl_holds(b, 11, 0, BIG)) {
			PL_EXPECT(0, "main copy under raw handlers");
			break;
		}
	}
	PL_EXPECT(!pl_holds(b, 11, 0, BIG), "main copy under raw handlers");
	setitimer(ITIMER_REAL, &off, NULL);
	PL_EXPECT(copied >= 20, "raw handler ran 20 times");
	PL_EXPECT(!handler_bad, "copies inside the raw handler");
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
	else if (!strcmp(argv[1], "variants"))
		rc = variants_case();
	else if (!strcmp(argv[1], "raw"))
		rc = raw_case();
	else
		return 2;
	printf("signal: %u passed, %u failed\n", pl_passed, pl_failed);
	return rc || pl_failed ? 1 : 0;
}
