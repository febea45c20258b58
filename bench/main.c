// SPDX-License-Identifier: MIT
/*
 * accel-bench: measures libaccel operations against the CPU doing the same
 * work, side by side in one run.  Exit status 0, 1 when a measurement
 * failed, 2 for bad arguments.
 */
#include <errno.h>
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
	return rc;
}

static int numa_setup(const struct bench_cfg *cfg)
{
	if (cfg->numa_mem < 0 && cfg->numa_cpu < 0)
		return 0;
	if (numa_available() < 0) {
		fprintf(stderr, "accel-bench: NUMA placement asked for, but "
				"this system has no NUMA support\n");
		return 2;
	}
	if (cfg->numa_mem > numa_max_node() || cfg->numa_cpu > numa_max_node()) {
		fprintf(stderr, "accel-bench: no NUMA node %d (highest is %d)\n",
			cfg->numa_mem > cfg->numa_cpu ? cfg->numa_mem :
							cfg->numa_cpu,
			numa_max_node());
		return 2;
	}
	if (cfg->numa_cpu >= 0 && numa_run_on_node(cfg->numa_cpu)) {
		fprintf(stderr, "accel-bench: cannot run on node %d\n",
			cfg->numa_cpu);
		return 2;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct bench_result res[MAX_POINTS];
	struct bench_cfg cfg;
	struct accel_ctx *ctx;
	const char *backend;
	unsigned n = 0, total = 0;
	uint64_t t0;
	size_t s;
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
	if (cfg.hog && (rc = bench_hog_start(cfg.hog))) {
		fprintf(stderr, "accel-bench: cannot start %u hogs: %s\n",
			cfg.hog, accel_strerror(rc));
		return 1;
	}
	if (open_ctx(&cfg, &ctx))
		return 1;
	backend = accel_backend_name(ctx);
	if (cfg.backend && strcmp(cfg.backend, "auto") &&
	    strcmp(cfg.backend, backend)) {
		fprintf(stderr, "accel-bench: asked for %s, got %s\n",
			cfg.backend, backend);
		accel_close(ctx);
		return 1;
	}
	if (cfg.wait == ACCEL_WAIT_UMWAIT) {
		struct accel_info info;

		if (accel_get_info(ctx, &info) == 0 && !info.has_waitpkg) {
			fprintf(stderr, "accel-bench: --wait umwait needs "
					"WAITPKG (UMONITOR/UMWAIT), which this "
					"CPU lacks: use spin, pause or event\n");
			accel_close(ctx);
			return 2;
		}
	}
	for (s = cfg.size_min; s <= cfg.size_max && total < MAX_POINTS; s *= 2)
		total++;
	cfg.progress = isatty(STDERR_FILENO) && !cfg.json;
	bench_print_header(&cfg, backend);
	t0 = bench_now_ns();
	for (s = cfg.size_min; n < total; s *= 2, n++) {
		rc = bench_run_point(ctx, &cfg, s, &res[n]);
		if (rc) {
			if (cfg.progress)
				bench_progress(1);
			fprintf(stderr, "accel-bench: %s at %zu bytes: %s\n",
				bench_op_names[cfg.op], s, accel_strerror(rc));
			accel_close(ctx);
			return 1;
		}
		if (cfg.progress && bench_now_ns() - t0 > 1000000000ull)
			bench_progress((double)(n + 1) / total);
		if (cfg.progress)
			bench_progress(1);
		bench_print(&cfg, backend, &res[n]);
	}
	accel_close(ctx);
	if (cfg.plot && n) {
		char title[96];

		snprintf(title, sizeof(title), "%s on %s",
			 bench_op_names[cfg.op], backend);
		if (bench_plot_svg(cfg.plot, title, res, n)) {
			fprintf(stderr, "accel-bench: cannot write %s\n",
				cfg.plot);
			return 1;
		}
	}
	return 0;
}
