// SPDX-License-Identifier: MIT
/*
 * accel-bench's DIF operations (--op dif_check, dif_insert, dif_strip,
 * dif_update): the library calls, their descriptors, the buffers with
 * protection information, --verify, and the CPU baseline.
 *
 * The baseline: blocks checked or made by the CPU, the guard from
 * baseline_crc16.c.  DIF works on blocks of 512 bytes here
 * (DSA_DIF_BLK_512), tags from 0, every check on.
 */
#include <string.h>

#include "bench.h"

#define BLK 512u
#define PI 8u

bool bench_op_is_dif(enum bench_op op)
{
	return op == BOP_DIF_CHECK || op == BOP_DIF_INSERT ||
	       op == BOP_DIF_STRIP || op == BOP_DIF_UPDATE;
}

/* Source and destination bytes per block. */
static size_t src_step(enum bench_op op)
{
	return op == BOP_DIF_INSERT ? BLK : BLK + PI;
}

static size_t dst_step(enum bench_op op)
{
	return op == BOP_DIF_STRIP ? BLK : BLK + PI;
}

/* Whole blocks of a point of n source bytes (at least one). */
static size_t blocks(enum bench_op op, size_t n)
{
	size_t k = n / src_step(op);

	return k ? k : 1;
}

size_t bench_dif_buf_size(enum bench_op op, size_t size)
{
	if (!bench_op_is_dif(op))
		return size;
	return (size / BLK + 1) * (BLK + PI);
}

static const struct accel_dif dif_cfg = {
	.flags = DSA_DIF_BLK_512,
	.src = { .ref_tag = 0, .app_tag_mask = 0, .app_tag = 0x600d },
	.dst = { .ref_tag = 0, .app_tag_mask = 0, .app_tag = 0x600d },
};

static void put_pi(uint8_t *pi, uint16_t guard, uint32_t ref)
{
	pi[0] = (uint8_t)(guard >> 8);
	pi[1] = (uint8_t)guard;
	pi[2] = 0x60;
	pi[3] = 0x0d;
	pi[4] = (uint8_t)(ref >> 24);
	pi[5] = (uint8_t)(ref >> 16);
	pi[6] = (uint8_t)(ref >> 8);
	pi[7] = (uint8_t)ref;
}

void bench_dif_fill(struct bench_bufs *b, enum bench_op op)
{
	if (op == BOP_DIF_INSERT)
		return; /* plain data */
	for (unsigned i = 0; i < b->n; i++)
		for (size_t k = 0; (k + 1) * (BLK + PI) <= b->size; k++) {
			uint8_t *blk = b->src[i] + k * (BLK + PI);

			put_pi(blk + BLK, bench_crc16_t10(0, blk, BLK),
			       (uint32_t)k);
		}
}

int bench_dif_lib(struct accel_ctx *ctx, enum bench_op op,
		  struct bench_bufs *b, unsigned i, size_t n)
{
	size_t len = blocks(op, n) * src_step(op);

	switch (op) {
	case BOP_DIF_CHECK:
		return accel_dif_check(ctx, b->src[i], len, &dif_cfg, NULL);
	case BOP_DIF_INSERT:
		return accel_dif_insert(ctx, b->dst[i], b->src[i], len,
					&dif_cfg);
	case BOP_DIF_STRIP:
		return accel_dif_strip(ctx, b->dst[i], b->src[i], len, &dif_cfg,
				       NULL);
	default:
		return accel_dif_update(ctx, b->dst[i], b->src[i], len,
					&dif_cfg, NULL);
	}
}

void bench_dif_prep(struct accel_op *a, enum bench_op op,
		    struct bench_bufs *b, unsigned i, size_t n, uint32_t flags)
{
	size_t len = blocks(op, n) * src_step(op);

	switch (op) {
	case BOP_DIF_CHECK:
		accel_prep_dif_check(a, b->src[i], len, &dif_cfg, flags);
		break;
	case BOP_DIF_INSERT:
		accel_prep_dif_insert(a, b->dst[i], b->src[i], len, &dif_cfg,
				      flags);
		break;
	case BOP_DIF_STRIP:
		accel_prep_dif_strip(a, b->dst[i], b->src[i], len, &dif_cfg,
				     flags);
		break;
	default:
		accel_prep_dif_update(a, b->dst[i], b->src[i], len, &dif_cfg,
				      flags);
		break;
	}
}

/* The CPU's check of one block: 0, or nonzero on a mismatch. */
static int cpu_check(const uint8_t *blk, uint32_t ref)
{
	uint8_t want[PI];

	put_pi(want, bench_crc16_t10(0, blk, BLK), ref);
	return memcmp(blk + BLK, want, PI);
}

static volatile int dif_sink;

void bench_dif_cpu(enum bench_op op, struct bench_bufs *b, unsigned i,
		   size_t n)
{
	size_t nb = blocks(op, n), ss = src_step(op), ds = dst_step(op);
	int bad = 0;

	for (size_t k = 0; k < nb && !bad; k++) {
		const uint8_t *s = b->src[i] + k * ss;
		uint8_t *d = op == BOP_DIF_CHECK ? NULL : b->dst[i] + k * ds;

		switch (op) {
		case BOP_DIF_CHECK:
			bad = cpu_check(s, (uint32_t)k);
			break;
		case BOP_DIF_INSERT:
			memcpy(d, s, BLK);
			put_pi(d + BLK, bench_crc16_t10(0, d, BLK),
			       (uint32_t)k);
			break;
		case BOP_DIF_STRIP:
			bad = cpu_check(s, (uint32_t)k);
			memcpy(d, s, BLK);
			break;
		default:
			bad = cpu_check(s, (uint32_t)k);
			memcpy(d, s, BLK + PI);
			break;
		}
	}
	dif_sink = bad;
}

const char *bench_dif_baseline_name(enum bench_op op)
{
	static const char *const names[2][2] = {
		{ "byte-table crc16-t10 per block",
		  "glibc memcpy + byte-table crc16-t10 per block" },
		{ "pclmul crc16-t10 x4 folds per block",
		  "glibc memcpy + pclmul crc16-t10 x4 folds per block" },
	};

	return names[bench_crc16_t10_fast()][op != BOP_DIF_CHECK];
}

/* --verify: the destination of each measured block as the CPU makes it. */
int bench_dif_check(struct bench_bufs *b, enum bench_op op, unsigned i)
{
	size_t nb = blocks(op, b->dif_len), ss = src_step(op);
	size_t ds = dst_step(op);
	uint8_t want[BLK + PI];

	if (op == BOP_DIF_CHECK)
		return 0;
	for (size_t k = 0; k < nb; k++) {
		const uint8_t *s = b->src[i] + k * ss;
		const uint8_t *d = b->dst[i] + k * ds;

		memcpy(want, s, BLK);
		put_pi(want + BLK, bench_crc16_t10(0, s, BLK), (uint32_t)k);
		if (memcmp(d, want, ds)) {
			fprintf(stderr,
				"accel-bench: --verify: block %zu of buffer %u "
				"differs from the CPU's\n",
				k, i);
			return BENCH_EVERIFY;
		}
	}
	return 0;
}
