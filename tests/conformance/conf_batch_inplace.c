// SPDX-License-Identifier: MIT
/*
 * Batches prepared in place (accel_batch_*): members from one reused op,
 * results in the batch's own records, resubmission, a failing member, and
 * every misuse answered with an errno.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tcommon.h"

enum { N = 24, SZ = 1500 };
static uint8_t src[N][SZ], dst[N][SZ];

/* Members 0..n-1: copies, except every 4th a CRC and every 6th a fill. */
static void add_members(struct accel_batch *bt, unsigned n)
{
	_Alignas(64) struct accel_op t; /* one op serves every member */

	for (unsigned i = 0; i < n; i++) {
		if (i % 4 == 3)
			accel_prep_crc32c(&t, src[i], SZ - i, 7, 0);
		else if (i % 6 == 5)
			accel_prep_fill(&t, dst[i], 0x0102030405060708ull,
					SZ - i, 0);
		else
			accel_prep_memmove(&t, dst[i], src[i], SZ - i, 0);
		cr_assert_eq(accel_batch_add(bt, &t), (int)i);
	}
}

static void check_members(int b, struct accel_batch *bt, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		const struct dsa_comp *r = accel_batch_record(bt, i);

		cr_assert_not_null(r);
		cr_assert_eq(r->status, DSA_COMP_SUCCESS,
			     "%s: member %u status %#x", tb_name(b), i,
			     r->status);
		if (i % 4 == 3) {
			cr_assert_eq(r->crc_val,
				     ref_crc32c(7, src[i], SZ - i),
				     "%s: member %u crc", tb_name(b), i);
		} else if (i % 6 == 5) {
			for (unsigned k = 0; k < SZ - i; k++)
				cr_assert_eq(dst[i][k], 8 - k % 8); /* little-endian */
		} else {
			cr_assert(!memcmp(dst[i], src[i], SZ - i),
				  "%s: member %u data", tb_name(b), i);
			if (i)
				cr_assert_eq(dst[i][SZ - i], 0,
					     "%s: member %u wrote past its size",
					     tb_name(b), i);
		}
	}
}

Test(batch_inplace, members_from_one_op_and_resubmission)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = tb_open(b);
		struct accel_batch *bt;
		int rc;

		cr_assert_eq(accel_batch_create(c, N, &bt), 0);
		tb_fill_random(src, sizeof(src));
		memset(dst, 0, sizeof(dst));
		add_members(bt, N);
		cr_assert_eq(accel_batch_count(bt), N);
		rc = accel_batch_submit(c, bt);
		cr_assert_eq(rc, 0, "%s: submit: %s", tb_name(b),
			     accel_strerror(rc));
		rc = accel_batch_wait(c, bt, ACCEL_WAIT_PAUSE);
		cr_assert_eq(rc, 0, "%s: batch: %s", tb_name(b),
			     accel_strerror(rc));
		cr_assert_eq(accel_batch_record(bt, ACCEL_BATCH_SELF)
				     ->bytes_completed,
			     N, "%s: members completed", tb_name(b));
		check_members(b, bt, N);
		cr_assert_null(accel_batch_record(bt, N));

		/* The same batch again, over new data: records start over. */
		tb_fill_random(src, sizeof(src));
		memset(dst, 0, sizeof(dst));
		cr_assert_eq(accel_batch_submit(c, bt), 0);
		cr_assert_eq(accel_batch_wait(c, bt, ACCEL_WAIT_SPIN), 0);
		check_members(b, bt, N);

		/* After a finished batch, the first add starts a new one. */
		memset(dst, 0, sizeof(dst));
		add_members(bt, 3);
		cr_assert_eq(accel_batch_count(bt), 3);
		cr_assert_eq(accel_batch_submit(c, bt), 0);
		cr_assert_eq(accel_batch_wait(c, bt, ACCEL_WAIT_PAUSE), 0);
		check_members(b, bt, 3);
		cr_assert_eq(dst[3][0] | dst[4][0], 0, "%s: old members ran",
			     tb_name(b));
		accel_batch_destroy(bt);
		accel_close(c);
	}
}

Test(batch_inplace, a_bad_member_fails_the_batch_not_the_process)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = tb_open(b);
		_Alignas(64) struct accel_op t;
		struct accel_batch *bt;
		uint8_t *gone = tb_unmapped(1);
		uint8_t *absent = tb_pages(2);
		const struct dsa_comp *r;

		cr_assert_eq(accel_batch_create(c, 4, &bt), 0);
		tb_fill_random(src, sizeof(src));
		memset(dst, 0, sizeof(dst));
		accel_prep_memmove(&t, dst[0], src[0], SZ, 0);
		cr_assert_eq(accel_batch_add(bt, &t), 0);
		accel_prep_memmove(&t, dst[1], gone, 64, 0);
		cr_assert_eq(accel_batch_add(bt, &t), 1);
		/* Not present but mapped: members block on fault, so the
		 * device brings it in and the member succeeds. */
		accel_prep_memmove(&t, absent, src[2], 8192, 0);
		cr_assert_eq(accel_batch_add(bt, &t), 2);
		cr_assert_eq(accel_batch_submit(c, bt), 0);
		cr_assert_eq(accel_batch_wait(c, bt, ACCEL_WAIT_PAUSE), -EIO,
			     "%s: a failed member is a failed batch",
			     tb_name(b));
		cr_assert_eq(accel_batch_record(bt, ACCEL_BATCH_SELF)->status &
				     DSA_COMP_STATUS_MASK,
			     DSA_COMP_BATCH_FAIL);
		cr_assert_eq(accel_batch_record(bt, 0)->status,
			     DSA_COMP_SUCCESS);
		r = accel_batch_record(bt, 1);
		cr_assert_eq(r->status & DSA_COMP_STATUS_MASK,
			     DSA_COMP_PAGE_FAULT_IR,
			     "%s: unmapped source status %#x", tb_name(b),
			     r->status);
		cr_assert_eq(r->fault_addr, (uintptr_t)gone);
		cr_assert_eq(accel_batch_record(bt, 2)->status,
			     DSA_COMP_SUCCESS);
		cr_assert(!memcmp(absent, src[2], SZ));
		cr_assert(!memcmp(dst[0], src[0], SZ));
		accel_batch_destroy(bt);
		tb_pages_free(absent, 2);
		accel_close(c);
	}
}

/* Records are not cleared between runs: members the device abandoned (a
 * fence after a failure) must read as not run, not as an older success. */
Test(batch_inplace, abandoned_members_read_as_not_run)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = tb_open(b);
		_Alignas(64) struct accel_op t;
		struct accel_batch *bt;

		cr_assert_eq(accel_batch_create(c, 4, &bt), 0);
		tb_fill_random(src, sizeof(src));
		for (int i = 0; i < 4; i++) {
			src[i][0] = 0xaa; /* so that a copy shows */
			accel_prep_memmove(&t, dst[i], src[i], 256, 0);
			cr_assert_eq(accel_batch_add(bt, &t), i);
		}
		cr_assert_eq(accel_batch_submit(c, bt), 0);
		cr_assert_eq(accel_batch_wait(c, bt, ACCEL_WAIT_PAUSE), 0);
		for (int i = 0; i < 4; i++)
			cr_assert_eq(accel_batch_record(bt, i)->status,
				     DSA_COMP_SUCCESS);

		memset(dst, 0, sizeof(dst));
		accel_prep_memmove(&t, dst[0], src[0], 256, 0);
		cr_assert_eq(accel_batch_add(bt, &t), 0);
		accel_prep_memmove(&t, dst[1], src[1], 0, 0); /* size 0 */
		cr_assert_eq(accel_batch_add(bt, &t), 1);
		accel_prep_memmove(&t, dst[2], src[2], 256, DSA_FLAG_FENCE);
		cr_assert_eq(accel_batch_add(bt, &t), 2);
		accel_prep_memmove(&t, dst[3], src[3], 256, 0);
		cr_assert_eq(accel_batch_add(bt, &t), 3);
		cr_assert_eq(accel_batch_submit(c, bt), 0);
		cr_assert_eq(accel_batch_wait(c, bt, ACCEL_WAIT_PAUSE), -EIO);
		cr_assert_eq(accel_batch_record(bt, ACCEL_BATCH_SELF)
				     ->bytes_completed, 2, "%s", tb_name(b));
		cr_assert_eq(accel_batch_record(bt, 0)->status,
			     DSA_COMP_SUCCESS);
		cr_assert_eq(accel_batch_record(bt, 1)->status,
			     DSA_COMP_XFER_ERANGE);
		cr_assert_eq(accel_batch_record(bt, 2)->status, 0,
			     "%s: abandoned member 2 shows an old result",
			     tb_name(b));
		cr_assert_eq(accel_batch_record(bt, 3)->status, 0);
		cr_assert_eq(dst[2][0] | dst[3][0], 0, "%s: abandoned ran",
			     tb_name(b));
		accel_batch_destroy(bt);
		accel_close(c);
	}
}

Test(batch_inplace, misuse_is_an_errno)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = tb_open(b);
		struct accel_batch *bt = (struct accel_batch *)1;
		_Alignas(64) struct accel_op t;
		struct accel_info info;

		cr_assert_eq(accel_get_info(c, &info), 0);
		cr_assert_eq(accel_batch_create(c, 1, &bt), -EINVAL);
		cr_assert_null(bt, "no batch on failure");
		cr_assert_eq(accel_batch_create(c, info.max_batch + 1, &bt),
			     -EINVAL);
		cr_assert_eq(accel_batch_create(NULL, 4, &bt), -EINVAL);
		cr_assert_eq(accel_batch_create(c, 4, NULL), -EINVAL);
		cr_assert_eq(accel_batch_create(c, 2, &bt), 0);

		accel_prep_noop(&t);
		cr_assert_eq(accel_batch_add(NULL, &t), -EINVAL);
		cr_assert_eq(accel_batch_add(bt, NULL), -EINVAL);
		cr_assert_eq(accel_batch_poll(c, bt), -EINVAL,
			     "nothing submitted yet");
		cr_assert_eq(accel_batch_add(bt, &t), 0);
		cr_assert_eq(accel_batch_submit(c, bt), -EINVAL,
			     "one member is not a batch");
		accel_prep_memmove(&t, dst[0], src[0], (size_t)UINT32_MAX + 1,
				   0);
		cr_assert_eq(accel_batch_add(bt, &t), -E2BIG);
		cr_assert_eq(accel_batch_count(bt), 1);
		accel_prep_noop(&t);
		cr_assert_eq(accel_batch_add(bt, &t), 1);
		cr_assert_eq(accel_batch_add(bt, &t), -ENOSPC);
		cr_assert_eq(accel_batch_submit(NULL, bt), -EINVAL);
		cr_assert_eq(accel_batch_submit(c, bt), 0);
		/* In flight until a poll has seen it complete. */
		cr_assert_eq(accel_batch_add(bt, &t), -EBUSY);
		cr_assert_eq(accel_batch_submit(c, bt), -EBUSY);
		cr_assert_eq(accel_batch_wait(c, bt, ACCEL_WAIT_PAUSE), 0);
		cr_assert_eq(accel_batch_poll(c, bt), 0, "done stays done");
		cr_assert_eq(accel_batch_wait(NULL, NULL, ACCEL_WAIT_PAUSE),
			     -EINVAL);
		cr_assert_null(accel_batch_record(NULL, 0));
		cr_assert_eq(accel_batch_count(NULL), 0);
		accel_batch_destroy(NULL);

		/* Destroying a batch in flight waits for it. */
		cr_assert_eq(accel_batch_submit(c, bt), 0);
		accel_batch_destroy(bt);
		accel_close(c);
	}
}
