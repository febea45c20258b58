// SPDX-License-Identifier: MIT
/*
 * vfork: the child runs in its parent's memory until it execs or exits.
 * The parent copies (its context is open), then vforks twice: one child
 * makes a large copy and _exits, the other makes one and execs this
 * program ("exec'd"), which copies in its own image.  The child's copies
 * land in the parent's memory, where the parent checks them; the parent
 * then keeps copying.  The statistics must show the children's copies as
 * "fallback-vfork" (2, in the parent's counters) and the parent's as
 * offloaded.
 *   pl_vfork            the parent
 *   pl_vfork exec'd     the image a child exec'd
 * Prints "vfork: N passed, M failed"; exit status 0 when none failed.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pl_check.h"

#define BIG (4u << 20)

static unsigned pl_passed, pl_failed;

static int copy_check(uint8_t *dst, const uint8_t *src, unsigned seed)
{
	memcpy(dst, src, BIG);
	return pl_holds(dst, seed, 0, BIG);
}

int main(int argc, char **argv)
{
	uint8_t *a = malloc(BIG), *b = malloc(BIG), *c = malloc(BIG);
	int st;
	pid_t pid;

	if (!a || !b || !c)
		return 2;
	pl_fill(a, 21, BIG);
	if (argc > 1 && !strcmp(argv[1], "exec'd")) {
		PL_EXPECT(!copy_check(b, a, 21), "copy in the exec'd image");
		printf("vfork exec'd: %u passed, %u failed\n", pl_passed,
		       pl_failed);
		return pl_failed ? 1 : 0;
	}
	PL_EXPECT(!copy_check(b, a, 21), "parent's copy before vfork");
	memset(c, 0, BIG);
	pid = vfork();
	if (pid == 0) {
		memcpy(c, a, BIG); /* the parent's memory */
		_exit(0);
	}
	PL_EXPECT(pid > 0 && waitpid(pid, &st, 0) == pid &&
			  WIFEXITED(st) && WEXITSTATUS(st) == 0,
		  "vfork child exited");
	PL_EXPECT(!pl_holds(c, 21, 0, BIG), "the child's copy, seen here");
	fflush(stdout);
	pid = vfork();
	if (pid == 0) {
		memcpy(c, b, BIG);
		execl("/proc/self/exe", argv[0], "exec'd", (char *)NULL);
		_exit(127);
	}
	PL_EXPECT(pid > 0 && waitpid(pid, &st, 0) == pid &&
			  WIFEXITED(st) && WEXITSTATUS(st) == 0,
		  "vfork child exec'd and passed");
	for (unsigned i = 0; i < 4; i++)
		PL_EXPECT(!copy_check(b, a, 21), "parent's copy after vfork");
	printf("vfork: %u passed, %u failed\n", pl_passed, pl_failed);
	return pl_failed ? 1 : 0;
}
