// SPDX-License-Identifier: MIT
/*
 * Set-up and tear-down.  The constructor finds the C library's functions,
 * reads the environment and only then lowers the thresholds from SIZE_MAX,
 * so every call made before (by other libraries' constructors, by dlsym
 * itself) goes to a working function.  Nothing opens a device here: the
 * first call at or above a threshold does, so a program that never makes
 * one never starts an engine.
 */
#include <pthread.h>
#include <stdint.h>

#include "preload.h"

size_t pl_min[PL_NCALLS] = { SIZE_MAX, SIZE_MAX, SIZE_MAX, SIZE_MAX };

/* A forked child counts its own calls from zero, and opens again if the
 * fork caught another thread opening. */
static void pl_atfork_child(void)
{
	pl_stats_reset();
	pl_offload_atfork_child();
}

__attribute__((constructor)) static void pl_init(void)
{
	int rc;
	unsigned c;

	pl_real_resolve();
	pl_exec_resolve();
	rc = pl_config_read();
	if (pl_config.stats)
		pl_stats_enable();
	pthread_atfork(NULL, NULL, pl_atfork_child);
	if (rc || !pl_config.enabled)
		return;
	for (c = 0; c < PL_NCALLS; c++)
		__atomic_store_n(&pl_min[c], pl_config.min[c],
				 __ATOMIC_RELEASE);
}

__attribute__((destructor)) static void pl_fini(void)
{
	if (pl_config.stats)
		pl_stats_report(0);
}
