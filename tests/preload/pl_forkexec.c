// SPDX-License-Identifier: MIT
/*
 * fork and exec with copies on every side: the parent copies (so its
 * device is open) while a second thread keeps copying, then forks; each
 * child copies, fills and compares, and half of them exec this program
 * again, which copies once more in a new image.  All results checked.
 *
 *   pl_forkexec [children]     (default 4)
 * Prints "forkexec: N passed, M failed"; exit status 0 when none failed.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pl_check.h"

#define SZ (4u << 20)

static unsigned pl_passed, pl_failed;
static _Atomic int stop;

/* Copy, fill and compare; 0 when every result was right. */
static int work(unsigned seed)
{
	uint8_t *a = malloc(SZ), *b = malloc(SZ);
	int bad = 0;

	if (!a || !b)
		return -1;
	pl_fill(a, seed, SZ);
	memcpy(b, a, SZ);
	bad |= pl_holds(b, seed, 0, SZ);
	bad |= memcmp(a, b, SZ) != 0;
	memset(b, 0x5c, SZ);
	bad |= pl_all(b, 0x5c, SZ);
	free(a);
	free(b);
	return bad ? -1 : 0;
}

static void *busy(void *arg)
{
	unsigned n = 0;

	(void)arg;
	while (!atomic_load(&stop))
		if (work(100 + n++))
			atomic_store(&stop, 2);
	return NULL;
}

int main(int argc, char **argv)
{
	unsigned children = 4, i;
	pthread_t t;

	if (argc == 2 && !strcmp(argv[1], "exec-child"))
		return work(77) ? 1 : 0;
	if (argc > 1)
		children = (unsigned)atoi(argv[1]);
	PL_EXPECT(!work(1), "parent before fork");
	if (pthread_create(&t, NULL, busy, NULL))
		return 2;
	for (i = 0; i < children; i++) {
		pid_t pid = fork();
		int st;

		if (pid == 0) {
			if (work(10 + i))
				_exit(1);
			if (i % 2)
				exit(0); /* through exit: reports its own stats */
			execl("/proc/self/exe", argv[0], "exec-child",
			      (char *)NULL);
			_exit(3);
		}
		PL_EXPECT(pid > 0, "fork");
		PL_EXPECT(waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
				  WEXITSTATUS(st) == 0,
			  "child copied right (and its exec'd image)");
	}
	atomic_store(&stop, atomic_load(&stop) ? 2 : 1);
	pthread_join(t, NULL);
	PL_EXPECT(atomic_load(&stop) == 1, "the parent's other thread");
	PL_EXPECT(!work(2), "parent after fork");
	printf("forkexec: %u passed, %u failed\n", pl_passed, pl_failed);
	return pl_failed ? 1 : 0;
}
