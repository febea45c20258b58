/* SPDX-License-Identifier: MIT */
/*
 * libaccel-preload.so internals.  The library exports only the C library
 * functions it takes over (preload.map); everything here is hidden.
 */
#ifndef ACCEL_PRELOAD_H
#define ACCEL_PRELOAD_H

#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#define PL_HIDDEN __attribute__((visibility("hidden")))

/* The calls taken over, as indexes into every per-call table. */
enum pl_call { PL_MEMCPY, PL_MEMMOVE, PL_MEMSET, PL_MEMCMP, PL_NCALLS };

/* Why a call at or above its threshold still went to the C library. */
enum pl_reason {
	PL_FB_NONE, /* 0: not a fallback (may_offload's "go ahead") */
	PL_FB_NOT_READY, /* library not set up yet, or another thread opening */
	PL_FB_NESTED, /* made from inside libaccel on this thread */
	PL_FB_SIGNAL, /* made from a signal handler */
	PL_FB_OPEN_FAILED, /* no device could be opened */
	PL_FB_DEVICE_ERROR, /* libaccel answered an error: done again here */
	PL_FB_DEVICE_GONE, /* after a device error: offload stopped */
	PL_FB_OVERLAP, /* an overlapping memmove (not restartable) */
	PL_FB_VFORK, /* made in a vfork child (vfork.c) */
	PL_NREASONS
};

/* The C library's own implementations (real.c). */
typedef void *(*pl_memcpy_fn)(void *, const void *, size_t);
typedef void *(*pl_memset_fn)(void *, int, size_t);
typedef int (*pl_memcmp_fn)(const void *, const void *, size_t);
typedef int (*pl_sigaction_fn)(int, const struct sigaction *,
			       struct sigaction *);

struct pl_real {
	pl_memcpy_fn memcpy, memmove, mempcpy;
	pl_memset_fn memset;
	pl_memcmp_fn memcmp;
	pl_sigaction_fn sigaction;
};
/* Starts as the safe built-in versions; set once by pl_real_resolve(). */
PL_HIDDEN extern struct pl_real pl_real;
PL_HIDDEN void pl_real_resolve(void);

/*
 * The fast path reads these two tables only: a call below pl_min[call]
 * goes to pl_small (the C library's function, or a counting wrapper of it
 * when statistics are on).  pl_min starts at SIZE_MAX, so a call made
 * before the constructor ran (or with the preload off) is never offloaded.
 */
PL_HIDDEN extern size_t pl_min[PL_NCALLS];
PL_HIDDEN extern struct pl_real pl_small;

/* config.c: the environment (docs/preload.md).  0 or -EINVAL. */
struct pl_config {
	int enabled;
	int stats; /* 0 off, 1 stderr, 2 file */
	char stats_path[256];
	size_t min[PL_NCALLS];
	unsigned long test_gone_after; /* test hook: 0 off */
};
PL_HIDDEN extern struct pl_config pl_config;
PL_HIDDEN int pl_config_read(void);

/* offload.c: the slow path of calls at or above their threshold. */
PL_HIDDEN void *pl_offload_memcpy(void *dst, const void *src, size_t n);
PL_HIDDEN void *pl_offload_memmove(void *dst, const void *src, size_t n);
PL_HIDDEN void *pl_offload_memset(void *dst, int c, size_t n);
PL_HIDDEN int pl_offload_memcmp(const void *a, const void *b, size_t n);
PL_HIDDEN void pl_offload_atfork_child(void);

/*
 * The thread's depth inside the preload's slow path or a signal handler
 * the program installed (signals.c); non-zero: straight to the C library,
 * no lock, no allocation.
 */
PL_HIDDEN extern __thread unsigned pl_tls_busy
	__attribute__((tls_model("initial-exec")));
PL_HIDDEN extern __thread unsigned pl_tls_in_signal
	__attribute__((tls_model("initial-exec")));
/* vfork.c: non-zero in a vfork child, which runs in its parent's memory
 * until it execs or exits. */
PL_HIDDEN extern __thread unsigned pl_tls_vfork
	__attribute__((tls_model("initial-exec")));
/* signals.c: a handler left by siglongjmp leaves pl_tls_in_signal set;
 * true when this thread is really inside one now. */
PL_HIDDEN int pl_signal_still_inside(void);

/* stats.c */
struct pl_counter {
	_Atomic uint64_t calls, bytes;
};
struct pl_stats {
	struct pl_counter small[PL_NCALLS]; /* below the threshold */
	struct pl_counter path[PL_NCALLS][4]; /* offloaded, by enum accel_path */
	struct pl_counter fallback[PL_NCALLS][PL_NREASONS];
};
PL_HIDDEN extern struct pl_stats pl_stats;
PL_HIDDEN void pl_count(struct pl_counter *c, size_t n);
PL_HIDDEN void pl_stats_enable(void); /* swaps pl_small for counters */
/* at_exec: mark the report, and take what it reports off the counters. */
PL_HIDDEN void pl_stats_report(int at_exec);

/* exec.c */
PL_HIDDEN void pl_exec_resolve(void);
PL_HIDDEN void pl_stats_reset(void); /* in a forked child */

#endif /* ACCEL_PRELOAD_H */
