// SPDX-License-Identifier: MIT
/*
 * The preload's environment, read once in the constructor and validated as
 * strictly as libaccel's own variables (libaccel/env.c): a value that does
 * not parse is named on stderr and turns the offload off for the process,
 * rather than quietly becoming a default.  docs/preload.md lists them.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "preload.h"

/*
 * Defaults, measured on the 2-core build machine with the emul backend
 * (tests/preload/pl_measure.c; docs/preload.md has the table):
 * - memcpy, memmove: from 1 MiB the copy split between the calling CPU
 *   and the engine beats glibc; below, libaccel would only do it on the
 *   CPU again (its own threshold is 512 KiB) after a call's worth of
 *   bookkeeping.
 * - memset, memcmp: libaccel does them on the device alone, and a device
 *   that is another core of the same kind never beat glibc at any size
 *   measured (64 KiB to 64 MiB): off, unless set.  With a real DSA the
 *   balance differs; set the variables.
 */
static const size_t default_min[PL_NCALLS] = {
	[PL_MEMCPY] = 1u << 20,
	[PL_MEMMOVE] = 1u << 20,
	[PL_MEMSET] = SIZE_MAX,
	[PL_MEMCMP] = SIZE_MAX,
};

static const char *const min_vars[PL_NCALLS] = {
	[PL_MEMCPY] = "ACCEL_PRELOAD_MEMCPY_MIN",
	[PL_MEMMOVE] = "ACCEL_PRELOAD_MEMMOVE_MIN",
	[PL_MEMSET] = "ACCEL_PRELOAD_MEMSET_MIN",
	[PL_MEMCMP] = "ACCEL_PRELOAD_MEMCMP_MIN",
};

struct pl_config pl_config;

static void bad(const char *name, const char *value, const char *why)
{
	fprintf(stderr, "accel-preload: %s=\"%s\": %s; offload off\n", name,
		value, why);
}

/* "on" or "off": the per-process switch. */
static int read_switch(void)
{
	const char *e = getenv("ACCEL_PRELOAD");

	pl_config.enabled = 1;
	if (!e || !strcmp(e, "on"))
		return 0;
	if (!strcmp(e, "off")) {
		pl_config.enabled = 0;
		return 0;
	}
	bad("ACCEL_PRELOAD", e, "not \"on\" or \"off\"");
	return -EINVAL;
}

/* A size as libaccel parses one, or "off" (never offload this call). */
static int read_min(enum pl_call c)
{
	const char *e = getenv(min_vars[c]);
	int rc;

	pl_config.min[c] = default_min[c];
	if (!e)
		return 0;
	if (!strcmp(e, "off")) {
		pl_config.min[c] = SIZE_MAX;
		return 0;
	}
	rc = accel_parse_size(e, &pl_config.min[c]);
	if (rc == -ERANGE)
		bad(min_vars[c], e, "size too large");
	else if (rc)
		bad(min_vars[c], e,
		    "not a size (decimal bytes, optionally followed by K, M "
		    "or G) or \"off\"");
	if (rc)
		pl_config.min[c] = SIZE_MAX;
	return rc ? -EINVAL : 0;
}

/* "0", "1" (stderr) or an absolute path the report is appended to. */
static int read_stats(void)
{
	const char *e = getenv("ACCEL_PRELOAD_STATS");

	pl_config.stats = 0;
	if (!e || !strcmp(e, "0"))
		return 0;
	if (!strcmp(e, "1")) {
		pl_config.stats = 1;
		return 0;
	}
	if (e[0] == '/' && strlen(e) < sizeof(pl_config.stats_path)) {
		snprintf(pl_config.stats_path, sizeof(pl_config.stats_path),
			 "%s", e);
		pl_config.stats = 2;
		return 0;
	}
	bad("ACCEL_PRELOAD_STATS", e,
	    "not 0, 1 or an absolute path (shorter than 256 bytes)");
	return -EINVAL;
}

/* Test hook: after this many offloaded calls, behave as if the device had
 * gone (libaccel answering -ENODEV). */
static int read_test_gone(void)
{
	const char *e = getenv("ACCEL_PRELOAD_TEST_GONE");
	size_t v;

	pl_config.test_gone_after = 0;
	if (!e)
		return 0;
	if (accel_parse_size(e, &v) || v == 0) {
		bad("ACCEL_PRELOAD_TEST_GONE", e, "not a positive count");
		return -EINVAL;
	}
	pl_config.test_gone_after = v;
	return 0;
}

int pl_config_read(void)
{
	int rc = 0;
	unsigned c;

	/* Every variable is read, so that every bad one is named. */
	rc |= read_stats();
	rc |= read_switch();
	for (c = 0; c < PL_NCALLS; c++)
		rc |= read_min(c);
	rc |= read_test_gone();
	return rc ? -EINVAL : 0;
}
