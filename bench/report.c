// SPDX-License-Identifier: MIT
/* Output: the human table, JSON Lines, the progress bar and the SVG plot.
 * A figure a run did not measure is NaN inside, "-" in the table and null
 * in JSON: never a 0 that reads like a measurement. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

static const char *human(size_t n, char *buf, size_t len)
{
	if (n >= (1ull << 30) && !(n & ((1ull << 30) - 1)))
		snprintf(buf, len, "%zuG", n >> 30);
	else if (n >= (1u << 20) && !(n & ((1u << 20) - 1)))
		snprintf(buf, len, "%zuM", n >> 20);
	else if (n >= 1024 && !(n & 1023))
		snprintf(buf, len, "%zuK", n >> 10);
	else
		snprintf(buf, len, "%zu", n);
	return buf;
}

const char *bench_mode_name(int mode)
{
	switch (mode) {
	case BMODE_SYNC:
		return "sync";
	case BMODE_ASYNC:
		return "async";
	case BMODE_OVERLAP:
		return "overlap";
	case BMODE_BATCH_COST:
		return "batch-cost";
	default:
		return "submit-cost";
	}
}

static const char *pages_name(enum bench_pages p)
{
	return p == BPAGES_HUGE ? "huge" : p == BPAGES_THP ? "thp" : "small";
}

/* The modes whose rows carry a CPU baseline. */
static bool has_baseline(const struct bench_cfg *c)
{
	return c->baseline && (c->mode == BMODE_SYNC || c->mode == BMODE_ASYNC ||
			       c->mode == BMODE_OVERLAP);
}

void bench_print_header(const struct bench_cfg *c, const char *backend)
{
	const char *thr = c->threads > 1 ? "thread " : "";

	if (c->json)
		return;
	printf("# accel-bench: op %s, mode %s, backend %s, bufs %u, batch %u, "
	       "qd %u, threads %u, pages %s%s\n",
	       bench_op_names[c->op], bench_mode_name(c->mode), backend,
	       c->bufs, c->batch, c->qd, c->threads, pages_name(c->pages),
	       c->verify ? ", results verified" : "");
	if (has_baseline(c))
		printf("# CPU baseline: %s, same sizes, same run\n",
		       bench_baseline_name(c->op));
	if (c->mode == BMODE_OVERLAP) {
		printf("# copy GB/s, copy ns: the asynchronous copy alone; compute ns:\n"
		       "# the loop run beside it; hidden: share of the copy's time\n"
		       "# the compute loop covered\n");
		printf("%s%8s %-7s %10s %12s %12s %8s %9s\n", thr, "size",
		       "path", "copy GB/s", "copy ns", "compute ns", "hidden",
		       "base GB/s");
	} else if (c->mode == BMODE_BATCH_COST) {
		printf("# ns/desc: submitter time per descriptor, as one batch\n"
		       "# prepared in place and as single submissions; ratio: batch\n"
		       "# over single (below 1: batching is cheaper); op-array ratio:\n"
		       "# the same for a batch of member ops (accel_submit_batch)\n");
		printf("%8s %6s %14s %14s %8s %14s\n", "size", "batch",
		       "batch ns/desc", "single ns/desc", "ratio",
		       "op-array ratio");
	} else {
		printf("# size: bytes per operation; path: who moved them (cpu, device,\n"
		       "# split); GB/s, ops/s: the library's throughput; p50/p99/p99.9:\n"
		       "# latency of one operation in ns; cpu ns/op: the submitting\n"
		       "# thread's CPU time per operation; base GB/s: the CPU baseline;\n"
		       "# vs base: the library's speed over the baseline's (above 1:\n"
		       "# faster; sync: from alternating rounds, accel-bench(1) --rounds)\n");
		if (c->threads > 1)
			printf("# one row per thread, then \"all\": their sum\n");
		printf("%s%8s %-6s %9s %11s %9s %9s %9s %9s %9s %7s\n", thr,
		       "size", "path", "GB/s", "ops/s", "p50", "p99", "p99.9",
		       "cpu ns/op", "base GB/s", "vs base");
	}
}

/* A number, or null when it was not measured. */
static void jnum(const char *key, double v, int prec)
{
	if (isnan(v) || isinf(v))
		printf(",\"%s\":null", key);
	else
		printf(",\"%s\":%.*f", key, prec, v);
}

/* The sync mode's median of per-round ratios (measure.c), else the
 * ratio of the two throughputs. */
static double ratio_of(const struct bench_result *r)
{
	if (!isnan(r->ratio))
		return r->ratio;
	return r->base_gbps > 0 && !isnan(r->gbps) ? r->gbps / r->base_gbps :
						     NAN;
}

static void print_json(const struct bench_cfg *c, const char *backend,
		       const struct bench_result *r)
{
	bool batch_cost = c->mode == BMODE_BATCH_COST;

	printf("{\"op\":\"%s\",\"size\":%zu,\"backend\":\"%s\",\"path\":\"%s\","
	       "\"mode\":\"%s\",\"bufs\":%u,\"batch\":%u,\"qd\":%u,"
	       "\"threads\":%u,\"pages\":\"%s\",\"verified\":%s",
	       bench_op_names[c->op], r->size, backend, r->path,
	       bench_mode_name(c->mode), c->bufs, c->batch, c->qd, c->threads,
	       pages_name(c->pages), c->verify ? "true" : "false");
	if (c->threads > 1 && r->thread >= 0)
		printf(",\"thread\":%d", r->thread);
	else
		printf(",\"thread\":null");
	if (has_baseline(c))
		printf(",\"baseline\":\"%s\"", bench_baseline_name(c->op));
	else
		printf(",\"baseline\":null");
	jnum("gbps", r->gbps, 4);
	jnum("ops_per_s", r->ops, 1);
	jnum("baseline_gbps", batch_cost ? NAN : r->base_gbps, 4);
	jnum("ratio", ratio_of(r), 4);
	if (c->mode == BMODE_SYNC) {
		jnum("ratio_q1", r->ratio_q1, 4);
		jnum("ratio_q3", r->ratio_q3, 4);
		printf(",\"rounds\":%u", r->rounds);
	}
	jnum("lat_p50_ns", r->lat_p50, 0);
	jnum("lat_p99_ns", r->lat_p99, 0);
	jnum("lat_p999_ns", r->lat_p999, 0);
	jnum("cpu_ns_per_op", r->cpu_ns, 1);
	jnum("baseline_ns_per_op", batch_cost ? NAN : r->base_ns, 2);
	printf(",\"n\":%llu", (unsigned long long)r->n);
	if (c->mode == BMODE_SYNC)
		jnum("overhead_ns_per_op",
		     r->ops > 0 ? 1e9 / r->ops - r->base_ns : NAN, 2);
	if (c->mode == BMODE_OVERLAP)
		jnum("hidden_pct", r->extra, 1);
	if (batch_cost) {
		jnum("batch_ns_per_desc", r->cpu_ns, 1);
		jnum("single_ns_per_desc", r->base_ns, 1);
		jnum("batch_cost_ratio", r->extra, 4);
		jnum("op_array_cost_ratio", r->extra2, 4);
	}
	printf("}\n");
}

/* A table cell: the value, or "-" when not measured. */
static void cell(double v, int width, int prec)
{
	if (isnan(v))
		printf(" %*s", width, "-");
	else
		printf(" %*.*f", width, prec, v);
}

void bench_print(const struct bench_cfg *c, const char *backend,
		 const struct bench_result *r)
{
	char sz[32];

	if (c->json) {
		print_json(c, backend, r);
		return;
	}
	if (c->threads > 1) {
		if (r->thread >= 0)
			printf("%6d ", r->thread);
		else
			printf("%6s ", "all");
	}
	if (c->mode == BMODE_OVERLAP) {
		printf("%8s %-7s", human(r->size, sz, sizeof(sz)), r->path);
		cell(r->gbps, 10, 2);
		cell(r->lat_p50, 12, 0);
		cell(r->cpu_ns, 12, 0);
		cell(r->extra, 7, 1);
		printf("%%");
		cell(r->base_gbps, 9, 2);
		printf("\n");
	} else if (c->mode == BMODE_BATCH_COST) {
		printf("%8s %6u", human(r->size, sz, sizeof(sz)), c->batch);
		cell(r->cpu_ns, 14, 1);
		cell(r->base_ns, 14, 1);
		cell(r->extra, 8, 3);
		cell(r->extra2, 14, 3);
		printf("\n");
	} else {
		double ratio = ratio_of(r);

		printf("%8s %-6s", human(r->size, sz, sizeof(sz)), r->path);
		cell(r->gbps, 9, 2);
		cell(r->ops, 11, 0);
		cell(r->lat_p50, 9, 0);
		cell(r->lat_p99, 9, 0);
		cell(r->lat_p999, 9, 0);
		cell(r->cpu_ns, 9, 1);
		cell(r->base_gbps, 9, 2);
		if (isnan(ratio))
			printf(" %7s\n", "-");
		else
			printf(" %6.2fx\n", ratio);
	}
}

/*
 * The bar stays on the terminal while a point runs: drawn before each
 * point, cleared only to print that point's row.
 */
#define BAR_W 40

void bench_progress(double frac, size_t size)
{
	static const char full[] = "########################################";
	int k = (int)(frac * BAR_W + 0.5);
	char sz[32];

	fprintf(stderr, "\r[%.*s%*s] %3.0f%%  measuring %s", k, full, BAR_W - k,
		"", frac * 100, human(size, sz, sizeof(sz)));
	fflush(stderr);
}

void bench_progress_clear(void)
{
	fprintf(stderr, "\r%*s\r", BAR_W + 30, "");
	fflush(stderr);
}
