// SPDX-License-Identifier: MIT
/*
 * CRC generation and copy with CRC: every combination of the operation's
 * flags (seed from memory, bypass of the CRC inversion and reflection,
 * bypass of the data reflection) on every backend, and the model's two
 * CRC paths (the SSE4.2 crc32 instruction and the table) giving the same
 * bits.  The in-process backends run the user-space model, so forcing the
 * table there reaches both paths; a kernel backend keeps its own choice.
 */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "tcommon.h"

#define PG 4096u
#define INV DSA_FLAG_CRC_BYPASS_INV_REF
#define DATA DSA_FLAG_CRC_BYPASS_DATA_REF

static const uint32_t flag_sets[4] = { 0, INV, DATA, INV | DATA };

static uint32_t rev32(uint32_t x)
{
	uint32_t r = 0;

	for (int i = 0; i < 32; i++, x >>= 1)
		r = r << 1 | (x & 1);
	return r;
}

static uint8_t rev8(uint8_t x)
{
	uint8_t r = 0;

	for (int i = 0; i < 8; i++, x >>= 1)
		r = (uint8_t)(r << 1 | (x & 1));
	return r;
}

/*
 * An independent reference: the device's CRC written MSB-first with the
 * normal polynomial 0x1EDC6F41, the form dsa-perf-micros uses, where the
 * model works LSB-first.  Without bypass the seed and the result are
 * reflected and inverted and every data byte reflected.
 */
static uint32_t ref_crc(uint32_t seed, const uint8_t *p, size_t n,
			uint32_t flags)
{
	bool inv = flags & INV, data = flags & DATA;
	uint32_t c = inv ? seed : ~rev32(seed);

	while (n--) {
		uint8_t in = data ? *p++ : rev8(*p++);

		c ^= (uint32_t)in << 24;
		for (int k = 0; k < 8; k++)
			c = (c << 1) ^ (0x1edc6f41u & (0u - (c >> 31)));
	}
	return inv ? c : ~rev32(c);
}

/* Paths of the user-space model: 0 the instruction (when the CPU has it),
 * 1 the table. */
static int npaths(void)
{
	return model_crc32c_has_insn() ? 2 : 1;
}

static const char *use_path(int p)
{
	bool table = p == 1 || !model_crc32c_has_insn();

	model_crc32c_force_table(table);
	cr_assert_eq(model_crc32c_uses_insn(), !table);
	return table ? "table" : "crc32 instruction";
}

static uint8_t *arena, *arena2;

static void setup(void)
{
	arena = aligned_alloc(PG, 1u << 20);
	arena2 = aligned_alloc(PG, 1u << 20);
	cr_assert(arena && arena2);
	tb_touch(arena, 1u << 20);
	tb_touch(arena2, 1u << 20);
	tb_seed(0xc3c);
}

static void teardown(void)
{
	model_crc32c_force_table(false);
	free(arena);
	free(arena2);
}

TestSuite(crc, .init = setup, .fini = teardown);

static uint32_t run_crc(struct accel_ctx *c, uint8_t op, uint32_t flags,
			const void *src, void *dst, uint32_t n, uint32_t seed)
{
	_Alignas(32) struct dsa_comp comp;
	struct dsa_desc d;
	uint8_t st;

	tb_desc(&d, op, flags, (void *)src, dst, n);
	d.crc.seed = seed;
	st = tb_run_raw(c, &d, &comp);
	cr_assert_eq(st, DSA_COMP_SUCCESS,
		     "opcode %#x flags %#x n=%u: status %#x (%s)", op, flags, n,
		     st, accel_status_str(st));
	return comp.crc_val;
}

/*
 * "123456789" under each combination, for three seeds: values from a
 * third, bit-serial computation of the formulas in model_crc.c (Python,
 * outside this suite).  The first is the documented check value.
 */
Test(crc, known_answers_for_every_flag_combination)
{
	static const uint32_t seeds[3] = { 0, 0xffffffffu, 0x12345678u };
	static const uint32_t want[3][4] = {
		{ 0xe3069283u, 0x045fc71au, 0xa8f022a0u, 0xc052a8c8u },
		{ 0xa71c05dfu, 0x3eb69f38u, 0xeceab5fcu, 0xfabbf0eau },
		{ 0x27d87b6au, 0xa1b203f2u, 0x6c2ecb49u, 0x65bf6c20u },
	};
	static const uint8_t ops[2] = { DSA_OP_CRCGEN, DSA_OP_COPY_CRC };

	cr_assert_eq(want[0][0], DSA_CRC32C_CHECK);
	memcpy(arena, "123456789", 9);
	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = tb_open(b);

		for (int p = 0; p < npaths(); p++) {
			const char *path = use_path(p);

			for (int s = 0; s < 3; s++)
				for (int f = 0; f < 4; f++)
					for (int o = 0; o < 2; o++) {
						uint32_t got = run_crc(
							c, ops[o], flag_sets[f],
							arena,
							o ? arena2 : NULL, 9,
							seeds[s]);

						cr_assert_eq(
							got, want[s][f],
							"%s/%s: op %#x flags "
							"%#x seed %#x: %#x, "
							"want %#x",
							tb_name(b), path,
							ops[o], flag_sets[f],
							seeds[s], got,
							want[s][f]);
						cr_assert_eq(
							ref_crc(seeds[s], arena,
								9, flag_sets[f]),
							want[s][f]);
					}
		}
		accel_close(c);
	}
}

/* Random data, sizes and offsets; a CRC cut in two and chained with the
 * first part's result as the seed, under the same flags, is the whole. */
Test(crc, random_data_and_chaining_with_flags)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = tb_open(b);

		for (int p = 0; p < npaths(); p++) {
			const char *path = use_path(p);

			for (int i = 0; i < 48; i++) {
				uint32_t fl = flag_sets[i % 4];
				uint32_t seed = (uint32_t)tb_rand();
				size_t n = tb_rand_size(200000);
				size_t off = tb_rand() % 4096, cut;
				uint8_t op = i & 4 ? DSA_OP_COPY_CRC :
						     DSA_OP_CRCGEN;
				uint32_t want, got, first;

				tb_fill_random(arena + off, n);
				want = ref_crc(seed, arena + off, n, fl);
				got = run_crc(c, op, fl, arena + off,
					      op == DSA_OP_COPY_CRC ?
						      arena2 + off :
						      NULL,
					      (uint32_t)n, seed);
				cr_assert_eq(got, want,
					     "%s/%s: flags %#x n=%zu off=%zu",
					     tb_name(b), path, fl, n, off);
				if (op == DSA_OP_COPY_CRC)
					cr_assert(!memcmp(arena2 + off,
							  arena + off, n),
						  "%s: copy_crc data",
						  tb_name(b));
				if (n < 2)
					continue;
				cut = 1 + tb_rand() % (n - 1);
				first = run_crc(c, DSA_OP_CRCGEN, fl,
						arena + off, NULL,
						(uint32_t)cut, seed);
				got = run_crc(c, DSA_OP_CRCGEN, fl,
					      arena + off + cut, NULL,
					      (uint32_t)(n - cut), first);
				cr_assert_eq(got, want,
					     "%s/%s: flags %#x chained at "
					     "%zu of %zu",
					     tb_name(b), path, fl, cut, n);
			}
		}
		accel_close(c);
	}
}

/* Every length up to a few words at every alignment, and some large ones:
 * the instruction and the table give the same bits under every flag. */
Test(crc, instruction_and_table_agree_bit_for_bit)
{
	if (!model_crc32c_has_insn()) {
		cr_log_warn("this CPU has no SSE4.2: only the table path runs");
		return;
	}
	tb_fill_random(arena, 1u << 20);
	for (int f = 0; f < 4; f++) {
		uint32_t fl = flag_sets[f];

		for (size_t a = 0; a < 8; a++)
			for (size_t n = 0; n <= 80; n++) {
				uint32_t s = (uint32_t)tb_rand(), x, y;

				model_crc32c_force_table(false);
				x = model_crc_update(s, arena + a, n, fl);
				model_crc32c_force_table(true);
				y = model_crc_update(s, arena + a, n, fl);
				cr_assert_eq(x, y,
					     "flags %#x align %zu n %zu: insn "
					     "%#x, table %#x",
					     fl, a, n, x, y);
			}
		/* Around the three-stream blocks (3 x 256, 3 x 2048 bytes)
		 * and their combinations. */
		static const size_t edges[] = { 767,   768,	 769,  775,
						776,   1535,	 1536, 1544,
						6143,  6144,	 6145, 6152,
						6912,  6913,	 12288, 12288 + 768 + 9,
						65536, 3 * 65536 + 1 };

		for (size_t e = 0; e < sizeof(edges) / sizeof(edges[0]); e++)
			for (size_t a = 0; a < 8; a += 3) {
				size_t n = edges[e];
				uint32_t s = (uint32_t)tb_rand(), x, y;

				model_crc32c_force_table(false);
				x = model_crc_update(s, arena + a, n, fl);
				model_crc32c_force_table(true);
				y = model_crc_update(s, arena + a, n, fl);
				cr_assert_eq(x, y,
					     "flags %#x align %zu n %zu: insn "
					     "%#x, table %#x",
					     fl, a, n, x, y);
			}
		for (int i = 0; i < 8; i++) {
			size_t n = tb_rand() % (1u << 19), a = tb_rand() % 64;
			uint32_t s = (uint32_t)tb_rand(), x, y;

			model_crc32c_force_table(false);
			x = model_crc_update(s, arena + a, n, fl);
			model_crc32c_force_table(true);
			y = model_crc_update(s, arena + a, n, fl);
			cr_assert_eq(x, y, "flags %#x n %zu", fl, n);
			cr_assert_eq(model_crc_result(x, fl),
				     ref_crc(model_crc_result(s, fl),
					     arena + a, n, fl),
				     "flags %#x n %zu against the reference",
				     fl, n);
		}
	}
	model_crc32c_force_table(false);
}

/* The seed read from memory combines with the bypass flags. */
Test(crc, seed_from_memory_with_bypass_flags)
{
	static _Alignas(8) uint32_t seed_mem[2];

	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = tb_open(b);

		for (int f = 0; f < 4; f++) {
			uint32_t fl = flag_sets[f] | DSA_FLAG_CRC_SEED_ADDR;
			_Alignas(32) struct dsa_comp comp;
			struct dsa_desc d;
			uint8_t st;

			seed_mem[0] = 0xdeadbeefu;
			tb_fill_random(arena, 1000);
			tb_desc(&d, DSA_OP_CRCGEN, fl, arena, NULL, 1000);
			d.crc.seed_addr = (uintptr_t)seed_mem;
			st = tb_run_raw(c, &d, &comp);
			cr_assert_eq(st, DSA_COMP_SUCCESS,
				     "%s: flags %#x: status %#x (%s)",
				     tb_name(b), fl, st, accel_status_str(st));
			cr_assert_eq(comp.crc_val,
				     ref_crc(0xdeadbeefu, arena, 1000,
					     flag_sets[f]),
				     "%s: flags %#x", tb_name(b), fl);
		}
		accel_close(c);
	}
}

/*
 * A fault part-way (block-on-fault clear) leaves in crc_val the CRC of the
 * completed part, which seeds the rest under the same flags: the device's
 * way of resuming, for every combination.
 */
Test(crc, partial_result_resumes_under_every_flag)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = tb_open(b);

		for (int f = 0; f < 4; f++) {
			uint32_t fl = flag_sets[f];
			uint8_t *src = tb_pages(3);
			const size_t n = 3 * PG - 200;
			_Alignas(32) struct dsa_comp comp;
			struct dsa_desc d;
			uint32_t want, got;
			uint8_t st;

			tb_touch(src, PG); /* page 0 present, 1 and 2 not */
			memset(src, 0x5a + f, PG);
			memset(arena, 0x5a + f, PG);
			memset(arena + PG, 0, 2 * PG);
			want = ref_crc(77, arena + 100, n, fl);
			tb_desc(&d, DSA_OP_CRCGEN, fl, src + 100, NULL,
				(uint32_t)n);
			d.crc.seed = 77;
			st = tb_run_raw(c, &d, &comp);
			cr_assert_eq(st, DSA_COMP_PAGE_FAULT_NOBOF,
				     "%s: flags %#x: status %#x (%s)",
				     tb_name(b), fl, st, accel_status_str(st));
			cr_assert_eq(comp.bytes_completed, PG - 100);
			tb_touch(src, 3 * PG);
			got = run_crc(c, DSA_OP_CRCGEN, fl,
				      src + 100 + comp.bytes_completed, NULL,
				      (uint32_t)(n - comp.bytes_completed),
				      comp.crc_val);
			cr_assert_eq(got, want, "%s: flags %#x resumed",
				     tb_name(b), fl);
			tb_pages_free(src, 3);
		}
		accel_close(c);
	}
}
