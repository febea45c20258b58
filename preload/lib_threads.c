// SPDX-License-Identifier: MIT
/*
 * Threads libaccel starts (the emul backend's engine) run libaccel's own
 * code all their lives: whatever they call that comes back into the
 * preload (a libnuma or liburing function that copies) must go to the C
 * library, never to a queue the thread itself would have to serve.
 * preload.mk renames libaccel's pthread_create to this one, which marks
 * the new thread busy before it runs.
 *
 * It also starts the thread with the program's asynchronous signals
 * blocked: a signal sent to the process (a timer's SIGALRM, a SIGINT) is
 * delivered to any thread that does not block it, and a program that
 * never started a thread of its own must not find its handler running on
 * the engine, concurrently with the thread it expects (pl_signal.c fails
 * that way without this).  The signals a fault raises stay open: blocked,
 * they would kill the process instead of reaching libaccel's fault guard.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>

#include "preload.h"

struct start {
	void *(*fn)(void *);
	void *arg;
};

static void *run_busy(void *p)
{
	struct start s = *(struct start *)p;

	free(p);
	pl_tls_busy = 1;
	return s.fn(s.arg);
}

PL_HIDDEN int pl_libc_pthread_create(pthread_t *t, const pthread_attr_t *attr,
				     void *(*fn)(void *), void *arg);
int pl_libc_pthread_create(pthread_t *t, const pthread_attr_t *attr,
			   void *(*fn)(void *), void *arg)
{
	struct start *s = malloc(sizeof(*s));
	sigset_t async, was;
	int rc;

	if (!s)
		return EAGAIN;
	s->fn = fn;
	s->arg = arg;
	sigfillset(&async);
	sigdelset(&async, SIGSEGV);
	sigdelset(&async, SIGBUS);
	sigdelset(&async, SIGILL);
	sigdelset(&async, SIGFPE);
	sigdelset(&async, SIGTRAP);
	sigdelset(&async, SIGSYS);
	/* The new thread inherits the creator's mask: no window at its start. */
	pthread_sigmask(SIG_BLOCK, &async, &was);
	rc = pthread_create(t, attr, run_busy, s);
	pthread_sigmask(SIG_SETMASK, &was, NULL);
	if (rc)
		free(s);
	return rc;
}
