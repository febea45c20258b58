// SPDX-License-Identifier: MIT
/*
 * Threads libaccel starts (the emul backend's engine) run libaccel's own
 * code all their lives: whatever they call that comes back into the
 * preload (a libnuma or liburing function that copies) must go to the C
 * library, never to a queue the thread itself would have to serve.
 * preload.mk renames libaccel's pthread_create to this one, which marks
 * the new thread busy before it runs.
 */
#include <errno.h>
#include <pthread.h>
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
	int rc;

	if (!s)
		return EAGAIN;
	s->fn = fn;
	s->arg = arg;
	rc = pthread_create(t, attr, run_busy, s);
	if (rc)
		free(s);
	return rc;
}
