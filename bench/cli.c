// SPDX-License-Identifier: MIT
/* Command-line parsing for accel-bench: every error names the bad value. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bench.h"

const char *const bench_op_names[] = {
	[BOP_MEMCPY] = "memcpy",     [BOP_MEMMOVE] = "memmove",
	[BOP_FILL] = "fill",	     [BOP_COMPARE] = "compare",
	[BOP_COMPVAL] = "compval",   [BOP_CRC] = "crc",
	[BOP_COPY_CRC] = "copy_crc", [BOP_DUALCAST] = "dualcast",
	[BOP_CFLUSH] = "cflush",     [BOP_NOOP] = "noop",
	[BOP_DIF_CHECK] = "dif_check", [BOP_DIF_INSERT] = "dif_insert",
	[BOP_DIF_STRIP] = "dif_strip", [BOP_DIF_UPDATE] = "dif_update",
	NULL,
};

void bench_usage(FILE *out)
{
	fprintf(out,
		"usage: accel-bench [options]\n"
		"  -o, --op OP          memcpy memmove fill compare compval crc copy_crc\n"
		"                       dualcast cflush noop dif_check dif_insert\n"
		"                       dif_strip dif_update (default memcpy)\n"
		"  -s, --size N         transfer size (K, M, G suffixes; default 4K)\n"
		"  -S, --sweep A:B      sizes A, 2A, 4A ... up to B (e.g. 64:256M)\n"
		"  -m, --mode M         sync (library call, path choice), async (device,\n"
		"                       queue depth), overlap, batch-cost,\n"
		"                       submit-cost (submit + one completed poll,\n"
		"                       the only code callgrind collects) (default sync)\n"
		"  -n, --bufs N         distinct buffers cycled through (default 1)\n"
		"  -b, --batch N        descriptors per batch (async, batch-cost,\n"
		"                       submit-cost modes; default 1, batch-cost 32)\n"
		"  -q, --qd N           descriptors in flight in async mode (default 1)\n"
		"  -B, --backend NAME   emul, cpu, uacce, idxd or auto (default auto)\n"
		"  -d, --device NAME    uacce device node, or idxd queue (wq0.1)\n"
		"  -w, --wq MODE        dedicated or shared submission\n"
		"      --numa-mem N     NUMA node of the buffers\n"
		"      --numa-cpu N     NUMA node of the submitting CPU\n"
		"      --numa-src N, --numa-dst N  node of the sources, of the\n"
		"                       destinations (default: --numa-mem)\n"
		"      --pages P        small, thp (transparent huge pages) or huge\n"
		"                       (MAP_HUGETLB pool) buffers (default small)\n"
		"      --threads N      submitting threads, each with its own buffers\n"
		"      --cpus LIST      pin thread i to the i-th CPU of LIST (0,2-5)\n"
		"      --verify         check every result against the CPU's\n"
		"  -c, --cache          set cache control (write to cache)\n"
		"  -W, --wait W         spin, pause, umwait, event (default pause)\n"
		"  -i, --iters N        operations per point (default: by duration)\n"
		"  -t, --duration SEC   seconds per point, per size of a sweep\n"
		"                       (default 0.2)\n"
		"      --warmup N       unmeasured operations first (default 8)\n"
		"      --no-baseline    do not measure the CPU doing the same\n"
		"      --hog N          keep N other cores busy meanwhile (N\n"
		"                       busy-loop processes: a busy machine)\n"
		"      --rounds N       sync: library and baseline alternate in up\n"
		"                       to N pairs of 0.1 ms rounds; the ratio is\n"
		"                       the median of the pairs' (default 1001)\n"
		"      --aa             sync: the library's side runs the baseline's\n"
		"                       loop too (the method's own noise: 1.00x)\n"
		"  -j, --json           JSON Lines, one object per point\n"
		"  -p, --plot FILE.svg  throughput and latency against size\n"
		"  -V, --version\n"
		"  -h, --help\n");
}

static int bad(const char *opt, const char *val, const char *why)
{
	fprintf(stderr, "accel-bench: %s '%s': %s\n", opt, val, why);
	fprintf(stderr, "try 'accel-bench --help'\n");
	return 2;
}

/*
 * A plain size: decimal digits, then at most one of K, M, G, T (powers of
 * 1024) and an optional B.  No sign, no blanks, no hexadecimal, nothing
 * that does not fit in size_t: strtoull alone would accept " -1" (and
 * wrap it to 2^64-1) and saturate 2^67 silently.
 */
static int parse_size(const char *s, size_t *out)
{
	unsigned long long v;
	unsigned shift = 0;
	char *end;

	if (!isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno == ERANGE)
		return -1;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	case 't': case 'T': shift = 40; end++; break;
	default: break;
	}
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end || v > (SIZE_MAX >> shift))
		return -1;
	*out = (size_t)(v << shift);
	return 0;
}

static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (!isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno == ERANGE || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

/* "0,2-5": CPU numbers in order, ranges expanded. */
static int parse_cpus(const char *s, struct bench_cfg *c)
{
	const char *p = s;
	unsigned long a, b;
	char *end;

	c->ncpus = 0;
	while (*p) {
		if (!isdigit((unsigned char)*p))
			return -1;
		a = b = strtoul(p, &end, 10);
		if (*end == '-') {
			if (!isdigit((unsigned char)end[1]))
				return -1;
			b = strtoul(end + 1, &end, 10);
		}
		if (a > b || b >= CPU_SETSIZE)
			return -1;
		for (; a <= b; a++) {
			if (c->ncpus == BENCH_MAX_THREADS)
				return -1;
			c->cpus[c->ncpus++] = (int)a;
		}
		if (*end == ',' && end[1])
			end++;
		else if (*end)
			return -1;
		p = end;
	}
	return c->ncpus ? 0 : -1;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcasecmp(s + n - m, suffix);
}

enum {
	OPT_NUMA_MEM = 256,
	OPT_NUMA_CPU,
	OPT_NUMA_SRC,
	OPT_NUMA_DST,
	OPT_WARMUP,
	OPT_NO_BASELINE,
	OPT_THREADS,
	OPT_CPUS,
	OPT_VERIFY,
	OPT_PAGES,
	OPT_HOG,
	OPT_ROUNDS,
	OPT_AA,
};

int bench_parse(int argc, char **argv, struct bench_cfg *c)
{
	static const struct option lo[] = {
		{ "op", 1, 0, 'o' },	   { "size", 1, 0, 's' },
		{ "sweep", 1, 0, 'S' },	   { "mode", 1, 0, 'm' },
		{ "bufs", 1, 0, 'n' },	   { "batch", 1, 0, 'b' },
		{ "qd", 1, 0, 'q' },	   { "backend", 1, 0, 'B' },
		{ "device", 1, 0, 'd' },   { "wq", 1, 0, 'w' },
		{ "numa-mem", 1, 0, OPT_NUMA_MEM },
		{ "numa-cpu", 1, 0, OPT_NUMA_CPU },
		{ "numa-src", 1, 0, OPT_NUMA_SRC },
		{ "numa-dst", 1, 0, OPT_NUMA_DST },
		{ "threads", 1, 0, OPT_THREADS },
		{ "cpus", 1, 0, OPT_CPUS },
		{ "verify", 0, 0, OPT_VERIFY },
		{ "pages", 1, 0, OPT_PAGES },
		{ "cache", 0, 0, 'c' },	   { "wait", 1, 0, 'W' },
		{ "iters", 1, 0, 'i' },	   { "duration", 1, 0, 't' },
		{ "warmup", 1, 0, OPT_WARMUP },
		{ "no-baseline", 0, 0, OPT_NO_BASELINE },
		{ "hog", 1, 0, OPT_HOG },
		{ "rounds", 1, 0, OPT_ROUNDS },
		{ "aa", 0, 0, OPT_AA },
		{ "json", 0, 0, 'j' },	   { "plot", 1, 0, 'p' },
		{ "help", 0, 0, 'h' },	   { "version", 0, 0, 'V' },
		{ 0, 0, 0, 0 },
	};
	unsigned long v;
	int o, i, rc;

	*c = (struct bench_cfg){ .op = BOP_MEMCPY, .size_min = 4096,
				 .size_max = 4096, .bufs = 1, .batch = 1,
				 .qd = 1, .numa_mem = -1, .numa_cpu = -1,
				 .numa_src = -1, .numa_dst = -1, .threads = 1,
				 .wait = ACCEL_WAIT_PAUSE, .duration = 0.2,
				 .warmup = 8, .baseline = true,
				 .rounds = BENCH_ROUNDS };
	opterr = 0;
	while ((o = getopt_long(argc, argv, ":o:s:S:m:n:b:q:B:d:w:cW:i:t:jp:hV",
				lo, NULL)) != -1) {
		switch (o) {
		case 'o':
			for (i = 0; bench_op_names[i]; i++)
				if (!strcmp(optarg, bench_op_names[i]))
					break;
			if (!bench_op_names[i])
				return bad("--op", optarg, "unknown operation");
			c->op = (enum bench_op)i;
			break;
		case 's':
			if (parse_size(optarg, &c->size_min) || !c->size_min)
				return bad("--size", optarg,
					   "not a size (e.g. 4096, 64K, 2M; at most 2^64-1 bytes)");
			c->size_max = c->size_min;
			break;
		case 'S': {
			char *colon = strchr(optarg, ':');

			if (!colon)
				return bad("--sweep", optarg, "expected MIN:MAX");
			*colon = 0;
			rc = parse_size(optarg, &c->size_min) |
			     parse_size(colon + 1, &c->size_max);
			*colon = ':';
			if (rc || !c->size_min || c->size_min > c->size_max)
				return bad("--sweep", optarg,
					   "expected MIN:MAX with 0 < MIN <= MAX");
			break;
		}
		case 'm':
			if (!strcmp(optarg, "sync"))
				c->mode = BMODE_SYNC;
			else if (!strcmp(optarg, "async"))
				c->mode = BMODE_ASYNC;
			else if (!strcmp(optarg, "overlap"))
				c->mode = BMODE_OVERLAP;
			else if (!strcmp(optarg, "batch-cost"))
				c->mode = BMODE_BATCH_COST;
			else if (!strcmp(optarg, "submit-cost"))
				c->mode = BMODE_SUBMIT_COST;
			else
				return bad("--mode", optarg,
					   "expected sync, async, overlap, batch-cost or submit-cost");
			break;
		case 'n':
			if (parse_uint(optarg, 4096, &v) || !v)
				return bad("--bufs", optarg, "expected 1..4096");
			c->bufs = (unsigned)v;
			break;
		case 'b':
			if (parse_uint(optarg, DSA_DEFAULT_MAX_BATCH, &v) || !v)
				return bad("--batch", optarg, "expected 1..1024");
			c->batch = (unsigned)v;
			break;
		case 'q':
			if (parse_uint(optarg, 4096, &v) || !v)
				return bad("--qd", optarg, "expected 1..4096");
			c->qd = (unsigned)v;
			break;
		case 'B':
			if (strcmp(optarg, "emul") && strcmp(optarg, "cpu") &&
			    strcmp(optarg, "uacce") && strcmp(optarg, "idxd") &&
			    strcmp(optarg, "auto"))
				return bad("--backend", optarg,
					   "expected emul, cpu, uacce, idxd or auto");
			c->backend = optarg;
			break;
		case 'd':
			c->device = optarg;
			break;
		case 'w':
			if (!strcmp(optarg, "dedicated"))
				c->wq = ACCEL_WQ_DEDICATED;
			else if (!strcmp(optarg, "shared"))
				c->wq = ACCEL_WQ_SHARED;
			else
				return bad("--wq", optarg,
					   "expected dedicated or shared");
			break;
		case OPT_NUMA_MEM:
		case OPT_NUMA_CPU:
		case OPT_NUMA_SRC:
		case OPT_NUMA_DST: {
			static const char *const names[] = {
				"--numa-mem", "--numa-cpu", "--numa-src",
				"--numa-dst"
			};
			int *node[] = { &c->numa_mem, &c->numa_cpu,
					&c->numa_src, &c->numa_dst };

			if (parse_uint(optarg, 1023, &v))
				return bad(names[o - OPT_NUMA_MEM], optarg,
					   "expected a node number");
			*node[o - OPT_NUMA_MEM] = (int)v;
			break;
		}
		case OPT_THREADS:
			if (parse_uint(optarg, BENCH_MAX_THREADS, &v) || !v)
				return bad("--threads", optarg, "expected 1..256");
			c->threads = (unsigned)v;
			break;
		case OPT_CPUS:
			if (parse_cpus(optarg, c))
				return bad("--cpus", optarg,
					   "expected a CPU list such as 0,2-5 (at most 256 CPUs)");
			break;
		case OPT_VERIFY:
			c->verify = true;
			break;
		case OPT_PAGES:
			if (!strcmp(optarg, "small"))
				c->pages = BPAGES_SMALL;
			else if (!strcmp(optarg, "thp"))
				c->pages = BPAGES_THP;
			else if (!strcmp(optarg, "huge"))
				c->pages = BPAGES_HUGE;
			else
				return bad("--pages", optarg,
					   "expected small, thp or huge");
			break;
		case 'V':
			printf("accel-bench %s\n", BENCH_VERSION);
			exit(fflush(stdout) || ferror(stdout) ? 1 : 0);
		case 'c':
			c->cache = true;
			break;
		case 'W':
			if (!strcmp(optarg, "spin"))
				c->wait = ACCEL_WAIT_SPIN;
			else if (!strcmp(optarg, "pause"))
				c->wait = ACCEL_WAIT_PAUSE;
			else if (!strcmp(optarg, "umwait"))
				c->wait = ACCEL_WAIT_UMWAIT;
			else if (!strcmp(optarg, "event"))
				c->wait = ACCEL_WAIT_EVENT;
			else
				return bad("--wait", optarg,
					   "expected spin, pause, umwait or event");
			break;
		case 'i':
			if (parse_uint(optarg, 1ul << 40, &v) || !v)
				return bad("--iters", optarg,
					   "expected a positive count");
			c->iters = v;
			break;
		case 't': {
			char *end;

			c->duration = strtod(optarg, &end);
			if (end == optarg || *end || !(c->duration > 0) ||
			    c->duration > 3600)
				return bad("--duration", optarg,
					   "expected seconds, 0 < t <= 3600");
			break;
		}
		case OPT_WARMUP:
			if (parse_uint(optarg, 1000000, &v))
				return bad("--warmup", optarg, "expected a count");
			c->warmup = (unsigned)v;
			break;
		case OPT_NO_BASELINE:
			c->baseline = false;
			break;
		case OPT_HOG:
			if (parse_uint(optarg, 256, &v))
				return bad("--hog", optarg, "expected 0..256");
			c->hog = (unsigned)v;
			break;
		case OPT_ROUNDS:
			if (parse_uint(optarg, 100001, &v) || v < 5)
				return bad("--rounds", optarg, "expected 5..100001");
			c->rounds = (unsigned)v;
			break;
		case OPT_AA:
			c->aa = true;
			break;
		case 'j':
			c->json = true;
			break;
		case 'p':
			if (!ends_with(optarg, ".svg"))
				return bad("--plot", optarg,
					   "only SVG is drawn: name the file *.svg");
			c->plot = optarg;
			break;
		case 'h':
			bench_usage(stdout);
			exit(fflush(stdout) || ferror(stdout) ? 1 : 0);
		case ':':
			fprintf(stderr, "accel-bench: %s needs a value\n",
				argv[optind - 1]);
			return 2;
		default:
			fprintf(stderr, "accel-bench: unknown option '%s'\n",
				argv[optind - 1]);
			fprintf(stderr, "try 'accel-bench --help'\n");
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "accel-bench: unexpected argument '%s'\n",
			argv[optind]);
		return 2;
	}
	if (c->mode == BMODE_SYNC && (c->batch > 1 || c->qd > 1)) {
		fprintf(stderr, "accel-bench: --batch and --qd need --mode async\n");
		return 2;
	}
	if (c->ncpus && c->ncpus < c->threads && c->ncpus != 1) {
		fprintf(stderr, "accel-bench: --cpus lists %u CPUs for %u threads: give one CPU, or one per thread\n",
			c->ncpus, c->threads);
		return 2;
	}
	if (c->verify && c->mode != BMODE_SYNC && c->mode != BMODE_ASYNC) {
		fprintf(stderr, "accel-bench: --verify checks the sync and async modes' results; %s mode has none to check\n",
			c->mode == BMODE_OVERLAP ? "overlap" :
			c->mode == BMODE_BATCH_COST ? "batch-cost" : "submit-cost");
		return 2;
	}
	if (c->threads > 1 && c->mode != BMODE_SYNC && c->mode != BMODE_ASYNC) {
		fprintf(stderr, "accel-bench: --threads needs --mode sync or async\n");
		return 2;
	}
	if (c->batch == 1 && c->mode == BMODE_BATCH_COST)
		c->batch = 32;
	if (c->batch > 1 && c->qd * c->batch > 4096) {
		fprintf(stderr, "accel-bench: --qd x --batch must be <= 4096\n");
		return 2;
	}
	return 0;
}
