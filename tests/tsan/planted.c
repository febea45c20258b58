// SPDX-License-Identifier: MIT
/*
 * Deliberate data races for `make check-harness` (tests/unit/unit_planted.c
 * has the other checkers' errors): $ACCEL_PLANT=race races in the stress
 * program itself, race-in-child in a forked child whose exit status the
 * program ignores, so that only the report file can fail the run.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "planted.h"

static int counter; /* unsynchronised on purpose */

static void *bump(void *arg)
{
	(void)arg;
	for (int i = 0; i < 1000; i++)
		counter++;
	return NULL;
}

static void race(void)
{
	pthread_t a, b;

	pthread_create(&a, NULL, bump, NULL);
	pthread_create(&b, NULL, bump, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
}

bool stress_planted(void)
{
	const char *p = getenv("ACCEL_PLANT");
	pid_t pid;

	if (!p)
		return false;
	if (!strcmp(p, "race")) {
		race();
	} else if (!strcmp(p, "race-in-child")) {
		pid = fork();
		if (pid == 0) {
			race();
			_exit(0);
		}
		if (pid > 0)
			waitpid(pid, NULL, 0); /* status ignored on purpose */
	}
	return true;
}
