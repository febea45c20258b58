// SPDX-License-Identifier: MIT
/*
 * Page faults: partial completion with block-on-fault clear, resolution
 * with it set, unresolvable addresses, and the library's recovery (touch
 * the page, resubmit the rest) reaching the right final result.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "tcommon.h"

#define PG 4096u


Test(faults, read_fault_partial_completion)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = tb_open(b);
		uint8_t *src = tb_pages(3), *dst = tb_pages(3);
		_Alignas(32) struct dsa_comp comp;
		struct dsa_desc d;
		uint8_t st;

		tb_touch(src, PG); /* page 0 present, 1 and 2 not */
		memset(src, 0x42, PG);
		tb_touch(dst, 3 * PG);
		tb_desc(&d, DSA_OP_MEMMOVE, 0, src + 100, dst, 2 * PG);
		st = tb_run_raw(c, &d, &comp);
		cr_assert_eq(st, DSA_COMP_PAGE_FAULT_NOBOF,
			     "%s: status %#x (%s)", tb_name(b), st,
			     accel_status_str(st));
		cr_assert_eq(comp.bytes_completed, PG - 100,
			     "%s: bytes_completed %u", tb_name(b),
			     comp.bytes_completed);
		cr_assert_eq(comp.fault_addr & ~(uint64_t)(PG - 1),
			     (uintptr_t)src + PG, "%s: fault address %#lx",
			     tb_name(b), (unsigned long)comp.fault_addr);
		cr_assert_eq(dst[0], 0x42);
		cr_assert_eq(dst[PG - 101], 0x42, "%s: completed part missing",
			     tb_name(b));
		tb_pages_free(src, 3);
		tb_pages_free(dst, 3);
		accel_close(c);
	}
}

Test(faults, write_fault_sets_write_bit)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = tb_open(b);
		uint8_t *dst = tb_pages(2);
		static uint8_t src[8192];
		_Alignas(32) struct dsa_comp comp;
		struct dsa_desc d;
		uint8_t st;

		tb_touch(src, sizeof(src));
		tb_touch(dst, PG);
		tb_desc(&d, DSA_OP_MEMMOVE, 0, src, dst + 8, PG);
		st = tb_run_raw(c, &d, &comp);
		cr_assert_eq(st,
			     DSA_COMP_PAGE_FAULT_NOBOF | DSA_COMP_STATUS_WRITE,
			     "%s: status %#x", tb_name(b), st);
		cr_assert_eq(comp.bytes_completed, PG - 8);
		cr_assert_eq(comp.fault_addr, (uintptr_t)dst + PG);
		tb_pages_free(dst, 2);
		accel_close(c);
	}
}

Test(faults, block_on_fault_resolves_not_present_pages)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = tb_open(b);
		uint8_t *dst = tb_pages(64);
		_Alignas(32) struct dsa_comp comp;
		struct dsa_desc d;

		tb_desc(&d, DSA_OP_FILL, DSA_FLAG_BOF, (void *)0x1111111111111111ull,
		     dst, 64 * PG);
		cr_assert_eq(tb_run_raw(c, &d, &comp), DSA_COMP_SUCCESS,
			     "%s: BOF fill", tb_name(b));
		cr_assert_eq(dst[64 * PG - 1], 0x11);
		tb_pages_free(dst, 64);
		accel_close(c);
	}
}

Test(faults, unmapped_address_is_a_status_not_a_crash)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = tb_open(b);
		uint8_t *gone = tb_unmapped(4);
		static uint8_t buf[PG];
		_Alignas(32) struct dsa_comp comp;
		struct dsa_desc d;
		uint8_t st;

		tb_desc(&d, DSA_OP_MEMMOVE, 0, gone, buf, 100);
		st = tb_run_raw(c, &d, &comp);
		cr_assert_eq(st, DSA_COMP_PAGE_FAULT_NOBOF, "%s: %#x",
			     tb_name(b), st);
		cr_assert_eq(comp.fault_addr, (uintptr_t)gone);

		tb_desc(&d, DSA_OP_MEMMOVE, DSA_FLAG_BOF, buf, gone, 100);
		st = tb_run_raw(c, &d, &comp);
		cr_assert_eq(st, DSA_COMP_PAGE_FAULT_IR | DSA_COMP_STATUS_WRITE,
			     "%s: BOF on unmapped gives %#x", tb_name(b), st);

		/* Kernel and non-canonical addresses are just as harmless. */
		tb_desc(&d, DSA_OP_MEMMOVE, DSA_FLAG_BOF,
		     (void *)0xffff888000000000ull, buf, 64);
		st = tb_run_raw(c, &d, &comp);
		cr_assert_eq(st & DSA_COMP_STATUS_MASK, DSA_COMP_PAGE_FAULT_IR,
			     "%s: kernel address gives %#x", tb_name(b), st);
		tb_desc(&d, DSA_OP_FILL, 0, NULL, (void *)0x0000900000000000ull,
		     64);
		st = tb_run_raw(c, &d, &comp);
		cr_assert_eq(st & DSA_COMP_STATUS_MASK,
			     DSA_COMP_PAGE_FAULT_NOBOF,
			     "%s: non-canonical address gives %#x", tb_name(b),
			     st);
		accel_close(c);
	}
}

Test(faults, read_only_destination_faults)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = tb_open(b);
		uint8_t *ro = tb_pages(1);
		static uint8_t buf[PG];
		_Alignas(32) struct dsa_comp comp;
		struct dsa_desc d;
		uint8_t st;

		tb_touch(ro, PG);
		mprotect(ro, PG, PROT_READ);
		tb_desc(&d, DSA_OP_MEMMOVE, DSA_FLAG_BOF, buf, ro, 64);
		st = tb_run_raw(c, &d, &comp);
		cr_assert_eq(st, DSA_COMP_PAGE_FAULT_IR | DSA_COMP_STATUS_WRITE,
			     "%s: write to read-only page gives %#x",
			     tb_name(b), st);
		tb_pages_free(ro, 1);
		accel_close(c);
	}
}

/* The library's recovery: async ops on untouched memory finish right. */
Test(faults, recovery_reaches_the_right_result)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = tb_open(b);
		const size_t np = 16, n = np * PG - 1000;
		uint8_t *src = tb_pages(np), *dst = tb_pages(np);
		uint8_t *ref = tb_pages(np);
		struct accel_op op;
		uint64_t pat = 0x0807060504030201ull;
		uint32_t want;
		int rc;

		/* Fill an odd-offset untouched range: resumption rotates the
		 * pattern. */
		accel_prep_fill(&op, dst + 333, pat, n, 0);
		cr_assert_eq(accel_submit(c, &op), 0);
		rc = accel_wait(c, &op, ACCEL_WAIT_PAUSE);
		cr_assert_eq(rc, 0, "%s: fill: %s", tb_name(b),
			     accel_strerror(rc));
		cr_assert_gt(op.retries, 0, "%s: no fault was taken",
			     tb_name(b));
		for (size_t i = 0; i < n; i++)
			cr_assert_eq(dst[333 + i], (uint8_t)(pat >> (8 * (i % 8))),
				     "%s: fill byte %zu after recovery",
				     tb_name(b), i);

		/* CRC over pages touched every other one: seed resumption. */
		/* The reference is built apart: reading src would bring its
		 * pages in. */
		memset(ref, 0, np * PG);
		for (size_t p = 0; p < np; p += 2) {
			memset(src + p * PG, (int)p + 1, PG);
			memset(ref + p * PG, (int)p + 1, PG);
		}
		want = ref_crc32c(5, ref, np * PG);
		accel_prep_crc32c(&op, src, np * PG, 5, 0);
		cr_assert_eq(accel_submit(c, &op), 0);
		cr_assert_eq(accel_wait(c, &op, ACCEL_WAIT_SPIN), 0);
		cr_assert_eq(op.comp.crc_val, want,
			     "%s: crc after %u resumptions", tb_name(b),
			     op.retries);

		/* Compare finding a difference after faults: the offset is
		 * from the start of the whole buffer. */
		tb_pages_free(src, np);
		tb_pages_free(dst, np);
		src = tb_pages(np);
		dst = tb_pages(np);
		tb_touch(src, np * PG);
		dst[10 * PG + 7] = 1; /* touches page 10 of dst only */
		accel_prep_compare(&op, src, dst, np * PG, 0);
		cr_assert_eq(accel_submit(c, &op), 0);
		cr_assert_eq(accel_wait(c, &op, ACCEL_WAIT_PAUSE), 0);
		cr_assert_eq(op.comp.result, 1);
		cr_assert_eq(op.comp.bytes_completed, 10 * PG + 7,
			     "%s: difference reported at %u", tb_name(b),
			     op.comp.bytes_completed);
		tb_pages_free(src, np);
		tb_pages_free(dst, np);
		tb_pages_free(ref, np);
		accel_close(c);
	}
}

Test(faults, overlapping_descending_move_resumes_correctly)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = tb_open(b);
		const size_t np = 8;
		uint8_t *base = tb_pages(np), *ref = tb_pages(np);
		struct accel_op op;
		size_t n = 5 * PG + 123, dist = 777;

		/* Touch pages 0-1 and 4-7; 2 and 3 stay not present. */
		memset(base, 0x33, 2 * PG);
		memset(base + 4 * PG, 0x77, 4 * PG);
		for (size_t i = 0; i < 2 * PG; i += 7)
			base[i] = (uint8_t)i;
		memcpy(ref, base, 2 * PG);
		memset(ref + 2 * PG, 0, 2 * PG);
		memcpy(ref + 4 * PG, base + 4 * PG, 4 * PG);
		memmove(ref + 100 + dist, ref + 100, n);
		accel_prep_memmove(&op, base + 100 + dist, base + 100, n, 0);
		cr_assert_eq(accel_submit(c, &op), 0);
		cr_assert_eq(accel_wait(c, &op, ACCEL_WAIT_PAUSE), 0);
		cr_assert_gt(op.retries, 0, "%s: expected faults", tb_name(b));
		cr_assert(!memcmp(base, ref, np * PG),
			  "%s: descending move with faults corrupted data",
			  tb_name(b));
		tb_pages_free(base, np);
		tb_pages_free(ref, np);
		accel_close(c);
	}
}

/*
 * Compare pattern across faults: the device compares whole 8-byte units
 * from the source's start, so a fault stops it at a unit's start and the
 * library resumes with the same pattern phase; the difference is then
 * reported where a run without faults reports it, at the start of the unit
 * that differs.  The source starts 5 bytes before a page that is not
 * present, so every page boundary cuts a unit.
 */
Test(faults, compare_pattern_resumes_in_whole_units)
{
	/* Offsets from the source: a unit across the boundary of pages 1
	 * and 2, one inside page 2, and the exact byte in a short last
	 * unit. */
	static const size_t where[3] = { 4103, 5101, 3 * PG + 2 };
	static const size_t want[3] = { 4096, 5096, 3 * PG + 2 };

	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = tb_open(b);

		for (int k = 0; k < 3; k++) {
			uint8_t *base = tb_pages(5);
			uint8_t *src = base + PG - 5;
			size_t n = 3 * PG + 3, at = 0;
			struct accel_op op;
			int rc;

			tb_touch(base, PG); /* pages 1 to 4 not present */
			src[where[k]] = 0x40; /* brings in that page only */
			accel_prep_compare_pattern(&op, src, 0, n, 0);
			cr_assert_eq(accel_submit(c, &op), 0);
			rc = accel_wait(c, &op, ACCEL_WAIT_PAUSE);
			cr_assert_eq(rc, 0, "%s: %s", tb_name(b),
				     accel_strerror(rc));
			cr_assert_gt(op.retries, 0, "%s: no fault was taken",
				     tb_name(b));
			cr_assert_eq(op.comp.result, DSA_RESULT_CMP_DIFFER);
			cr_assert_eq(op.comp.bytes_completed, want[k],
				     "%s: byte %zu differs: reported %u, "
				     "want the unit at %zu",
				     tb_name(b), where[k],
				     op.comp.bytes_completed, want[k]);

			/* The synchronous call says the same. */
			tb_pages_free(base, 5);
			base = tb_pages(5);
			src = base + PG - 5;
			tb_touch(base, PG);
			src[where[k]] = 0x40;
			rc = accel_compare_pattern(c, src, 0, n, &at);
			cr_assert_eq(rc, 1, "%s: accel_compare_pattern: %d",
				     tb_name(b), rc);
			cr_assert_eq(at, want[k], "%s: differ_at %zu, want %zu",
				     tb_name(b), at, want[k]);
			tb_pages_free(base, 5);
		}
		accel_close(c);
	}
}

Test(faults, api_reports_efault_for_bad_buffers)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_opts o = { .numa_node = -1,
					.flags = ACCEL_OPT_NO_CPU_PATH };
		struct accel_ctx *c = tb_open_opts(b, &o);
		static uint8_t buf[PG];
		void *gone = tb_unmapped(1);
		uint32_t crc;

		int rc = accel_memcpy(c, buf, gone, 64);

		cr_assert_eq(rc, -EFAULT, "%s: memcpy from unmapped: %d (%s)",
			     tb_name(b), rc, accel_strerror(rc));
		cr_assert_eq(accel_crc32c(c, gone, 64, 0, &crc), -EFAULT);
		cr_assert_eq(accel_fill(c, gone, 0, 64), -EFAULT);
		cr_assert_eq(accel_memcpy(c, buf, buf + 64, 64), 0,
			     "%s: context unusable after faults", tb_name(b));
		accel_close(c);
	}
}
