// SPDX-License-Identifier: MIT
/*
 * Batches: the descriptor list, per-member records, the batch's own status
 * and count when a member fails, and the fence.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tcommon.h"

static void member(struct dsa_desc *d, struct dsa_comp *c, uint8_t op,
		   uint32_t flags, void *src, void *dst, uint32_t n)
{
	tb_desc(d, op, flags | DSA_FLAG_CRAV | DSA_FLAG_RCR, src, dst, n);
	memset(c, 0, sizeof(*c));
	d->completion_addr = (uintptr_t)c;
}

Test(batch, api_batch_of_copies)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = tb_open(b);
		enum { N = 32, SZ = 3000 };
		static uint8_t src[N][SZ], dst[N][SZ];
		struct accel_op *ops = aligned_alloc(64, N * sizeof(*ops));
		struct accel_op bop;
		int rc;

		cr_assert(ops);
		tb_fill_random(src, sizeof(src));
		memset(dst, 0, sizeof(dst));
		for (int i = 0; i < N; i++)
			accel_prep_memmove(&ops[i], dst[i], src[i], SZ, 0);
		rc = accel_submit_batch(c, &bop, ops, N);
		cr_assert_eq(rc, 0, "%s: submit_batch: %s", tb_name(b),
			     accel_strerror(rc));
		rc = accel_wait(c, &bop, ACCEL_WAIT_PAUSE);
		cr_assert_eq(rc, 0, "%s: batch: %s (%s)", tb_name(b),
			     accel_strerror(rc), accel_status_str(bop.final_status));
		cr_assert_eq(bop.comp.bytes_completed, N,
			     "%s: descriptors completed %u", tb_name(b),
			     bop.comp.bytes_completed);
		for (int i = 0; i < N; i++) {
			cr_assert_eq(ops[i].comp.status, DSA_COMP_SUCCESS);
			cr_assert_eq(accel_poll(c, &ops[i]), 0);
		}
		cr_assert(!memcmp(src, dst, sizeof(src)), "%s: batch data",
			  tb_name(b));
		cr_assert_eq(accel_submit_batch(c, &bop, ops, 1), -EINVAL);
		free(ops);
		accel_close(c);
	}
}

/* A member too large for a descriptor refuses the whole batch up front and
 * leaves every member as it was, ready to be used again; the list buffer
 * the library reuses between batches must not carry old members over. */
Test(batch, refused_batch_leaves_members_usable)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = tb_open(b);
		enum { N = 8 };
		static uint8_t src[N][512], dst[N][512];
		struct accel_op *ops = aligned_alloc(64, N * sizeof(*ops));
		struct accel_op bop;
		int rc;

		cr_assert(ops);
		tb_fill_random(src, sizeof(src));
		memset(dst, 0, sizeof(dst));
		for (int i = 0; i < N; i++)
			accel_prep_memmove(&ops[i], dst[i], src[i], 512, 0);
		accel_prep_memmove(&ops[5], dst[5], src[5],
				   (size_t)UINT32_MAX + 2, 0);
		cr_assert_eq(accel_submit_batch(c, &bop, ops, N), -E2BIG);
		for (int i = 0; i < 5; i++) {
			rc = accel_submit(c, &ops[i]);
			cr_assert_eq(rc, 0, "%s: member %d after refusal: %s",
				     tb_name(b), i, accel_strerror(rc));
			cr_assert_eq(accel_wait(c, &ops[i], ACCEL_WAIT_PAUSE), 0);
		}
		accel_prep_memmove(&ops[5], dst[5], src[5], 512, 0);
		for (int i = 0; i < N; i++)
			accel_prep_memmove(&ops[i], dst[i], src[i], 512 - i, 0);
		memset(dst, 0, sizeof(dst));
		cr_assert_eq(accel_submit_batch(c, &bop, ops, 2), 0);
		cr_assert_eq(accel_wait(c, &bop, ACCEL_WAIT_PAUSE), 0);
		cr_assert_eq(accel_submit_batch(c, &bop, ops, N), 0);
		cr_assert_eq(accel_wait(c, &bop, ACCEL_WAIT_PAUSE), 0);
		for (int i = 0; i < N; i++) {
			cr_assert(!memcmp(src[i], dst[i], 512 - i),
				  "%s: member %d", tb_name(b), i);
			if (i)
				cr_assert_eq(dst[i][512 - i], 0,
					     "%s: member %d wrote past its size",
					     tb_name(b), i);
		}
		free(ops);
		accel_close(c);
	}
}

Test(batch, failed_member_fails_the_batch)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = tb_open(b);
		static _Alignas(64) struct dsa_desc list[4];
		static _Alignas(32) struct dsa_comp mc[4];
		static uint8_t s[256], d[4][256];
		_Alignas(32) struct dsa_comp bc;
		struct dsa_desc bd;
		uint8_t st;

		tb_fill_random(s, sizeof(s));
		memset(d, 0, sizeof(d));
		member(&list[0], &mc[0], DSA_OP_MEMMOVE, 0, s, d[0], 256);
		member(&list[1], &mc[1], DSA_OP_MEMMOVE, 0, s, d[1], 0);
		member(&list[2], &mc[2], DSA_OP_MEMMOVE, 0, s, d[2], 256);
		member(&list[3], &mc[3], DSA_OP_MEMMOVE, 0, s, d[3], 256);
		memset(&bd, 0, sizeof(bd));
		bd.op_flags = dsa_op_flags(DSA_OP_BATCH, 0);
		bd.src = (uintptr_t)list;
		bd.size = 4;
		st = tb_run_raw(c, &bd, &bc);
		cr_assert_eq(st, DSA_COMP_BATCH_FAIL, "%s: batch status %#x",
			     tb_name(b), st);
		cr_assert_eq(bc.bytes_completed, 4, "%s: completed %u",
			     tb_name(b), bc.bytes_completed);
		cr_assert_eq(mc[0].status, DSA_COMP_SUCCESS);
		cr_assert_eq(mc[1].status, DSA_COMP_XFER_ERANGE);
		cr_assert_eq(mc[2].status, DSA_COMP_SUCCESS);
		cr_assert(!memcmp(d[3], s, 256));

		/* With a fence on member 2, members 2 and 3 are abandoned. */
		memset(d, 0, sizeof(d));
		member(&list[0], &mc[0], DSA_OP_MEMMOVE, 0, s, d[0], 256);
		member(&list[1], &mc[1], DSA_OP_MEMMOVE, 0, s, d[1], 0);
		member(&list[2], &mc[2], DSA_OP_MEMMOVE, DSA_FLAG_FENCE, s,
		       d[2], 256);
		member(&list[3], &mc[3], DSA_OP_MEMMOVE, 0, s, d[3], 256);
		st = tb_run_raw(c, &bd, &bc);
		cr_assert_eq(st, DSA_COMP_BATCH_FAIL);
		cr_assert_eq(bc.bytes_completed, 2,
			     "%s: fence should stop after 2, completed %u",
			     tb_name(b), bc.bytes_completed);
		cr_assert_eq(mc[2].status, 0, "%s: abandoned member ran",
			     tb_name(b));
		cr_assert_eq(d[2][0] | d[3][0] | d[3][255], 0);
		accel_close(c);
	}
}

Test(batch, nested_batch_and_drain_refused)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = tb_open(b);
		static _Alignas(64) struct dsa_desc list[2];
		static _Alignas(32) struct dsa_comp mc[2];
		_Alignas(32) struct dsa_comp bc;
		struct dsa_desc bd;

		member(&list[0], &mc[0], DSA_OP_BATCH, 0, list, NULL, 2);
		member(&list[1], &mc[1], DSA_OP_DRAIN, 0, NULL, NULL, 0);
		memset(&bd, 0, sizeof(bd));
		bd.op_flags = dsa_op_flags(DSA_OP_BATCH, 0);
		bd.src = (uintptr_t)list;
		bd.size = 2;
		cr_assert_eq(tb_run_raw(c, &bd, &bc), DSA_COMP_BATCH_FAIL);
		cr_assert_eq(mc[0].status, DSA_COMP_BAD_OPCODE,
			     "%s: batch in a batch gave %#x", tb_name(b),
			     mc[0].status);
		cr_assert_eq(mc[1].status, DSA_COMP_BAD_OPCODE);
		accel_close(c);
	}
}

Test(batch, list_fault_is_batch_page_fault)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = tb_open(b);
		struct dsa_desc *list = tb_pages(1); /* never touched */
		_Alignas(32) struct dsa_comp bc;
		struct dsa_desc bd;
		uint8_t st;

		memset(&bd, 0, sizeof(bd));
		bd.op_flags = dsa_op_flags(DSA_OP_BATCH, 0);
		bd.src = (uintptr_t)list;
		bd.size = 2;
		st = tb_run_raw(c, &bd, &bc);
		cr_assert_eq(st, DSA_COMP_BATCH_PAGE_FAULT, "%s: %#x",
			     tb_name(b), st);
		cr_assert_eq(bc.bytes_completed, 0);
		tb_pages_free(list, 1);
		accel_close(c);
	}
}
