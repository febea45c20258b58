// SPDX-License-Identifier: MIT
/*
 * Statistics ($ACCEL_PRELOAD_STATS): calls and bytes by path, fallbacks by
 * reason, reported when the process exits (a forked child counts and
 * reports its own, from zero).  Calls below a threshold are counted only when statistics are on:
 * the fast path's table then points at the counting wrappers below, so
 * that with statistics off a small call costs no counter.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "preload.h"

struct pl_stats pl_stats;

void pl_count(struct pl_counter *c, size_t n)
{
	atomic_fetch_add_explicit(&c->calls, 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&c->bytes, n, memory_order_relaxed);
}

static void *count_memcpy(void *dst, const void *src, size_t n)
{
	pl_count(&pl_stats.small[PL_MEMCPY], n);
	return pl_real.memcpy(dst, src, n);
}

static void *count_mempcpy(void *dst, const void *src, size_t n)
{
	pl_count(&pl_stats.small[PL_MEMCPY], n);
	return pl_real.mempcpy(dst, src, n);
}

static void *count_memmove(void *dst, const void *src, size_t n)
{
	pl_count(&pl_stats.small[PL_MEMMOVE], n);
	return pl_real.memmove(dst, src, n);
}

static void *count_memset(void *dst, int c, size_t n)
{
	pl_count(&pl_stats.small[PL_MEMSET], n);
	return pl_real.memset(dst, c, n);
}

static int count_memcmp(const void *a, const void *b, size_t n)
{
	pl_count(&pl_stats.small[PL_MEMCMP], n);
	return pl_real.memcmp(a, b, n);
}

void pl_stats_enable(void)
{
	pl_small.memcpy = count_memcpy;
	pl_small.mempcpy = count_mempcpy;
	pl_small.memmove = count_memmove;
	pl_small.memset = count_memset;
	pl_small.memcmp = count_memcmp;
}

void pl_stats_reset(void)
{
	/* Only this thread exists in the child: plain stores are enough. */
	memset(&pl_stats, 0, sizeof(pl_stats));
}

static const char *const call_names[PL_NCALLS] = { "memcpy", "memmove",
						    "memset", "memcmp" };
static const char *const path_names[4] = { "offload-none", "offload-cpu",
					   "offload-device", "offload-split" };
static const char *const reason_names[PL_NREASONS] = {
	[PL_FB_NOT_READY] = "fallback-not-ready",
	[PL_FB_NESTED] = "fallback-nested",
	[PL_FB_SIGNAL] = "fallback-signal",
	[PL_FB_OPEN_FAILED] = "fallback-open-failed",
	[PL_FB_DEVICE_ERROR] = "fallback-device-error",
	[PL_FB_DEVICE_GONE] = "fallback-device-gone",
	[PL_FB_OVERLAP] = "fallback-overlap",
	[PL_FB_VFORK] = "fallback-vfork",
};

PL_HIDDEN const char *pl_offload_backend(void);

/* One write() per line: reports of processes sharing a file stay whole. */
static void line(int fd, const char *call, const char *what,
		 struct pl_counter *c, int take)
{
	char buf[160];
	unsigned long long calls = atomic_load(&c->calls);
	unsigned long long bytes = atomic_load(&c->bytes);
	int len;

	if (!calls)
		return;
	len = snprintf(buf, sizeof(buf),
		       "accel-preload[%d] %s %s calls=%llu bytes=%llu\n",
		       (int)getpid(), call, what, calls, bytes);
	if (len > 0 && write(fd, buf, (size_t)len) < 0)
		return;
	/* Reported before an exec: what other threads add meanwhile stays
	 * for the next report, if the exec fails. */
	if (take) {
		atomic_fetch_sub(&c->calls, calls);
		atomic_fetch_sub(&c->bytes, bytes);
	}
}

void pl_stats_report(int at_exec)
{
	char buf[200];
	unsigned c, i;
	int fd = 2, len;

	pl_tls_busy++; /* whatever runs from here copies with the C library */
	if (pl_config.stats == 2) {
		fd = open(pl_config.stats_path,
			  O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
		if (fd < 0)
			goto out;
	}
	len = snprintf(buf, sizeof(buf),
		       "accel-preload[%d] backend=%s thresholds memcpy=%zu "
		       "memmove=%zu memset=%zu memcmp=%zu%s\n",
		       (int)getpid(), pl_offload_backend(),
		       pl_min[PL_MEMCPY], pl_min[PL_MEMMOVE], pl_min[PL_MEMSET],
		       pl_min[PL_MEMCMP], at_exec ? " at=exec" : "");
	if (len > 0 && write(fd, buf, (size_t)len) < 0)
		goto close;
	for (c = 0; c < PL_NCALLS; c++) {
		line(fd, call_names[c], "small", &pl_stats.small[c], at_exec);
		for (i = 1; i < 4; i++)
			line(fd, call_names[c], path_names[i],
			     &pl_stats.path[c][i], at_exec);
		for (i = 1; i < PL_NREASONS; i++)
			line(fd, call_names[c], reason_names[i],
			     &pl_stats.fallback[c][i], at_exec);
	}
close:
	if (fd != 2)
		close(fd);
out:
	pl_tls_busy--;
}
