// SPDX-License-Identifier: MIT
/*
 * accel-bench: measures libaccel operations against the CPU doing the same
 * work, side by side in one run.  Exit status 0, 1 when a measurement
 * failed, 2 for bad arguments.
 */
#include <errno.h>
#include <fcntl.h>
#include <numa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

#define MAX_POINTS 64

static int open_ctx(const struct bench_cfg *cfg, struct accel_ctx **ctx)
{
	struct accel_opts o = { .backend = cfg->backend, .device = cfg->device,
				.wq_mode = cfg->wq, .numa_node = cfg->numa_mem };
	int rc = accel_open_opts(ctx, &o);

	if (rc)
		fprintf(stderr, "accel-bench: cannot open backend '%s': %s\n",
			cfg->backend ? cfg->backend : "auto",
			accel_strerror(rc));
	if (rc && *accel_open_detail())
		fprintf(stderr, "accel-bench: %s\n", accel_open_detail());
	return rc;
}

static int check_node(const char *opt, int node)
{
	if (node > numa_max_node()) {
		fprintf(stderr, "accel-bench: %s %d: no such NUMA node (highest is %d)\n",
			opt, node, numa_max_node());
		return 2;
	}
	return 0;
}

static int numa_setup(const struct bench_cfg *cfg)
{
	if (cfg->numa_mem < 0 && cfg->numa_cpu < 0 && cfg->numa_src < 0 &&
	    cfg->numa_dst < 0)
		return 0;
	if (numa_available() < 0) {
		fprintf(stderr, "accel-bench: NUMA placement asked for, but "
				"this system has no NUMA support\n");
		return 2;
	}
	if (check_node("--numa-mem", cfg->numa_mem) ||
	    check_node("--numa-cpu", cfg->numa_cpu) ||
	    check_node("--numa-src", cfg->numa_src) ||
	    check_node("--numa-dst", cfg->numa_dst))
		return 2;
	if (cfg->numa_cpu >= 0 && numa_run_on_node(cfg->numa_cpu)) {
		fprintf(stderr, "accel-bench: cannot run on node %d\n",
			cfg->numa_cpu);
		return 2;
	}
	return 0;
}

/* Backends whose queues a --device names. */
static bool device_applies(const char *backend)
{
	return !strcmp(backend, "uacce") || !strcmp(backend, "idxd");
}

/*
 * The plot file is opened before anything is measured, so that a path
 * that cannot be written is refused with its reason up front; it is
 * truncated only when the plot is written, and removed again if this run
 * created it and then failed.
 */
static FILE *plot_open(const char *name, bool *created)
{
	int fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);

	*created = fd >= 0;
	if (fd < 0 && errno == EEXIST)
		fd = open(name, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "accel-bench: --plot %s: %s\n", name,
			strerror(errno));
		return NULL;
	}
	return fdopen(fd, "w");
}

static int stdout_failed(void)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return 0;
	fprintf(stderr, "accel-bench: writing standard output: %s\n",
		strerror(errno ? errno : EIO));
	return 1;
}

/* One point on every thread; rows for each and for their sum. */
static int run_point(struct accel_ctx *ctx, const struct bench_cfg *cfg,
		     const char *backend, size_t s, struct bench_result *res)
{
	struct bench_result per[BENCH_MAX_THREADS];
	int rc;

	if (cfg->threads == 1) {
		rc = bench_run_point(ctx, cfg, s, res);
		res->thread = 0;
		if (!rc) {
			if (cfg->progress)
				bench_progress_clear();
			bench_print(cfg, backend, res);
		}
		return rc;
	}
	rc = bench_run_threads(ctx, cfg, s, per, res);
	if (rc)
		return rc;
	if (cfg->progress)
		bench_progress_clear();
	for (unsigned t = 0; t < cfg->threads; t++)
		bench_print(cfg, backend, &per[t]);
	bench_print(cfg, backend, res);
	return 0;
}

int main(int argc, char **argv)
{
	struct bench_result res[MAX_POINTS];
	struct bench_cfg cfg;
	struct accel_ctx *ctx;
	const char *backend;
	unsigned n = 0, total = 0;
	bool plot_created = false;
	FILE *plot = NULL;
	size_t s, largest = 0;
	int rc;

	rc = bench_parse(argc, argv, &cfg);
	if (rc)
		return rc;
	if ((rc = numa_setup(&cfg)))
		return rc;
	if (cfg.mode == BMODE_OVERLAP &&
	    (cfg.op != BOP_MEMCPY && cfg.op != BOP_MEMMOVE)) {
		fprintf(stderr, "accel-bench: --mode overlap measures copies: "
				"use --op memcpy\n");
		return 2;
	}
	/* The sizes: doubling until MAX (or MAX_POINTS of them), with no
	 * wrap past SIZE_MAX. */
	for (s = cfg.size_min; s <= cfg.size_max && total < MAX_POINTS; total++) {
		largest = s;
		if (s > SIZE_MAX / 2)
			break;
		s *= 2;
	}
	if (total == MAX_POINTS && largest < cfg.size_max)
		fprintf(stderr, "accel-bench: the sweep stops at %zu bytes "
				"(%d points)\n", largest, MAX_POINTS);
	if ((rc = bench_check_memory(&cfg, largest)))
		return rc;
	if (cfg.plot && !(plot = plot_open(cfg.plot, &plot_created)))
		return 2;
	if (cfg.hog && (rc = bench_hog_start(cfg.hog))) {
		fprintf(stderr, "accel-bench: cannot start %u hogs: %s\n",
			cfg.hog, accel_strerror(rc));
		rc = 1;
		goto out_plot;
	}
	if (open_ctx(&cfg, &ctx)) {
		rc = 1;
		goto out_plot;
	}
	backend = accel_backend_name(ctx);
	rc = 2;
	if (cfg.backend && strcmp(cfg.backend, "auto") &&
	    strcmp(cfg.backend, backend)) {
		fprintf(stderr, "accel-bench: asked for %s, got %s\n",
			cfg.backend, backend);
		rc = 1;
		goto out_ctx;
	}
	if (cfg.device && !device_applies(backend)) {
		fprintf(stderr, "accel-bench: --device %s does not apply: this "
				"run's backend is %s, which has no devices to "
				"choose from\n",
			cfg.device, backend);
		goto out_ctx;
	}
	if (cfg.wait == ACCEL_WAIT_UMWAIT) {
		struct accel_info info;

		if (accel_get_info(ctx, &info) == 0 && !info.has_waitpkg) {
			fprintf(stderr, "accel-bench: --wait umwait needs "
					"WAITPKG (UMONITOR/UMWAIT), which this "
					"CPU lacks: use spin, pause or event\n");
			goto out_ctx;
		}
	}
	if (cfg.threads == 1 && cfg.ncpus && (rc = -bench_pin(cfg.cpus[0]))) {
		fprintf(stderr, "accel-bench: cannot run on CPU %d: %s\n",
			cfg.cpus[0], strerror(rc));
		rc = 2;
		goto out_ctx;
	}
	cfg.progress = isatty(STDERR_FILENO) && !cfg.json;
	if (!cfg.json && !strcmp(backend, "idxd")) {
		struct accel_info info;

		/* Which kernel queue, and how it is reached (docs/idxd.md). */
		if (accel_get_info(ctx, &info) == 0)
			printf("# idxd queue %s\n", info.device);
	}
	bench_print_header(&cfg, backend);
	rc = 1;
	if (stdout_failed())
		goto out_ctx;
	for (s = cfg.size_min; n < total; s *= 2, n++) {
		if (cfg.progress)
			bench_progress((double)n / total, s);
		rc = run_point(ctx, &cfg, backend, s, &res[n]);
		if (rc) {
			if (cfg.progress)
				bench_progress_clear();
			fprintf(stderr, "accel-bench: %s at %zu bytes: %s\n",
				bench_op_names[cfg.op], s,
				rc == BENCH_EVERIFY ? "a wrong result (see above)" :
						      accel_strerror(rc));
			rc = 1;
			goto out_ctx;
		}
		rc = 1;
		if (stdout_failed())
			goto out_ctx;
	}
	if (cfg.progress)
		bench_progress_clear();
	if (stdout_failed())
		goto out_ctx;
	rc = 0;
	if (plot) {
		char title[96];

		snprintf(title, sizeof(title), "%s on %s",
			 bench_op_names[cfg.op], backend);
		if (bench_plot_svg(plot, title, res, n)) {
			fprintf(stderr, "accel-bench: writing %s: %s\n",
				cfg.plot, strerror(errno ? errno : EIO));
			rc = 1;
		}
		plot = NULL;
	}
out_ctx:
	accel_close(ctx);
out_plot:
	if (plot) {
		fclose(plot);
		if (plot_created)
			unlink(cfg.plot);
	}
	return rc;
}
