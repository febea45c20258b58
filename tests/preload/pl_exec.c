// SPDX-License-Identifier: MIT
/*
 * Statistics across exec: one process execs itself through each of the C
 * library's exec functions in turn (execve, execv, execvp, execvpe, execl,
 * execle, execlp, fexecve, execveat), each image making COPIES large
 * copies; the last image first tries an exec that fails, then copies once
 * more.  Every image's copies must appear in the statistics under the one
 * pid, each exactly once: (STAGES + 1) * COPIES.
 *   pl_exec [stage]
 * Prints "exec stage N: ok" per image.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pl_check.h"

#define BIG (2u << 20)
#define COPIES 2
#define STAGES 9
#define SELF "/proc/self/exe"

extern char **environ;

int main(int argc, char **argv)
{
	int stage = argc > 1 ? atoi(argv[1]) : 0, fd;
	uint8_t *a = malloc(BIG), *b = malloc(BIG);
	char next[16], *args[3] = { argv[0], next, NULL };

	if (!a || !b)
		return 2;
	pl_fill(a, (unsigned)stage, BIG);
	for (int i = 0; i < COPIES; i++) {
		memcpy(b, a, BIG);
		if (pl_holds(b, (unsigned)stage, 0, BIG))
			return 3;
	}
	snprintf(next, sizeof(next), "%d", stage + 1);
	printf("exec stage %d: ok\n", stage);
	fflush(stdout);
	switch (stage) {
	case 0:
		execve(SELF, args, environ);
		break;
	case 1:
		execv(SELF, args);
		break;
	case 2:
		execvp(SELF, args);
		break;
	case 3:
		execvpe(SELF, args, environ);
		break;
	case 4:
		execl(SELF, argv[0], next, (char *)NULL);
		break;
	case 5:
		execle(SELF, argv[0], next, (char *)NULL, environ);
		break;
	case 6:
		execlp(SELF, argv[0], next, (char *)NULL);
		break;
	case 7:
		fd = open(SELF, O_RDONLY | O_CLOEXEC);
		fexecve(fd, args, environ);
		break;
	case 8:
		execveat(AT_FDCWD, SELF, args, environ, 0);
		break;
	default:
		/* A failed exec reports too; the copies after it count once. */
		if (execv("/nonexistent/pl_exec", args) == 0)
			return 4;
		memcpy(b, a, BIG);
		printf("exec: failed exec survived\n");
		return pl_holds(b, (unsigned)stage, 0, BIG) ? 5 : 0;
	}
	perror("exec");
	return 6;
}
