// SPDX-License-Identifier: MIT
/*
 * The library's DIF calls on every backend: the synchronous forms, the
 * asynchronous ones, batches (a list and in place), the page-fault
 * recovery the library does for them (touch, resume from the record's
 * tags), and the errors it reports, all held to dif_ref.c.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "dif_ref.h"
#include "tcommon.h"

#define PG 4096u
#define NBLK 24u

static uint8_t *data, *prot, *want, *got;

static void setup(void)
{
	/* aligned_alloc wants a multiple of the alignment. */
	size_t sz = (NBLK * (4104 + 8) + 2 * PG - 1) / PG * PG;

	data = aligned_alloc(PG, 4 * sz);
	prot = data + sz;
	want = prot + sz;
	got = want + sz;
	cr_assert(data);
	tb_touch(data, 4 * sz);
	tb_seed(0xa91);
	tb_fill_random(data, sz);
}

static void teardown(void)
{
	free(data);
}

TestSuite(dif_api, .init = setup, .fini = teardown);

static struct accel_ctx *open_b(int b)
{
	struct accel_opts o = { .numa_node = -1 };

	if (!strcmp(tb_name(b), "emul") || !strcmp(tb_name(b), "cpu"))
		o.flags = ACCEL_OPT_DSA2;
	return tb_open_opts(b, &o);
}

static struct accel_dif some_dif(uint8_t blk)
{
	struct accel_dif d = {
		.flags = blk | DSA_DIF_INVERT_SEED,
		.src_flags = DSA_DIF_SRC_APP_INC,
		.dst_flags = DSA_DIF_DST_REF_FIXED,
		.src = { .ref_tag = 0x100, .app_tag_mask = 0, .app_tag = 7 },
		.dst = { .ref_tag = 0x900, .app_tag_mask = 0xff00,
			 .app_tag = 0x1234 },
	};

	return d;
}

static struct dif_ref_job job_of(uint8_t op, const struct accel_dif *d,
				 const uint8_t *in, uint32_t n)
{
	struct dif_ref_job j = {
		.op = op, .flags = d->flags, .in = in, .n = n,
	};

	if (op == DSA_OP_DIF_CHECK || op == DSA_OP_DIF_STRP ||
	    op == DSA_OP_DIF_UPDT) {
		j.src_flags = d->src_flags;
		j.src = d->src;
	}
	if (op != DSA_OP_DIF_CHECK && op != DSA_OP_DIF_STRP) {
		j.dst_flags = d->dst_flags;
		j.dst = d->dst;
	}
	return j;
}

Test(dif_api, sync_calls_match_the_reference)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = open_b(b);
		struct accel_info info;

		cr_assert_eq(accel_get_info(c, &info), 0);
		for (uint8_t blk = 0; blk < 4; blk++) {
			struct accel_dif d = some_dif(blk);
			uint32_t bs = dif_ref_blk(blk);
			uint32_t dn = NBLK * bs, pn = NBLK * (bs + 8);
			struct dif_ref_result r;
			struct dif_ref_job j;
			struct accel_dif_error e;

			dif_ref_protect(prot, data, NBLK, d.flags, d.src_flags,
					&d.src);
			cr_assert_eq(accel_dif_check(c, prot, pn, &d, &e), 0,
				     "%s", tb_name(b));
			/* insert */
			j = job_of(DSA_OP_DIF_INS, &d, data, dn);
			dif_ref_run(&j, want, &r);
			cr_assert_eq(accel_dif_insert(c, got, data, dn, &d), 0);
			cr_assert(!memcmp(got, want, r.out_len), "%s insert",
				  tb_name(b));
			/* strip */
			j = job_of(DSA_OP_DIF_STRP, &d, prot, pn);
			dif_ref_run(&j, want, &r);
			cr_assert_eq(accel_dif_strip(c, got, prot, pn, &d, &e), 0);
			cr_assert(!memcmp(got, want, r.out_len), "%s strip",
				  tb_name(b));
			/* update */
			j = job_of(DSA_OP_DIF_UPDT, &d, prot, pn);
			dif_ref_run(&j, want, &r);
			cr_assert_eq(accel_dif_update(c, got, prot, pn, &d, &e), 0);
			cr_assert(!memcmp(got, want, r.out_len), "%s update",
				  tb_name(b));
			/* DIX generate, where the device has it */
			if (info.op_cap & DSA_OPCAP(DSA_OP_DIX_GEN)) {
				j = job_of(DSA_OP_DIX_GEN, &d, data, dn);
				dif_ref_run(&j, want, &r);
				cr_assert_eq(accel_dix_generate(c, got, data, dn,
								&d),
					     0);
				cr_assert(!memcmp(got, want, r.out_len),
					  "%s dix", tb_name(b));
			} else {
				cr_assert_eq(accel_dix_generate(c, got, data, dn,
								&d),
					     -EINVAL);
			}
			/* A planted error: -EBADMSG, and where. */
			prot[5 * (bs + 8) + bs + 6] ^= 1; /* block 5's ref tag */
			memset(&e, 0, sizeof(e));
			cr_assert_eq(accel_dif_check(c, prot, pn, &d, &e),
				     -EBADMSG);
			cr_assert_eq(e.result, DSA_DIF_RES_REF_TAG);
			cr_assert_eq(e.block, 5);
			cr_assert_eq(e.offset, 5 * (bs + 8));
			cr_assert_eq(e.tags.ref_tag, d.src.ref_tag + 5);
			cr_assert_eq(e.tags.app_tag, d.src.app_tag + 5);
			cr_assert_eq(accel_dif_strip(c, got, prot, pn, &d, NULL),
				     -EBADMSG);
			/* Partial blocks, bad flags. */
			cr_assert_eq(accel_dif_check(c, prot, pn - 1, &d, NULL),
				     -EINVAL);
			d.flags |= 0x40;
			cr_assert_eq(accel_dif_check(c, prot, pn, &d, NULL),
				     -EINVAL);
		}
		accel_close(c);
	}
}

/* Async, a batch from a list, a batch in place: the same bytes. */
Test(dif_api, async_and_batch_forms)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = open_b(b);
		struct accel_dif d = some_dif(DSA_DIF_BLK_520);
		uint32_t bs = 520, dn = NBLK * bs, pn = NBLK * (bs + 8);
		struct accel_op ops[3], batch, one;
		struct dif_ref_result r;
		struct dif_ref_job j;
		struct accel_batch *ib;
		uint8_t *out2 = got + 2 * pn;

		dif_ref_protect(prot, data, NBLK, d.flags, d.src_flags, &d.src);
		j = job_of(DSA_OP_DIF_INS, &d, data, dn);
		dif_ref_run(&j, want, &r);
		/* async */
		accel_prep_dif_insert(&one, got, data, dn, &d, 0);
		cr_assert_eq(accel_submit(c, &one), 0);
		cr_assert_eq(accel_wait(c, &one, ACCEL_WAIT_PAUSE), 0);
		cr_assert(!memcmp(got, want, r.out_len), "%s async",
			  tb_name(b));
		accel_prep_dif_check(&one, prot, pn, &d, 0);
		cr_assert_eq(accel_submit(c, &one), 0);
		cr_assert_eq(accel_wait(c, &one, ACCEL_WAIT_PAUSE), 0);
		/* batch from a list: check, insert, strip */
		memset(got, 0, pn);
		accel_prep_dif_check(&ops[0], prot, pn, &d, 0);
		accel_prep_dif_insert(&ops[1], got, data, dn, &d, 0);
		accel_prep_dif_strip(&ops[2], out2, prot, pn, &d, 0);
		cr_assert_eq(accel_submit_batch(c, &batch, ops, 3), 0);
		cr_assert_eq(accel_wait(c, &batch, ACCEL_WAIT_PAUSE), 0,
			     "%s batch", tb_name(b));
		cr_assert(!memcmp(got, want, r.out_len), "%s batch insert",
			  tb_name(b));
		cr_assert(!memcmp(out2, data, dn), "%s batch strip", tb_name(b));
		/* in place, with a failing member */
		cr_assert_eq(accel_batch_create(c, 4, &ib), 0);
		accel_prep_dif_update(&one, got, prot, pn, &d, 0);
		cr_assert_eq(accel_batch_add(ib, &one), 0);
		memcpy(out2, prot, pn);
		out2[3 * (bs + 8)] ^= 0x80; /* block 3's data: guard fails */
		accel_prep_dif_check(&one, out2, pn, &d, 0);
		cr_assert_eq(accel_batch_add(ib, &one), 1);
		cr_assert_eq(accel_batch_submit(c, ib), 0);
		cr_assert_eq(accel_batch_wait(c, ib, ACCEL_WAIT_PAUSE), -EIO);
		cr_assert_eq(accel_batch_record(ib, 0)->status, DSA_COMP_SUCCESS);
		cr_assert_eq(accel_batch_record(ib, 1)->status, DSA_COMP_DIF_ERR);
		cr_assert_eq(accel_batch_record(ib, 1)->result, DSA_DIF_RES_GUARD);
		cr_assert_eq(accel_batch_record(ib, 1)->bytes_completed,
			     3 * (bs + 8));
		accel_batch_destroy(ib);
		accel_close(c);
	}
}

/*
 * Pages not yet touched under source and destination: the library takes
 * each fault, brings the page in and resumes from the record's tags,
 * and the result is the reference's, for every operation; a DIF error
 * after a resumption reports its offset from the op's start.
 */
Test(dif_api, fault_recovery_resumes_from_the_record)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = open_b(b);
		struct accel_info info;
		static const uint8_t ops[5] = { DSA_OP_DIF_CHECK, DSA_OP_DIF_INS,
						DSA_OP_DIF_STRP, DSA_OP_DIF_UPDT,
						DSA_OP_DIX_GEN };

		cr_assert_eq(accel_get_info(c, &info), 0);
		for (unsigned o = 0; o < 5; o++) {
			uint8_t op = ops[o];
			struct accel_dif d = some_dif(DSA_DIF_BLK_520);
			uint32_t n = op == DSA_OP_DIF_INS || op == DSA_OP_DIX_GEN ?
					     NBLK * 520 :
					     NBLK * 528;
			uint8_t *s = tb_pages(8), *t = tb_pages(8);
			const uint8_t *in = op == DSA_OP_DIF_INS ||
							    op == DSA_OP_DIX_GEN ?
						    data :
						    prot;
			struct dif_ref_result r;
			struct dif_ref_job j;
			struct accel_op a;
			int rc;

			if (!(info.op_cap & DSA_OPCAP(op))) {
				tb_pages_free(s, 8);
				tb_pages_free(t, 8);
				continue;
			}
			dif_ref_protect(prot, data, NBLK, d.flags, d.src_flags,
					&d.src);
			/* The source written (present), the destination's
			 * pages not yet touched: write faults mid-block. */
			memcpy(s, in, n);
			/* The first fault inside a block: page 1 of the
			 * destination (DIX: its 6th PI straddles page 2). */
			tb_touch(t, op == DSA_OP_DIX_GEN ? 2 * PG : PG);
			j = job_of(op, &d, in, n);
			dif_ref_run(&j, want, &r);
			switch (op) {
			case DSA_OP_DIF_CHECK:
				accel_prep_dif_check(&a, s, n, &d, 0);
				break;
			case DSA_OP_DIF_INS:
				accel_prep_dif_insert(&a, t, s, n, &d, 0);
				break;
			case DSA_OP_DIF_STRP:
				accel_prep_dif_strip(&a, t, s, n, &d, 0);
				break;
			case DSA_OP_DIF_UPDT:
				accel_prep_dif_update(&a, t, s, n, &d, 0);
				break;
			default:
				accel_prep_dix_generate(&a, t + 2 * PG - 44, s,
							n, &d, 0);
				break;
			}
			cr_assert_eq(accel_submit(c, &a), 0);
			rc = accel_wait(c, &a, ACCEL_WAIT_PAUSE);
			cr_assert_eq(rc, 0, "%s op %#x: %s", tb_name(b), op,
				     accel_strerror(rc));
			if (op != DSA_OP_DIF_CHECK)
				cr_assert_gt(a.retries, 0,
					     "%s op %#x: no fault taken",
					     tb_name(b), op);
			cr_assert(!memcmp(op == DSA_OP_DIX_GEN ? t + 2 * PG - 44 :
								 t,
					  want, r.out_len),
				  "%s op %#x: bytes", tb_name(b), op);
			tb_pages_free(s, 8);
			tb_pages_free(t, 8);
		}
		/* An error past a resumption: strip into untouched pages,
		 * block 20's app tag wrong; the offset counts from the op's
		 * start, not from the last resubmission's. */
		{
			struct accel_dif d = some_dif(DSA_DIF_BLK_520);
			uint8_t *t = tb_pages(8);
			struct accel_op a;

			dif_ref_protect(prot, data, NBLK, d.flags, d.src_flags,
					&d.src);
			prot[20 * 528 + 520 + 2] ^= 1;
			/* First fault at page 1, inside block 7. */
			tb_touch(t, PG);
			accel_prep_dif_strip(&a, t, prot, NBLK * 528, &d, 0);
			cr_assert_eq(accel_submit(c, &a), 0);
			cr_assert_eq(accel_wait(c, &a, ACCEL_WAIT_PAUSE),
				     -EBADMSG);
			cr_assert_geq(a.retries, 1, "%s: %u resumptions",
				      tb_name(b), a.retries);
			cr_assert_eq(a.comp.result, DSA_DIF_RES_APP_TAG);
			cr_assert_eq(a.comp.bytes_completed, 20 * 528,
				     "%s: offset %u", tb_name(b),
				     a.comp.bytes_completed);
			cr_assert_eq(a.comp.dif.src.ref_tag, d.src.ref_tag + 20);
			cr_assert(!memcmp(t, data, 20 * 520));
			tb_pages_free(t, 8);
		}
		accel_close(c);
	}
}
