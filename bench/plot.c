// SPDX-License-Identifier: MIT
/*
 * The --plot picture: an SVG with two panels against transfer size (log2
 * axis): throughput with the CPU baseline (linear GB/s axis with round
 * ticks) and median latency (log axis, one tick a decade, labelled with
 * units).  Every point gets a marker, so a one-point run is a readable
 * picture too.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <unistd.h>

#include "bench.h"

#define W 760.0
#define H 330.0 /* one panel */
#define ML 84.0 /* margins: room for tick labels and axis titles */
#define MR 56.0
#define MT 44.0
#define MB 62.0

struct axis {
	double lo, hi; /* in axis units (log2 size, GB/s, log10 ns) */
};

static double nice_step(double span)
{
	double e = pow(10, floor(log10(span / 5))), f = span / 5 / e;

	return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * e;
}

static const char *size_label(size_t n, char *buf, size_t len)
{
	static const char *const u[] = { "", "K", "M", "G", "T" };
	unsigned k = 0;

	while (n >= 1024 && !(n & 1023) && k < 4) {
		n >>= 10;
		k++;
	}
	snprintf(buf, len, "%zu%s", n, u[k]);
	return buf;
}

static const char *time_label(int decade, char *buf, size_t len)
{
	static const char *const u[] = { "ns", "\xc2\xb5s", "ms", "s" };
	int k = decade / 3 < 3 ? decade / 3 : 3;
	double v = pow(10, decade - 3 * k);

	snprintf(buf, len, "%.0f %s", v, u[k]);
	return buf;
}

static double px(const struct axis *x, double v)
{
	return ML + (v - x->lo) / (x->hi - x->lo) * (W - ML - MR);
}

static double py(const struct axis *y, double y0, double v)
{
	double ph = H - MT - MB;

	return y0 + MT + ph - (v - y->lo) / (y->hi - y->lo) * ph;
}

static void frame(FILE *f, double y0, const char *title, const char *ylabel)
{
	fprintf(f, "<text x='%.0f' y='%.0f' font-size='15'>%s</text>\n", ML,
		y0 + 26, title);
	fprintf(f, "<rect x='%.0f' y='%.0f' width='%.0f' height='%.0f' "
		   "fill='none' stroke='#666'/>\n",
		ML, y0 + MT, W - ML - MR, H - MT - MB);
	fprintf(f, "<text transform='translate(%.0f,%.0f) rotate(-90)' "
		   "text-anchor='middle'>%s</text>\n",
		22.0, y0 + MT + (H - MT - MB) / 2, ylabel);
	fprintf(f, "<text x='%.0f' y='%.0f' text-anchor='middle'>transfer "
		   "size (bytes per operation)</text>\n",
		ML + (W - ML - MR) / 2, y0 + H - 14);
}

static void x_ticks(FILE *f, const struct axis *x, double y0,
		    const struct bench_result *r, unsigned n)
{
	unsigned every = n > 24 ? 4 : n > 12 ? 2 : 1;
	double yb = y0 + H - MB;

	for (unsigned i = 0; i < n; i += every) {
		double xp = px(x, log2((double)r[i].size));
		char sz[32];

		fprintf(f, "<line x1='%.1f' y1='%.0f' x2='%.1f' y2='%.0f' "
			   "stroke='#666'/>\n",
			xp, yb, xp, yb + 5);
		fprintf(f, "<text x='%.1f' y='%.0f' text-anchor='middle'>%s"
			   "</text>\n",
			xp, yb + 20, size_label(r[i].size, sz, sizeof(sz)));
	}
}

static void grid_line(FILE *f, double yp, const char *label)
{
	fprintf(f, "<line x1='%.0f' y1='%.1f' x2='%.0f' y2='%.1f' "
		   "stroke='#ddd'/>\n",
		ML, yp, W - MR, yp);
	fprintf(f, "<text x='%.0f' y='%.1f' text-anchor='end'>%s</text>\n",
		ML - 8, yp + 4, label);
}

/* One series: a line through the measured points and a marker on each. */
static void series(FILE *f, const struct axis *x, const struct axis *y,
		   double y0, const struct bench_result *r, unsigned n,
		   double (*get)(const struct bench_result *), const char *color)
{
	fprintf(f, "<polyline fill='none' stroke='%s' stroke-width='2' "
		   "points='",
		color);
	for (unsigned i = 0; i < n; i++)
		if (!isnan(get(&r[i])))
			fprintf(f, "%.1f,%.1f ", px(x, log2((double)r[i].size)),
				py(y, y0, get(&r[i])));
	fprintf(f, "'/>\n");
	for (unsigned i = 0; i < n; i++)
		if (!isnan(get(&r[i])))
			fprintf(f, "<circle cx='%.1f' cy='%.1f' r='3.5' "
				   "fill='%s'/>\n",
				px(x, log2((double)r[i].size)),
				py(y, y0, get(&r[i])), color);
}

static double get_gbps(const struct bench_result *r)
{
	return r->gbps;
}

static double get_base(const struct bench_result *r)
{
	return r->base_gbps;
}

static double get_lat(const struct bench_result *r)
{
	return isnan(r->lat_p50) ? NAN : log10(fmax(r->lat_p50, 1));
}

int bench_plot_svg(FILE *f, const char *title, const struct bench_result *r,
		   unsigned n)
{
	struct axis x = { log2((double)r[0].size), log2((double)r[n - 1].size) };
	struct axis g = { 0, 0 }, l = { INFINITY, -INFINITY };
	bool base = false;
	char buf[64];
	double step;

	if (x.hi - x.lo < 1) { /* one point: centred, a size either side */
		x.lo -= 1;
		x.hi += 1;
	}
	for (unsigned i = 0; i < n; i++) {
		if (!isnan(r[i].gbps))
			g.hi = fmax(g.hi, r[i].gbps);
		if (!isnan(r[i].base_gbps)) {
			g.hi = fmax(g.hi, r[i].base_gbps);
			base = true;
		}
		if (!isnan(get_lat(&r[i]))) {
			l.lo = fmin(l.lo, floor(get_lat(&r[i])));
			l.hi = fmax(l.hi, ceil(get_lat(&r[i])));
		}
	}
	step = nice_step(g.hi > 0 ? g.hi : 1);
	g.hi = ceil((g.hi > 0 ? g.hi * 1.05 : 1) / step) * step;
	if (!(l.lo <= l.hi)) /* no latency measured in this mode */
		l.lo = 0, l.hi = 1;
	if (l.hi - l.lo < 1)
		l.hi = l.lo + 1;
	if (ftruncate(fileno(f), 0)) {
		fclose(f);
		return -1;
	}
	fprintf(f, "<svg xmlns='http://www.w3.org/2000/svg' width='%.0f' "
		   "height='%.0f' font-family='sans-serif' font-size='13'>\n",
		W, 2 * H);
	fprintf(f, "<rect width='100%%' height='100%%' fill='white'/>\n");

	snprintf(buf, sizeof(buf), "%s: throughput", title);
	frame(f, 0, buf, "GB/s");
	for (double v = 0; v <= g.hi + step / 2; v += step) {
		char t[32];

		snprintf(t, sizeof(t), "%g", v);
		grid_line(f, py(&g, 0, v), t);
	}
	x_ticks(f, &x, 0, r, n);
	series(f, &x, &g, 0, r, n, get_gbps, "#1f77b4");
	if (base)
		series(f, &x, &g, 0, r, n, get_base, "#d62728");
	fprintf(f, "<text x='%.0f' y='%.0f' fill='#1f77b4'>\xe2\x97\x8f "
		   "libaccel</text>\n",
		W - MR - 250, MT - 8);
	if (base)
		fprintf(f, "<text x='%.0f' y='%.0f' fill='#d62728'>\xe2\x97\x8f "
			   "CPU baseline</text>\n",
			W - MR - 140, MT - 8);

	snprintf(buf, sizeof(buf), "%s: median latency (log scale)", title);
	frame(f, H, buf, "median latency");
	for (int d = (int)l.lo; d <= (int)l.hi; d++)
		grid_line(f, py(&l, H, d), time_label(d, buf, sizeof(buf)));
	x_ticks(f, &x, H, r, n);
	series(f, &x, &l, H, r, n, get_lat, "#1f77b4");
	fprintf(f, "</svg>\n");
	if (ferror(f)) {
		fclose(f);
		errno = errno ? errno : EIO;
		return -1;
	}
	return fclose(f) ? -1 : 0;
}
