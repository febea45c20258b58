// SPDX-License-Identifier: MIT
/* Output: the human table, JSON Lines, the progress bar and the SVG plot. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

static const char *human(size_t n, char *buf, size_t len)
{
	if (n >= (1u << 30) && !(n & ((1u << 30) - 1)))
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

void bench_print_header(const struct bench_cfg *c, const char *backend)
{
	if (c->json)
		return;
	printf("# op %s, mode %s, backend %s, bufs %u, batch %u, qd %u\n",
	       bench_op_names[c->op], bench_mode_name(c->mode), backend, c->bufs, c->batch, c->qd);
	if (c->mode == BMODE_OVERLAP)
		printf("%8s %-7s %10s %12s %12s %8s\n", "size", "path",
		       "copy GB/s", "copy ns", "compute ns", "hidden");
	else if (c->mode == BMODE_BATCH_COST)
		printf("%8s %6s %14s %14s %8s %14s\n", "size", "batch",
		       "batch ns/desc", "single ns/desc", "ratio",
		       "op-array ratio");
	else
		printf("%8s %-6s %9s %11s %9s %9s %9s %9s %9s %7s\n", "size",
		       "path", "GB/s", "ops/s", "p50 ns", "p99 ns", "p99.9 ns",
		       "cpu ns/op", "cpu GB/s", "ratio");
}

static void print_json(const struct bench_cfg *c, const char *backend,
		       const struct bench_result *r)
{
	double ratio = r->base_gbps > 0 ? r->gbps / r->base_gbps : 0;

	printf("{\"op\":\"%s\",\"size\":%zu,\"backend\":\"%s\",\"path\":\"%s\","
	       "\"mode\":\"%s\",\"bufs\":%u,\"batch\":%u,\"qd\":%u,"
	       "\"gbps\":%.4f,\"ops_per_s\":%.1f,\"baseline_gbps\":%.4f,"
	       "\"ratio\":%.4f,\"lat_p50_ns\":%.0f,\"lat_p99_ns\":%.0f,"
	       "\"lat_p999_ns\":%.0f,\"cpu_ns_per_op\":%.1f,"
	       "\"baseline_ns_per_op\":%.2f,\"n\":%llu",
	       bench_op_names[c->op], r->size, backend, r->path,
	       bench_mode_name(c->mode), c->bufs, c->batch, c->qd, r->gbps, r->ops, r->base_gbps, ratio,
	       r->lat_p50, r->lat_p99, r->lat_p999, r->cpu_ns, r->base_ns,
	       (unsigned long long)r->n);
	if (c->mode == BMODE_SYNC && r->base_ns > 0 && r->ops > 0)
		printf(",\"overhead_ns_per_op\":%.2f", 1e9 / r->ops - r->base_ns);
	if (c->mode == BMODE_OVERLAP)
		printf(",\"hidden_pct\":%.1f", r->extra);
	if (c->mode == BMODE_BATCH_COST)
		printf(",\"batch_cost_ratio\":%.4f,\"op_array_cost_ratio\":%.4f",
		       r->extra, r->extra2);
	printf("}\n");
}

void bench_print(const struct bench_cfg *c, const char *backend,
		 const struct bench_result *r)
{
	char sz[32];

	if (c->json) {
		print_json(c, backend, r);
	} else if (c->mode == BMODE_OVERLAP) {
		printf("%8s %-7s %10.2f %12.0f %12.0f %7.1f%%\n",
		       human(r->size, sz, sizeof(sz)), r->path, r->gbps,
		       r->lat_p50, r->cpu_ns, r->extra);
	} else if (c->mode == BMODE_BATCH_COST) {
		printf("%8s %6u %14.1f %14.1f %8.3f %14.3f\n",
		       human(r->size, sz, sizeof(sz)), c->batch, r->cpu_ns,
		       r->base_ns, r->extra, r->extra2);
	} else {
		printf("%8s %-6s %9.2f %11.0f %9.0f %9.0f %9.0f %9.1f %9.2f ",
		       human(r->size, sz, sizeof(sz)), r->path, r->gbps, r->ops,
		       r->lat_p50, r->lat_p99, r->lat_p999, r->cpu_ns,
		       r->base_gbps);
		if (r->base_gbps > 0)
			printf("%6.2fx\n", r->gbps / r->base_gbps);
		else
			printf("%7s\n", "-");
	}
	fflush(stdout);
}

void bench_progress(double frac)
{
	static const int W = 40;
	int k = (int)(frac * W + 0.5);

	if (frac >= 1) {
		fprintf(stderr, "\r%*s\r", W + 10, "");
		return;
	}
	fprintf(stderr, "\r[%.*s%*s] %3.0f%%",
		k, "########################################", W - k, "",
		frac * 100);
	fflush(stderr);
}

/* Log2 x axis of sizes; two panels: GB/s (with the CPU), p50 latency. */
int bench_plot_svg(const char *file, const char *title,
		   const struct bench_result *r, unsigned n)
{
	const double W = 720, H = 300, L = 70, R = 20, T = 40, B = 50;
	double xmin = log2((double)r[0].size), xmax = log2((double)r[n - 1].size);
	double gmax = 0, lmax = 0;
	FILE *f = fopen(file, "w");
	unsigned i, p;

	if (!f)
		return -1;
	if (xmax <= xmin)
		xmax = xmin + 1;
	for (i = 0; i < n; i++) {
		gmax = fmax(gmax, fmax(r[i].gbps, r[i].base_gbps));
		lmax = fmax(lmax, log10(fmax(r[i].lat_p50, 1)));
	}
	gmax = gmax > 0 ? gmax * 1.1 : 1;
	lmax = ceil(lmax > 0 ? lmax : 1);
	fprintf(f, "<svg xmlns='http://www.w3.org/2000/svg' width='%.0f' "
		   "height='%.0f' font-family='sans-serif' font-size='12'>\n",
		W, 2 * H);
	fprintf(f, "<rect width='100%%' height='100%%' fill='white'/>\n");
	for (p = 0; p < 2; p++) {
		double y0 = p * H, ph = H - T - B, pw = W - L - R;

		fprintf(f, "<text x='%.0f' y='%.0f' font-size='14'>%s: %s</text>\n",
			L, y0 + 22, title,
			p ? "median latency (ns, log scale)" : "throughput (GB/s)");
		fprintf(f, "<rect x='%.0f' y='%.0f' width='%.0f' height='%.0f' "
			   "fill='none' stroke='#888'/>\n",
			L, y0 + T, pw, ph);
		for (i = 0; i < n; i++) {
			double x = L + (log2((double)r[i].size) - xmin) /
					       (xmax - xmin) * pw;
			char sz[32];

			if (n > 12 && i % 2)
				continue;
			human(r[i].size, sz, sizeof(sz));
			fprintf(f, "<text x='%.1f' y='%.0f' text-anchor='middle'>"
				   "%s</text>\n",
				x, y0 + H - B + 18, sz);
		}
		for (i = 0; i <= 4; i++) {
			double v = p ? lmax * i / 4 : gmax * i / 4;
			double y = y0 + T + ph - ph * i / 4;

			if (p)
				fprintf(f, "<text x='%.0f' y='%.1f' text-anchor='end'>"
					   "1e%.1f</text>\n", L - 6, y + 4, v);
			else
				fprintf(f, "<text x='%.0f' y='%.1f' text-anchor='end'>"
					   "%.1f</text>\n", L - 6, y + 4, v);
		}
		for (int s = 0; s < (p ? 1 : 2); s++) {
			fprintf(f, "<polyline fill='none' stroke='%s' "
				   "stroke-width='2' points='",
				s ? "#d62728" : "#1f77b4");
			for (i = 0; i < n; i++) {
				double x = L + (log2((double)r[i].size) - xmin) /
						       (xmax - xmin) * pw;
				double v = p ? log10(fmax(r[i].lat_p50, 1)) / lmax :
				       (s ? r[i].base_gbps : r[i].gbps) / gmax;

				fprintf(f, "%.1f,%.1f ", x, y0 + T + ph - ph * v);
			}
			fprintf(f, "'/>\n");
		}
		if (!p)
			fprintf(f, "<text x='%.0f' y='%.0f' fill='#1f77b4'>library"
				   "</text><text x='%.0f' y='%.0f' fill='#d62728'>"
				   "CPU baseline</text>\n",
				W - 200, y0 + T + 16, W - 120, y0 + T + 16);
	}
	fprintf(f, "</svg>\n");
	return fclose(f) ? -1 : 0;
}
