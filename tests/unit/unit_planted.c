// SPDX-License-Identifier: MIT
/*
 * Deliberate errors for `make check-harness`, which proves that the suites'
 * runner (tests/sanitize-run.sh) fails on every kind of checker report, in
 * Criterion's forked test children too.  Each test does nothing unless
 * $ACCEL_PLANT names it, so in the normal suites they pass as no-ops.
 *
 * Several of them pass as far as Criterion can tell (the report comes while
 * the test succeeds, or at the child's exit after its result was sent):
 * exactly the reports that once went unnoticed, such as valgrind's invalid
 * write under the library's fault guard.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "tcommon.h"

static bool planted(const char *what)
{
	const char *p = getenv("ACCEL_PLANT");

	return p && !strcmp(p, what);
}

static volatile int sink;

/* ASan: heap-buffer-overflow (the child aborts); valgrind: invalid write
 * (the test still passes). */
Test(planted, heap_overflow)
{
	/* The pointee volatile: a store right before free() is otherwise
	 * dead, and the compiler drops it. */
	volatile char *p;
	volatile size_t i = 8;

	if (!planted("heap-overflow"))
		return;
	p = malloc(8);
	p[i] = 1;
	free((void *)p);
}

/* UBSan: signed integer overflow. */
Test(planted, signed_overflow)
{
	volatile int a = INT_MAX;

	if (!planted("signed-overflow"))
		return;
	sink = a + 1;
}

/* LeakSanitizer: found at the child's exit, after the test passed. */
static void *volatile leaked;
Test(planted, leak_at_exit)
{
	if (!planted("leak"))
		return;
	leaked = malloc(4096);
	memset(leaked, 1, 4096);
	leaked = NULL;
}

/* valgrind: a branch on uninitialised memory (the test passes). */
Test(planted, uninitialised_branch)
{
	volatile int *x;

	if (!planted("uninit"))
		return;
	x = malloc(sizeof(*x));
	if (*x == 42)
		sink = 1;
	free((void *)x);
}

/* valgrind: a store into unmapped memory that a SIGSEGV handler turns into
 * an error return, as the library's fault guard does: the test passes. */
static sigjmp_buf guard;
static void on_segv(int sig)
{
	(void)sig;
	siglongjmp(guard, 1);
}

Test(planted, guarded_invalid_write)
{
	struct sigaction sa = { .sa_handler = on_segv }, old;
	volatile char *p;

	if (!planted("guarded-write"))
		return;
	p = tb_unmapped(1);
	sigaction(SIGSEGV, &sa, &old);
	if (!sigsetjmp(guard, 1))
		p[8] = 1;
	sigaction(SIGSEGV, &old, NULL);
}
