// SPDX-License-Identifier: MIT
/*
 * The benchmark's buffers: only those the operation touches, each placed
 * on its NUMA node and backed by the kind of page asked for, and the
 * memory a run needs checked against what the machine has before any of
 * it is allocated.
 */
#include <errno.h>
#include <numa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bench.h"

#define HUGE_2M (2ull << 20)

/* Which buffers each operation reads or writes. */
unsigned bench_op_roles(enum bench_op op)
{
	switch (op) {
	case BOP_MEMCPY:
	case BOP_MEMMOVE:
	case BOP_COPY_CRC:
	case BOP_COMPARE:
		return BROLE_SRC | BROLE_DST;
	case BOP_DUALCAST:
		return BROLE_SRC | BROLE_DST | BROLE_DST2;
	case BOP_FILL:
	case BOP_CFLUSH:
		return BROLE_DST;
	case BOP_COMPVAL:
	case BOP_CRC:
	case BOP_DIF_CHECK:
		return BROLE_SRC;
	case BOP_DIF_INSERT:
	case BOP_DIF_STRIP:
	case BOP_DIF_UPDATE:
		return BROLE_SRC | BROLE_DST;
	case BOP_NOOP:
		break;
	}
	return 0;
}

static unsigned popcount(unsigned v)
{
	return (unsigned)__builtin_popcount(v);
}

/* A value of /proc/meminfo in bytes, or -1. */
static long long meminfo(const char *key)
{
	char line[128];
	size_t k = strlen(key);
	long long v = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, k) && line[k] == ':') {
			v = strtoll(line + k + 1, NULL, 10) * 1024;
			break;
		}
	fclose(f);
	return v;
}

static size_t round_up(size_t n, size_t to)
{
	return (n + to - 1) / to * to;
}

static size_t page_of(enum bench_pages pages)
{
	return pages == BPAGES_SMALL ? (size_t)sysconf(_SC_PAGESIZE) : HUGE_2M;
}

static void print_bytes(FILE *f, double b)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB",
					    "PiB", "EiB" };
	unsigned u = 0;

	while (b >= 1024 && u < 6) {
		b /= 1024;
		u++;
	}
	fprintf(f, "%.1f %s", b, unit[u]);
}

int bench_check_memory(const struct bench_cfg *cfg, size_t max_size)
{
	unsigned roles = popcount(bench_op_roles(cfg->op));
	size_t page = page_of(cfg->pages);
	long double need;
	long long have;
	const char *what;

	if (!roles)
		return 0;
	/* One point's buffers at a time, every thread its own. */
	need = (long double)round_up(max_size < SIZE_MAX - page ? max_size :
								  SIZE_MAX - page,
				     page) *
	       roles * cfg->bufs * cfg->threads;
	if (cfg->pages == BPAGES_HUGE) {
		long long free_pages = meminfo("HugePages_Free") / 1024;
		long long sz = meminfo("Hugepagesize");

		have = free_pages >= 0 && sz > 0 ? free_pages * sz : 0;
		what = "free in the huge-page pool (HugePages_Free)";
		if (sz > 0 && (size_t)sz != HUGE_2M) {
			fprintf(stderr, "accel-bench: --pages huge wants 2 MiB "
					"huge pages; this machine's default is %lld KiB\n",
				sz / 1024);
			return 2;
		}
	} else {
		have = meminfo("MemAvailable");
		what = "available (MemAvailable)";
	}
	if (have < 0 || need <= (long double)have)
		return 0;
	fprintf(stderr, "accel-bench: this run needs ");
	print_bytes(stderr, (double)need);
	fprintf(stderr, " (%u buffer%s of %zu bytes x %u bufs x %u thread%s); "
			"the machine has ",
		roles, roles > 1 ? "s" : "", max_size, cfg->bufs,
		cfg->threads, cfg->threads > 1 ? "s" : "");
	print_bytes(stderr, (double)have);
	fprintf(stderr, " %s\n", what);
	return 2;
}

static void *buf_map(size_t n, int node, enum bench_pages pages)
{
	size_t len = round_up(n, page_of(pages));
	void *p;

	if (pages == BPAGES_SMALL) {
		if (node >= 0)
			return numa_alloc_onnode(n, node);
		return posix_memalign(&p, 4096, n) ? NULL : p;
	}
	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS |
			 (pages == BPAGES_HUGE ? MAP_HUGETLB : 0),
		 -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	if (pages == BPAGES_THP)
		madvise(p, len, MADV_HUGEPAGE);
	if (node >= 0)
		numa_tonode_memory(p, len, node);
	return p;
}

static void buf_unmap(void *p, size_t n, int node, enum bench_pages pages)
{
	if (!p)
		return;
	if (pages != BPAGES_SMALL)
		munmap(p, round_up(n, page_of(pages)));
	else if (node >= 0)
		numa_free(p, n);
	else
		free(p);
}

static int node_of(const struct bench_cfg *cfg, unsigned role)
{
	int n = role == BROLE_SRC ? cfg->numa_src : cfg->numa_dst;

	return n >= 0 ? n : cfg->numa_mem;
}

void bench_bufs_free(struct bench_bufs *b)
{
	uint8_t **arr[] = { b->src, b->dst, b->dst2 };

	for (unsigned r = 0; r < 3; r++) {
		for (unsigned i = 0; arr[r] && i < b->n; i++)
			buf_unmap(arr[r][i], b->size, b->node[r], b->pages);
		free(arr[r]);
	}
	free(b->pairs);
	free(b->expect_crc);
	memset(b, 0, sizeof(*b));
}

/* Source bytes: different in every buffer, so that a copy from the wrong
 * buffer or offset shows under --verify; all the pattern for compval. */
static void fill_src(uint8_t *p, size_t n, unsigned i, enum bench_op op)
{
	uint64_t x = 0x9e3779b97f4a7c15ull * (i + 1);

	if (op == BOP_COMPVAL) {
		memset(p, 0x5a, n);
		return;
	}
	for (size_t k = 0; k < n; k++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		p[k] = (uint8_t)x;
	}
}

int bench_bufs_alloc(struct bench_bufs *b, const struct bench_cfg *cfg,
		     size_t size)
{
	unsigned roles = bench_op_roles(cfg->op), n = cfg->bufs;
	uint8_t ***arr[] = { &b->src, &b->dst, &b->dst2 };
	static const unsigned role[] = { BROLE_SRC, BROLE_DST, BROLE_DST2 };

	memset(b, 0, sizeof(*b));
	b->dif_len = size;
	size = bench_dif_buf_size(cfg->op, size);
	b->size = size;
	b->pages = cfg->pages;
	b->n = n;
	for (unsigned r = 0; r < 3; r++) {
		b->node[r] = node_of(cfg, role[r]);
		if (!(roles & role[r]))
			continue;
		*arr[r] = calloc(n, sizeof(void *));
		if (!*arr[r])
			goto nomem;
		for (unsigned i = 0; i < n; i++) {
			(*arr[r])[i] = buf_map(size, b->node[r], cfg->pages);
			if (!(*arr[r])[i])
				goto nomem;
			if (role[r] == BROLE_SRC)
				fill_src((*arr[r])[i], size, i, cfg->op);
			else /* present, as an application's buffer is */
				memset((*arr[r])[i], 0, size);
		}
	}
	b->pairs = calloc(n, sizeof(*b->pairs));
	b->expect_crc = calloc(n, sizeof(*b->expect_crc));
	if (!b->pairs || !b->expect_crc)
		goto nomem;
	for (unsigned i = 0; i < n; i++) {
		b->pairs[i].dst = b->dst ? b->dst[i] : NULL;
		b->pairs[i].src = b->src ? b->src[i] : NULL;
		/* Equal inputs: compares run to the end. */
		if (cfg->op == BOP_COMPARE)
			memcpy(b->dst[i], b->src[i], size);
		if (cfg->op == BOP_CRC || cfg->op == BOP_COPY_CRC)
			b->expect_crc[i] = bench_crc32c(0, b->src[i], size);
	}
	if (bench_op_is_dif(cfg->op))
		bench_dif_fill(b, cfg->op);
	return 0;
nomem:
	bench_bufs_free(b);
	return -ENOMEM;
}

/* --verify: outputs are poisoned before a measured round and checked
 * after it; 0, or BENCH_EVERIFY with the first wrong byte reported. */
void bench_bufs_poison(struct bench_bufs *b, enum bench_op op)
{
	if (op == BOP_COMPARE || op == BOP_CFLUSH)
		return; /* no output; compare's second input must stay */
	for (unsigned i = 0; i < b->n; i++) {
		if (b->dst)
			memset(b->dst[i], 0xa5, b->size);
		if (b->dst2)
			memset(b->dst2[i], 0xa5, b->size);
	}
}

/* got[0..n) against want[0..n), got being byte `base` of the buffer. */
static int check_equal(const uint8_t *got, const uint8_t *want, size_t n,
		       const char *what, unsigned i, size_t base)
{
	size_t k;

	if (!memcmp(got, want, n))
		return 0;
	for (k = 0; got[k] == want[k]; k++)
		;
	fprintf(stderr, "accel-bench: --verify: %s of buffer %u differs at "
			"byte %zu (0x%02x, want 0x%02x)\n",
		what, i, base + k, got[k], want[k]);
	return BENCH_EVERIFY;
}

int bench_bufs_check(struct bench_bufs *b, enum bench_op op)
{
	static const uint8_t pat[64] = { [0 ... 63] = 0x5a };
	int rc = 0;

	for (unsigned i = 0; i < b->n && !rc; i++) {
		switch (op) {
		case BOP_MEMCPY:
		case BOP_MEMMOVE:
		case BOP_COPY_CRC:
			rc = check_equal(b->dst[i], b->src[i], b->size,
					 "destination", i, 0);
			break;
		case BOP_DUALCAST:
			rc = check_equal(b->dst[i], b->src[i], b->size,
					 "first destination", i, 0);
			if (!rc)
				rc = check_equal(b->dst2[i], b->src[i], b->size,
						 "second destination", i, 0);
			break;
		case BOP_DIF_CHECK:
		case BOP_DIF_INSERT:
		case BOP_DIF_STRIP:
		case BOP_DIF_UPDATE:
			rc = bench_dif_check(b, op, i);
			break;
		case BOP_FILL:
			for (size_t k = 0; k < b->size && !rc; k += 64)
				rc = check_equal(b->dst[i] + k, pat,
						 b->size - k < 64 ? b->size - k : 64,
						 "fill", i, k);
			break;
		default:
			break;
		}
	}
	return rc;
}
