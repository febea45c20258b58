// SPDX-License-Identifier: MIT
/*
 * write(2) on the driver's queues checks each descriptor as Linux's idxd
 * does (drivers/dma/idxd/cdev.c idxd_submit_user_descriptor): BATCH
 * refused on DSA 1.0, the completion record 32-byte aligned, the PASID the
 * opener's whatever the descriptor carries; a refusal part-way returns the
 * bytes before it.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "hwg.h"

static const char *const all_queues[] = { "HW_V1_SWQ", "HW_V2_DWQ", "HW_V2_SWQ" };

/* A batch of two NOOPs with their own records. */
struct two_noops {
	_Alignas(64) struct dsa_desc list[2];
	_Alignas(32) struct dsa_comp rec[2];
	_Alignas(32) struct dsa_comp comp;
};

static void batch_of_two(struct dsa_desc *d, struct two_noops *b)
{
	for (int i = 0; i < 2; i++)
		kt_desc(&b->list[i], DSA_OP_NOOP, 0, NULL, NULL, 0, &b->rec[i]);
	kt_desc(d, DSA_OP_BATCH, 0, b->list, NULL, 2, &b->comp);
}

Test(hw_write, batch_refused_on_dsa1)
{
	struct two_noops b;
	struct dsa_desc d;
	struct kt_q q;

	hwg_open(&q, "HW_V1_SWQ");
	/* And says so, for a library to run batches itself. */
	cr_assert(q.qi.submit & UACCE_DSA_SUBMIT_WRITE_NOBATCH);
	batch_of_two(&d, &b);
	cr_assert_eq(hwg_write(&q, &d, 1), -EINVAL,
		     "BATCH through write(2) on DSA 1.0 must be refused");
	/* Nothing of it ran: a NOOP after it completes, the batch's
	 * records stay clear. */
	kt_desc(&d, DSA_OP_NOOP, 0, NULL, NULL, 0, &b.comp);
	cr_assert_eq(hwg_run(&q, &d, &b.comp), DSA_COMP_SUCCESS);
	cr_assert_eq(b.rec[0].status | b.rec[1].status, 0);
	kt_close(&q);
}

Test(hw_write, batch_runs_on_dsa2)
{
	const char *q2[] = { "HW_V2_DWQ", "HW_V2_SWQ" };

	for (int i = 0; i < 2; i++) {
		struct two_noops b;
		struct dsa_desc d;
		struct kt_q q;

		hwg_open(&q, q2[i]);
		cr_assert(!(q.qi.submit & UACCE_DSA_SUBMIT_WRITE_NOBATCH),
			  "%s", q2[i]);
		batch_of_two(&d, &b);
		cr_assert_eq(hwg_run(&q, &d, &b.comp), DSA_COMP_SUCCESS, "%s",
			     q2[i]);
		cr_assert_eq(b.rec[0].status, DSA_COMP_SUCCESS);
		cr_assert_eq(b.rec[1].status, DSA_COMP_SUCCESS);
		kt_close(&q);
	}
}

Test(hw_write, record_must_be_32_byte_aligned)
{
	static _Alignas(64) struct dsa_comp recs[4];

	for (int i = 0; i < 3; i++) {
		uint8_t *base = (uint8_t *)recs;
		struct dsa_desc d;
		struct kt_q q;

		hwg_open(&q, all_queues[i]);
		for (unsigned off = 8; off < 32; off += 8) {
			memset(recs, 0, sizeof(recs));
			kt_desc(&d, DSA_OP_NOOP, 0, NULL, NULL, 0, recs);
			d.completion_addr = (uintptr_t)(base + off);
			cr_assert_eq(hwg_write(&q, &d, 1), -EINVAL,
				     "%s: record at +%u accepted", all_queues[i],
				     off);
			/* idxd checks the address even without a record. */
			d.op_flags &= ~(DSA_FLAG_CRAV | DSA_FLAG_RCR);
			cr_assert_eq(hwg_write(&q, &d, 1), -EINVAL);
		}
		/* 32 bytes is enough on DSA (64 is IAA's rule). */
		memset(recs, 0, sizeof(recs));
		kt_desc(&d, DSA_OP_NOOP, 0, NULL, NULL, 0, &recs[1]);
		cr_assert_eq(hwg_run(&q, &d, &recs[1]), DSA_COMP_SUCCESS,
			     "%s: record at +32", all_queues[i]);
		kt_close(&q);
	}
}

/* A refused descriptor ends the write: the ones before it went in. */
Test(hw_write, refusal_part_way_returns_what_went_in)
{
	static _Alignas(64) struct dsa_comp recs[2];

	for (int i = 0; i < 3; i++) {
		struct dsa_desc d[2];
		struct kt_q q;

		hwg_open(&q, all_queues[i]);
		kt_desc(&d[0], DSA_OP_NOOP, 0, NULL, NULL, 0, &recs[0]);
		kt_desc(&d[1], DSA_OP_NOOP, 0, NULL, NULL, 0, &recs[1]);
		d[1].completion_addr += 4;
		cr_assert_eq(hwg_write(&q, d, 2), (long)sizeof(d[0]), "%s",
			     all_queues[i]);
		cr_assert_eq(kt_wait(&recs[0], 5000), DSA_COMP_SUCCESS);
		kt_close(&q);
	}
}

/*
 * Whatever PASID and privilege a descriptor claims, it runs in the
 * opener's address space, unprivileged: the work is done and the record
 * written in this process.
 */
Test(hw_write, pasid_is_the_openers)
{
	static _Alignas(64) uint8_t src[256], dst[256];
	const uint32_t claims[] = { 0x80000000u, 0x000fffffu, 0x8000abcdu, 1 };

	for (int i = 0; i < 3; i++) {
		struct kt_q q;

		hwg_open(&q, all_queues[i]);
		for (unsigned c = 0; c < sizeof(claims) / sizeof(claims[0]); c++) {
			_Alignas(32) struct dsa_comp comp;
			struct dsa_desc d;

			memset(src, (int)(c + 1), sizeof(src));
			memset(dst, 0, sizeof(dst));
			kt_desc(&d, DSA_OP_MEMMOVE, 0, src, dst, sizeof(src),
				&comp);
			d.pasid_priv = claims[c];
			cr_assert_eq(hwg_run(&q, &d, &comp), DSA_COMP_SUCCESS,
				     "%s: PASID/priv %#x in the descriptor",
				     all_queues[i], claims[c]);
			cr_assert(!memcmp(src, dst, sizeof(src)));
		}
		kt_close(&q);
	}
}
