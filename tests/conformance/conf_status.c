// SPDX-License-Identifier: MIT
/*
 * Every documented status code, provoked on purpose with raw descriptors,
 * on every backend under test.  A bad descriptor must give its status in
 * the completion record and leave the process (and the queue) working.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "emul.h"
#include "tcommon.h"

static _Alignas(64) uint8_t buf_a[3 * 4096];
static _Alignas(64) uint8_t buf_b[3 * 4096];
static _Alignas(64) uint8_t buf_c[3 * 4096];

/*
 * Kept in small pages: these buffers are in .bss, which this program makes
 * larger than 2 MiB, and Debian's kernels have transparent huge pages
 * "always".  Collapsing (khugepaged) or splitting a huge page leaves its
 * page table entries not present for a moment, and a device without
 * block-on-fault that reads then reports a page fault, on memory the test
 * had just written, as an IOMMU walking the same page tables would on
 * hardware.  check_result_predicate failed so on a dsa_pci queue in the
 * guest; tests/hw/guest/hw_fault.c reproduces the race.
 */
static void keep_small(void *p, size_t len)
{
	uintptr_t a = (uintptr_t)p & ~(uintptr_t)4095;

	madvise((void *)a, ((uintptr_t)p + len - a + 4095) & ~(uintptr_t)4095,
		MADV_NOHUGEPAGE);
}

/* Static buffers start out not present: a device would fault on them. */
static void touch_buffers(void)
{
	keep_small(buf_a, sizeof(buf_a));
	keep_small(buf_b, sizeof(buf_b));
	keep_small(buf_c, sizeof(buf_c));
	tb_touch(buf_a, sizeof(buf_a));
	tb_touch(buf_b, sizeof(buf_b));
	tb_touch(buf_c, sizeof(buf_c));
}

TestSuite(status, .init = touch_buffers);


/* Run d on every backend and expect status st; then a NOOP still works. */
static void expect_status(struct dsa_desc *d, uint8_t st, const char *what)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = tb_open(b);
		_Alignas(32) struct dsa_comp comp;
		struct dsa_desc copy = *d, noop;
		uint8_t got = tb_run_raw(c, &copy, &comp);

		cr_assert_eq(got, st, "%s: %s: status %#x (%s), expected %#x (%s)",
			     tb_name(b), what, got, accel_status_str(got), st,
			     accel_status_str(st));
		tb_desc(&noop, DSA_OP_NOOP, 0, NULL, NULL, 0);
		cr_assert_eq(tb_run_raw(c, &noop, &comp), DSA_COMP_SUCCESS,
			     "%s: queue broken after %s", tb_name(b), what);
		accel_close(c);
	}
}

Test(status, success_of_each_operation)
{
	struct dsa_desc d;

	tb_desc(&d, DSA_OP_NOOP, 0, NULL, NULL, 0);
	expect_status(&d, DSA_COMP_SUCCESS, "noop");
	tb_desc(&d, DSA_OP_DRAIN, 0, NULL, NULL, 0);
	expect_status(&d, DSA_COMP_SUCCESS, "drain");
	tb_desc(&d, DSA_OP_MEMMOVE, 0, buf_a, buf_b, 4096);
	expect_status(&d, DSA_COMP_SUCCESS, "memmove");
	tb_desc(&d, DSA_OP_CFLUSH, 0, NULL, buf_b, 100);
	expect_status(&d, DSA_COMP_SUCCESS, "cflush");
}

Test(status, bad_opcode)
{
	struct dsa_desc d;
	/* 0x0a and 0x17 (DSA 2.0): conf_dsa2.c, by personality. */
	uint8_t ops[] = { 0x0b, 0x0f, 0x16, 0x18, 0x21, 0x3f, 0xff };

	for (unsigned i = 0; i < sizeof(ops); i++) {
		tb_desc(&d, ops[i], 0, NULL, NULL, 0);
		expect_status(&d, DSA_COMP_BAD_OPCODE, "unknown opcode");
	}
}

Test(status, invalid_flags_reports_the_bits)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = tb_open(b);
		_Alignas(32) struct dsa_comp comp;
		struct dsa_desc d;

		/* Bit 6 is reserved for every operation. */
		tb_desc(&d, DSA_OP_MEMMOVE, 0x40, buf_a, buf_b, 64);
		cr_assert_eq(tb_run_raw(c, &d, &comp), DSA_COMP_INVALID_FLAGS,
			     "%s: reserved flag", tb_name(b));
		cr_assert_eq(comp.invalid_flags & 0x40, 0x40,
			     "%s: invalid_flags %#x", tb_name(b),
			     comp.invalid_flags);
		/* Check-result means nothing to a copy. */
		tb_desc(&d, DSA_OP_MEMMOVE, DSA_FLAG_CR, buf_a, buf_b, 64);
		cr_assert_eq(tb_run_raw(c, &d, &comp), DSA_COMP_INVALID_FLAGS,
			     "%s: CR on memmove", tb_name(b));
		/* A 16-byte pattern means nothing to a compare. */
		tb_desc(&d, DSA_OP_COMPARE, DSA_FLAG_FILL_PATTERN16, buf_a, buf_b,
		     64);
		cr_assert_eq(tb_run_raw(c, &d, &comp), DSA_COMP_INVALID_FLAGS,
			     "%s: fill flag on compare", tb_name(b));
		accel_close(c);
	}
}

Test(status, nonzero_reserved_fields)
{
	struct dsa_desc d;

	tb_desc(&d, DSA_OP_MEMMOVE, 0, buf_a, buf_b, 64);
	d.rsvd1 = 1;
	expect_status(&d, DSA_COMP_NOZERO_RESERVE, "rsvd1");
	tb_desc(&d, DSA_OP_NOOP, 0, buf_a, NULL, 0);
	expect_status(&d, DSA_COMP_NOZERO_RESERVE, "noop with a source");
	tb_desc(&d, DSA_OP_MEMMOVE, 0, buf_a, buf_b, 64);
	d.op_specific[5] = 1;
	expect_status(&d, DSA_COMP_NOZERO_RESERVE, "memmove op-specific byte");
	tb_desc(&d, DSA_OP_MEMMOVE, 0, buf_a, buf_b, 64);
	d.pasid_priv = 1u << 25;
	expect_status(&d, DSA_COMP_NOZERO_RESERVE, "pasid reserved bits");
}

Test(status, transfer_size_range)
{
	struct dsa_desc d;

	tb_desc(&d, DSA_OP_MEMMOVE, 0, buf_a, buf_b, 0);
	expect_status(&d, DSA_COMP_XFER_ERANGE, "size 0");
	tb_desc(&d, DSA_OP_FILL, 0, NULL, buf_b, 0x80000001u);
	expect_status(&d, DSA_COMP_XFER_ERANGE, "size above max");
	tb_desc(&d, DSA_OP_CR_DELTA, 0, buf_a, buf_b, 0x80008);
	d.crdelta.delta_addr = (uintptr_t)buf_c;
	d.crdelta.max_delta_size = 80;
	expect_status(&d, DSA_COMP_XFER_ERANGE, "delta size above 512 KiB");
}

Test(status, batch_count_and_list_alignment)
{
	static _Alignas(64) struct dsa_desc list[4];
	struct dsa_desc d;

	memset(list, 0, sizeof(list));
	tb_desc(&d, DSA_OP_BATCH, 0, list, NULL, 1);
	expect_status(&d, DSA_COMP_DESC_CNT_ERANGE, "batch of one");
	tb_desc(&d, DSA_OP_BATCH, 0, list, NULL, DSA_DEFAULT_MAX_BATCH + 1);
	expect_status(&d, DSA_COMP_DESC_CNT_ERANGE, "batch above max");
	tb_desc(&d, DSA_OP_BATCH, 0, (uint8_t *)list + 32, NULL, 2);
	expect_status(&d, DSA_COMP_DESCLIST_ALIGN, "misaligned list");
}

Test(status, dualcast_address_bits)
{
	struct dsa_desc d;

	tb_desc(&d, DSA_OP_DUALCAST, 0, buf_a, buf_b, 64);
	d.dcast.dst2 = (uintptr_t)buf_c + 8;
	expect_status(&d, DSA_COMP_DCAST_ERR, "dualcast bits 11:0 differ");
}

Test(status, overlapping_buffers)
{
	struct dsa_desc d;

	tb_desc(&d, DSA_OP_COPY_CRC, 0, buf_a, buf_a + 32, 64);
	expect_status(&d, DSA_COMP_OVERLAP_BUFFERS, "copy_crc overlap");
	tb_desc(&d, DSA_OP_DUALCAST, 0, buf_a, buf_b, 8192);
	d.dcast.dst2 = (uintptr_t)buf_b + 4096;
	expect_status(&d, DSA_COMP_OVERLAP_BUFFERS, "dualcast dst overlap");
	tb_desc(&d, DSA_OP_CR_DELTA, 0, buf_a, buf_b, 64);
	d.crdelta.delta_addr = (uintptr_t)buf_b + 8;
	d.crdelta.max_delta_size = 80;
	expect_status(&d, DSA_COMP_OVERLAP_BUFFERS, "delta record over source");
}

Test(status, delta_record_sizes_and_offsets)
{
	static _Alignas(64) uint8_t rec[40];
	struct dsa_desc d;
	uint16_t idx;

	tb_desc(&d, DSA_OP_CR_DELTA, 0, buf_a, buf_b, 64);
	d.crdelta.delta_addr = (uintptr_t)buf_c;
	d.crdelta.max_delta_size = 75;
	expect_status(&d, DSA_COMP_DR_ERANGE, "record size not 10-multiple");
	d.crdelta.max_delta_size = 10;
	expect_status(&d, DSA_COMP_DR_ERANGE, "record too small");

	tb_desc(&d, DSA_OP_AP_DELTA, 0, rec, buf_b, 64);
	d.apdelta.delta_rec_size = 15;
	expect_status(&d, DSA_COMP_DR_ERANGE, "apply size not 10-multiple");

	memset(rec, 0, sizeof(rec));
	idx = 3;
	memcpy(rec, &idx, 2);
	idx = 2; /* going backwards */
	memcpy(rec + 10, &idx, 2);
	tb_desc(&d, DSA_OP_AP_DELTA, 0, rec, buf_b, 64);
	d.apdelta.delta_rec_size = 20;
	expect_status(&d, DSA_COMP_DR_OFFSET_NOINC, "offsets not increasing");

	idx = 8; /* granule 8 of a 64-byte buffer is past its end */
	memcpy(rec + 10, &idx, 2);
	expect_status(&d, DSA_COMP_DR_OFFSET_ERANGE, "offset out of range");
}

Test(status, check_result_predicate)
{
	struct dsa_desc d;

	memset(buf_a, 1, 64);
	memset(buf_b, 1, 64);
	buf_b[10] = 2;
	tb_desc(&d, DSA_OP_COMPARE, DSA_FLAG_CR, buf_a, buf_b, 64);
	d.cmp.expected_res = 0;
	expect_status(&d, DSA_COMP_SUCCESS_PRED, "compare predicate false");
	d.cmp.expected_res = 1;
	expect_status(&d, DSA_COMP_SUCCESS, "compare predicate true");
}

Test(status, completion_record_misaligned_is_not_written)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = tb_open(b);
		static _Alignas(64) uint8_t recs[128];
		_Alignas(32) struct dsa_comp comp;
		struct dsa_desc d;

		memset(recs, 0, sizeof(recs));
		tb_desc(&d, DSA_OP_NOOP, DSA_FLAG_CRAV | DSA_FLAG_RCR, NULL, NULL,
		     0);
		d.completion_addr = (uintptr_t)recs + 8;
		cr_assert_eq(accel_submit_raw(c, &d), 0);
		/* Ordered queue: once a later op completes, the bad one ran. */
		tb_desc(&d, DSA_OP_NOOP, 0, NULL, NULL, 0);
		cr_assert_eq(tb_run_raw(c, &d, &comp), DSA_COMP_SUCCESS);
		for (unsigned i = 0; i < sizeof(recs); i++)
			cr_assert_eq(recs[i], 0,
				     "%s: a misaligned record was written",
				     tb_name(b));
		accel_close(c);
	}
}

/*
 * The device writes its record on its own behalf: a record page that is
 * mapped but not present is brought in (as the OS answers the device's
 * page request), while one that is unmapped or read-only cannot be
 * written. Then the process is not harmed and the device goes on; the
 * emul twin also reports it as its software error (CRA translation).
 */
Test(status, completion_record_the_device_cannot_write)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = tb_open(b);
		uint8_t *absent = tb_pages(1);
		uint8_t *gone = tb_unmapped(1);
		uint8_t *ro = tb_pages(1);
		_Alignas(32) struct dsa_comp comp;
		volatile struct dsa_comp *far = (struct dsa_comp *)(absent + 64);
		uint8_t *bad[2] = { gone, ro };
		struct dsa_desc d;

		tb_touch(ro, 4096);
		cr_assert_eq(mprotect(ro, 4096, PROT_READ), 0);
		memset(buf_a, 7, 64);
		tb_desc(&d, DSA_OP_MEMMOVE, DSA_FLAG_CRAV | DSA_FLAG_RCR, buf_a,
			buf_b, 64);
		d.completion_addr = (uintptr_t)far;
		cr_assert_eq(tb_run_raw_as_is(c, &d, far), DSA_COMP_SUCCESS,
			     "%s: record in a page not present", tb_name(b));
		for (int k = 0; k < 2; k++) {
			uint8_t st;
			uint64_t at;

			tb_desc(&d, DSA_OP_MEMMOVE, DSA_FLAG_CRAV | DSA_FLAG_RCR,
				buf_a, buf_b, 64);
			d.completion_addr = (uintptr_t)bad[k] + 32;
			cr_assert_eq(accel_submit_raw(c, &d), 0);
			/* Ordered queue: once a later op completes, the bad
			 * one ran. */
			tb_desc(&d, DSA_OP_NOOP, 0, NULL, NULL, 0);
			cr_assert_eq(tb_run_raw(c, &d, &comp), DSA_COMP_SUCCESS,
				     "%s: the device goes on", tb_name(b));
			if (strcmp(tb_name(b), "emul"))
				continue;
			cr_assert_eq(accel_emul_swerr(c, &st, &at), 0,
				     "emul: %s record reported",
				     k ? "read-only" : "unmapped");
			cr_assert_eq(st, DSA_COMP_CRA_XLAT);
			cr_assert_eq(at, (uintptr_t)bad[k] + 32);
		}
		cr_assert_eq(ro[32], 0, "%s: read-only record written",
			     tb_name(b));
		tb_pages_free(absent, 1);
		tb_pages_free(ro, 1);
		accel_close(c);
	}
}

Test(status, record_only_on_failure_without_rcr)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = tb_open(b);
		_Alignas(32) struct dsa_comp quiet, loud, comp;
		struct dsa_desc d;

		memset(&quiet, 0, sizeof(quiet));
		memset(&loud, 0, sizeof(loud));
		tb_desc(&d, DSA_OP_MEMMOVE, DSA_FLAG_CRAV, buf_a, buf_b, 64);
		d.completion_addr = (uintptr_t)&quiet;
		cr_assert_eq(accel_submit_raw(c, &d), 0);
		tb_desc(&d, DSA_OP_MEMMOVE, DSA_FLAG_CRAV, buf_a, buf_b, 0);
		d.completion_addr = (uintptr_t)&loud;
		cr_assert_eq(tb_run_raw_as_is(c, &d, &loud),
			     DSA_COMP_XFER_ERANGE);
		tb_desc(&d, DSA_OP_NOOP, 0, NULL, NULL, 0);
		tb_run_raw(c, &d, &comp);
		cr_assert_eq(quiet.status, 0,
			     "%s: success wrote a record without RCR",
			     tb_name(b));
		accel_close(c);
	}
}

/*
 * Bits 6:0 of the status byte are the status, bit 7 the direction of a
 * fault (Linux uapi idxd.h: DSA_COMP_STATUS_MASK 0x7f).  A byte whose low
 * seven bits name no status is unknown, even where its low six would.
 */
Test(status, status_byte_is_seven_bits_and_a_direction)
{
	for (unsigned v = 0; v < 256; v++) {
		struct dsa_comp rec = { .status = (uint8_t)v };
		const char *m = accel_status_str((uint8_t)v);

		cr_assert_eq(dsa_comp_status(&rec), v & 0x7f,
			     "status byte %#x", v);
		if ((v & 0x7f) > DSA_COMP_TRANSLATION_FAIL)
			cr_assert(strstr(m, "unknown"),
				  "status byte %#x reads \"%s\"", v, m);
	}
	cr_assert_str_eq(accel_status_str(DSA_COMP_SUCCESS), "success");
}

/*
 * Address alignment (ADDR_ALIGN, 0x1c; the rules and their source are in
 * dsa_hw.h and docs/api.md): create and apply delta want every address and
 * the transfer size in 8-byte units, a CRC seed read from memory 4-byte
 * alignment.  The same descriptors aligned succeed, and operations without
 * such a rule take any byte address.
 */
Test(status, address_alignment_rules)
{
	static _Alignas(64) uint8_t rec[160];
	static _Alignas(8) uint8_t seed[16];
	struct dsa_desc d;
	uint16_t idx = 0;

	memset(buf_a, 3, 128);
	memset(buf_b, 3, 128);
	/* Present before the device reads it: a .bss page nobody touched yet
	 * is a page fault without block-on-fault, not the rule under test. */
	memset(seed, 0, sizeof(seed));
	tb_desc(&d, DSA_OP_CR_DELTA, 0, buf_a, buf_b, 64);
	d.crdelta.delta_addr = (uintptr_t)rec;
	d.crdelta.max_delta_size = 80;
	expect_status(&d, DSA_COMP_SUCCESS, "create delta aligned");
	d.src += 4;
	expect_status(&d, DSA_COMP_ADDR_ALIGN, "create delta source 1");
	d.src -= 4;
	d.dst += 2;
	expect_status(&d, DSA_COMP_ADDR_ALIGN, "create delta source 2");
	d.dst -= 2;
	d.crdelta.delta_addr += 1;
	expect_status(&d, DSA_COMP_ADDR_ALIGN, "create delta record");
	d.crdelta.delta_addr -= 1;
	d.size = 60;
	expect_status(&d, DSA_COMP_ADDR_ALIGN, "create delta size");

	memset(rec, 0, sizeof(rec));
	memcpy(rec, &idx, 2);
	memcpy(rec + 8, &idx, 2); /* a second entry in the shifted record */
	tb_desc(&d, DSA_OP_AP_DELTA, 0, rec, buf_b, 64);
	d.apdelta.delta_rec_size = 10;
	expect_status(&d, DSA_COMP_SUCCESS, "apply delta aligned");
	d.src += 8;
	expect_status(&d, DSA_COMP_SUCCESS, "apply delta, record + 8");
	d.src -= 4;
	expect_status(&d, DSA_COMP_ADDR_ALIGN, "apply delta record");
	d.src -= 4;
	d.dst += 1;
	expect_status(&d, DSA_COMP_ADDR_ALIGN, "apply delta destination");
	d.dst -= 1;
	d.size = 68;
	expect_status(&d, DSA_COMP_ADDR_ALIGN, "apply delta size");

	for (int copy = 0; copy < 2; copy++) {
		tb_desc(&d, copy ? DSA_OP_COPY_CRC : DSA_OP_CRCGEN,
			DSA_FLAG_CRC_SEED_ADDR, buf_a + 1, copy ? buf_b + 3 : NULL,
			33);
		d.crc.seed_addr = (uintptr_t)seed + 4;
		expect_status(&d, DSA_COMP_SUCCESS, "crc seed 4-byte aligned");
		d.crc.seed_addr = (uintptr_t)seed + 2;
		expect_status(&d, DSA_COMP_ADDR_ALIGN, "crc seed misaligned");
		/* Without the flag the field is reserved, not an address. */
		d.op_flags &= ~DSA_FLAG_CRC_SEED_ADDR;
		d.crc.seed_addr = 0;
		expect_status(&d, DSA_COMP_SUCCESS, "crc at odd addresses");
	}

	tb_desc(&d, DSA_OP_MEMMOVE, 0, buf_a + 1, buf_b + 3, 333);
	expect_status(&d, DSA_COMP_SUCCESS, "memmove at odd addresses");
	tb_desc(&d, DSA_OP_FILL, 0, NULL, buf_b + 5, 333);
	expect_status(&d, DSA_COMP_SUCCESS, "fill at an odd address");
	tb_desc(&d, DSA_OP_COMPARE, 0, buf_a + 1, buf_b + 7, 333);
	expect_status(&d, DSA_COMP_SUCCESS, "compare at odd addresses");
	tb_desc(&d, DSA_OP_COMPVAL, 0, buf_a + 3, NULL, 333);
	expect_status(&d, DSA_COMP_SUCCESS, "compare pattern, odd address");
	tb_desc(&d, DSA_OP_DUALCAST, 0, buf_a + 1, buf_b + 3, 333);
	/* In buf_c, at the same bits 11:0 as the first destination. */
	d.dcast.dst2 = (uintptr_t)buf_c +
		       ((d.dst - (uintptr_t)buf_c) & DSA_DUALCAST_ADDR_MASK);
	expect_status(&d, DSA_COMP_SUCCESS, "dualcast at odd addresses");
	tb_desc(&d, DSA_OP_CFLUSH, 0, NULL, buf_b + 9, 333);
	expect_status(&d, DSA_COMP_SUCCESS, "cache flush, odd address");
}
