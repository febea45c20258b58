// SPDX-License-Identifier: MIT
/*
 * T10 DIF check, insert, strip, update (DSA 1.0) and DIX generate (2.0)
 * on every backend, held against the separate reference in dif_ref.c:
 * every flag combination, random block counts and tag seeds, errors
 * planted in each tag, the F-detect exemptions, page faults in the middle
 * of a block and the resumption the record's tags allow, and the
 * descriptor checks (reserved bits, transfer size, overlap).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "dif_ref.h"
#include "model.h"
#include "tcommon.h"

#define PG 4096u
#define MAXBLK 4104u
#define ARENA (1u << 20)

static uint8_t *src, *dst, *out, *data;

static void setup(void)
{
	src = aligned_alloc(PG, ARENA);
	dst = aligned_alloc(PG, ARENA);
	out = aligned_alloc(PG, ARENA);
	data = aligned_alloc(PG, ARENA);
	cr_assert(src && dst && out && data);
	tb_touch(src, ARENA);
	tb_touch(dst, ARENA);
	tb_seed(0xd1f);
}

static void teardown(void)
{
	free(src);
	free(dst);
	free(out);
	free(data);
}

TestSuite(dif, .init = setup, .fini = teardown);

static const uint8_t dif_ops[5] = { DSA_OP_DIF_CHECK, DSA_OP_DIF_INS,
				    DSA_OP_DIF_STRP, DSA_OP_DIF_UPDT,
				    DSA_OP_DIX_GEN };

/* The in-process backends as DSA 2.0, so that DIX generate runs there
 * too (conf_dsa2.c tests both personalities); others as they are. */
static struct accel_ctx *open_b(int b)
{
	struct accel_opts o = { .numa_node = -1 };

	if (!strcmp(tb_name(b), "emul") || !strcmp(tb_name(b), "cpu"))
		o.flags = ACCEL_OPT_DSA2;
	return tb_open_opts(b, &o);
}

static bool has_op(struct accel_ctx *c, uint8_t op)
{
	struct accel_info info;

	cr_assert_eq(accel_get_info(c, &info), 0);
	return info.op_cap & DSA_OPCAP(op);
}

static bool pi_in(uint8_t op)
{
	return op == DSA_OP_DIF_CHECK || op == DSA_OP_DIF_STRP ||
	       op == DSA_OP_DIF_UPDT;
}

static void desc_of(struct dsa_desc *d, const struct dif_ref_job *j,
		    const void *s, void *t)
{
	tb_desc(d, j->op, 0, (void *)s,
		j->op == DSA_OP_DIF_CHECK ? NULL : t, j->n);
	d->dif.src_flags = j->src_flags;
	d->dif.dst_flags = j->dst_flags;
	d->dif.flags = j->flags;
	d->dif.src = j->src;
	d->dif.dst = j->dst;
}

static void tags_eq(const char *what, const struct dsa_dif_tags *got,
		    const struct dsa_dif_tags *want, const char *ctx)
{
	cr_assert(got->ref_tag == want->ref_tag &&
			  got->app_tag == want->app_tag &&
			  got->app_tag_mask == want->app_tag_mask,
		  "%s: record %s tags ref %#x app %#x mask %#x, want "
		  "%#x %#x %#x",
		  ctx, what, got->ref_tag, got->app_tag, got->app_tag_mask,
		  want->ref_tag, want->app_tag, want->app_tag_mask);
}

/* Run j (source already in src) on c and hold everything to the
 * reference. */
static void run_and_compare(struct accel_ctx *c, const char *bn,
			    const struct dif_ref_job *j)
{
	_Alignas(32) struct dsa_comp comp;
	struct dif_ref_result want;
	struct dsa_desc d;
	char ctx[160];
	uint8_t st;

	snprintf(ctx, sizeof(ctx),
		 "%s op %#x flags src %#x dst %#x dif %#x n %u", bn, j->op,
		 j->src_flags, j->dst_flags, j->flags, j->n);
	memset(dst, 0xa5, dif_ref_dst_len(j->op, j->flags, j->n) + 64);
	desc_of(&d, j, src, dst);
	st = tb_run_raw(c, &d, &comp);
	dif_ref_run(j, out, &want);
	cr_assert_eq(st, want.status, "%s: status %#x (%s), want %#x", ctx,
		     st, accel_status_str(st), want.status);
	if (st == DSA_COMP_DIF_ERR) {
		cr_assert_eq(comp.result, want.result, "%s: result %#x want %#x",
			     ctx, comp.result, want.result);
		cr_assert_eq(comp.bytes_completed, want.bytes_completed,
			     "%s: bytes_completed %u want %u", ctx,
			     comp.bytes_completed, want.bytes_completed);
	}
	if (pi_in(j->op))
		tags_eq("source", &comp.dif.src, &want.src, ctx);
	if (j->op != DSA_OP_DIF_CHECK && j->op != DSA_OP_DIF_STRP)
		tags_eq("destination", &comp.dif.dst, &want.dst, ctx);
	if (memcmp(dst, out, want.out_len)) {
		uint32_t i = 0;

		while (dst[i] == out[i])
			i++;
		cr_assert_fail("%s: destination byte %u is %#x, want %#x", ctx,
			       i, dst[i], out[i]);
	}
}

/* Plant one kind of trouble in block k of a protected source. */
enum plant {
	PLANT_NONE,
	PLANT_GUARD,
	PLANT_APP,
	PLANT_REF,
	PLANT_ALL3,
	PLANT_APP_F,
	PLANT_APP_REF_F,
	PLANT_ALL_F,
	PLANT_DATA,
	PLANT_KINDS,
};

static void plant(uint8_t *buf, uint32_t blk, uint32_t k, enum plant p)
{
	uint8_t *b = buf + (size_t)k * (blk + 8), *pi = b + blk;

	switch (p) {
	case PLANT_GUARD:
		pi[1] ^= 0x01;
		break;
	case PLANT_APP:
		pi[2] ^= 0x80;
		break;
	case PLANT_REF:
		pi[7] ^= 0x01;
		break;
	case PLANT_ALL3:
		pi[0] ^= 0x10;
		pi[3] ^= 0x01;
		pi[4] ^= 0x40;
		break;
	case PLANT_APP_F:
		pi[2] = pi[3] = 0xff;
		break;
	case PLANT_APP_REF_F:
		memset(pi + 2, 0xff, 6);
		break;
	case PLANT_ALL_F:
		memset(pi, 0xff, 8);
		break;
	case PLANT_DATA:
		b[tb_rand() % blk] ^= 0x20;
		break;
	default:
		break;
	}
}

static uint16_t rand_mask(void)
{
	switch (tb_rand() % 4) {
	case 0:
		return 0;
	case 1:
		return 0xffff;
	default:
		return (uint16_t)tb_rand();
	}
}

/* A job for op with the given flags: nblk blocks, random seeds, and (with
 * a PI source) the source protected under its own flags, trouble planted
 * as p in a random block. */
static void make_job(struct dif_ref_job *j, uint8_t op, uint8_t sf,
		     uint8_t df, uint8_t fl, uint32_t nblk, enum plant p)
{
	uint32_t blk = dif_ref_blk(fl);

	memset(j, 0, sizeof(*j));
	j->op = op;
	j->flags = fl;
	j->src.ref_tag = (uint32_t)tb_rand();
	j->src.app_tag = (uint16_t)tb_rand();
	j->src.app_tag_mask = rand_mask();
	j->dst.ref_tag = (uint32_t)tb_rand();
	j->dst.app_tag = (uint16_t)tb_rand();
	j->dst.app_tag_mask = rand_mask();
	if (pi_in(op))
		j->src_flags = sf;
	else
		memset(&j->src, 0, sizeof(j->src));
	if (op != DSA_OP_DIF_CHECK && op != DSA_OP_DIF_STRP)
		j->dst_flags = df;
	else
		memset(&j->dst, 0, sizeof(j->dst));
	j->in = src;
	j->n = nblk * dif_ref_src_step(op, fl);
	tb_fill_random(data, (size_t)nblk * blk);
	if (!pi_in(op)) {
		memcpy(src, data, (size_t)nblk * blk);
		return;
	}
	dif_ref_protect(src, data, nblk, fl, sf, &j->src);
	plant(src, blk, (uint32_t)(tb_rand() % nblk), p);
}

/* Fewer blocks of the large sizes keep the sweeps short in the guest. */
static uint32_t some_blocks(uint8_t fl, uint32_t most)
{
	return 1 + (uint32_t)(tb_rand() % (fl & 2 ? 1 : most));
}

Test(dif, crc16_t10_known_answer_and_reference)
{
	uint8_t buf[4104];

	cr_assert_eq(model_crc16_t10(0, "123456789", 9), DSA_CRC16_T10_CHECK);
	cr_assert_eq(dif_ref_crc(0, (const uint8_t *)"123456789", 9),
		     DSA_CRC16_T10_CHECK);
	for (int i = 0; i < 200; i++) {
		uint32_t n = (uint32_t)tb_rand_size(sizeof(buf));
		uint16_t seed = (uint16_t)tb_rand();

		tb_fill_random(buf, n);
		cr_assert_eq(model_crc16_t10(seed, buf, n),
			     dif_ref_crc(seed, buf, n), "n=%u", n);
	}
}

/*
 * Check and strip: all 256 source flag sets under each CRC flag set (seed
 * and result inversion), the block size going round under them (the
 * source checks do not depend on it; the guard is held to it in every
 * test here).
 */
static void sweep_source_flags(uint8_t op)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = open_b(b);

		for (unsigned sf = 0; sf < 256; sf++)
			for (unsigned crc = 0; crc < 16; crc += 4) {
				struct dif_ref_job j;
				unsigned fl = crc | ((sf + crc / 4) & 3);

				make_job(&j, op, (uint8_t)sf, 0, (uint8_t)fl,
					 some_blocks((uint8_t)fl, 3),
					 (enum plant)(tb_rand() % PLANT_KINDS));
				run_and_compare(c, tb_name(b), &j);
			}
		accel_close(c);
	}
}

Test(dif, check_every_flag_combination, .timeout = 300)
{
	sweep_source_flags(DSA_OP_DIF_CHECK);
}

Test(dif, strip_every_flag_combination, .timeout = 300)
{
	sweep_source_flags(DSA_OP_DIF_STRP);
}

/* Insert and DIX generate: every valid destination flag set (app tag
 * increment, fixed ref tag) under all 16 DIF flag sets. */
static void sweep_dest_flags(uint8_t op)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = open_b(b);

		if (!has_op(c, op)) {
			cr_log_info("%s: opcode %#x not in op_cap (DSA 1.0)",
				    tb_name(b), op);
			accel_close(c);
			continue;
		}
		for (unsigned df = 0; df < 256; df += 0x10) {
			if (df & 0x60)
				continue;
			for (unsigned fl = 0; fl < 16; fl++)
				for (int rep = 0; rep < 4; rep++) {
					struct dif_ref_job j;

					make_job(&j, op, 0, (uint8_t)df,
						 (uint8_t)fl,
						 some_blocks((uint8_t)fl, 4),
						 PLANT_NONE);
					run_and_compare(c, tb_name(b), &j);
				}
		}
		accel_close(c);
	}
}

Test(dif, insert_every_flag_combination, .timeout = 300)
{
	sweep_dest_flags(DSA_OP_DIF_INS);
}

Test(dif, dix_generate_every_flag_combination, .timeout = 300)
{
	sweep_dest_flags(DSA_OP_DIX_GEN);
}

/*
 * Update: every destination flag set (the pass-through bits included)
 * under every DIF flag set, each with four source flag sets drawn at
 * random (check and strip sweep those).
 */
Test(dif, update_every_flag_combination, .timeout = 300)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = open_b(b);

		for (unsigned k = 0; k < 4 * 16 * 32; k++) {
			struct dif_ref_job j;
			unsigned sf = (unsigned)(tb_rand() & 0xff);
			unsigned df = (k / 4) % 32 * 8;
			uint8_t fl = (uint8_t)(k / 128);

			make_job(&j, DSA_OP_DIF_UPDT, (uint8_t)sf,
				 (uint8_t)df, fl, some_blocks(fl, 2),
				 (enum plant)(tb_rand() % PLANT_KINDS));
			run_and_compare(c, tb_name(b), &j);
		}
		accel_close(c);
	}
}

/* Long transfers, seeds near the counters' wrap. */
Test(dif, random_block_counts_and_tag_seeds, .timeout = 300)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = open_b(b);

		for (int i = 0; i < 150; i++) {
			uint8_t op = dif_ops[i % 5];
			uint8_t fl = (uint8_t)(tb_rand() % 16);
			uint32_t maxb = (ARENA / 8) / (MAXBLK + 8);
			struct dif_ref_job j;

			if (!has_op(c, op))
				continue;
			make_job(&j, op, (uint8_t)(tb_rand() & 0xd0),
				 (uint8_t)(tb_rand() & 0x90), fl,
				 1 + (uint32_t)(tb_rand() %
						(fl & 2 ? maxb : 4 * maxb)),
				 PLANT_NONE);
			if (i % 3 == 0) {
				uint32_t ref = 0xffffffffu -
					       (uint32_t)(tb_rand() % 4);
				uint16_t app = (uint16_t)(0xffff - tb_rand() % 4);

				if (pi_in(op)) {
					j.src.ref_tag = ref;
					j.src.app_tag = app;
				}
				if (op != DSA_OP_DIF_CHECK &&
				    op != DSA_OP_DIF_STRP) {
					j.dst.ref_tag = ref;
					j.dst.app_tag = app;
				}
				if (pi_in(op))
					dif_ref_protect(src, data,
							j.n / dif_ref_src_step(op, fl),
							fl, j.src_flags, &j.src);
			}
			run_and_compare(c, tb_name(b), &j);
		}
		accel_close(c);
	}
}

/* Each tag alone, then together, in every position of a 5-block source:
 * the result bits say which failed and bytes_completed where. */
Test(dif, errors_planted_in_each_tag)
{
	static const struct {
		enum plant p;
		uint8_t sf, res;
	} cases[] = {
		{ PLANT_GUARD, 0, DSA_DIF_RES_GUARD },
		{ PLANT_DATA, 0, DSA_DIF_RES_GUARD },
		{ PLANT_APP, 0, DSA_DIF_RES_APP_TAG },
		{ PLANT_REF, 0, DSA_DIF_RES_REF_TAG },
		{ PLANT_ALL3, 0,
		  DSA_DIF_RES_GUARD | DSA_DIF_RES_APP_TAG | DSA_DIF_RES_REF_TAG },
		{ PLANT_GUARD, DSA_DIF_SRC_GUARD_NOCHK, 0 },
		{ PLANT_REF, DSA_DIF_SRC_REF_NOCHK, 0 },
		{ PLANT_ALL3, DSA_DIF_SRC_GUARD_NOCHK | DSA_DIF_SRC_REF_NOCHK,
		  DSA_DIF_RES_APP_TAG },
		{ PLANT_ALL_F, DSA_DIF_SRC_ALL_F_DETECT | DSA_DIF_SRC_ALL_F_ERR,
		  DSA_DIF_RES_ALL_F },
		{ PLANT_ALL_F, DSA_DIF_SRC_ALL_F_DETECT, 0 },
		{ PLANT_ALL_F, DSA_DIF_SRC_ALL_F_ERR,
		  DSA_DIF_RES_GUARD | DSA_DIF_RES_APP_TAG | DSA_DIF_RES_REF_TAG },
		{ PLANT_APP_F, DSA_DIF_SRC_APP_F_DETECT, 0 },
		{ PLANT_APP_F, DSA_DIF_SRC_APP_REF_F_DETECT, DSA_DIF_RES_APP_TAG },
		{ PLANT_APP_REF_F, DSA_DIF_SRC_APP_REF_F_DETECT, 0 },
	};
	static const uint8_t ops[3] = { DSA_OP_DIF_CHECK, DSA_OP_DIF_STRP,
					DSA_OP_DIF_UPDT };

	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = open_b(b);

		for (unsigned k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
			for (unsigned o = 0; o < 3; o++)
				for (uint32_t at = 0; at < 5; at++) {
					_Alignas(32) struct dsa_comp comp;
					uint8_t fl = (uint8_t)(at % 4);
					uint32_t blk = dif_ref_blk(fl);
					struct dif_ref_job j;
					struct dsa_desc d;
					uint8_t st, want;

					make_job(&j, ops[o], cases[k].sf, 0, fl,
						 5, PLANT_NONE);
					/* Check the whole app tag. */
					j.src.app_tag_mask = 0;
					dif_ref_protect(src, data, 5, fl,
							cases[k].sf, &j.src);
					plant(src, blk, at, cases[k].p);
					desc_of(&d, &j, src, dst);
					st = tb_run_raw(c, &d, &comp);
					want = cases[k].res ? DSA_COMP_DIF_ERR :
							      DSA_COMP_SUCCESS;
					cr_assert_eq(st, want,
						     "%s case %u op %#x block %u: "
						     "status %#x",
						     tb_name(b), k, ops[o], at, st);
					if (!cases[k].res)
						continue;
					cr_assert_eq(comp.result, cases[k].res,
						     "%s case %u: result %#x",
						     tb_name(b), k, comp.result);
					cr_assert_eq(comp.bytes_completed,
						     at * (blk + 8));
					cr_assert_eq(comp.dif.src.ref_tag,
						     j.src.ref_tag + at);
				}
		accel_close(c);
	}
}

/*
 * A page boundary inside a 520-byte block: the record stops at the
 * block's start, with that block's tags, and a resubmission built from
 * the record alone (as idxd-config's dsa_reprep_dif() builds it) finishes
 * the transfer with the reference's bytes.
 */
static void resume(struct dsa_desc *d, const struct dsa_comp *comp,
		   uint8_t op, uint8_t fl)
{
	uint32_t bc = comp->bytes_completed;
	uint32_t blk = dif_ref_blk(fl), ss = dif_ref_src_step(op, fl);
	uint32_t nb = bc / ss;

	d->src += bc;
	d->size -= bc;
	switch (op) {
	case DSA_OP_DIF_INS:
	case DSA_OP_DIF_UPDT:
		d->dst += (uint64_t)nb * (blk + 8);
		break;
	case DSA_OP_DIF_STRP:
		d->dst += (uint64_t)nb * blk;
		break;
	case DSA_OP_DIX_GEN:
		d->dst += (uint64_t)nb * 8;
		break;
	}
	d->dif.src = comp->dif.src;
	d->dif.dst = comp->dif.dst;
}

Test(dif, page_fault_mid_block_and_resume)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = open_b(b);

		for (unsigned o = 0; o < 5; o++)
			for (int side = 0; side < 2; side++) {
				uint8_t op = dif_ops[o], fl = DSA_DIF_BLK_520;
				uint8_t *ps, *pd, *t;
				_Alignas(32) struct dsa_comp comp;
				struct dif_ref_result want;
				struct dif_ref_job j;
				struct dsa_desc d;
				uint32_t ss = dif_ref_src_step(op, fl);
				uint8_t st;
				int rounds = 0;

				if (!has_op(c, op) ||
				    (side && op == DSA_OP_DIF_CHECK))
					continue;
				ps = tb_pages(8);
				pd = tb_pages(8);
				/* DIX writes 8 bytes a block: start it near a
				 * page's end so that one PI straddles it. */
				t = op == DSA_OP_DIX_GEN ? pd + PG - 44 : pd;
				make_job(&j, op, 0, 0, fl, 12, PLANT_NONE);
				memcpy(ps, src, j.n);
				if (side) {
					/* Destination: only its first page. */
					tb_touch(pd, PG);
				} else {
					/* Source: its second page dropped. */
					tb_touch(pd, 8 * PG);
					cr_assert_eq(madvise(ps + PG, 7 * PG,
							     MADV_DONTNEED), 0);
				}
				desc_of(&d, &j, ps, t);
				st = tb_run_raw(c, &d, &comp);
				cr_assert_eq(st & DSA_COMP_STATUS_MASK,
					     DSA_COMP_PAGE_FAULT_NOBOF,
					     "%s op %#x side %d: status %#x",
					     tb_name(b), op, side, st);
				cr_assert_eq(!!(st & DSA_COMP_STATUS_WRITE), side,
					     "%s op %#x: read/write bit", tb_name(b),
					     op);
				cr_assert_eq(comp.bytes_completed % ss, 0,
					     "%s op %#x: bytes_completed %u not "
					     "whole blocks",
					     tb_name(b), op, comp.bytes_completed);
				cr_assert_gt(comp.bytes_completed, 0);
				if (pi_in(op))
					cr_assert_eq(comp.dif.src.ref_tag,
						     j.src.ref_tag +
							     comp.bytes_completed /
								     ss);
				if (op != DSA_OP_DIF_CHECK &&
				    op != DSA_OP_DIF_STRP)
					cr_assert_eq(comp.dif.dst.ref_tag,
						     j.dst.ref_tag +
							     comp.bytes_completed /
								     ss);
				/* Bring the page in and go on from the record
				 * alone. */
				while ((st & DSA_COMP_STATUS_MASK) ==
				       DSA_COMP_PAGE_FAULT_NOBOF) {
					cr_assert_lt(rounds++, 16);
					if (st & DSA_COMP_STATUS_WRITE)
						tb_touch((void *)(uintptr_t)
								 comp.fault_addr,
							 1);
					else
						memcpy(ps + PG, src + PG,
						       j.n - PG);
					resume(&d, &comp, op, fl);
					st = tb_run_raw(c, &d, &comp);
				}
				cr_assert_eq(st, DSA_COMP_SUCCESS,
					     "%s op %#x: status %#x after resume",
					     tb_name(b), op, st);
				j.in = src;
				dif_ref_run(&j, out, &want);
				cr_assert(!memcmp(t, out, want.out_len),
					  "%s op %#x side %d: bytes differ after "
					  "resume",
					  tb_name(b), op, side);
				tb_pages_free(ps, 8);
				tb_pages_free(pd, 8);
			}
		accel_close(c);
	}
}

/* What the device checks before it touches memory. */
Test(dif, descriptor_checks)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = open_b(b);

		for (unsigned o = 0; o < 5; o++) {
			uint8_t op = dif_ops[o];
			_Alignas(32) struct dsa_comp comp;
			struct dif_ref_job j;
			struct dsa_desc d;
			uint8_t st;

			if (!has_op(c, op))
				continue;
			make_job(&j, op, 0, 0, DSA_DIF_BLK_512, 2, PLANT_NONE);
			/* Reserved DIF flag bits 7:4. */
			desc_of(&d, &j, src, dst);
			d.dif.flags |= 0x10;
			st = tb_run_raw(c, &d, &comp);
			cr_assert_eq(st, DSA_COMP_NOZERO_RESERVE, "%s op %#x: %#x",
				     tb_name(b), op, st);
			/* Reserved destination flag bits 2:0, and the
			 * pass-through bits outside update. */
			if (op != DSA_OP_DIF_CHECK && op != DSA_OP_DIF_STRP) {
				desc_of(&d, &j, src, dst);
				d.dif.dst_flags = 0x01;
				st = tb_run_raw(c, &d, &comp);
				cr_assert_eq(st, DSA_COMP_NOZERO_RESERVE);
				desc_of(&d, &j, src, dst);
				d.dif.dst_flags = DSA_DIF_DST_GUARD_PASS;
				st = tb_run_raw(c, &d, &comp);
				cr_assert_eq(st, op == DSA_OP_DIF_UPDT ?
							 DSA_COMP_SUCCESS :
							 DSA_COMP_NOZERO_RESERVE,
					     "%s op %#x pass bit: %#x",
					     tb_name(b), op, st);
			}
			/* Seeds of the side the operation does not have. */
			desc_of(&d, &j, src, dst);
			if (pi_in(op) && op != DSA_OP_DIF_UPDT)
				d.dif.dst.ref_tag = 1;
			else if (!pi_in(op))
				d.dif.src.app_tag = 1;
			else
				d.dif.rsvd_dif[0] = 1;
			st = tb_run_raw(c, &d, &comp);
			cr_assert_eq(st, DSA_COMP_NOZERO_RESERVE, "%s op %#x: %#x",
				     tb_name(b), op, st);
			/* Not whole blocks; no blocks. */
			desc_of(&d, &j, src, dst);
			d.size -= 1;
			st = tb_run_raw(c, &d, &comp);
			cr_assert_eq(st, DSA_COMP_XFER_ERANGE);
			desc_of(&d, &j, src, dst);
			d.size = 0;
			st = tb_run_raw(c, &d, &comp);
			cr_assert_eq(st, DSA_COMP_XFER_ERANGE);
			/* Destination over the source. */
			if (op != DSA_OP_DIF_CHECK) {
				desc_of(&d, &j, src, src + 16);
				st = tb_run_raw(c, &d, &comp);
				cr_assert_eq(st, DSA_COMP_OVERLAP_BUFFERS,
					     "%s op %#x: %#x", tb_name(b), op, st);
			}
			/* No DSA flag of its own: bit 16 is invalid. */
			desc_of(&d, &j, src, dst);
			d.op_flags |= 0x10000;
			st = tb_run_raw(c, &d, &comp);
			cr_assert_eq(st, DSA_COMP_INVALID_FLAGS);
		}
		accel_close(c);
	}
}
