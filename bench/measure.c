// SPDX-License-Identifier: MIT
/*
 * The workloads.  Each point is measured twice: a throughput loop with no
 * per-operation timing (so the clock does not weigh on small operations),
 * then a latency loop timing each operation; the CPU baseline doing the
 * same work runs in the same process, right after.
 */
#include <errno.h>
#include <math.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"

/* Callgrind's collection switch where its header is installed (the
 * valgrind package); elsewhere submit-cost still reports the time. */
#if defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define BENCH_COLLECT_TOGGLE() CALLGRIND_TOGGLE_COLLECT
#endif
#endif
#ifndef BENCH_COLLECT_TOGGLE
#define BENCH_COLLECT_TOGGLE() ((void)0)
#endif

#define LAT_SAMPLES 20000

uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

#define PATTERN 0x5a5a5a5a5a5a5a5aull

/* One synchronous library call: 0 or 1 (compare) or a negative errno. */
static int lib_call_raw(struct accel_ctx *ctx, enum bench_op op,
			struct bench_bufs *b, unsigned i, size_t n,
			uint32_t *crc, size_t *at)
{
	switch (op) {
	case BOP_MEMCPY:
		return accel_memcpy(ctx, b->dst[i], b->src[i], n);
	case BOP_MEMMOVE:
		return accel_memmove(ctx, b->dst[i], b->src[i], n);
	case BOP_FILL:
		return accel_fill(ctx, b->dst[i], PATTERN, n);
	case BOP_COMPARE:
		return accel_compare(ctx, b->src[i], b->dst[i], n, at);
	case BOP_COMPVAL:
		return accel_compare_pattern(ctx, b->src[i], PATTERN, n, at);
	case BOP_CRC:
		return accel_crc32c(ctx, b->src[i], n, 0, crc);
	case BOP_COPY_CRC:
		return accel_copy_crc32c(ctx, b->dst[i], b->src[i], n, 0, crc);
	case BOP_DUALCAST:
		return accel_dualcast(ctx, b->dst[i], b->dst2[i], b->src[i], n);
	case BOP_CFLUSH:
		return accel_cache_flush(ctx, b->dst[i], n);
	case BOP_NOOP:
		return accel_noop(ctx);
	case BOP_DIF_CHECK:
	case BOP_DIF_INSERT:
	case BOP_DIF_STRIP:
	case BOP_DIF_UPDATE:
		return bench_dif_lib(ctx, op, b, i, n);
	}
	return -EINVAL;
}

static int wrong_value(const char *what, unsigned i, unsigned long long got,
		       unsigned long long want)
{
	fprintf(stderr, "accel-bench: --verify: %s of buffer %u is 0x%llx, "
			"the CPU's 0x%llx\n",
		what, i, got, want);
	return BENCH_EVERIFY;
}

/* --verify: a returned value against the CPU's. */
static int check_value(enum bench_op op, const struct bench_bufs *b, unsigned i,
		       size_t n, int rc, uint32_t crc, size_t at)
{
	switch (op) {
	case BOP_CRC:
	case BOP_COPY_CRC:
		return crc == b->expect_crc[i] ? 0 :
		       wrong_value("CRC", i, crc, b->expect_crc[i]);
	case BOP_COMPARE:
	case BOP_COMPVAL:
		/* The inputs are equal (the pattern, for compval). */
		if (rc != 0 || at != n)
			return wrong_value("compare result", i,
					   (unsigned long long)rc, 0);
		return 0;
	default:
		return 0;
	}
}

/* One synchronous library call; with --verify its value is checked. */
static int lib_call(struct accel_ctx *ctx, const struct bench_cfg *cfg,
		    struct bench_bufs *b, unsigned i, size_t n)
{
	uint32_t crc = 0;
	size_t at = n;
	int rc;

	rc = lib_call_raw(ctx, cfg->op, b, i, n, &crc, &at);
	if (rc < 0)
		return rc;
	if (!cfg->verify)
		return 0;
	return check_value(cfg->op, b, i, n, rc, crc, at);
}

static volatile uint32_t sink;

/* A block of the pattern that stays in L1: compval's baseline compares
 * against it with memcmp, block after block. */
#define PATTERN_BLOCK 4096
static const uint8_t pattern_block[PATTERN_BLOCK]
	__attribute__((aligned(64))) = { [0 ... PATTERN_BLOCK - 1] = 0x5a };

static int memcmp_pattern(const uint8_t *p, size_t n)
{
	int d = 0;

	for (size_t k = 0; k < n && !d; k += PATTERN_BLOCK)
		d = memcmp(p + k, pattern_block,
			   n - k < PATTERN_BLOCK ? n - k : PATTERN_BLOCK);
	return d;
}

/* What the CPU side of each operation is, as the output names it.  The
 * pattern is one repeated byte, so memset is the best pattern store. */
const char *bench_baseline_name(enum bench_op op)
{
	switch (op) {
	case BOP_MEMCPY:
		return "glibc memcpy";
	case BOP_MEMMOVE:
		return "glibc memmove";
	case BOP_FILL:
		return "glibc memset";
	case BOP_COMPARE:
		return "glibc memcmp";
	case BOP_COMPVAL:
		return "glibc memcmp against a 4 KiB pattern block";
	case BOP_CRC:
		return bench_crc32c_name();
	case BOP_COPY_CRC:
		return bench_crc32c_name()[0] == 's' ?
			       "glibc memcpy + sse4.2 crc32 x3 streams" :
			       "glibc memcpy + byte-table crc";
	case BOP_DUALCAST:
		return "glibc memcpy twice";
	case BOP_CFLUSH:
		return "clflush loop";
	case BOP_DIF_CHECK:
	case BOP_DIF_INSERT:
	case BOP_DIF_STRIP:
	case BOP_DIF_UPDATE:
		return bench_dif_baseline_name(op);
	case BOP_NOOP:
		break;
	}
	return "none";
}

/* The same work done by the fastest plain CPU code we know of. */
static void cpu_call(enum bench_op op, struct bench_bufs *b, unsigned i, size_t n)
{
	switch (op) {
	case BOP_MEMCPY:
		memcpy(b->dst[i], b->src[i], n);
		break;
	case BOP_MEMMOVE:
		memmove(b->dst[i], b->src[i], n);
		break;
	case BOP_FILL:
		memset(b->dst[i], 0x5a, n);
		break;
	case BOP_COMPARE:
		sink = (uint32_t)memcmp(b->src[i], b->dst[i], n);
		break;
	case BOP_COMPVAL:
		sink = (uint32_t)memcmp_pattern(b->src[i], n);
		break;
	case BOP_CRC:
		sink = bench_crc32c(0, b->src[i], n);
		break;
	case BOP_COPY_CRC:
		memcpy(b->dst[i], b->src[i], n);
		sink = bench_crc32c(0, b->dst[i], n);
		break;
	case BOP_DUALCAST:
		memcpy(b->dst[i], b->src[i], n);
		memcpy(b->dst2[i], b->src[i], n);
		break;
	case BOP_CFLUSH:
		for (size_t k = 0; k < n; k += 64)
			__builtin_ia32_clflush(b->dst[i] + k);
		break;
	case BOP_DIF_CHECK:
	case BOP_DIF_INSERT:
	case BOP_DIF_STRIP:
	case BOP_DIF_UPDATE:
		bench_dif_cpu(op, b, i, n);
		break;
	case BOP_NOOP:
		break;
	}
}

static void prep(struct accel_op *op, enum bench_op o, struct bench_bufs *b,
		 unsigned i, size_t n, uint32_t flags)
{
	switch (o) {
	case BOP_MEMCPY:
	case BOP_MEMMOVE:
		accel_prep_memmove(op, b->dst[i], b->src[i], n, flags);
		break;
	case BOP_FILL:
		accel_prep_fill(op, b->dst[i], PATTERN, n, flags);
		break;
	case BOP_COMPARE:
		accel_prep_compare(op, b->src[i], b->dst[i], n, flags);
		break;
	case BOP_COMPVAL:
		accel_prep_compare_pattern(op, b->src[i], PATTERN, n, flags);
		break;
	case BOP_CRC:
		accel_prep_crc32c(op, b->src[i], n, 0, flags);
		break;
	case BOP_COPY_CRC:
		accel_prep_copy_crc32c(op, b->dst[i], b->src[i], n, 0, flags);
		break;
	case BOP_DUALCAST:
		accel_prep_dualcast(op, b->dst[i], b->dst2[i], b->src[i], n,
				    flags);
		break;
	case BOP_CFLUSH:
		accel_prep_cache_flush(op, b->dst[i], n, flags);
		break;
	case BOP_NOOP:
		accel_prep_noop(op);
		break;
	case BOP_DIF_CHECK:
	case BOP_DIF_INSERT:
	case BOP_DIF_STRIP:
	case BOP_DIF_UPDATE:
		bench_dif_prep(op, o, b, i, n, flags);
		break;
	}
}

/*
 * Wait for one op.  "spin" reads the completion record itself and calls
 * accel_poll() once, so a count of instructions in accel_submit and
 * accel_poll is the library's cost, not the time spent waiting.
 */
static int wait_op(struct accel_ctx *ctx, struct accel_op *op,
		   enum accel_wait_mode w)
{
	int rc;

	if (w != ACCEL_WAIT_SPIN)
		return accel_wait(ctx, op, w);
	do {
		while (!__atomic_load_n(&op->comp.status, __ATOMIC_ACQUIRE))
			;
		rc = accel_poll(ctx, op);
	} while (rc == -EINPROGRESS); /* resubmitted after a page fault */
	return rc;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void percentiles(uint64_t *lat, uint64_t n, struct bench_result *r)
{
	if (!n)
		return;
	qsort(lat, n, sizeof(*lat), cmp_u64);
	r->lat_p50 = (double)lat[n / 2];
	r->lat_p99 = (double)lat[(n * 99) / 100];
	r->lat_p999 = (double)lat[(n * 999) / 1000];
}

/* How many ops to run: --iters, or enough to fill --duration. */
static uint64_t plan_ops(const struct bench_cfg *cfg, double ns_per_op)
{
	double n;

	if (cfg->iters)
		return cfg->iters;
	n = cfg->duration * 1e9 / (ns_per_op > 1 ? ns_per_op : 1);
	return n < 3 ? 3 : n > 5e8 ? 500000000 : (uint64_t)n;
}

/* One timed pass of the library call at a placement of its loop
 * (loops.c); no clock inside the loop. */
static __attribute__((noinline)) int
sync_round(struct accel_ctx *ctx, const struct bench_cfg *cfg, struct bench_bufs *b,
	   size_t n, uint64_t ops, unsigned place, uint64_t *ns,
	   uint64_t *cpu_ns)
{
	uint64_t i, t0, c0;
	int rc = 0;

	c0 = thread_cpu_ns();
	t0 = bench_now_ns();
	if (cfg->op == BOP_MEMCPY)
		rc = bench_lib_copy[place](ctx, b->pairs, b->pairs + b->n, n,
					   ops);
	else if (cfg->op == BOP_MEMMOVE)
		rc = bench_lib_move[place](ctx, b->pairs, b->pairs + b->n, n,
					   ops);
	else
		for (i = 0; i < ops && !rc; i++)
			rc = lib_call(ctx, cfg, b, (unsigned)(i % b->n), n);
	*ns = bench_now_ns() - t0;
	*cpu_ns = thread_cpu_ns() - c0;
	return rc;
}

/* One timed pass of the CPU doing the same work, at the same placement. */
static __attribute__((noinline)) uint64_t
baseline_round(const struct bench_cfg *cfg, struct bench_bufs *b, size_t n,
	       uint64_t ops, unsigned place)
{
	uint64_t i, t0;

	t0 = bench_now_ns();
	if (cfg->op == BOP_MEMCPY) {
		bench_base_copy[place](b->pairs, b->pairs + b->n, n, ops);
	} else if (cfg->op == BOP_MEMMOVE) {
		bench_base_move[place](b->pairs, b->pairs + b->n, n, ops);
	} else {
		for (i = 0; i < ops; i++)
			cpu_call(cfg->op, b, (unsigned)(i % b->n), n);
	}
	return bench_now_ns() - t0;
}

static int sync_latency(struct accel_ctx *ctx, const struct bench_cfg *cfg,
			struct bench_bufs *b, size_t n, uint64_t ops,
			struct bench_result *r)
{
	uint64_t *lat, i, t0;
	int rc;

	ops = ops < LAT_SAMPLES ? ops : LAT_SAMPLES;
	lat = malloc(ops * sizeof(*lat));
	if (!lat)
		return -ENOMEM;
	if (cfg->verify)
		bench_bufs_poison(b, cfg->op);
	for (i = 0; i < ops; i++) {
		t0 = bench_now_ns();
		rc = lib_call(ctx, cfg, b, (unsigned)(i % b->n), n);
		lat[i] = bench_now_ns() - t0;
		if (rc) {
			free(lat);
			return rc;
		}
	}
	percentiles(lat, ops, r);
	free(lat);
	return cfg->verify ? bench_bufs_check(b, cfg->op) : 0;
}

/*
 * Library and baseline side by side, robust against a shared virtual
 * machine's noise and against code placement (docs/performance.md, "How
 * the ratio is measured"):
 *   - both sides run the same buffers in the same walk, warmed first by
 *     an untimed round of each at every placement;
 *   - they alternate in many short rounds (about ROUND_NS each, up to
 *     cfg->rounds pairs) in groups of four: library, baseline, baseline,
 *     library.  Whichever round goes second finds the other's data in
 *     the cache (at 8-16 MiB that alone made identical work read 0.16x
 *     to 2x per pair), and a slow drift (clock frequency, a neighbour
 *     starting) moves both halves alike: the group cancels both;
 *   - group g runs both sides' loops at placement g % BENCH_PLACES
 *     (loops.c), so neither side keeps a lucky or unlucky one;
 *   - each group gives one ratio (the baseline's two rounds over the
 *     library's two); per placement the median of its groups' ratios
 *     (a burst of host load spoils the groups it falls in, not the
 *     point), and the point's ratio is the geometric mean of those
 *     medians over the placements.
 * The throughput figures are the median rounds of each side.  With --aa
 * the library's side runs the baseline's loop as well: what that reads
 * is the method's own error (identical work: 1.00x).
 */
static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The q-quantile (0..1) of v[0..n), sorted in place. */
static double quantile(double *v, unsigned n, double q)
{
	double pos = q * (n - 1);
	unsigned i = (unsigned)pos;

	qsort(v, n, sizeof(*v), cmp_dbl);
	return i + 1 < n ? v[i] + (pos - i) * (v[i + 1] - v[i]) : v[i];
}

/* One round of the library's side: its call, or (--aa) the baseline's. */
static int lib_side_round(struct accel_ctx *ctx, const struct bench_cfg *cfg,
			  struct bench_bufs *b, size_t n, uint64_t ops,
			  unsigned place, uint64_t *ns, uint64_t *cpu_ns)
{
	uint64_t c0;

	if (!cfg->aa)
		return sync_round(ctx, cfg, b, n, ops, place, ns, cpu_ns);
	c0 = thread_cpu_ns();
	*ns = baseline_round(cfg, b, n, ops, place);
	*cpu_ns = thread_cpu_ns() - c0;
	return 0;
}

struct sync_rounds {
	unsigned pairs;
	double *lib, *base, *cpu; /* per round: ns, the library's CPU ns */
	double *ratio; /* per group of two pairs */
};

static int sync_rounds_alloc(struct sync_rounds *s, unsigned pairs)
{
	s->pairs = pairs;
	s->lib = calloc(4 * (size_t)pairs + pairs / BENCH_PLACES + 1,
			sizeof(double));
	if (!s->lib)
		return -ENOMEM;
	s->base = s->lib + pairs;
	s->ratio = s->base + pairs;
	s->cpu = s->ratio + pairs;
	return 0;
}

/* The geometric mean over the placements of each one's median ratio
 * (group g, pairs 2g and 2g + 1, ran at placement g % BENCH_PLACES). */
static double placement_ratio(const struct sync_rounds *s)
{
	unsigned groups = s->pairs / 2;
	double *one = s->cpu + s->pairs, logs = 0;
	unsigned places = groups < BENCH_PLACES ? groups : BENCH_PLACES;

	for (unsigned p = 0; p < places; p++) {
		unsigned m = 0;

		for (unsigned g = p; g < groups; g += BENCH_PLACES)
			one[m++] = s->ratio[g];
		logs += log(quantile(one, m, 0.5));
	}
	return exp(logs / places);
}

/* A round lasts about this long: short against a scheduler's time slice
 * (a few ms), so that most rounds run undisturbed by a neighbour. */
#define ROUND_NS 100000.0

/* Pairs of rounds: enough to fill --duration with rounds of ROUND_NS, at
 * most --rounds; where one round takes longer (large sizes), as many as
 * fit in 4 x --duration, and never fewer than 2 per placement. */
static unsigned plan_pairs(const struct bench_cfg *cfg, double ns_per_round)
{
	double budget = 4 * cfg->duration * 1e9;
	double fit = cfg->duration * 1e9 / (2 * ROUND_NS);
	unsigned pairs = fit < cfg->rounds ? (unsigned)fit : cfg->rounds;

	if (!cfg->iters && 2.0 * pairs * ns_per_round > budget)
		pairs = (unsigned)(budget / (2 * ns_per_round));
	return pairs < 2 * BENCH_PLACES ? 2 * BENCH_PLACES : pairs;
}

static int run_sync(struct accel_ctx *ctx, const struct bench_cfg *cfg,
		    struct bench_bufs *b, size_t n, struct bench_result *r)
{
	struct sync_rounds s;
	uint64_t ops, i, t0, ns, cpu;
	unsigned k, pairs;
	double once;
	int rc;

	for (i = 0; i < cfg->warmup; i++)
		if ((rc = lib_call(ctx, cfg, b, (unsigned)(i % b->n), n)))
			return rc;
	/* The fastest of three calls: one slowed by a neighbour would make
	 * the rounds of a large size few, and their median coarse. */
	for (once = 0, k = 0; k < 3; k++) {
		t0 = bench_now_ns();
		if ((rc = lib_call(ctx, cfg, b, 0, n)))
			return rc;
		ns = bench_now_ns() - t0;
		once = !k || (double)ns < once ? (double)ns : once;
	}
	/* A round walks every buffer at least once (--verify checks them
	 * all after each round); --iters is then split into rounds. */
	if (cfg->iters) {
		ops = cfg->iters / (2 * BENCH_PLACES);
		ops = ops < b->n ? b->n : ops;
		pairs = (unsigned)(cfg->iters / ops);
		pairs = pairs < 1 ? 1 : pairs > cfg->rounds ? cfg->rounds : pairs;
	} else {
		ops = once < ROUND_NS ? (uint64_t)(ROUND_NS / once) : 1;
		ops = ops < b->n ? b->n : ops;
		pairs = plan_pairs(cfg, (double)ops * once);
	}
	pairs += pairs % 2; /* whole groups: library, base, base, library */
	if ((rc = sync_rounds_alloc(&s, pairs)))
		return rc;

	/* Untimed: both sides' code, buffers and predictors warm. */
	for (k = 0; k < BENCH_PLACES; k++) {
		if ((rc = lib_side_round(ctx, cfg, b, n, ops, k, &ns, &cpu)))
			goto out;
		if (cfg->baseline)
			baseline_round(cfg, b, n, ops, k);
	}
	for (k = 0; k < pairs; k++) {
		unsigned place = (k / 2) % BENCH_PLACES;
		bool base_first = cfg->baseline && k % 2;

		if (base_first)
			s.base[k] = (double)baseline_round(cfg, b, n, ops,
							   place);
		if (cfg->verify)
			bench_bufs_poison(b, cfg->op);
		rc = lib_side_round(ctx, cfg, b, n, ops, place, &ns, &cpu);
		if (rc)
			goto out;
		if (cfg->verify && (rc = bench_bufs_check(b, cfg->op)))
			goto out;
		s.lib[k] = (double)ns;
		s.cpu[k] = (double)cpu;
		if (cfg->baseline && !base_first)
			s.base[k] = (double)baseline_round(cfg, b, n, ops,
							   place);
		if (cfg->baseline && base_first)
			s.ratio[k / 2] = (s.base[k - 1] + s.base[k]) /
					 (s.lib[k - 1] + s.lib[k] > 0 ?
						  s.lib[k - 1] + s.lib[k] : 1);
	}
	r->rounds = pairs;
	r->n = ops * pairs;
	if (cfg->baseline) {
		r->ratio = placement_ratio(&s);
		r->ratio_q1 = quantile(s.ratio, pairs / 2, 0.25);
		r->ratio_q3 = quantile(s.ratio, pairs / 2, 0.75);
		r->base_ns = quantile(s.base, pairs, 0.5) / (double)ops;
		r->base_gbps = (double)n / r->base_ns;
	}
	r->cpu_ns = quantile(s.cpu, pairs, 0.5) / (double)ops;
	r->ops = (double)ops * 1e9 / quantile(s.lib, pairs, 0.5);
	r->gbps = r->ops * (double)n / 1e9;
	r->path = accel_path_name(accel_last_path(ctx));
	rc = sync_latency(ctx, cfg, b, n, ops, r);
out:
	free(s.lib);
	return rc;
}

static int run_baseline(const struct bench_cfg *cfg, struct bench_bufs *b, size_t n,
			struct bench_result *r)
{
	uint64_t ops, t0;

	t0 = bench_now_ns();
	cpu_call(cfg->op, b, 0, n);
	ops = plan_ops(cfg, (double)(bench_now_ns() - t0));
	r->base_ns = (double)baseline_round(cfg, b, n, ops, 0) / (double)ops;
	r->base_gbps = (double)n / r->base_ns;
	return 0;
}

/* A batch or a single op in one slot of the in-flight window. */
struct slot {
	struct accel_op op;
	struct accel_op *members;
	uint64_t t_submit;
	uint64_t k; /* the first member's buffer index */
};

/* --verify: every completed descriptor's value against the CPU's. */
static int check_slot(const struct bench_cfg *cfg, const struct slot *s,
		      const struct bench_bufs *b, size_t n)
{
	unsigned m, cnt = cfg->batch > 1 ? cfg->batch : 1;
	int rc = 0;

	for (m = 0; m < cnt && !rc; m++) {
		const struct accel_op *op = cfg->batch > 1 ? &s->members[m] :
							     &s->op;
		unsigned i = (unsigned)((s->k + m) % b->n);

		rc = check_value(cfg->op, b, i, n, op->comp.result,
				 op->comp.crc_val, op->comp.result ? 0 : n);
	}
	return rc;
}

static int slot_submit(struct accel_ctx *ctx, const struct bench_cfg *cfg,
		       struct slot *s, struct bench_bufs *b, uint64_t k, size_t n)
{
	uint32_t fl = cfg->cache ? DSA_FLAG_CC : 0;
	int rc;

	if (cfg->batch > 1) {
		for (unsigned m = 0; m < cfg->batch; m++)
			prep(&s->members[m], cfg->op, b,
			     (unsigned)((k + m) % b->n), n, fl);
	} else {
		prep(&s->op, cfg->op, b, (unsigned)(k % b->n), n, fl);
	}
	s->k = k;
	s->t_submit = bench_now_ns();
	do {
		rc = cfg->batch > 1 ? accel_submit_batch(ctx, &s->op,
							 s->members, cfg->batch) :
				      accel_submit(ctx, &s->op);
	} while (rc == -EAGAIN);
	return rc;
}

static int run_async(struct accel_ctx *ctx, const struct bench_cfg *cfg,
		     struct bench_bufs *b, size_t n, struct bench_result *r)
{
	unsigned qd = cfg->qd, head = 0, inflight = 0;
	uint64_t ops, done = 0, submitted = 0, t0, c0, t, nlat = 0;
	uint64_t *lat = NULL;
	struct slot *s;
	int rc = 0;

	if (posix_memalign((void **)&s, 64, qd * sizeof(*s)))
		return -ENOMEM;
	memset(s, 0, qd * sizeof(*s));
	for (unsigned i = 0; i < qd && cfg->batch > 1; i++)
		if (posix_memalign((void **)&s[i].members, 64,
				   cfg->batch * sizeof(struct accel_op))) {
			rc = -ENOMEM;
			goto out;
		}
	/* Probe one round trip to plan the count. */
	t0 = bench_now_ns();
	if ((rc = slot_submit(ctx, cfg, &s[0], b, 0, n)) ||
	    (rc = wait_op(ctx, &s[0].op, cfg->wait)))
		goto out;
	ops = plan_ops(cfg, (double)(bench_now_ns() - t0) / qd) + cfg->warmup;
	lat = malloc((ops < LAT_SAMPLES ? ops : LAT_SAMPLES) * sizeof(*lat));
	if (!lat) {
		rc = -ENOMEM;
		goto out;
	}
	if (cfg->verify)
		bench_bufs_poison(b, cfg->op);
	c0 = thread_cpu_ns();
	t0 = bench_now_ns();
	while (done < ops) {
		while (inflight < qd && submitted < ops) {
			struct slot *sl = &s[(head + inflight) % qd];

			if ((rc = slot_submit(ctx, cfg, sl, b, submitted, n)))
				goto out;
			submitted++;
			inflight++;
		}
		if ((rc = wait_op(ctx, &s[head].op, cfg->wait)))
			goto out;
		if (cfg->verify && (rc = check_slot(cfg, &s[head], b, n)))
			goto out;
		if (done >= cfg->warmup && nlat < LAT_SAMPLES)
			lat[nlat++] = bench_now_ns() - s[head].t_submit;
		if (done + 1 == cfg->warmup) {
			c0 = thread_cpu_ns();
			t0 = bench_now_ns();
		}
		head = (head + 1) % qd;
		inflight--;
		done++;
	}
	t = bench_now_ns() - t0;
	ops -= cfg->warmup;
	r->n = ops * cfg->batch;
	r->cpu_ns = (double)(thread_cpu_ns() - c0) / (double)r->n;
	r->ops = (double)r->n * 1e9 / (double)t;
	r->gbps = r->ops * (double)n / 1e9;
	r->path = "device";
	percentiles(lat, nlat, r);
	if (cfg->verify)
		rc = bench_bufs_check(b, cfg->op);
out:
	for (unsigned i = 0; i < qd; i++)
		free(s[i].members);
	free(s);
	free(lat);
	return rc;
}

/* A loop of dependent integer work whose length we can choose. */
static uint64_t compute(uint64_t iters)
{
	uint64_t x = 88172645463325252ull;

	for (uint64_t i = 0; i < iters; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
	}
	return x;
}


/*
 * Overlap: how much of an asynchronous copy hides behind compute of about
 * the same length (1.1 times the copy's median).  hidden = 1 - (both -
 * compute) / copy, each run against its own compute and copy alone,
 * median of runs.
 */
static int run_overlap(struct accel_ctx *ctx, const struct bench_cfg *cfg,
		       struct bench_bufs *b, size_t n, struct bench_result *r)
{
	enum { RUNS = 15 };
	double hid[RUNS], copy_ns = 0, comp_ns = 0;
	uint64_t iters = 1000, t0;
	struct accel_op op;
	int rc, k;

	double alone[5];

	for (k = 0; k < 5; k++) { /* the copy alone */
		t0 = bench_now_ns();
		accel_prep_memmove(&op, b->dst[0], b->src[0], n, 0);
		if ((rc = accel_submit(ctx, &op)) ||
		    (rc = wait_op(ctx, &op, cfg->wait)))
			return rc;
		alone[k] = (double)(bench_now_ns() - t0);
	}
	/*
	 * Calibrate the compute loop to the copy's median length plus a tenth:
	 * "similar length", and long enough that a copy hidden perfectly is
	 * not cut short by a shorter loop (a loop 20% shorter than the copy
	 * could never hide more than ~83% of it).
	 */
	qsort(alone, 5, sizeof(alone[0]), cmp_dbl);
	copy_ns = alone[2] * 1.1;
	for (k = 0; k < 20; k++) {
		t0 = bench_now_ns();
		sink = (uint32_t)compute(iters);
		comp_ns = (double)(bench_now_ns() - t0);
		if (comp_ns > copy_ns * 0.97 && comp_ns < copy_ns * 1.03)
			break;
		iters = (uint64_t)((double)iters * copy_ns /
				   (comp_ns > 1 ? comp_ns : 1));
	}
	for (k = 0; k < RUNS; k++) {
		double both, c1, c2;

		t0 = bench_now_ns();
		sink = (uint32_t)compute(iters);
		c1 = (double)(bench_now_ns() - t0);
		t0 = bench_now_ns();
		accel_prep_memmove(&op, b->dst[0], b->src[0], n, 0);
		if ((rc = accel_submit(ctx, &op)))
			return rc;
		sink = (uint32_t)compute(iters);
		if ((rc = wait_op(ctx, &op, cfg->wait)))
			return rc;
		both = (double)(bench_now_ns() - t0);
		t0 = bench_now_ns();
		accel_prep_memmove(&op, b->dst[0], b->src[0], n, 0);
		if ((rc = accel_submit(ctx, &op)) ||
		    (rc = wait_op(ctx, &op, cfg->wait)))
			return rc;
		c2 = (double)(bench_now_ns() - t0);
		hid[k] = 1.0 - (both - c1) / c2;
		if (hid[k] < 0)
			hid[k] = 0;
		if (hid[k] > 1)
			hid[k] = 1;
		copy_ns = c2;
		comp_ns = c1;
	}
	qsort(hid, RUNS, sizeof(hid[0]), cmp_dbl);
	r->extra = hid[RUNS / 2] * 100.0;
	r->n = RUNS;
	r->gbps = (double)n / copy_ns;
	r->ops = 1e9 / copy_ns;
	r->lat_p50 = r->lat_p99 = r->lat_p999 = copy_ns;
	r->cpu_ns = comp_ns;
	r->path = "device";
	return 0;
}

/*
 * Batch cost: the submitter's time to describe and hand over `batch`
 * descriptors as one batch prepared in place (accel_batch_add from one
 * reused op, one submission), against the same number of single
 * submissions (each prepared in its own op).  The batch of full member ops
 * (accel_submit_batch) is timed too, as extra.  Medians of runs.
 */
static int run_batch_cost(struct accel_ctx *ctx, const struct bench_cfg *cfg,
			  struct bench_bufs *b, size_t n, struct bench_result *r)
{
	enum { RUNS = 201 };
	unsigned nb = cfg->batch;
	double single[RUNS], batch[RUNS], members[RUNS];
	struct accel_op *ops, *bop, *tmpl;
	struct accel_batch *bt;
	int rc = 0, k;

	if (posix_memalign((void **)&ops, 64, (nb + 2) * sizeof(*ops)))
		return -ENOMEM;
	bop = &ops[nb];
	tmpl = &ops[nb + 1];
	if ((rc = accel_batch_create(ctx, nb, &bt))) {
		free(ops);
		return rc;
	}
	for (k = 0; k < RUNS; k++) {
		uint64_t t0;
		unsigned i;

		t0 = bench_now_ns();
		for (i = 0; i < nb; i++) {
			prep(&ops[i], cfg->op, b, i % b->n, n, 0);
			while ((rc = accel_submit(ctx, &ops[i])) == -EAGAIN)
				;
			if (rc)
				goto out;
		}
		single[k] = (double)(bench_now_ns() - t0);
		for (i = 0; i < nb; i++)
			if ((rc = wait_op(ctx, &ops[i], cfg->wait)))
				goto out;

		t0 = bench_now_ns();
		for (i = 0; i < nb; i++) {
			prep(tmpl, cfg->op, b, i % b->n, n, 0);
			if ((rc = accel_batch_add(bt, tmpl)) < 0)
				goto out;
		}
		while ((rc = accel_batch_submit(ctx, bt)) == -EAGAIN)
			;
		batch[k] = (double)(bench_now_ns() - t0);
		if (rc || (rc = accel_batch_wait(ctx, bt, ACCEL_WAIT_PAUSE)))
			goto out;

		t0 = bench_now_ns();
		for (i = 0; i < nb; i++)
			prep(&ops[i], cfg->op, b, i % b->n, n, 0);
		while ((rc = accel_submit_batch(ctx, bop, ops, nb)) == -EAGAIN)
			;
		members[k] = (double)(bench_now_ns() - t0);
		if (rc || (rc = wait_op(ctx, bop, cfg->wait)))
			goto out;
	}
	qsort(single, RUNS, sizeof(double), cmp_dbl);
	qsort(batch, RUNS, sizeof(double), cmp_dbl);
	qsort(members, RUNS, sizeof(double), cmp_dbl);
	r->extra = batch[RUNS / 2] / single[RUNS / 2];
	r->extra2 = members[RUNS / 2] / single[RUNS / 2];
	r->cpu_ns = batch[RUNS / 2] / nb;
	r->base_ns = single[RUNS / 2] / nb;
	r->n = RUNS;
	r->path = "device";
out:
	accel_batch_destroy(bt);
	free(ops);
	return rc;
}

/*
 * Submission cost: the library's submit and the one poll that finds the
 * record complete, with the wait in between (the device's side) left out.
 * Under `valgrind --tool=callgrind --collect-atstart=no` only those calls
 * are counted, so total instructions / descriptors is the per-descriptor
 * figure; natively it reports their time.  With --batch N, the
 * descriptors travel in batches prepared in place: each member's
 * accel_batch_add, the batch's submit and the poll that finds it complete
 * are counted (a successful batch means every member succeeded).
 */
static int submit_cost_batch(struct accel_ctx *ctx, const struct bench_cfg *cfg,
			     struct bench_bufs *b, size_t n, uint64_t rounds,
			     uint64_t *ns)
{
	unsigned nb = cfg->batch, i;
	struct accel_batch *bt;
	struct accel_op *tmpl;
	uint64_t k, t0;
	int rc;

	if (posix_memalign((void **)&tmpl, 64, sizeof(*tmpl)))
		return -ENOMEM;
	if ((rc = accel_batch_create(ctx, nb, &bt))) {
		free(tmpl);
		return rc;
	}
	for (k = 0; k < rounds && !rc; k++) {
		for (i = 0; i < nb && rc >= 0; i++) {
			prep(tmpl, cfg->op, b, i % b->n, n, 0);
			t0 = bench_now_ns();
			BENCH_COLLECT_TOGGLE();
			rc = accel_batch_add(bt, tmpl);
			BENCH_COLLECT_TOGGLE();
			*ns += bench_now_ns() - t0;
		}
		if (rc < 0)
			break;
		t0 = bench_now_ns();
		BENCH_COLLECT_TOGGLE();
		rc = accel_batch_submit(ctx, bt);
		BENCH_COLLECT_TOGGLE();
		*ns += bench_now_ns() - t0;
		if (rc == -EAGAIN) {
			rc = 0;
			continue;
		}
		if (rc)
			break;
		while (!__atomic_load_n(
			&accel_batch_record(bt, ACCEL_BATCH_SELF)->status,
			__ATOMIC_ACQUIRE))
			sched_yield();
		t0 = bench_now_ns();
		BENCH_COLLECT_TOGGLE();
		rc = accel_batch_poll(ctx, bt);
		BENCH_COLLECT_TOGGLE();
		*ns += bench_now_ns() - t0;
	}
	accel_batch_destroy(bt);
	free(tmpl);
	return rc < 0 ? rc : 0;
}

static int run_submit_cost(struct accel_ctx *ctx, const struct bench_cfg *cfg,
			   struct bench_bufs *b, size_t n, struct bench_result *r)
{
	uint64_t ops = cfg->iters ? cfg->iters : 100000, i, ns = 0;
	struct accel_op *op;
	int rc = 0;

	if (cfg->batch > 1) {
		/* --iters counts descriptors, as in the single case. */
		uint64_t rounds = ops / cfg->batch ? ops / cfg->batch : 1;

		rc = submit_cost_batch(ctx, cfg, b, n, rounds, &ns);
		ops = rounds * cfg->batch;
		goto report;
	}
	if (posix_memalign((void **)&op, 64, sizeof(*op)))
		return -ENOMEM;
	for (i = 0; i < ops && !rc; i++) {
		uint64_t t0, t1;

		prep(op, cfg->op, b, (unsigned)(i % b->n), n, 0);
		t0 = bench_now_ns();
		BENCH_COLLECT_TOGGLE();
		rc = accel_submit(ctx, op);
		BENCH_COLLECT_TOGGLE();
		t1 = bench_now_ns();
		ns += t1 - t0;
		if (rc == -EAGAIN) {
			rc = 0;
			continue;
		}
		/* Yield: under valgrind the engine thread needs the CPU. */
		while (!__atomic_load_n(&op->comp.status, __ATOMIC_ACQUIRE))
			sched_yield();
		t0 = bench_now_ns();
		BENCH_COLLECT_TOGGLE();
		rc = accel_poll(ctx, op);
		BENCH_COLLECT_TOGGLE();
		ns += bench_now_ns() - t0;
		if (rc == -EINPROGRESS) /* a fault being resumed */
			rc = wait_op(ctx, op, cfg->wait);
	}
	free(op);
report:
	r->n = ops;
	r->cpu_ns = (double)ns / (double)ops;
	r->ops = 1e9 / r->cpu_ns;
	r->path = "device";
	return rc;
}

/* Every figure starts as "not measured" (NaN, printed as null or "-"). */
static void result_init(struct bench_result *r, size_t size)
{
	memset(r, 0, sizeof(*r));
	r->size = size;
	r->path = "-";
	r->gbps = r->ops = r->lat_p50 = r->lat_p99 = r->lat_p999 = NAN;
	r->cpu_ns = r->base_gbps = r->base_ns = r->extra = r->extra2 = NAN;
	r->ratio = r->ratio_q1 = r->ratio_q3 = NAN;
}

int bench_run_point(struct accel_ctx *ctx, const struct bench_cfg *cfg,
		    size_t size, struct bench_result *r)
{
	struct bench_bufs b;
	int rc;

	result_init(r, size);
	rc = bench_bufs_alloc(&b, cfg, size);
	if (rc)
		return rc;
	switch (cfg->mode) {
	case BMODE_SYNC:
		rc = run_sync(ctx, cfg, &b, size, r);
		break;
	case BMODE_ASYNC:
		rc = run_async(ctx, cfg, &b, size, r);
		break;
	case BMODE_OVERLAP:
		rc = run_overlap(ctx, cfg, &b, size, r);
		break;
	case BMODE_BATCH_COST:
		rc = run_batch_cost(ctx, cfg, &b, size, r);
		break;
	case BMODE_SUBMIT_COST:
		rc = run_submit_cost(ctx, cfg, &b, size, r);
		break;
	}
	if (!rc && cfg->baseline &&
	    (cfg->mode == BMODE_ASYNC || cfg->mode == BMODE_OVERLAP))
		rc = run_baseline(cfg, &b, size, r);
	bench_bufs_free(&b);
	return rc;
}
