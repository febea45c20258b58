// SPDX-License-Identifier: MIT
/*
 * The API's contract at its edges: bad arguments are negative errnos (never
 * a crash), no silent fallback to another backend, messages for every
 * error and status, the capabilities a device reports, and which path did
 * the work.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tcommon.h"

Test(api, unknown_backend_is_an_error_not_a_fallback)
{
	struct accel_ctx *c = (struct accel_ctx *)1;

	cr_assert_eq(accel_open(&c, "nosuch"), -ENOENT);
	cr_assert_null(c, "no context on failure");
	setenv("ACCEL_BACKEND", "nosuch", 1);
	cr_assert_eq(accel_open(&c, NULL), -ENOENT,
		     "ACCEL_BACKEND names a backend that does not exist");
	unsetenv("ACCEL_BACKEND");
	cr_assert_eq(accel_open(NULL, "emul"), -EINVAL);
	cr_assert_eq(accel_open_opts(&c, NULL), -EINVAL);
	cr_assert_eq(accel_open_opts(&c, &(struct accel_opts){
						  .backend = "emul",
						  .wq_mode = 7 }),
		     -EINVAL);
	cr_assert_eq(accel_open_opts(&c, &(struct accel_opts){
						  .backend = "emul",
						  .wq_size = 8,
						  .shared_threshold = 9 }),
		     -EINVAL, "threshold above the queue size");
	setenv("ACCEL_BACKEND", "cpu", 1);
	cr_assert_eq(accel_open(&c, NULL), 0);
	cr_assert_str_eq(accel_backend_name(c), "cpu");
	accel_close(c);
	unsetenv("ACCEL_BACKEND");
}

Test(api, bad_arguments_are_errnos)
{
	struct accel_ctx *c;
	struct accel_op op;
	uint8_t buf[64];
	uint32_t crc;

	cr_assert_eq(accel_open(&c, "emul"), 0);
	cr_assert_eq(accel_submit(c, NULL), -EINVAL);
	cr_assert_eq(accel_poll(c, NULL), -EINVAL);
	cr_assert_eq(accel_wait(c, NULL, ACCEL_WAIT_SPIN), -EINVAL);
	cr_assert_eq(accel_get_info(c, NULL), -EINVAL);
	cr_assert_eq(accel_submit_batch(c, NULL, NULL, 4), -EINVAL);
	cr_assert_eq(accel_crc32c(c, buf, sizeof(buf), 0, NULL), -EINVAL);
	memset(&op, 0, sizeof(op));
	cr_assert_eq(accel_poll(c, &op), -EINVAL, "polling an idle op");
	accel_prep_noop(&op);
	cr_assert_eq(accel_submit(c, &op), 0);
	/* In flight until a poll has seen it complete. */
	cr_assert_eq(accel_submit(c, &op), -EBUSY,
		     "an op in flight cannot be submitted again");
	cr_assert_eq(accel_wait(c, &op, ACCEL_WAIT_PAUSE), 0);
	cr_assert_eq(accel_poll(c, &op), 0, "a done op stays done");
	/* Zero bytes: nothing to do, like memcpy. */
	cr_assert_eq(accel_memcpy(c, buf, buf + 1, 0), 0);
	cr_assert_eq(accel_crc32c(c, "123456789", 9, 0, &crc), 0);
	cr_assert_eq(crc, DSA_CRC32C_CHECK);
	accel_close(c);
	accel_close(NULL);
}

Test(api, every_error_and_status_has_a_message)
{
	const int errs[] = { -EINVAL, -ENOENT, -ENODEV, -EAGAIN, -EFAULT,
			     -EBUSY, -ENOTSUP, -ETIMEDOUT, -EIO, -E2BIG };
	const char *seen[DSA_COMP_STATUS_MASK + 1] = { 0 };

	for (unsigned i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		const char *m = accel_strerror(errs[i]);

		cr_assert(m && *m, "no message for %d", errs[i]);
	}
	cr_assert(accel_strerror(0) && *accel_strerror(0));
	for (int s = DSA_COMP_SUCCESS; s <= DSA_COMP_TRANSLATION_FAIL; s++) {
		const char *m = accel_status_str((uint8_t)s);

		cr_assert(m && *m, "no text for status %#x", s);
		if (strstr(m, "unknown"))
			continue; /* a gap in the DSA 1.0 numbering */
		for (int t = 0; t < s; t++)
			cr_assert(!seen[t] || strcmp(seen[t], m),
				  "statuses %#x and %#x share \"%s\"", t, s, m);
		seen[s] = m;
	}
	cr_assert_not_null(seen[DSA_COMP_PAGE_FAULT_NOBOF]);
	cr_assert_not_null(seen[DSA_COMP_BAD_OPCODE]);
	cr_assert(strstr(accel_status_str(0x3e), "unknown"),
		  "an undefined status says so: \"%s\"",
		  accel_status_str(0x3e));
	/* The write bit does not hide the status; it adds the direction. */
	cr_assert(strstr(accel_status_str(DSA_COMP_PAGE_FAULT_NOBOF |
					  DSA_COMP_STATUS_WRITE),
			 "page fault on write"));
	cr_assert(strstr(accel_status_str(DSA_COMP_PAGE_FAULT_NOBOF),
			 "page fault on read"));
}

Test(api, capabilities_as_the_device_reports_them)
{
	struct accel_opts o = { .backend = "emul", .wq_size = 48,
				.numa_node = -1 };
	struct accel_info info;
	struct accel_ctx *c;

	cr_assert_eq(accel_open_opts(&c, &o), 0);
	cr_assert_eq(accel_get_info(c, &info), 0);
	cr_assert_str_eq(info.backend, "emul");
	cr_assert_eq(info.op_cap & DSA_OPCAP_DSA1, DSA_OPCAP_DSA1,
		     "every DSA 1.0 operation");
	cr_assert_eq(info.wq_size, 48);
	cr_assert_eq(info.wq_mode, ACCEL_WQ_DEDICATED);
	cr_assert_eq(info.max_batch, DSA_DEFAULT_MAX_BATCH);
	cr_assert_eq(info.max_xfer, DSA_DEFAULT_MAX_XFER);
	accel_close(c);
}

Test(api, the_path_that_did_the_work)
{
	static uint8_t a[4 << 20], b[4 << 20];
	struct accel_opts o = { .backend = "emul", .numa_node = -1 };
	struct accel_ctx *c;

	cr_assert_str_eq(accel_path_name(ACCEL_PATH_CPU), "cpu");
	cr_assert_str_eq(accel_path_name(ACCEL_PATH_DEVICE), "device");
	cr_assert_str_eq(accel_path_name(ACCEL_PATH_SPLIT), "split");
	memset(a, 3, sizeof(a));
	cr_assert_eq(accel_open_opts(&c, &o), 0);
	cr_assert_eq(accel_memcpy(c, b, a, 64), 0);
	cr_assert_eq(accel_last_path(c), ACCEL_PATH_CPU, "tiny copy");
	cr_assert_eq(accel_memcpy(c, b, a, sizeof(a)), 0);
	cr_assert_eq(accel_last_path(c), ACCEL_PATH_SPLIT, "4 MiB copy");
	cr_assert(!memcmp(a, b, sizeof(a)));
	accel_close(c);

	o.flags = ACCEL_OPT_NO_CPU_PATH | ACCEL_OPT_NO_SPLIT;
	cr_assert_eq(accel_open_opts(&c, &o), 0);
	cr_assert_eq(accel_memcpy(c, b, a, 64), 0);
	cr_assert_eq(accel_last_path(c), ACCEL_PATH_DEVICE);
	cr_assert_eq(accel_memcpy(c, b, a, sizeof(a)), 0);
	cr_assert_eq(accel_last_path(c), ACCEL_PATH_DEVICE, "no split asked");
	accel_close(c);
}

/* accel.h answers small copies inline; the library function behind it must
 * give the same results.  The inline copy does not record its path (a
 * store that cost 3-4% of a 64-256 B copy): the path stays that of the
 * last call into the library, and a new thread starts at cpu. */
Test(api, inline_memcpy_and_the_library_function_agree)
{
	static uint8_t a[2 << 20], b[2 << 20];
	int (*lib)(struct accel_ctx *, void *, const void *, size_t) =
		accel_memcpy;
	struct accel_ctx *c;

	for (size_t i = 0; i < sizeof(a); i++)
		a[i] = (uint8_t)(i * 7 + 1);
	cr_assert_eq(accel_memcpy(NULL, b, a, 64), -EINVAL, "inline, no ctx");
	cr_assert_eq(lib(NULL, b, a, 64), -EINVAL, "library, no ctx");
	cr_assert_eq(accel_open(&c, "emul"), 0);
	cr_assert_eq(accel_memcpy(c, b, a, sizeof(a)), 0);
	cr_assert_eq(accel_last_path(c), ACCEL_PATH_SPLIT);
	cr_assert_eq(accel_memcpy(c, b + 3, a + 5, 100), 0);
	cr_assert_eq(accel_last_path(c), ACCEL_PATH_SPLIT,
		     "an inline copy records no path");
	cr_assert(!memcmp(b + 3, a + 5, 100));
	cr_assert_eq(lib(c, b, a, sizeof(a)), 0);
	cr_assert_eq(accel_last_path(c), ACCEL_PATH_SPLIT);
	cr_assert_eq(lib(c, b + 1, a + 9, 100), 0);
	cr_assert_eq(accel_last_path(c), ACCEL_PATH_CPU,
		     "the library's own small path reports cpu");
	cr_assert(!memcmp(b + 1, a + 9, 100));
	cr_assert(!memcmp(b + 101, a + 101, sizeof(a) - 101));
	accel_close(c);
}
