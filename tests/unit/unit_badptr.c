// SPDX-License-Identifier: MIT
/*
 * A bad buffer pointer (NULL, or an address with no mapping) is -EFAULT from
 * every call, on every path: the calling CPU (small work), the device, and
 * a copy split between both; and the process goes on.  Each call is tried
 * at a size below the CPU threshold and at 1 MiB, on contexts that let the
 * CPU path and the split happen, that never split, and that always use the
 * device.  The inline forms of accel_memcpy()/accel_memmove() in accel.h
 * are memcpy/memmove themselves below the threshold (docs/api.md): the
 * library functions, called as (accel_memcpy)(...), are tested here.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "tcommon.h"

#define BIG (1u << 20)
#define SMALL 256u
#define DELTA_N 4096u /* delta records: at most 512 KiB, here one page */

enum bad_kind { BAD_NULL, BAD_UNMAPPED, BAD_HEAD, BAD_TAIL, BAD_KINDS };
static const char *const kind_name[] = { "NULL", "unmapped", "first page unmapped",
					 "last page unmapped" };

/* The paths a context lets a call take. */
static const unsigned path_flags[] = { 0, ACCEL_OPT_NO_SPLIT,
				       ACCEL_OPT_NO_CPU_PATH |
					       ACCEL_OPT_NO_SPLIT };
#define NPATHS (sizeof(path_flags) / sizeof(path_flags[0]))

static uint8_t *good_a, *good_b, *good_c;

static void bufs_init(void)
{
	good_a = tb_pages(BIG / 4096 + 1);
	good_b = tb_pages(BIG / 4096 + 1);
	good_c = tb_pages(BIG / 4096 + 1);
	memset(good_a, 0x5a, BIG);
	memset(good_b, 0x5a, BIG);
	memset(good_c, 0, BIG);
}

/* n bytes that cannot all be accessed; page aligned like the good ones. */
static void *bad_buf(enum bad_kind k, size_t n)
{
	size_t pages = (n + 4095) / 4096;
	uint8_t *p;

	switch (k) {
	case BAD_NULL:
		return NULL;
	case BAD_UNMAPPED:
		return tb_unmapped(pages);
	case BAD_HEAD:
	case BAD_TAIL:
		/* In tb_unmapped()'s far range, where no other mapping can
		 * move into the hole (the next mmap near ordinary mappings
		 * could: ASan's allocator, a queue's ring). */
		p = tb_unmapped(pages);
		if (pages > 1) {
			uint8_t *m = k == BAD_HEAD ? p + 4096 : p;
			void *r = mmap(m, (pages - 1) * 4096,
				       PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS |
					       MAP_FIXED_NOREPLACE,
				       -1, 0);

			cr_assert_eq(r, (void *)m, "map all but one page");
			memset(m, 0x5a, (pages - 1) * 4096);
		}
		return p;
	default:
		return NULL;
	}
}

#define EXPECT_EFAULT(expr, what)                                              \
	do {                                                                   \
		int rc_ = (expr);                                              \
		cr_expect_eq(rc_, -EFAULT,                                     \
			     "%s, %s, %s, n=%zu, flags %#x: %d (%s)", tb_name(b), \
			     what, kind_name[k], n, path_flags[p], rc_,        \
			     accel_strerror(rc_));                             \
	} while (0)

static struct accel_ctx *open_path(int b, unsigned p)
{
	struct accel_opts o = { .numa_node = -1, .flags = path_flags[p] };

	return tb_open_opts(b, &o);
}

Test(badptr, copies_and_moves_on_every_path, .init = bufs_init)
{
	for (int b = 0; b < tb_count(); b++)
		for (unsigned p = 0; p < NPATHS; p++)
			for (int k = 0; k < BAD_KINDS; k++)
				for (size_t n = SMALL; n <= BIG; n += BIG - SMALL) {
					struct accel_ctx *c = open_path(b, p);
					void *bad = bad_buf(k, n);

					EXPECT_EFAULT((accel_memcpy)(c, bad, good_a, n),
						      "memcpy dst");
					EXPECT_EFAULT((accel_memcpy)(c, good_c, bad, n),
						      "memcpy src");
					EXPECT_EFAULT((accel_memmove)(c, bad, good_a, n),
						      "memmove dst");
					EXPECT_EFAULT((accel_memmove)(c, good_c, bad, n),
						      "memmove src");
					if (n >= BIG) /* the inline form calls the library */
						EXPECT_EFAULT(accel_memcpy(c, bad, good_a, n),
							      "inline memcpy dst");
					accel_close(c);
				}
}

Test(badptr, fill_compare_crc_dualcast_flush_on_every_path, .init = bufs_init)
{
	static const uint64_t pat16[2] = { 1, 2 };

	for (int b = 0; b < tb_count(); b++)
		for (unsigned p = 0; p < NPATHS; p++)
			for (int k = 0; k < BAD_KINDS; k++)
				for (size_t n = SMALL; n <= BIG; n += BIG - SMALL) {
					struct accel_ctx *c = open_path(b, p);
					uint8_t *bad = bad_buf(k, n);
					size_t at;
					uint32_t crc;

					EXPECT_EFAULT(accel_compare(c, bad, good_b, n, &at),
						      "compare a");
					EXPECT_EFAULT(accel_compare(c, good_a, bad, n, &at),
						      "compare b");
					EXPECT_EFAULT(accel_compare_pattern(c, bad, 0x5a5a5a5a5a5a5a5aull,
									    n, &at),
						      "compare_pattern");
					EXPECT_EFAULT(accel_crc32c(c, bad, n, 0, &crc), "crc32c");
					/* Writes after the reads: a compare ends at
					 * a difference, before the bad page. */
					EXPECT_EFAULT(accel_fill(c, bad, 7, n), "fill");
					EXPECT_EFAULT(accel_fill16(c, bad, pat16, n),
						      "fill16");
					EXPECT_EFAULT(accel_copy_crc32c(c, bad, good_a, n, 0, &crc),
						      "copy_crc32c dst");
					EXPECT_EFAULT(accel_copy_crc32c(c, good_c, bad, n, 0, &crc),
						      "copy_crc32c src");
					EXPECT_EFAULT(accel_dualcast(c, bad, good_c, good_a, n),
						      "dualcast dst1");
					EXPECT_EFAULT(accel_dualcast(c, good_c, bad, good_a, n),
						      "dualcast dst2");
					EXPECT_EFAULT(accel_dualcast(c, good_b, good_c, bad, n),
						      "dualcast src");
					EXPECT_EFAULT(accel_cache_flush(c, bad, n), "cache_flush");
					accel_close(c);
				}
}

/* Results the library stores for the caller, and a pattern it reads. */
Test(badptr, result_and_pattern_pointers, .init = bufs_init)
{
	for (int b = 0; b < tb_count(); b++)
		for (unsigned p = 0; p < NPATHS; p++)
			for (size_t n = SMALL; n <= BIG; n += BIG - SMALL) {
				struct accel_ctx *c = open_path(b, p);
				int k = BAD_UNMAPPED;
				void *bad = tb_unmapped(1);
				size_t rs;

				EXPECT_EFAULT(accel_fill16(c, good_c, bad, n),
					      "fill16 pattern");
				EXPECT_EFAULT(accel_compare(c, good_a, good_b, n, bad),
					      "compare differ_at");
				EXPECT_EFAULT(accel_compare_pattern(c, good_a, 0, n, bad),
					      "compare_pattern differ_at");
				EXPECT_EFAULT(accel_crc32c(c, good_a, n, 0, bad),
					      "crc32c result");
				EXPECT_EFAULT(accel_copy_crc32c(c, good_c, good_a, n, 0, bad),
					      "copy_crc32c result");
				good_b[8] ^= 1;
				EXPECT_EFAULT(accel_delta_create(c, good_a, good_b, DELTA_N,
								 good_c, 4000, bad),
					      "delta_create rec_size");
				good_b[8] ^= 1;
				cr_expect_eq(accel_delta_create(c, good_a, good_b, DELTA_N,
								good_c, 4000, &rs),
					     0, "equal buffers, after all that");
				accel_close(c);
			}
}

Test(badptr, delta_records, .init = bufs_init)
{
	for (int b = 0; b < tb_count(); b++)
		for (unsigned p = 0; p < NPATHS; p++)
			for (int k = 0; k < BAD_KINDS; k++) {
				struct accel_ctx *c = open_path(b, p);
				size_t n = DELTA_N, rs;
				uint8_t *bad = bad_buf(k, n);
				uint64_t rec[10]; /* 80 bytes, 8-byte aligned */

				EXPECT_EFAULT(accel_delta_create(c, bad, good_b, n, rec,
								 sizeof(rec), &rs),
					      "delta_create old");
				EXPECT_EFAULT(accel_delta_create(c, good_a, bad, n, rec,
								 sizeof(rec), &rs),
					      "delta_create new");
				good_b[16] ^= 1;
				EXPECT_EFAULT(accel_delta_create(c, good_a, good_b, n,
								 bad, 80, &rs),
					      "delta_create record");
				cr_assert_eq(accel_delta_create(c, good_a, good_b, n, rec,
								sizeof(rec), &rs),
					     1);
				good_b[16] ^= 1;
				EXPECT_EFAULT(accel_delta_apply(c, bad, rec, rs, n),
					      "delta_apply dst");
				EXPECT_EFAULT(accel_delta_apply(c, good_c, bad, rs, n),
					      "delta_apply record");
				accel_close(c);
			}
}

/* Submitted asynchronously: accepted, then -EFAULT from the wait. */
static int async_run(struct accel_ctx *c, struct accel_op *op)
{
	int rc;

	while ((rc = accel_submit(c, op)) == -EAGAIN)
		;
	if (rc)
		return rc;
	return accel_wait(c, op, ACCEL_WAIT_PAUSE);
}

Test(badptr, asynchronous_ops_and_batches, .init = bufs_init)
{
	for (int b = 0; b < tb_count(); b++)
		for (int k = 0; k < BAD_KINDS; k++) {
			struct accel_ctx *c = tb_open(b);
			unsigned p = 0;
			size_t n = 8192;
			uint8_t *bad = bad_buf(k, n);
			struct accel_op op, m[4], bt;
			struct accel_batch *ib;
			const struct dsa_comp *r;

			/* Reads first, while the readable part of bad still
			 * equals good_a (a difference would end a compare). */
			accel_prep_compare(&op, good_a, bad, n, 0);
			EXPECT_EFAULT(async_run(c, &op), "async compare");
			accel_prep_compare_pattern(&op, bad, 0x5a5a5a5a5a5a5a5aull, n, 0);
			EXPECT_EFAULT(async_run(c, &op), "async compare_pattern");
			accel_prep_memmove(&op, bad, good_a, n, 0);
			EXPECT_EFAULT(async_run(c, &op), "async memmove dst");
			accel_prep_memmove(&op, good_c, bad, n, 0);
			EXPECT_EFAULT(async_run(c, &op), "async memmove src");
			accel_prep_fill(&op, bad, 1, n, 0);
			EXPECT_EFAULT(async_run(c, &op), "async fill");
			accel_prep_fill16(&op, bad, good_a, n, 0);
			EXPECT_EFAULT(async_run(c, &op), "async fill16");
			accel_prep_crc32c(&op, bad, n, 0, 0);
			EXPECT_EFAULT(async_run(c, &op), "async crc32c");
			accel_prep_copy_crc32c(&op, bad, good_a, n, 0, 0);
			EXPECT_EFAULT(async_run(c, &op), "async copy_crc32c");
			accel_prep_dualcast(&op, good_c, bad, good_a, n, 0);
			EXPECT_EFAULT(async_run(c, &op), "async dualcast");
			accel_prep_cache_flush(&op, bad, n, 0);
			EXPECT_EFAULT(async_run(c, &op), "async cache_flush");

			/* A batch: the bad member fails alone, the batch says
			 * one failed. */
			for (int i = 0; i < 4; i++)
				accel_prep_memmove(&m[i], good_c + i * n,
						   i == 2 ? (const void *)bad :
							    good_a + i * n,
						   n, 0);
			cr_assert_eq(accel_submit_batch(c, &bt, m, 4), 0);
			cr_expect_eq(accel_wait(c, &bt, ACCEL_WAIT_PAUSE), -EIO);
			EXPECT_EFAULT(accel_poll(c, &m[2]), "batch member");
			cr_expect_eq(accel_poll(c, &m[1]), 0);

			cr_assert_eq(accel_batch_create(c, 4, &ib), 0);
			for (int i = 0; i < 4; i++) {
				accel_prep_fill(&op, i == 1 ? (void *)bad :
							     good_c + i * n,
						3, n, 0);
				cr_assert_eq(accel_batch_add(ib, &op), i);
			}
			cr_assert_eq(accel_batch_submit(c, ib), 0);
			cr_expect_eq(accel_batch_wait(c, ib, ACCEL_WAIT_PAUSE), -EIO);
			r = accel_batch_record(ib, 1);
			cr_expect(r && r->status != DSA_COMP_SUCCESS,
				  "the bad member's record shows its failure");
			cr_expect_eq(accel_batch_record(ib, 0)->status,
				     DSA_COMP_SUCCESS);
			/* An unreadable fill16 pattern: refused at submit. */
			accel_prep_fill16(&op, good_c, bad, n, 0);
			if (k != BAD_TAIL) /* a tail page is past the pattern */
				EXPECT_EFAULT(accel_batch_add(ib, &op),
					      "batch_add fill16 pattern");
			accel_batch_destroy(ib);
			(void)p;
			accel_close(c);
		}
}
