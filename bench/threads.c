// SPDX-License-Identifier: MIT
/*
 * --threads: every submitting thread runs the same point on its own
 * buffers, pinned to its CPU of --cpus, all released together; the
 * aggregate is the sum of the threads' rates (they ran at the same time).
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>

#include "bench.h"

/* Opened once every thread exists; or to let them go when one could not
 * be created (a barrier would wait for it forever). */
struct gate {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int state; /* 0 closed, 1 run, -1 abandon */
};

static int gate_wait(struct gate *g)
{
	pthread_mutex_lock(&g->lock);
	while (!g->state)
		pthread_cond_wait(&g->cond, &g->lock);
	pthread_mutex_unlock(&g->lock);
	return g->state;
}

static void gate_open(struct gate *g, int state)
{
	pthread_mutex_lock(&g->lock);
	g->state = state;
	pthread_cond_broadcast(&g->cond);
	pthread_mutex_unlock(&g->lock);
}

struct worker {
	pthread_t tid;
	struct accel_ctx *ctx;
	const struct bench_cfg *cfg;
	struct gate *start;
	size_t size;
	int cpu; /* -1: not pinned */
	int rc;
	struct bench_result *res;
};

int bench_pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return -pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	w->rc = w->cpu >= 0 ? bench_pin(w->cpu) : 0;
	if (gate_wait(w->start) < 0)
		w->rc = -EAGAIN;
	if (!w->rc)
		w->rc = bench_run_point(w->ctx, w->cfg, w->size, w->res);
	return NULL;
}

static double sum(double a, double b)
{
	return isnan(a) ? b : isnan(b) ? a : a + b;
}

static void aggregate(const struct bench_result *r, unsigned n,
		      struct bench_result *agg)
{
	*agg = r[0];
	agg->lat_p50 = agg->lat_p99 = agg->lat_p999 = NAN;
	for (unsigned t = 1; t < n; t++) {
		agg->gbps = sum(agg->gbps, r[t].gbps);
		agg->ops = sum(agg->ops, r[t].ops);
		agg->base_gbps = sum(agg->base_gbps, r[t].base_gbps);
		agg->cpu_ns = sum(agg->cpu_ns, r[t].cpu_ns);
		agg->n += r[t].n;
	}
	agg->cpu_ns /= n; /* the mean thread's CPU time per op */
	/* The CPU side: the same work by n threads at once, so its time per
	 * op is the mean thread's. */
	agg->base_ns = !isnan(agg->base_gbps) && agg->base_gbps > 0 ?
			       (double)agg->size * n / agg->base_gbps :
			       NAN;
	agg->thread = -1;
}

int bench_run_threads(struct accel_ctx *ctx, const struct bench_cfg *cfg,
		      size_t size, struct bench_result *res,
		      struct bench_result *agg)
{
	struct worker w[BENCH_MAX_THREADS];
	struct gate start = { PTHREAD_MUTEX_INITIALIZER,
			      PTHREAD_COND_INITIALIZER, 0 };
	unsigned t, started = 0;
	int rc = 0;

	for (t = 0; t < cfg->threads; t++) {
		w[t] = (struct worker){
			.ctx = ctx, .cfg = cfg, .start = &start, .size = size,
			.cpu = cfg->ncpus ? cfg->cpus[t % cfg->ncpus] : -1,
			.res = &res[t],
		};
		if (cfg->ncpus == 1)
			w[t].cpu = cfg->cpus[0];
		if (pthread_create(&w[t].tid, NULL, worker_main, &w[t]))
			break;
		started++;
	}
	if (started < cfg->threads)
		rc = -EAGAIN;
	gate_open(&start, rc ? -1 : 1);
	for (t = 0; t < started; t++) {
		pthread_join(w[t].tid, NULL);
		if (!rc && w[t].rc)
			rc = w[t].rc;
		res[t].thread = (int)t;
	}
	if (!rc)
		aggregate(res, cfg->threads, agg);
	return rc;
}
