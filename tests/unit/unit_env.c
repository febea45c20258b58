// SPDX-License-Identifier: MIT
/*
 * What a user sets from outside: environment variables (each validated, a
 * bad value refused with a message naming the variable and the value),
 * options that name things the machine does not have, and the messages
 * and limits of the API's documented answers.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <numa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "tcommon.h"

/* accel_open(backend) with stderr captured into out. */
static int open_capturing(const char *backend, char *out, size_t outsz,
			  struct accel_ctx **c)
{
	FILE *tmp = tmpfile();
	int saved = dup(2), rc;
	size_t len;

	cr_assert(tmp && saved >= 0);
	fflush(stderr);
	dup2(fileno(tmp), 2);
	rc = accel_open(c, backend);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	len = fread(out, 1, outsz - 1, tmp);
	out[len] = '\0';
	fclose(tmp);
	return rc;
}

static void expect_refused(const char *var, const char *value)
{
	struct accel_ctx *c = (struct accel_ctx *)1;
	char msg[512], want[256];
	int rc;

	setenv(var, value, 1);
	rc = open_capturing("emul", msg, sizeof(msg), &c);
	unsetenv(var);
	cr_expect_eq(rc, -EINVAL, "%s=\"%s\": accel_open gave %d", var, value,
		     rc);
	cr_expect_null(c, "no context on failure");
	snprintf(want, sizeof(want), "%s=\"%s\"", var, value);
	cr_expect(strstr(msg, want), "message names %s: \"%s\"", want, msg);
	if (!rc)
		accel_close(c);
}

static size_t accepted(const char *var, const char *value)
{
	struct accel_ctx *c;
	char msg[512];
	size_t v;
	int rc;

	setenv(var, value, 1);
	rc = open_capturing("emul", msg, sizeof(msg), &c);
	unsetenv(var);
	cr_assert_eq(rc, 0, "%s=\"%s\" refused: %s", var, value, msg);
	cr_expect_eq(msg[0], '\0', "no message for a good value: %s", msg);
	v = !strcmp(var, "ACCEL_CPU_MAX")   ? c->head.cpu_max :
	    !strcmp(var, "ACCEL_SPLIT_MIN") ? c->tune.split_min :
					      accel_stream_min;
	accel_close(c);
	return v;
}

static const char *const size_vars[] = { "ACCEL_CPU_MAX", "ACCEL_SPLIT_MIN",
					  "ACCEL_STREAM_MIN" };

Test(env, sizes_are_parsed_strictly)
{
	static const char *const bad[] = {
		"garbage", "-5", "", " 64", "64 ", "+64", "0x10", "64KB", "64K1",
		"1.5M", "K", "18446744073709551616", "99999999999999999999",
		"17179869184G", "64T",
	};

	for (unsigned v = 0; v < 3; v++) {
		for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			expect_refused(size_vars[v], bad[i]);
		cr_expect_eq(accepted(size_vars[v], "0"), 0);
		cr_expect_eq(accepted(size_vars[v], "4096"), 4096);
		cr_expect_eq(accepted(size_vars[v], "64K"), 64 << 10);
		cr_expect_eq(accepted(size_vars[v], "64k"), 64 << 10);
		cr_expect_eq(accepted(size_vars[v], "3M"), 3 << 20);
		cr_expect_eq(accepted(size_vars[v], "2G"), 2ull << 30);
		cr_expect_eq(accepted(size_vars[v], "18446744073709551615"),
			     SIZE_MAX);
		cr_expect_eq(accepted(size_vars[v], "16777215G"),
			     16777215ull << 30);
	}
	/* Restore what the last accepted value left in the global. */
	accepted("ACCEL_STREAM_MIN", "16M");
}

Test(env, bad_backend_names_the_variable)
{
	struct accel_ctx *c = (struct accel_ctx *)1;
	char msg[512];

	setenv("ACCEL_BACKEND", "garbage", 1);
	cr_expect_eq(open_capturing(NULL, msg, sizeof(msg), &c), -ENOENT);
	cr_expect_null(c);
	cr_expect(strstr(msg, "ACCEL_BACKEND=\"garbage\""),
		  "message names the variable and value: \"%s\"", msg);
	cr_expect_eq(open_capturing("auto", msg, sizeof(msg), &c), -ENOENT);
	/* A backend named by the caller wins over the variable. */
	cr_expect_eq(open_capturing("cpu", msg, sizeof(msg), &c), 0);
	accel_close(c);
	unsetenv("ACCEL_BACKEND");
}

/* Every getenv() in libaccel/ is a variable that docs/api.md and README.md
 * list (run from the top of the tree, as make check does). */
Test(env, every_variable_is_documented)
{
	FILE *p = popen("grep -ho 'getenv(\"[A-Z_]*\")\\|env_size(\"[A-Z_]*\"' "
			"libaccel/*.c | grep -o '\"[A-Z_]*\"' | tr -d '\"' | "
			"sort -u",
			"r");
	char var[64], cmd[256];
	int n = 0;

	cr_assert(p);
	while (fscanf(p, "%63s", var) == 1) {
		n++;
		for (int f = 0; f < 2; f++) {
			const char *doc = f ? "README.md" : "docs/api.md";

			snprintf(cmd, sizeof(cmd), "grep -q '`%s`' %s", var, doc);
			cr_expect_eq(system(cmd), 0, "%s is not documented in %s",
				     var, doc);
		}
	}
	pclose(p);
	cr_expect_geq(n, 5, "found only %d variables: run from the top", n);
}

Test(env, numa_node_must_exist)
{
	struct accel_opts o = { .backend = "emul" };
	struct accel_ctx *c = (struct accel_ctx *)1;
	int max = numa_available() < 0 ? 0 : numa_max_node();

	o.numa_node = max + 1;
	cr_expect_eq(accel_open_opts(&c, &o), -EINVAL, "node %d", max + 1);
	cr_expect_null(c);
	o.numa_node = 42 > max ? 42 : max + 42;
	cr_expect_eq(accel_open_opts(&c, &o), -EINVAL);
	o.numa_node = -2;
	cr_expect_eq(accel_open_opts(&c, &o), -EINVAL);
	o.numa_node = 0;
	cr_assert_eq(accel_open_opts(&c, &o), 0, "node 0 always exists");
	accel_close(c);
	o.numa_node = -1;
	cr_assert_eq(accel_open_opts(&c, &o), 0, "-1: near the caller");
	accel_close(c);
}

Test(env, documented_positive_returns_have_messages)
{
	cr_expect_str_neq(accel_strerror(1), "unknown error");
	cr_expect(strstr(accel_strerror(1), "differ"),
		  "compare's 1 explained: %s", accel_strerror(1));
}

/* An asynchronous op larger than the queue's maximum transfer is refused
 * when submitted, as the synchronous calls refuse it; nothing runs. */
Test(env, async_larger_than_max_xfer_refused_at_submit)
{
	for (int b = 0; b < tb_count(); b++) {
		struct accel_ctx *c = tb_open(b);
		struct accel_info info;
		struct accel_op op, m[2], bt;
		struct accel_batch *ib;
		static uint8_t buf[4096];
		size_t n;

		cr_assert_eq(accel_get_info(c, &info), 0);
		n = info.max_xfer + 4096;
		cr_assert_leq(n, UINT32_MAX, "a size a descriptor can hold");
		accel_prep_memmove(&op, buf, buf + 2048, n, 0);
		cr_expect_eq(accel_submit(c, &op), -E2BIG, "%s", tb_name(b));
		accel_prep_fill(&op, buf, 0, n, 0);
		cr_expect_eq(accel_submit(c, &op), -E2BIG);
		accel_prep_crc32c(&op, buf, n, 0, 0);
		cr_expect_eq(accel_submit(c, &op), -E2BIG);
		cr_expect_eq(accel_fill(c, buf, 0, n), -E2BIG, "sync, for reference");
		accel_prep_noop(&m[0]);
		accel_prep_memmove(&m[1], buf, buf + 2048, n, 0);
		cr_expect_eq(accel_submit_batch(c, &bt, m, 2), -E2BIG);
		cr_expect_eq(m[0].state, ACCEL_OPST_IDLE, "members left idle");
		cr_assert_eq(accel_batch_create(c, 2, &ib), 0);
		cr_expect_eq(accel_batch_add(ib, &m[1]), -E2BIG);
		accel_batch_destroy(ib);
		/* The largest transfer itself is accepted (and ends at once
		 * on its unmapped source). */
		accel_prep_memmove(&op, buf, tb_unmapped(1), info.max_xfer, 0);
		cr_expect_eq(accel_submit(c, &op), 0);
		cr_expect_eq(accel_wait(c, &op, ACCEL_WAIT_PAUSE), -EFAULT);
		accel_close(c);
	}
}

/* docs/api.md: every wait mode works on the cpu backend, where an op has
 * completed when accel_submit() returns (a resumed page fault included). */
Test(env, event_wait_on_the_cpu_backend)
{
	struct accel_ctx *c;
	struct accel_op op;
	uint8_t *src = tb_pages(4), *dst = tb_pages(4);

	cr_assert_eq(accel_open(&c, "cpu"), 0);
	accel_prep_memmove(&op, dst, src, 4 * 4096, 0); /* pages not present */
	cr_assert_eq(accel_submit(c, &op), 0);
	cr_expect_eq(accel_wait(c, &op, ACCEL_WAIT_EVENT), 0);
	accel_close(c);
}
