/* SPDX-License-Identifier: MIT */
/* accel-bench: shared between its files. */
#ifndef BENCH_H
#define BENCH_H

#include <errno.h>
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
	/* bench_dif.c */
	BOP_DIF_CHECK,
	BOP_DIF_INSERT,
	BOP_DIF_STRIP,
	BOP_DIF_UPDATE,
};

enum bench_mode {
	BMODE_SYNC, /* the library's synchronous call: path choice included */
	BMODE_ASYNC, /* descriptors to the device, queue depth in flight */
	BMODE_OVERLAP, /* async copy hidden behind a compute loop */
	BMODE_BATCH_COST, /* submitter cost: one batch vs as many singles */
	BMODE_SUBMIT_COST, /* submit + one completed poll, for callgrind */
};

/* Where buffer memory comes from (--pages). */
enum bench_pages {
	BPAGES_SMALL, /* the allocator's pages, as an application gets them */
	BPAGES_THP, /* madvise(MADV_HUGEPAGE): transparent huge pages */
	BPAGES_HUGE, /* MAP_HUGETLB from the reserved pool; refused if short */
};

#define BENCH_MAX_THREADS 256
/* sync: most library/baseline round pairs per point (--rounds). */
#define BENCH_ROUNDS 1001

struct bench_cfg {
	enum bench_op op;
	enum bench_mode mode;
	size_t size_min, size_max; /* equal unless a sweep */
	unsigned bufs, batch, qd;
	const char *backend, *device;
	enum accel_wq_mode wq;
	int numa_mem, numa_cpu; /* -1: leave alone */
	int numa_src, numa_dst; /* per-buffer placement; -1: numa_mem */
	enum bench_pages pages;
	unsigned threads; /* submitting threads (1: the main thread) */
	unsigned ncpus; /* entries in cpus[]; 0: no pinning */
	int cpus[BENCH_MAX_THREADS];
	bool verify; /* check every measured result against the CPU's */
	bool cache; /* DSA_FLAG_CC on descriptors */
	enum accel_wait_mode wait;
	uint64_t iters; /* 0: by duration */
	double duration; /* seconds per point */
	unsigned warmup;
	bool json, baseline, progress;
	unsigned hog; /* busy-loop processes during the run (hog.c) */
	unsigned rounds; /* sync: library/baseline round pairs per point */
	bool aa; /* sync: the library's side runs the baseline too (A/A) */
	const char *plot;
};

/* One measured point. */
struct bench_result {
	size_t size;
	const char *path;
	double gbps, ops, lat_p50, lat_p99, lat_p999, cpu_ns;
	double base_gbps, base_ns; /* the CPU doing the same, same run */
	/* sync: the median of the per-round ratios (library speed over the
	 * baseline's, one pair of adjacent rounds each) and its quartiles;
	 * NaN where the mode has none (the ratio is then gbps / base_gbps). */
	double ratio, ratio_q1, ratio_q3;
	unsigned rounds;
	double extra; /* mode-specific figure (hidden %, cost ratio) */
	double extra2; /* batch-cost: the member-op batch's cost ratio */
	uint64_t n;
	int thread; /* with --threads: its index, -1 for the aggregate */
};

extern const char *const bench_op_names[];

/* buffers.c: the buffers of one point, only the roles the op uses. */
#define BROLE_SRC 0x1u
#define BROLE_DST 0x2u
#define BROLE_DST2 0x4u

struct copy_pair {
	void *dst;
	const void *src;
};

struct bench_bufs {
	uint8_t **src, **dst, **dst2; /* NULL where the op has no such role */
	struct copy_pair *pairs; /* dst[i], src[i]: the copy loops' walk */
	uint32_t *expect_crc; /* the CPU's CRC of src[i] (crc, copy_crc) */
	size_t size;
	unsigned n;
	int node[3]; /* per role: NUMA node, -1 none */
	size_t dif_len; /* DIF ops: the point's size (buffers hold PI too) */
	enum bench_pages pages;
};

/* A result --verify found wrong (already reported on stderr). */
#define BENCH_EVERIFY (-EBADMSG)

unsigned bench_op_roles(enum bench_op op);
/* 0, or 2 with the numbers on stderr when the machine lacks the memory. */
int bench_check_memory(const struct bench_cfg *cfg, size_t max_size);
int bench_bufs_alloc(struct bench_bufs *b, const struct bench_cfg *cfg,
		     size_t size);
void bench_bufs_free(struct bench_bufs *b);
void bench_bufs_poison(struct bench_bufs *b, enum bench_op op);
int bench_bufs_check(struct bench_bufs *b, enum bench_op op);
/* The CPU baseline's name, for the header and the JSON. */
const char *bench_baseline_name(enum bench_op op);

/* cli.c: 0, or 2 with a message on stderr for bad arguments. */
int bench_parse(int argc, char **argv, struct bench_cfg *cfg);
void bench_usage(FILE *out);

/* measure.c */
int bench_run_point(struct accel_ctx *ctx, const struct bench_cfg *cfg,
		    size_t size, struct bench_result *res);
uint64_t bench_now_ns(void);

/* threads.c: a point on every --threads thread, and their sum. */
int bench_run_threads(struct accel_ctx *ctx, const struct bench_cfg *cfg,
		      size_t size, struct bench_result *res,
		      struct bench_result *agg);
int bench_pin(int cpu);

/* report.c */
const char *bench_mode_name(int mode);
void bench_print_header(const struct bench_cfg *cfg, const char *backend);
void bench_print(const struct bench_cfg *cfg, const char *backend,
		 const struct bench_result *r);
void bench_progress(double frac, size_t size);
void bench_progress_clear(void);

/* plot.c: writes and closes f (opened before the run). */
int bench_plot_svg(FILE *f, const char *title, const struct bench_result *r,
		   unsigned n);

/* bench_dif.c: the DIF ops (blocks of 512 bytes with 8 bytes of PI). */
bool bench_op_is_dif(enum bench_op op);
size_t bench_dif_buf_size(enum bench_op op, size_t size);
void bench_dif_fill(struct bench_bufs *b, enum bench_op op);
int bench_dif_lib(struct accel_ctx *ctx, enum bench_op op,
		  struct bench_bufs *b, unsigned i, size_t n);
void bench_dif_prep(struct accel_op *a, enum bench_op op,
		    struct bench_bufs *b, unsigned i, size_t n, uint32_t flags);
void bench_dif_cpu(enum bench_op op, struct bench_bufs *b, unsigned i,
		   size_t n);
const char *bench_dif_baseline_name(enum bench_op op);
int bench_dif_check(struct bench_bufs *b, enum bench_op op, unsigned i);
/* baseline_crc16.c: CRC-16 T10 as the baseline computes it (PCLMULQDQ
 * folds where the CPU has them) and the byte table it is checked against. */
uint16_t bench_crc16_t10(uint16_t crc, const void *buf, size_t n);
uint16_t bench_crc16_t10_table(uint16_t crc, const void *buf, size_t n);
bool bench_crc16_t10_fast(void); /* the PCLMULQDQ path is in use */

/* baseline_crc.c: CRC-32C as this CPU computes it fastest (SSE4.2, three
 * streams), its name for the output, and the byte-table reference. */
uint32_t bench_crc32c(uint32_t seed, const void *buf, size_t n);
const char *bench_crc32c_name(void);
uint32_t bench_crc32c_table(uint32_t seed, const void *buf, size_t n);

/*
 * loops.c: the sync mode's copy and move loops, library and baseline, at
 * BENCH_PLACES placements in the cache line (why: loops.c).  Each loop
 * function starts a line; its loop then sits after 8 * place + 4 bytes
 * of padding.
 */
#define BENCH_PLACES 8
#define LOOP_FN __attribute__((noinline, aligned(64)))
typedef int (*bench_lib_loop_fn)(struct accel_ctx *ctx,
				 const struct copy_pair *p0,
				 const struct copy_pair *pend, size_t n,
				 uint64_t ops);
typedef void (*bench_base_loop_fn)(const struct copy_pair *p0,
				   const struct copy_pair *pend, size_t n,
				   uint64_t ops);
extern const bench_lib_loop_fn bench_lib_copy[BENCH_PLACES];
extern const bench_lib_loop_fn bench_lib_move[BENCH_PLACES];
extern const bench_base_loop_fn bench_base_copy[BENCH_PLACES];
extern const bench_base_loop_fn bench_base_move[BENCH_PLACES];

/* hog.c: n busy-loop processes until exit; 0 or a negative errno. */
int bench_hog_start(unsigned n);

#endif /* BENCH_H */
