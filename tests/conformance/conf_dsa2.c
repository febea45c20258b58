// SPDX-License-Identifier: MIT
/*
 * DSA 1.0 against 2.0: the personality a backend presents (op_cap), a
 * 1.0 device refusing what only 2.0 has (translation fetch and DIX
 * generate: not in OPCAP, so BAD_OPCODE; the 16-byte fill pattern: a
 * reserved flag, INVALID_FLAGS), and a 2.0 device running them.  The
 * in-process backends are opened as each version; a kernel backend is
 * tested as what its op_cap says it is (the guest runs the soft device
 * both ways, dsa_version=1 and 2).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dif_ref.h"
#include "tcommon.h"

#define PG 4096u

static bool in_process(int b)
{
	return !strcmp(tb_name(b), "emul") || !strcmp(tb_name(b), "cpu");
}

/* Backend b as version v (0: as it comes); NULL if it cannot be chosen. */
static struct accel_ctx *open_as(int b, int v)
{
	struct accel_opts o = { .numa_node = -1 };

	if (v && !in_process(b))
		return NULL;
	o.flags = v == 1 ? ACCEL_OPT_DSA1 : v == 2 ? ACCEL_OPT_DSA2 : 0;
	return tb_open_opts(b, &o);
}

static uint64_t op_cap(struct accel_ctx *c)
{
	struct accel_info info;

	cr_assert_eq(accel_get_info(c, &info), 0);
	return info.op_cap;
}

Test(dsa2, personality_sets_op_cap)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_opts o = { .numa_node = -1 };
		struct accel_ctx *c;

		if (!in_process(b)) {
			uint64_t cap;

			c = open_as(b, 0);
			cap = op_cap(c);
			cr_assert(cap == DSA_OPCAP_DSA1 || cap == DSA_OPCAP_DSA2,
				  "%s: op_cap %#llx is neither 1.0 nor 2.0",
				  tb_name(b), (unsigned long long)cap);
			accel_close(c);
			continue;
		}
		c = open_as(b, 1);
		cr_assert_eq(op_cap(c), DSA_OPCAP_DSA1, "%s", tb_name(b));
		accel_close(c);
		c = open_as(b, 2);
		cr_assert_eq(op_cap(c), DSA_OPCAP_DSA2, "%s", tb_name(b));
		accel_close(c);
		/* Both at once, and a bad environment value, are refused. */
		o.backend = tb_name(b);
		o.flags = ACCEL_OPT_DSA1 | ACCEL_OPT_DSA2;
		cr_assert_eq(accel_open_opts(&c, &o), -EINVAL);
		o.flags = 0;
		setenv("ACCEL_DSA_VERSION", "3", 1);
		cr_assert_eq(accel_open_opts(&c, &o), -EINVAL);
		setenv("ACCEL_DSA_VERSION", "2", 1);
		cr_assert_eq(accel_open_opts(&c, &o), 0);
		cr_assert_eq(op_cap(c), DSA_OPCAP_DSA2);
		accel_close(c);
		unsetenv("ACCEL_DSA_VERSION");
	}
}

static uint8_t *buf;

static void setup(void)
{
	buf = aligned_alloc(PG, 16 * PG);
	cr_assert(buf);
	tb_touch(buf, 16 * PG);
	tb_fill_random(buf, 16 * PG);
}

static void teardown(void)
{
	free(buf);
}

static void dix_desc(struct dsa_desc *d, void *s, void *pi, uint32_t n)
{
	tb_desc(d, DSA_OP_DIX_GEN, 0, s, pi, n);
	d->dif.flags = DSA_DIF_BLK_512;
	d->dif.dst.ref_tag = 0x1000;
	d->dif.dst.app_tag = 0x42;
}

static void tfetch_desc(struct dsa_desc *d, void *region, uint32_t n,
			uint32_t flags)
{
	tb_desc(d, DSA_OP_TRANSL_FETCH, flags, region, NULL, n);
}

Test(dsa2, dsa1_refuses_dsa2_operations, .init = setup, .fini = teardown)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = open_as(b, in_process(b) ? 1 : 0);
		_Alignas(32) struct dsa_comp comp;
		struct dsa_desc d;
		uint8_t st;

		if (op_cap(c) != DSA_OPCAP_DSA1) {
			cr_log_info("%s: a 2.0 device; dsa2_runs covers it",
				    tb_name(b));
			accel_close(c);
			continue;
		}
		dix_desc(&d, buf, buf + 8 * PG, 1024);
		st = tb_run_raw(c, &d, &comp);
		cr_assert_eq(st, DSA_COMP_BAD_OPCODE, "%s: DIX generate %#x",
			     tb_name(b), st);
		tfetch_desc(&d, buf, PG, 0);
		st = tb_run_raw(c, &d, &comp);
		cr_assert_eq(st, DSA_COMP_BAD_OPCODE, "%s: translation fetch %#x",
			     tb_name(b), st);
		/* The 16-byte fill is a 2.0 flag: reserved on a strict 1.0
		 * personality (the in-process backends; a kernel device keeps
		 * the model's lenient default). */
		if (in_process(b)) {
			tb_desc(&d, DSA_OP_FILL, DSA_FLAG_FILL_PATTERN16,
				(void *)0x1122334455667788ull, buf, 64);
			st = tb_run_raw(c, &d, &comp);
			cr_assert_eq(st, DSA_COMP_INVALID_FLAGS, "%s: fill16 %#x",
				     tb_name(b), st);
			cr_assert_eq(comp.invalid_flags, DSA_FLAG_FILL_PATTERN16);
		}
		accel_close(c);
	}
}

Test(dsa2, dsa2_runs_dix_and_translation_fetch, .init = setup,
     .fini = teardown)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = open_as(b, in_process(b) ? 2 : 0);
		_Alignas(32) struct dsa_comp comp;
		struct dif_ref_result want;
		struct dif_ref_job j;
		struct dsa_desc d;
		uint8_t *pg, st, pi[8 * 4];

		if (op_cap(c) != DSA_OPCAP_DSA2) {
			cr_log_info("%s: a 1.0 device; dsa1_refuses covers it",
				    tb_name(b));
			accel_close(c);
			continue;
		}
		/* DIX generate: four 512-byte blocks, PI to its own buffer. */
		dix_desc(&d, buf, buf + 8 * PG, 2048);
		st = tb_run_raw(c, &d, &comp);
		cr_assert_eq(st, DSA_COMP_SUCCESS, "%s: DIX %#x", tb_name(b), st);
		memset(&j, 0, sizeof(j));
		j.op = DSA_OP_DIX_GEN;
		j.flags = DSA_DIF_BLK_512;
		j.dst = d.dif.dst;
		j.in = buf;
		j.n = 2048;
		dif_ref_run(&j, pi, &want);
		cr_assert_eq(want.out_len, sizeof(pi));
		cr_assert(!memcmp(buf + 8 * PG, pi, sizeof(pi)), "%s: DIX PI",
			  tb_name(b));
		cr_assert_eq(comp.dif.dst.ref_tag, 0x1004);
		/* Translation fetch: present pages succeed; absent ones fault
		 * without block-on-fault (at the first absent page) and are
		 * brought in with it. */
		tfetch_desc(&d, buf, 16 * PG, 0);
		cr_assert_eq(tb_run_raw(c, &d, &comp), DSA_COMP_SUCCESS);
		pg = tb_pages(4);
		tb_touch(pg, PG);
		tfetch_desc(&d, pg, 4 * PG, 0);
		st = tb_run_raw(c, &d, &comp);
		cr_assert_eq(st, DSA_COMP_PAGE_FAULT_NOBOF, "%s: %#x", tb_name(b),
			     st);
		cr_assert_eq(comp.bytes_completed, PG);
		cr_assert_eq(comp.fault_addr, (uintptr_t)pg + PG);
		tfetch_desc(&d, pg, 4 * PG, DSA_FLAG_BOF);
		cr_assert_eq(tb_run_raw(c, &d, &comp), DSA_COMP_SUCCESS);
		/* A stride of two pages looks at pages 0 and 2 only. */
		tb_pages_free(pg, 4);
		pg = tb_pages(4);
		tb_touch(pg, PG);
		tb_touch(pg + 2 * PG, PG);
		tfetch_desc(&d, pg, 4 * PG, 0);
		d.tfetch.region_stride = 2 * PG;
		cr_assert_eq(tb_run_raw(c, &d, &comp), DSA_COMP_SUCCESS);
		/* Its reserved bytes are checked. */
		d.tfetch.rsvd_tf = 1;
		cr_assert_eq(tb_run_raw(c, &d, &comp), DSA_COMP_NOZERO_RESERVE);
		tb_pages_free(pg, 4);
		/* The 16-byte fill runs. */
		tb_desc(&d, DSA_OP_FILL, DSA_FLAG_FILL_PATTERN16,
			(void *)0x1122334455667788ull, buf, 64);
		d.fill.pattern_upper = 0x99aabbccddeeff00ull;
		cr_assert_eq(tb_run_raw(c, &d, &comp), DSA_COMP_SUCCESS);
		accel_close(c);
	}
}
