// SPDX-License-Identifier: MIT
/*
 * Signal handlers.  A handler may interrupt a thread anywhere, including
 * inside malloc or a lock libaccel needs, and POSIX lets it call memcpy and
 * memset; such a call must not enter libaccel.  There is no cheap way to
 * ask "am I in a handler?", so the preload installs the program's handlers
 * itself: sigaction() and every other libc entry point that installs a
 * handler (signal, bsd_signal, ssignal, sysv_signal, sigset, __sigaction)
 * are taken over, the kernel gets a trampoline that marks the thread as
 * in a handler while the program's handler runs, and sigaction() reports
 * the program's own handler back.  Not seen: handlers installed with the
 * raw system call; docs/preload.md says what keeps those safe.
 *
 * A handler left with siglongjmp never returns to the trampoline: the mark
 * stays.  The slow path then checks (pl_signal_still_inside) whether the
 * signal is still blocked, as it is while its handler runs unless the
 * handler was installed with SA_NODEFER; a signal no longer blocked means
 * its handler was left, and the mark goes.  SA_NODEFER handlers keep the
 * mark: such a thread no longer offloads (safe, counted as "signal").
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "preload.h"

#define PL_EXPORT __attribute__((visibility("default")))
#define NSIGS 65 /* 1..64 on Linux */

struct user_handler {
	_Atomic(void *) fn; /* sa_handler or sa_sigaction */
	_Atomic int flags; /* the program's sa_flags */
};
static struct user_handler handlers[NSIGS];

/* Bit sig-1: the thread is inside the program's handler for sig. */
__thread unsigned pl_tls_in_signal;
static __thread uint64_t active;

static void trampoline(int sig, siginfo_t *si, void *uc)
{
	void *fn = atomic_load(&handlers[sig].fn);
	int flags = atomic_load(&handlers[sig].flags);
	uint64_t was = active, bit = 1ull << (sig - 1);

	active |= bit;
	pl_tls_in_signal = 1;
	if (flags & SA_SIGINFO)
		((void (*)(int, siginfo_t *, void *))fn)(sig, si, uc);
	else if (fn != (void *)SIG_IGN && fn != (void *)SIG_DFL)
		((void (*)(int))fn)(sig);
	active = was;
	pl_tls_in_signal = was != 0;
}

int pl_signal_still_inside(void)
{
	sigset_t now;
	uint64_t keep = 0;
	int sig;

	/* pthread_sigmask is a system call: async-signal-safe, no lock. */
	if (pthread_sigmask(SIG_BLOCK, NULL, &now))
		return 1;
	for (sig = 1; sig < NSIGS; sig++) {
		uint64_t bit = 1ull << (sig - 1);

		if (!(active & bit))
			continue;
		if (sigismember(&now, sig) ||
		    (atomic_load(&handlers[sig].flags) & SA_NODEFER))
			keep |= bit;
	}
	active = keep;
	pl_tls_in_signal = keep != 0;
	return keep != 0;
}

static pl_sigaction_fn real_sigaction(void)
{
	if (!__atomic_load_n(&pl_real.sigaction, __ATOMIC_ACQUIRE))
		pl_real_resolve(); /* a handler installed before our constructor */
	return pl_real.sigaction;
}

/* The handler a program sees in *old: its own, never the trampoline. */
static void report_old(struct sigaction *old, void *prev_fn,
		       int prev_flags)
{
	if (old->sa_sigaction != trampoline)
		return;
	old->sa_flags = prev_flags;
	if (prev_flags & SA_SIGINFO)
		old->sa_sigaction = (void (*)(int, siginfo_t *, void *))prev_fn;
	else
		old->sa_handler = (void (*)(int))prev_fn;
}

PL_EXPORT int sigaction(int sig, const struct sigaction *act,
			struct sigaction *old)
{
	pl_sigaction_fn real = real_sigaction();
	struct sigaction mine;
	void *prev_fn, *fn;
	int prev_flags, rc;

	if (!real) {
		errno = ENOSYS;
		return -1;
	}
	if (sig < 1 || sig >= NSIGS)
		return real(sig, act, old);
	prev_fn = atomic_load(&handlers[sig].fn);
	prev_flags = atomic_load(&handlers[sig].flags);
	if (!act) {
		rc = real(sig, NULL, old);
		if (!rc && old)
			report_old(old, prev_fn, prev_flags);
		return rc;
	}
	fn = (act->sa_flags & SA_SIGINFO) ? (void *)act->sa_sigaction :
					    (void *)act->sa_handler;
	if (fn == (void *)SIG_IGN || fn == (void *)SIG_DFL) {
		rc = real(sig, act, old);
		if (!rc && old)
			report_old(old, prev_fn, prev_flags);
		return rc;
	}
	/* Record the handler before the kernel can deliver to it. */
	atomic_store(&handlers[sig].flags, act->sa_flags);
	atomic_store(&handlers[sig].fn, fn);
	mine = *act;
	mine.sa_flags |= SA_SIGINFO;
	mine.sa_sigaction = trampoline;
	rc = real(sig, &mine, old);
	if (rc) {
		atomic_store(&handlers[sig].fn, prev_fn);
		atomic_store(&handlers[sig].flags, prev_flags);
		return rc;
	}
	if (old)
		report_old(old, prev_fn, prev_flags);
	return 0;
}

/*
 * The C library's other ways to install a handler go to its internal
 * sigaction, which the preload cannot see: each is taken over here with
 * the semantics glibc documents for it, through sigaction() above.
 */
static __sighandler_t install(int sig, __sighandler_t fn, int flags,
			      bool block_self)
{
	struct sigaction sa = { .sa_handler = fn, .sa_flags = flags }, old;

	sigemptyset(&sa.sa_mask);
	if (sig < 1 || sig >= NSIGS || fn == SIG_ERR ||
	    (block_self && sigaddset(&sa.sa_mask, sig) < 0)) {
		errno = EINVAL;
		return SIG_ERR;
	}
	if (sigaction(sig, &sa, &old))
		return SIG_ERR;
	return old.sa_handler;
}

/* glibc exports these; its headers declare them only for old standards. */
__sighandler_t bsd_signal(int sig, __sighandler_t fn);
int __sigaction(int sig, const struct sigaction *act, struct sigaction *old);

/* glibc's signal(), bsd_signal() and ssignal(): BSD semantics (the handler
 * stays, calls restart, the signal is blocked while its handler runs). */
PL_EXPORT __sighandler_t signal(int sig, __sighandler_t fn)
{
	return install(sig, fn, SA_RESTART, true);
}

PL_EXPORT __sighandler_t bsd_signal(int sig, __sighandler_t fn)
{
	return install(sig, fn, SA_RESTART, true);
}

PL_EXPORT __sighandler_t ssignal(int sig, __sighandler_t fn)
{
	return install(sig, fn, SA_RESTART, true);
}

/* System V semantics: the disposition goes back to SIG_DFL when the
 * signal is delivered, the signal is not blocked in its handler, and
 * calls it interrupts fail with EINTR. */
PL_EXPORT __sighandler_t sysv_signal(int sig, __sighandler_t fn)
{
	return install(sig, fn, SA_RESETHAND | SA_NODEFER, false);
}

PL_EXPORT __sighandler_t __sysv_signal(int sig, __sighandler_t fn)
{
	return sysv_signal(sig, fn);
}

/*
 * sigset() (System V, in POSIX until 2008): SIG_HOLD adds sig to the
 * thread's mask and leaves the disposition; anything else becomes the
 * disposition (no flags, empty mask) and takes sig out of the mask.  The
 * answer is SIG_HOLD when sig was blocked before, else the previous
 * disposition.
 */
PL_EXPORT __sighandler_t sigset(int sig, __sighandler_t fn)
{
	struct sigaction old;
	sigset_t one, was;
	__sighandler_t prev;

	sigemptyset(&one);
	if (sig < 1 || sig >= NSIGS || fn == SIG_ERR ||
	    sigaddset(&one, sig) < 0) {
		errno = EINVAL;
		return SIG_ERR;
	}
	if (fn == SIG_HOLD) {
		if (pthread_sigmask(SIG_BLOCK, &one, &was) ||
		    sigaction(sig, NULL, &old))
			return SIG_ERR;
		return sigismember(&was, sig) ? SIG_HOLD : old.sa_handler;
	}
	prev = install(sig, fn, 0, false);
	if (prev == SIG_ERR || pthread_sigmask(SIG_UNBLOCK, &one, &was))
		return SIG_ERR;
	return sigismember(&was, sig) ? SIG_HOLD : prev;
}

/* glibc exports its sigaction under this name too. */
PL_EXPORT int __sigaction(int sig, const struct sigaction *act,
			  struct sigaction *old)
{
	return sigaction(sig, act, old);
}

/* libaccel's own handlers (its fault guard leaves by siglongjmp, with
 * SA_NODEFER) go straight to the C library: preload.mk renames its calls. */
PL_HIDDEN int pl_libc_sigaction(int sig, const struct sigaction *act,
				struct sigaction *old);
int pl_libc_sigaction(int sig, const struct sigaction *act,
		      struct sigaction *old)
{
	pl_sigaction_fn real = real_sigaction();

	if (!real) {
		errno = ENOSYS;
		return -1;
	}
	return real(sig, act, old);
}
