// SPDX-License-Identifier: MIT
/* Command-line parsing for accel-bench: every error names the bad value. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

const char *const bench_op_names[] = {
	[BOP_MEMCPY] = "memcpy",     [BOP_MEMMOVE] = "memmove",
	[BOP_FILL] = "fill",	     [BOP_COMPARE] = "compare",
	[BOP_COMPVAL] = "compval",   [BOP_CRC] = "crc",
	[BOP_COPY_CRC] = "copy_crc", [BOP_DUALCAST] = "dualcast",
	[BOP_CFLUSH] = "cflush",     [BOP_NOOP] = "noop",
	NULL,
};

void bench_usage(FILE *out)
{
	fprintf(out,
		"usage: accel-bench [options]\n"
		"  -o, --op OP          memcpy memmove fill compare compval crc copy_crc\n"
		"                       dualcast cflush noop (default memcpy)\n"
		"  -s, --size N         transfer size (K, M, G suffixes; default 4K)\n"
		"  -S, --sweep A:B      sizes A, 2A, 4A ... up to B (e.g. 64:256M)\n"
		"  -m, --mode M         sync (library call, path choice), async (device,\n"
		"                       queue depth), overlap, batch-cost,\n"
		"                       submit-cost (submit + one completed poll,\n"
		"                       the only code callgrind collects) (default sync)\n"
		"  -n, --bufs N         distinct buffers cycled through (default 1)\n"
		"  -b, --batch N        descriptors per batch (async, batch-cost,\n"
		"                       submit-cost modes; default 1)\n"
		"  -q, --qd N           descriptors in flight in async mode (default 1)\n"
		"  -B, --backend NAME   emul, cpu, uacce or auto (default auto)\n"
		"  -d, --device NAME    uacce device node\n"
		"  -w, --wq MODE        dedicated or shared submission\n"
		"      --numa-mem N     NUMA node of the buffers\n"
		"      --numa-cpu N     NUMA node of the submitting CPU\n"
		"  -c, --cache          set cache control (write to cache)\n"
		"  -W, --wait W         spin, pause, umwait, event (default pause)\n"
		"  -i, --iters N        operations per point (default: by duration)\n"
		"  -t, --duration SEC   seconds per point (default 0.2)\n"
		"      --warmup N       unmeasured operations first (default 8)\n"
		"      --no-baseline    do not measure the CPU doing the same\n"
		"      --hog N          keep N other cores busy meanwhile (N\n"
		"                       busy-loop processes: a busy machine)\n"
		"  -j, --json           JSON Lines, one object per point\n"
		"  -p, --plot FILE.svg  throughput and latency against size\n"
		"  -h, --help\n");
}

static int bad(const char *opt, const char *val, const char *why)
{
	fprintf(stderr, "accel-bench: %s '%s': %s\n", opt, val, why);
	fprintf(stderr, "try 'accel-bench --help'\n");
	return 2;
}

/* Bytes with an optional K/M/G suffix; 0 on error. */
static size_t parse_size(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);

	if (end == s || s[0] == '-')
		return 0;
	switch (*end) {
	case 'k': case 'K': v <<= 10; end++; break;
	case 'm': case 'M': v <<= 20; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	default: break;
	}
	if (*end == 'B' || *end == 'b')
		end++;
	return *end ? 0 : (size_t)v;
}

static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (end == s || *end || s[0] == '-' || v > max)
		return -1;
	*out = v;
	return 0;
}

enum { OPT_NUMA_MEM = 256, OPT_NUMA_CPU, OPT_WARMUP, OPT_NO_BASELINE,
       OPT_HOG };

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
		{ "cache", 0, 0, 'c' },	   { "wait", 1, 0, 'W' },
		{ "iters", 1, 0, 'i' },	   { "duration", 1, 0, 't' },
		{ "warmup", 1, 0, OPT_WARMUP },
		{ "no-baseline", 0, 0, OPT_NO_BASELINE },
		{ "hog", 1, 0, OPT_HOG },
		{ "json", 0, 0, 'j' },	   { "plot", 1, 0, 'p' },
		{ "help", 0, 0, 'h' },	   { 0, 0, 0, 0 },
	};
	unsigned long v;
	int o, i;

	*c = (struct bench_cfg){ .op = BOP_MEMCPY, .size_min = 4096,
				 .size_max = 4096, .bufs = 1, .batch = 1,
				 .qd = 1, .numa_mem = -1, .numa_cpu = -1,
				 .wait = ACCEL_WAIT_PAUSE, .duration = 0.2,
				 .warmup = 8, .baseline = true };
	opterr = 0;
	while ((o = getopt_long(argc, argv, ":o:s:S:m:n:b:q:B:d:w:cW:i:t:jp:h",
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
			c->size_min = c->size_max = parse_size(optarg);
			if (!c->size_min)
				return bad("--size", optarg,
					   "not a size (e.g. 4096, 64K, 2M)");
			break;
		case 'S': {
			char *colon = strchr(optarg, ':');

			if (!colon)
				return bad("--sweep", optarg, "expected MIN:MAX");
			*colon = 0;
			c->size_min = parse_size(optarg);
			c->size_max = parse_size(colon + 1);
			*colon = ':';
			if (!c->size_min || !c->size_max ||
			    c->size_min > c->size_max)
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
			    strcmp(optarg, "uacce") && strcmp(optarg, "auto"))
				return bad("--backend", optarg,
					   "expected emul, cpu, uacce or auto");
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
			if (parse_uint(optarg, 1023, &v))
				return bad(o == OPT_NUMA_MEM ? "--numa-mem" :
							       "--numa-cpu",
					   optarg, "expected a node number");
			*(o == OPT_NUMA_MEM ? &c->numa_mem : &c->numa_cpu) =
				(int)v;
			break;
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
		case 'j':
			c->json = true;
			break;
		case 'p':
			c->plot = optarg;
			break;
		case 'h':
			bench_usage(stdout);
			exit(0);
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
	if (c->batch == 1 && c->mode == BMODE_BATCH_COST)
		c->batch = 32;
	if (c->batch > 1 && c->qd * c->batch > 4096) {
		fprintf(stderr, "accel-bench: --qd x --batch must be <= 4096\n");
		return 2;
	}
	return 0;
}
