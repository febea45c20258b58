/* SPDX-License-Identifier: MIT */
/* accel-bench: shared between its files. */
#ifndef BENCH_H
#define BENCH_H

#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>

#include "accel.h"

enum bench_op {
	BOP_MEMCPY,
	BOP_MEMMOVE,
	BOP_FILL,
	BOP_COMPARE,
	BOP_COMPVAL,
	BOP_CRC,
	BOP_COPY_CRC,
	BOP_DUALCAST,
	BOP_CFLUSH,
	BOP_NOOP,
};

enum bench_mode {
	BMODE_SYNC, /* the library's synchronous call: path choice included */
	BMODE_ASYNC, /* descriptors to the device, queue depth in flight */
	BMODE_OVERLAP, /* async copy hidden behind a compute loop */
	BMODE_BATCH_COST, /* submitter cost: one batch vs as many singles */
	BMODE_SUBMIT_COST, /* submit + one completed poll, for callgrind */
};

struct bench_cfg {
	enum bench_op op;
	enum bench_mode mode;
	size_t size_min, size_max; /* equal unless a sweep */
	unsigned bufs, batch, qd;
	const char *backend, *device;
	enum accel_wq_mode wq;
	int numa_mem, numa_cpu; /* -1: leave alone */
	bool cache; /* DSA_FLAG_CC on descriptors */
	enum accel_wait_mode wait;
	uint64_t iters; /* 0: by duration */
	double duration; /* seconds per point */
	unsigned warmup;
	bool json, baseline, progress;
	unsigned hog; /* busy-loop processes during the run (hog.c) */
	const char *plot;
};

/* One measured point. */
struct bench_result {
	size_t size;
	const char *path;
	double gbps, ops, lat_p50, lat_p99, lat_p999, cpu_ns;
	double base_gbps, base_ns; /* the CPU doing the same, same run */
	double extra; /* mode-specific figure (hidden %, cost ratio) */
	double extra2; /* batch-cost: the member-op batch's cost ratio */
	uint64_t n;
};

extern const char *const bench_op_names[];

/* cli.c: 0, or 2 with a message on stderr for bad arguments. */
int bench_parse(int argc, char **argv, struct bench_cfg *cfg);
void bench_usage(FILE *out);

/* measure.c */
int bench_run_point(struct accel_ctx *ctx, const struct bench_cfg *cfg,
		    size_t size, struct bench_result *res);
uint64_t bench_now_ns(void);

/* report.c */
const char *bench_mode_name(int mode);
void bench_print_header(const struct bench_cfg *cfg, const char *backend);
void bench_print(const struct bench_cfg *cfg, const char *backend,
		 const struct bench_result *r);
int bench_plot_svg(const char *file, const char *title,
		   const struct bench_result *r, unsigned n);
void bench_progress(double frac);

/*
 * The small-copy and small-move loops (library and baseline) each start a
 * cache line: where the linker happened to put them decided 64-512 B
 * ratios by up to 10% (a loop straddling two lines runs slower, and any
 * change earlier in the program moved them).  Each loop function starts
 * a line; the library's loop has a longer prologue, which LOOP_PAD, run
 * once per call, pads to the next line (gcc 12 -O2; objdump shows it).
 */
#define LOOP_FN __attribute__((noinline, aligned(64)))
#define LOOP_PAD() __asm__ volatile(".skip 16, 0x90")

/* One buffer pair of the copy and move loops' walk. */
struct copy_pair {
	void *dst;
	const void *src;
};

/* move_loops.c: the memmove loops, library and baseline (as measure.c's
 * copy loops, in a file of their own so as not to move those). */
int bench_lib_move_loop(struct accel_ctx *ctx, const struct copy_pair *p0,
			const struct copy_pair *pend, size_t n, uint64_t ops);
void bench_base_move_loop(const struct copy_pair *p0,
			  const struct copy_pair *pend, size_t n, uint64_t ops);

/* hog.c: n busy-loop processes until exit; 0 or a negative errno. */
int bench_hog_start(unsigned n);

/* baseline_crc.c: a plain table-driven CRC-32C, the software baseline. */
uint32_t bench_sw_crc32c(uint32_t seed, const void *buf, size_t n);

#endif /* BENCH_H */
