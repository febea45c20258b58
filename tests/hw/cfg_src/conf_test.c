// SPDX-License-Identifier: MIT
/*
 * dsactl's configuration file on the host: parsing, the rules across keys
 * and the rules against a device's capabilities, each mistake with its
 * line (tools/dsactl/conf.c).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dsactl.h"

struct run {
	struct dsactl_conf c;
	int parse_rc, check_rc;
	char *msgs;
	size_t len;
};

/* The twin's DSA 2.0 (twin/twin_regs.c): 8 queues, 128 entries, 4
 * groups, 4 engines, 2 GiB transfers, batches of 1024. */
static struct dsactl_caps twin_caps = {
	.nwqs = 8, .ngroups = 4, .nengines = 4, .total_size = 128,
	.max_xfer = 1ull << 31, .max_batch = 1024,
	.shared = true, .pasid = true, .bof = true,
};

static int fake_caps(void *ctx, int dev, struct dsactl_caps *caps)
{
	const struct dsactl_caps *c = ctx;

	if (dev != 0)
		return -ENOENT;
	*caps = *c;
	return 0;
}

static void run_conf(struct run *r, const char *text,
		     const struct dsactl_caps *caps)
{
	FILE *err = open_memstream(&r->msgs, &r->len);

	cr_assert_not_null(err);
	r->parse_rc = dsactl_conf_parse(&r->c, "t.conf", text, err);
	r->check_rc = dsactl_conf_check(&r->c, caps ? fake_caps : NULL,
					(void *)caps, err);
	fclose(err);
}

static void done(struct run *r)
{
	dsactl_conf_free(&r->c);
	free(r->msgs);
}

static unsigned int lines_of(const char *s)
{
	unsigned int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* text gives exactly one message, which contains want. */
static void expect_one(const char *text, const struct dsactl_caps *caps,
		       const char *want)
{
	struct run r;

	run_conf(&r, text, caps);
	cr_expect(r.parse_rc == -EINVAL || r.check_rc == -EINVAL,
		  "accepted: %s", text);
	cr_expect(strstr(r.msgs, want) != NULL, "wanted '%s', got:\n%s", want, r.msgs);
	cr_expect_eq(lines_of(r.msgs), 1, "one message wanted, got:\n%s", r.msgs);
	done(&r);
}

Test(conf, parses_a_full_file)
{
	struct run r;
	const struct dsactl_section *s;

	run_conf(&r,
		 "# a comment\n"
		 "\n"
		 "[dsa0]\n"
		 "enable = 1\r\n"
		 "[engine0.3]\n"
		 "  group_id=2   ; trailing comment\n"
		 "[wq0.1]\n"
		 "mode = shared\n"
		 "size = 48\n"
		 "threshold = 0x20\n"
		 "priority = 15\n"
		 "group_id = -1\n"
		 "block_on_fault = 1\n"
		 "max_transfer_size = 1m\n"
		 "max_batch_size = 64\n"
		 "enable = 0\n",
		 &twin_caps);
	cr_assert_eq(r.parse_rc, 0, "%s", r.msgs);
	cr_assert_eq(r.check_rc, 0, "%s", r.msgs);
	cr_assert_eq(r.c.n, 3);
	s = &r.c.sec[0];
	cr_expect(s->kind == DSACTL_DSA && s->dev == 0 && s->line == 3);
	cr_expect(s->has[DSACTL_K_ENABLE] && s->val[DSACTL_K_ENABLE] == 1);
	s = &r.c.sec[1];
	cr_expect(s->kind == DSACTL_ENGINE && s->idx == 3);
	cr_expect(s->val[DSACTL_K_GROUP_ID] == 2 && s->key_line[DSACTL_K_GROUP_ID] == 6);
	s = &r.c.sec[2];
	cr_expect(s->kind == DSACTL_WQ && s->dev == 0 && s->idx == 1);
	cr_expect(s->val[DSACTL_K_MODE] == 0);
	cr_expect(s->val[DSACTL_K_SIZE] == 48);
	cr_expect(s->val[DSACTL_K_THRESHOLD] == 32);
	cr_expect(s->val[DSACTL_K_GROUP_ID] == -1);
	cr_expect(s->val[DSACTL_K_MAX_XFER] == 1 << 20);
	cr_expect(!s->has[DSACTL_K_MAX_BATCH] || s->val[DSACTL_K_MAX_BATCH] == 64);
	cr_expect_eq(r.len, 0, "no message wanted: %s", r.msgs);
	done(&r);
}

Test(conf, empty_file_is_valid)
{
	struct run r;

	run_conf(&r, "", &twin_caps);
	cr_expect_eq(r.parse_rc, 0);
	cr_expect_eq(r.check_rc, 0);
	cr_expect_eq(r.c.n, 0);
	done(&r);
}

Test(conf, syntax_errors_name_their_line)
{
	expect_one("[wq0.0]\nmode dedicated\n", NULL, "t.conf:2: expected 'key = value'");
	expect_one("\n[wq0.0\n", NULL, "t.conf:2: a section header is [name] alone");
	expect_one("[wq0.0] x\n", NULL, "t.conf:1: a section header");
	expect_one("size = 4\n", NULL, "t.conf:1: 'size' before any [section]");
	expect_one("[wq0.0]\nsize =\n", NULL, "t.conf:2: 'size' has no value");
}

Test(conf, section_names)
{
	expect_one("[queue0.1]\n", NULL, "t.conf:1: unknown section [queue0.1]");
	expect_one("[wq0]\n", NULL, "unknown section [wq0]");
	expect_one("[wq0.1x]\n", NULL, "unknown section [wq0.1x]");
	expect_one("[dsa]\n", NULL, "unknown section [dsa]");
	expect_one("[dsa0.1]\n", NULL, "unknown section [dsa0.1]");
	expect_one("[engine.1]\n", NULL, "unknown section [engine.1]");
	expect_one("[wq0.1]\n[dsa0]\n[wq0.1]\n", NULL,
		   "t.conf:3: section [wq0.1] already given at line 1");
}

Test(conf, keys)
{
	expect_one("[wq0.1]\ncolour = blue\n", NULL, "t.conf:2: unknown key 'colour'");
	expect_one("[engine0.1]\nsize = 4\n", NULL,
		   "t.conf:2: 'size' does not apply to [engine0.1]");
	expect_one("[dsa0]\ngroup_id = 1\n", NULL, "'group_id' does not apply to [dsa0]");
	expect_one("[wq0.1]\nsize = 4\n\nsize = 8\n", NULL,
		   "t.conf:4: 'size' of [wq0.1] already set at line 2");
}

Test(conf, values_and_ranges)
{
	expect_one("[wq0.1]\nmode = turbo\n", NULL, "t.conf:2: mode 'turbo': dedicated or shared");
	expect_one("[wq0.1]\nsize = 12x\n", NULL, "'12x' is not a number (for size)");
	expect_one("[wq0.1]\npriority = 0\n", NULL, "priority 0: out of range 1 to 15");
	expect_one("[wq0.1]\npriority = 16\n", NULL, "priority 16: out of range 1 to 15");
	expect_one("[wq0.1]\ngroup_id = -2\n", NULL, "group_id -2: out of range -1 to 255");
	expect_one("[wq0.1]\nsize = 65536\n", NULL, "size 65536: out of range 0 to 65535");
	expect_one("[wq0.1]\nthreshold = 0\n", NULL, "threshold 0: out of range");
	expect_one("[wq0.1]\nenable = 2\n", NULL, "enable 2: out of range 0 to 1");
	expect_one("[wq0.1]\nblock_on_fault = yes\n", NULL, "'yes' is not a number");
	expect_one("[wq0.1]\nmax_transfer_size = 4g\n", NULL, "out of range 1 to 2147483648");
	expect_one("[wq0.1]\nmax_batch_size = 0\n", NULL, "max_batch_size 0: out of range");
	/* A suffix on a negative number: refused, not shifted (UBSan). */
	expect_one("[wq0.1]\nmax_transfer_size = -1k\n", NULL, "'-1k' is not a number");
	expect_one("[wq0.1]\nsize = 64k\n", NULL, "size 65536: out of range 0 to 65535");
}

Test(conf, every_mistake_is_reported)
{
	struct run r;

	run_conf(&r,
		 "[wq0.1]\n"
		 "mode = odd\n"
		 "size = -1\n"
		 "[bogus]\n"
		 "size = 3\n" /* belongs to the bad header: not reported again */
		 "[wq0.2]\n"
		 "priority = 99\n",
		 NULL);
	cr_expect_eq(r.parse_rc, -EINVAL);
	cr_expect(strstr(r.msgs, "t.conf:2:") && strstr(r.msgs, "t.conf:3:") &&
			  strstr(r.msgs, "t.conf:4:") && strstr(r.msgs, "t.conf:7:"),
		  "%s", r.msgs);
	cr_expect_eq(lines_of(r.msgs), 4, "%s", r.msgs);
	done(&r);
}

Test(conf, rules_of_one_queue)
{
	expect_one("[wq0.1]\nmode = dedicated\nthreshold = 4\n", NULL,
		   "t.conf:3: [wq0.1]: a threshold applies to shared queues only");
	expect_one("[wq0.1]\nmode = shared\nthreshold = 40\nsize = 32\n", NULL,
		   "t.conf:3: [wq0.1]: threshold 40 above size 32");
	expect_one("[wq0.1]\ngroup_id = -1\nenable = 1\n", NULL,
		   "t.conf:3: [wq0.1]: enabled but in no group");
	expect_one("[wq0.1]\nsize = 0\nenable = 1\n", NULL,
		   "t.conf:3: [wq0.1]: enabled with size 0");
}

Test(conf, rules_against_the_device)
{
	struct dsactl_caps c = twin_caps;

	expect_one("[wq1.0]\nsize = 4\n", &twin_caps, "t.conf:1: no device dsa1");
	expect_one("[wq0.8]\n", &twin_caps, "t.conf:1: [wq0.8]: dsa0 has queues 0 to 7");
	expect_one("[engine0.4]\n", &twin_caps, "[engine0.4]: dsa0 has engines 0 to 3");
	expect_one("[wq0.1]\ngroup_id = 4\n", &twin_caps,
		   "t.conf:2: [wq0.1]: group 4: dsa0 has groups 0 to 3");
	expect_one("[engine0.1]\ngroup_id = 7\n", &twin_caps, "group 7: dsa0 has groups 0 to 3");
	expect_one("[wq0.1]\nmax_batch_size = 2048\n", &twin_caps,
		   "t.conf:2: [wq0.1]: max_batch_size 2048 above the device's 1024");
	c.max_xfer = 1 << 20;
	expect_one("[wq0.1]\nmax_transfer_size = 2m\n", &c,
		   "max_transfer_size 2097152 above the device's 1048576");
	c = twin_caps;
	c.max_batch = 0;
	expect_one("[wq0.1]\nmax_batch_size = 2\n", &c, "dsa0 has no batch operation");
	c = twin_caps;
	c.shared = false;
	expect_one("[wq0.1]\nmode = shared\n", &c, "t.conf:2: [wq0.1]: dsa0 has no shared queues");
	c = twin_caps;
	c.pasid = false;
	expect_one("[wq0.1]\nmode = shared\nenable = 1\n", &c,
		   "t.conf:3: [wq0.1]: a shared queue needs PASID support, which dsa0 lacks");
	c = twin_caps;
	c.bof = false;
	expect_one("[wq0.1]\nblock_on_fault = 1\n", &c, "dsa0 has no block on fault");
}

/* max_transfer_size = the device's maximum is fine: the one message
 * above must not be there. */
Test(conf, limits_at_the_maximum_pass)
{
	struct run r;

	run_conf(&r, "[wq0.1]\nmax_transfer_size = 2g\nmax_batch_size = 1024\n", &twin_caps);
	cr_expect_eq(r.parse_rc, 0, "%s", r.msgs);
	cr_expect_eq(r.check_rc, 0, "%s", r.msgs);
	done(&r);
}

Test(conf, sizes_add_up_per_device)
{
	expect_one("[wq0.0]\nsize = 100\n[wq0.1]\nsize = 29\n", &twin_caps,
		   "t.conf:4: dsa0: the queues' sizes add up to 129, the device holds 128");
}

Test(conf, one_size_above_the_total)
{
	struct run r;

	run_conf(&r, "[wq0.0]\nsize = 200\n", &twin_caps);
	cr_expect_eq(r.check_rc, -EINVAL);
	cr_expect(strstr(r.msgs, "t.conf:2: [wq0.0]: size 200 above the device's 128 entries in all\n"),
		  "%s", r.msgs);
	cr_expect(strstr(r.msgs, "t.conf:2: dsa0: the queues' sizes add up to 200"), "%s", r.msgs);
	done(&r);
}
