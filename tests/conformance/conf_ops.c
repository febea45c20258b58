// SPDX-License-Identifier: MIT
/*
 * Every operation against a plain C reference, on random sizes and
 * alignments, on every backend under test.  Asynchronous calls are used so
 * that the device path runs whatever the size.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tcommon.h"

#define ARENA (4u << 20)
#define ITERS 60

static uint8_t *arena_a, *arena_b, *arena_c, *shadow;

static void setup(void)
{
	arena_a = aligned_alloc(4096, ARENA);
	arena_b = aligned_alloc(4096, ARENA);
	arena_c = aligned_alloc(4096, ARENA);
	shadow = aligned_alloc(4096, ARENA);
	cr_assert(arena_a && arena_b && arena_c && shadow);
	tb_seed(0x5eed);
}

static void teardown(void)
{
	free(arena_a);
	free(arena_b);
	free(arena_c);
	free(shadow);
}

TestSuite(ops, .init = setup, .fini = teardown);

/* Random size and offset: 0-offset, odd sizes, page crossings. */
static void pick(size_t *off, size_t *n, size_t max)
{
	*n = tb_rand_size(max);
	switch (tb_rand() % 4) {
	case 0:
		*off = 0;
		break;
	case 1:
		*off = 4096 - (tb_rand() % 64) - 1; /* straddles a page */
		break;
	default:
		*off = tb_rand() % 8192;
	}
}

static void run(struct accel_ctx *c, struct accel_op *op, const char *what)
{
	int rc = accel_submit(c, op);

	cr_assert_eq(rc, 0, "%s: %s submit: %s", accel_backend_name(c), what,
		     accel_strerror(rc));
	rc = accel_wait(c, op, ACCEL_WAIT_PAUSE);
	cr_assert_eq(rc, 0, "%s: %s: %s (status %#x: %s)",
		     accel_backend_name(c), what, accel_strerror(rc),
		     op->final_status, accel_status_str(op->final_status));
}

Test(ops, memmove_random)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = tb_open(b);

		for (int i = 0; i < ITERS; i++) {
			size_t so, dof, n;
			struct accel_op op;

			pick(&so, &n, (i % 10 == 9) ? (1u << 20) : 65536);
			dof = tb_rand() % 8192;
			tb_fill_random(arena_a + so, n);
			memset(arena_b, 0xee, dof + n + 64);
			accel_prep_memmove(&op, arena_b + dof, arena_a + so, n, 0);
			run(c, &op, "memmove");
			cr_assert(!memcmp(arena_b + dof, arena_a + so, n),
				  "%s: memmove n=%zu so=%zu do=%zu differs",
				  tb_name(b), n, so, dof);
			cr_assert_eq(arena_b[dof + n], 0xee,
				     "%s: memmove wrote past the end",
				     tb_name(b));
			cr_assert_eq(op.comp.result, 0);
		}
		accel_close(c);
	}
}

Test(ops, memmove_overlap_both_directions)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = tb_open(b);

		for (int i = 0; i < ITERS; i++) {
			size_t n = tb_rand_size(200000);
			size_t dist = 1 + tb_rand() % (n + 1);
			bool up = tb_rand() & 1;
			uint8_t *base = arena_a + 1024;
			uint8_t *src = up ? base : base + dist;
			uint8_t *dst = up ? base + dist : base;
			struct accel_op op;

			tb_fill_random(arena_a, n + dist + 2048);
			memcpy(shadow, arena_a, n + dist + 2048);
			memmove(shadow + (dst - arena_a), shadow + (src - arena_a),
				n);
			accel_prep_memmove(&op, dst, src, n, 0);
			run(c, &op, "overlapping memmove");
			cr_assert(!memcmp(arena_a, shadow, n + dist + 2048),
				  "%s: overlapping memmove %s n=%zu dist=%zu",
				  tb_name(b), up ? "up" : "down", n, dist);
			/* Only a move up over its own source runs backwards. */
			cr_assert_eq(op.comp.result & DSA_RESULT_MEMMOVE_DESCENDING,
				     (up && dist < n) ?
					     DSA_RESULT_MEMMOVE_DESCENDING :
					     0,
				     "%s: direction bit up=%d dist=%zu n=%zu",
				     tb_name(b), up, dist, n);
		}
		accel_close(c);
	}
}

static void ref_fill(uint8_t *d, const uint8_t *pat, unsigned plen, size_t n)
{
	for (size_t i = 0; i < n; i++)
		d[i] = pat[i % plen];
}

Test(ops, fill_8_and_16_byte_patterns)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = tb_open(b);

		for (int i = 0; i < ITERS; i++) {
			size_t off, n;
			uint8_t pat[16];
			struct accel_op op;
			bool wide = i & 1;

			pick(&off, &n, 100000);
			tb_fill_random(pat, sizeof(pat));
			memset(arena_b, 0x11, off + n + 64);
			if (wide) {
				accel_prep_fill16(&op, arena_b + off, pat, n, 0);
			} else {
				uint64_t p;

				memcpy(&p, pat, 8);
				accel_prep_fill(&op, arena_b + off, p, n, 0);
			}
			run(c, &op, "fill");
			ref_fill(shadow, pat, wide ? 16 : 8, n);
			cr_assert(!memcmp(arena_b + off, shadow, n),
				  "%s: fill%d n=%zu off=%zu", tb_name(b),
				  wide ? 16 : 8, n, off);
			cr_assert_eq(arena_b[off + n], 0x11,
				     "%s: fill wrote past the end", tb_name(b));
		}
		accel_close(c);
	}
}

Test(ops, compare_finds_first_difference)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = tb_open(b);

		for (int i = 0; i < ITERS; i++) {
			size_t off, n, at;
			struct accel_op op;
			bool differ = i % 3;

			pick(&off, &n, 100000);
			tb_fill_random(arena_a + off, n);
			memcpy(arena_b + off, arena_a + off, n);
			at = tb_rand() % n;
			if (differ)
				arena_b[off + at] ^= 1u << (tb_rand() % 8);
			accel_prep_compare(&op, arena_a + off, arena_b + off, n,
					   0);
			run(c, &op, "compare");
			cr_assert_eq(op.comp.result, differ ? 1 : 0,
				     "%s: compare result n=%zu", tb_name(b), n);
			if (differ)
				cr_assert_eq(op.comp.bytes_completed, at,
					     "%s: first difference at %zu, "
					     "record says %u",
					     tb_name(b), at,
					     op.comp.bytes_completed);
		}
		accel_close(c);
	}
}

Test(ops, compare_pattern)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = tb_open(b);

		for (int i = 0; i < ITERS; i++) {
			size_t off, n, at;
			uint64_t pat = tb_rand();
			struct accel_op op;
			bool differ = i % 2;

			pick(&off, &n, 50000);
			ref_fill(arena_a + off, (uint8_t *)&pat, 8, n);
			at = tb_rand() % n;
			if (differ)
				arena_a[off + at] ^= 0x80;
			accel_prep_compare_pattern(&op, arena_a + off, pat, n, 0);
			run(c, &op, "compare pattern");
			cr_assert_eq(op.comp.result, differ ? 1 : 0,
				     "%s: compval result", tb_name(b));
			/* The 8-byte unit that differs; the exact byte only
			 * in a short last unit (model_ops_compare.c). */
			if (differ && at < (n & ~(size_t)7))
				at &= ~(size_t)7;
			if (differ)
				cr_assert_eq(op.comp.bytes_completed, at,
					     "%s: compval difference in the unit "
					     "at %zu, record says %u (n=%zu)",
					     tb_name(b), at,
					     op.comp.bytes_completed, n);
		}
		accel_close(c);
	}
}

Test(ops, crc32c_check_value_and_chaining)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = tb_open(b);
		struct accel_op op;

		accel_prep_crc32c(&op, "123456789", 9, 0, 0);
		run(c, &op, "crcgen");
		cr_assert_eq(op.comp.crc_val, DSA_CRC32C_CHECK,
			     "%s: crc(\"123456789\") = %#x", tb_name(b),
			     op.comp.crc_val);
		for (int i = 0; i < ITERS; i++) {
			size_t off, n, cut;
			uint32_t seed = (uint32_t)tb_rand(), first;

			pick(&off, &n, 100000);
			tb_fill_random(arena_a + off, n);
			accel_prep_crc32c(&op, arena_a + off, n, seed, 0);
			run(c, &op, "crcgen");
			cr_assert_eq(op.comp.crc_val,
				     ref_crc32c(seed, arena_a + off, n),
				     "%s: crc n=%zu", tb_name(b), n);
			if (n < 2)
				continue;
			cut = 1 + tb_rand() % (n - 1);
			accel_prep_crc32c(&op, arena_a + off, cut, seed, 0);
			run(c, &op, "crcgen part 1");
			first = op.comp.crc_val;
			accel_prep_crc32c(&op, arena_a + off + cut, n - cut, first,
					  0);
			run(c, &op, "crcgen part 2");
			cr_assert_eq(op.comp.crc_val,
				     ref_crc32c(seed, arena_a + off, n),
				     "%s: chained crc differs (cut %zu of %zu)",
				     tb_name(b), cut, n);
		}
		accel_close(c);
	}
}

Test(ops, copy_crc)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = tb_open(b);

		for (int i = 0; i < ITERS; i++) {
			size_t off, n;
			uint32_t seed = (uint32_t)tb_rand();
			struct accel_op op;

			pick(&off, &n, 100000);
			tb_fill_random(arena_a + off, n);
			accel_prep_copy_crc32c(&op, arena_b + off, arena_a + off,
					       n, seed, 0);
			run(c, &op, "copy_crc");
			cr_assert(!memcmp(arena_b + off, arena_a + off, n),
				  "%s: copy_crc data", tb_name(b));
			cr_assert_eq(op.comp.crc_val,
				     ref_crc32c(seed, arena_a + off, n),
				     "%s: copy_crc value", tb_name(b));
		}
		accel_close(c);
	}
}

Test(ops, dualcast)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = tb_open(b);

		for (int i = 0; i < ITERS; i++) {
			size_t off, n;
			struct accel_op op;

			pick(&off, &n, 100000);
			off &= 4095; /* both destinations share bits 11:0 */
			tb_fill_random(arena_a + off, n);
			accel_prep_dualcast(&op, arena_b + off,
					    arena_c + 8192 + off, arena_a + off,
					    n, 0);
			run(c, &op, "dualcast");
			cr_assert(!memcmp(arena_b + off, arena_a + off, n) &&
					  !memcmp(arena_c + 8192 + off,
						  arena_a + off, n),
				  "%s: dualcast n=%zu", tb_name(b), n);
		}
		accel_close(c);
	}
}

Test(ops, delta_create_and_apply_roundtrip)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = tb_open(b);

		for (int i = 0; i < 30; i++) {
			size_t n = 8 * (1 + tb_rand() % 8192), rec_size = 0;
			unsigned changes = tb_rand() % 40;
			int rc;

			tb_fill_random(arena_a, n);
			memcpy(arena_b, arena_a, n);
			for (unsigned k = 0; k < changes; k++)
				arena_b[tb_rand() % n] ^= 0x5a;
			rc = accel_delta_create(c, arena_a, arena_b, n, arena_c,
						65536 * 10, &rec_size);
			cr_assert(rc == 0 || rc == 1, "%s: delta_create: %s",
				  tb_name(b), accel_strerror(rc));
			cr_assert_eq(rc, memcmp(arena_a, arena_b, n) != 0,
				     "%s: delta_create said %d", tb_name(b), rc);
			cr_assert_eq(rec_size % 10, 0);
			if (rc == 0)
				continue;
			rc = accel_delta_apply(c, arena_a, arena_c, rec_size, n);
			cr_assert_eq(rc, 0, "%s: delta_apply: %s", tb_name(b),
				     accel_strerror(rc));
			cr_assert(!memcmp(arena_a, arena_b, n),
				  "%s: applying the delta did not reproduce the "
				  "new buffer (n=%zu)",
				  tb_name(b), n);
		}
		accel_close(c);
	}
}

Test(ops, delta_record_overflow)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = tb_open(b);
		size_t rec_size = 0;
		int rc;

		memset(arena_a, 0, 4096);
		memset(arena_b, 0xff, 4096); /* 512 differing granules */
		rc = accel_delta_create(c, arena_a, arena_b, 4096, arena_c, 80,
					&rec_size);
		cr_assert_eq(rc, -ENOSPC, "%s: overflow gave %d", tb_name(b),
			     rc);
		cr_assert_leq(rec_size, 80);
		accel_close(c);
	}
}

Test(ops, cache_flush_noop_drain)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = tb_open(b);

		tb_fill_random(arena_a, 100000);
		memcpy(shadow, arena_a, 100000);
		cr_assert_eq(accel_cache_flush(c, arena_a + 3, 99997), 0);
		cr_assert(!memcmp(shadow, arena_a, 100000),
			  "%s: cache flush changed data", tb_name(b));
		cr_assert_eq(accel_noop(c), 0, "%s: noop", tb_name(b));
		cr_assert_eq(accel_drain(c), 0, "%s: drain", tb_name(b));
		accel_close(c);
	}
}

Test(ops, synchronous_calls_every_path)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = tb_open(b);
		size_t sizes[] = { 1, 63, 4097, 300000, 3u << 20 };

		for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			size_t n = sizes[i], at = 0;
			uint32_t crc = 0;

			tb_fill_random(arena_a, n);
			cr_assert_eq(accel_memcpy(c, arena_b, arena_a, n), 0);
			cr_assert(!memcmp(arena_a, arena_b, n),
				  "%s: accel_memcpy n=%zu (path %s)", tb_name(b),
				  n, accel_path_name(accel_last_path(c)));
			cr_assert_eq(accel_compare(c, arena_a, arena_b, n, &at),
				     0);
			cr_assert_eq(at, n);
			cr_assert_eq(accel_crc32c(c, arena_a, n, 7, &crc), 0);
			cr_assert_eq(crc, ref_crc32c(7, arena_a, n),
				     "%s: accel_crc32c n=%zu", tb_name(b), n);
			cr_assert_eq(accel_fill(c, arena_b, 0x0102030405060708ull,
						n),
				     0);
			ref_fill(shadow, (const uint8_t *)"\x08\x07\x06\x05\x04\x03\x02\x01",
				 8, n);
			cr_assert(!memcmp(arena_b, shadow, n),
				  "%s: accel_fill n=%zu", tb_name(b), n);
		}
		accel_close(c);
	}
}
