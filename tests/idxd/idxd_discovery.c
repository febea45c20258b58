// SPDX-License-Identifier: MIT
/*
 * Discovery against sysfs trees laid out as
 * Documentation/ABI/stable/sysfs-driver-dsa says, in each kernel's text
 * forms, with unusable queues, missing attributes and garbage values.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "accel.h"
#include "backend.h"
#include "fake_sysfs.h"
#include "idxd.h"

static struct idxd_wq_info w;
static char why[320];

static void setup(void)
{
	fs_new();
	setenv("ACCEL_IDXD_SYSFS", fs_sysfs(), 1);
	setenv("ACCEL_IDXD_DEV", fs_dev(), 1);
}

static void teardown(void)
{
	fs_remove();
}

TestSuite(discovery, .init = setup, .fini = teardown);

static void one(enum fs_form form)
{
	struct fs_dev d = fs_dev_default();
	struct fs_wq q = fs_wq_default("wq0.1", false);

	d.form = form;
	fs_add_dev(&d);
	fs_add_wq(&q);
}

static int find(const char *want, int mode)
{
	why[0] = 0;
	return idxd_wq_find(want, -1, mode, &w, why, sizeof(why));
}

/* ---- op_cap in each kernel's form ---- */

Test(discovery, opcap_5_6_single_word)
{
	uint64_t b[4];

	cr_assert_eq(idxd_parse_opcap("0x1003f03ff", b), 0);
	cr_assert_eq(b[0], 0x1003f03ffull);
	cr_assert_eq(b[1] | b[2] | b[3], 0);
}

Test(discovery, opcap_5_13_four_words_low_first)
{
	uint64_t b[4];

	cr_assert_eq(idxd_parse_opcap("0x1003f03ff 0 0 0x5", b), 0);
	cr_assert_eq(b[0], 0x1003f03ffull);
	cr_assert_eq(b[1], 0);
	cr_assert_eq(b[3], 5);
}

Test(discovery, opcap_6_3_bitmap_high_first)
{
	uint64_t b[4];

	cr_assert_eq(idxd_parse_opcap("00000000,00000000,00000000,00000000,"
				      "00000000,00000000,00000001,003f03ff",
				      b),
		     0);
	cr_assert_eq(b[0], 0x1003f03ffull);
	cr_assert_eq(b[1] | b[2] | b[3], 0);
	cr_assert_eq(idxd_parse_opcap("00000002,00000000,00000000,00000000,"
				      "00000000,00000000,00000000,00000001",
				      b),
		     0);
	cr_assert_eq(b[3], 2ull << 32);
	cr_assert_eq(b[0], 1);
}

Test(discovery, opcap_erratum_form_without_batch)
{
	uint64_t b[4];

	/* 6.9.1+: BATCH (bit 1) cleared where user submission is unsafe. */
	cr_assert_eq(idxd_parse_opcap("00000000,00000000,00000000,00000000,"
				      "00000000,00000000,00000001,003f03fd",
				      b),
		     0);
	cr_assert_eq(b[0] & DSA_OPCAP(DSA_OP_BATCH), 0);
	cr_assert_neq(b[0] & DSA_OPCAP(DSA_OP_MEMMOVE), 0);
}

Test(discovery, opcap_garbage_refused)
{
	uint64_t b[4];
	const char *bad[] = { "", "0xzz", "zz,00000000", "0x1 0x2 0x3 0x4 0x5",
			      "123456789,0", "1,,2", "0x1  garbage",
			      "0,0,0,0,0,0,0,0,0" };

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(idxd_parse_opcap(bad[i], b), -EINVAL, "'%s'",
			     bad[i]);
}

Test(discovery, each_form_gives_the_same_caps)
{
	enum fs_form forms[] = { FS_FORM_5_6, FS_FORM_5_13, FS_FORM_6_3 };

	for (unsigned i = 0; i < 3; i++) {
		struct fs_dev d = fs_dev_default();

		d.form = forms[i];
		fs_add_dev(&d);
		if (!i) {
			struct fs_wq q = fs_wq_default("wq0.1", false);

			fs_add_wq(&q);
		}
		cr_assert_eq(find(NULL, 0), 0, "form %u: %s", i, why);
		cr_assert_eq(w.op_cap[0], DSA_OPCAP_DSA1, "form %u", i);
	}
}

/* ---- Queue attributes ---- */

Test(discovery, a_usable_dedicated_queue)
{
	one(FS_FORM_6_3);
	cr_assert_eq(find(NULL, 0), 0, "%s", why);
	cr_assert_str_eq(w.wq, "wq0.1");
	cr_assert_str_eq(w.dev, "dsa0");
	cr_assert_str_eq(w.name, "app1");
	cr_assert(!w.shared);
	cr_assert_eq(w.size, 32);
	cr_assert_eq(w.max_xfer, 1ull << 31);
	cr_assert_eq(w.max_batch, 1024);
	cr_assert(w.bof);
	cr_assert_eq(w.version, 0x100);
	cr_assert_eq(w.numa_node, 0);
	cr_assert_eq(w.group_id, 0);
	cr_assert(strstr(w.node, "/dev/wq0.1"));
}

Test(discovery, a_shared_queue_and_its_threshold)
{
	struct fs_dev d = fs_dev_default();
	struct fs_wq q = fs_wq_default("wq0.0", true);

	q.threshold = 12;
	fs_add_dev(&d);
	fs_add_wq(&q);
	cr_assert_eq(find(NULL, 0), 0, "%s", why);
	cr_assert(w.shared);
	cr_assert_eq(w.threshold, 12);
}

Test(discovery, shared_threshold_out_of_range)
{
	struct fs_dev d = fs_dev_default();
	struct fs_wq q = fs_wq_default("wq0.0", true);

	q.threshold = 40; /* above size 32 */
	fs_add_dev(&d);
	fs_add_wq(&q);
	cr_assert_eq(find("wq0.0", 0), -EINVAL);
	cr_assert(strstr(why, "threshold"), "%s", why);
}

Test(discovery, kernel_type_queue_is_refused_with_the_fix)
{
	struct fs_dev d = fs_dev_default();
	struct fs_wq q = fs_wq_default("wq0.0", false);

	q.type = "kernel";
	fs_add_dev(&d);
	fs_add_wq(&q);
	cr_assert_eq(find("wq0.0", 0), -EPERM);
	cr_assert(strstr(why, "type is kernel"), "%s", why);
	cr_assert(strstr(why, "--type=user"), "%s", why);
	cr_assert_eq(find(NULL, 0), -ENODEV);
	cr_assert(strstr(why, "no enabled user work queue"), "%s", why);
}

Test(discovery, none_and_mdev_types_are_not_user)
{
	const char *types[] = { "none", "mdev" };

	for (unsigned i = 0; i < 2; i++) {
		struct fs_dev d = fs_dev_default();
		struct fs_wq q = fs_wq_default("wq0.0", false);

		q.type = types[i];
		fs_add_dev(&d);
		fs_add_wq(&q);
		cr_assert_eq(find("wq0.0", 0), -EPERM, "%s", types[i]);
	}
}

Test(discovery, disabled_queue_says_enable_wq)
{
	struct fs_dev d = fs_dev_default();
	struct fs_wq q = fs_wq_default("wq0.3", false);

	q.state = "disabled";
	fs_add_dev(&d);
	fs_add_wq(&q);
	cr_assert_eq(find("wq0.3", 0), -EPERM);
	cr_assert(strstr(why, "enable-wq dsa0/wq0.3"), "%s", why);
}

Test(discovery, disabled_or_halted_device)
{
	const char *st[] = { "disabled", "halted" };

	for (unsigned i = 0; i < 2; i++) {
		struct fs_dev d = fs_dev_default();

		d.state = st[i];
		fs_add_dev(&d);
		if (!i) {
			struct fs_wq q = fs_wq_default("wq0.0", false);

			fs_add_wq(&q);
		}
		cr_assert_eq(find("wq0.0", 0), -EPERM, "%s", st[i]);
		cr_assert(strstr(why, "enable-device"), "%s", why);
	}
}

Test(discovery, no_sva_is_explained)
{
	one(FS_FORM_6_3);
	fs_attr("dsa0", "pasid_enabled", "0\n");
	cr_assert_eq(find("wq0.1", 0), -EPERM);
	cr_assert(strstr(why, "SVA"), "%s", why);
	cr_assert(strstr(why, "sm_on"), "%s", why);
}

Test(discovery, iaa_queue_is_not_a_dsa_queue)
{
	struct fs_wq q = fs_wq_default("wq1.0", false);

	fs_attr("iax1", "state", "enabled\n");
	fs_add_wq(&q);
	cr_assert_eq(find("wq1.0", 0), -ENODEV);
	cr_assert(strstr(why, "dsa1"), "%s", why);
}

Test(discovery, no_tree_at_all)
{
	setenv("ACCEL_IDXD_SYSFS", "/nonexistent/idxd", 1);
	cr_assert_eq(find(NULL, 0), -ENODEV);
	cr_assert(strstr(why, "modprobe idxd"), "%s", why);
}

Test(discovery, empty_tree)
{
	cr_assert_eq(find(NULL, 0), -ENODEV);
	cr_assert(strstr(why, "accel-config"), "%s", why);
}

Test(discovery, missing_size_is_unusable)
{
	one(FS_FORM_6_3);
	fs_attr("wq0.1", "size", NULL);
	cr_assert_eq(find("wq0.1", 0), -EINVAL);
	cr_assert(strstr(why, "size"), "%s", why);
}

Test(discovery, garbage_values_are_unusable)
{
	struct { const char *obj, *attr, *val; } g[] = {
		{ "wq0.1", "size", "lots\n" },
		{ "wq0.1", "size", "-4\n" },
		{ "wq0.1", "size", "0\n" },
		{ "wq0.1", "size", "70000\n" },
		{ "wq0.1", "mode", "exclusive\n" },
		{ "wq0.1", "max_transfer_size", "0\n" },
		{ "wq0.1", "max_batch_size", "x\n" },
		{ "dsa0", "op_cap", "what\n" },
		{ "dsa0", "gen_cap", "0xqq\n" },
	};

	for (unsigned i = 0; i < sizeof(g) / sizeof(g[0]); i++) {
		one(FS_FORM_6_3);
		fs_attr(g[i].obj, g[i].attr, g[i].val);
		cr_assert_eq(find("wq0.1", 0), -EINVAL, "%s/%s=%s", g[i].obj,
			     g[i].attr, g[i].val);
		cr_assert_neq(why[0], 0);
	}
}

Test(discovery, missing_op_cap_is_unusable)
{
	one(FS_FORM_6_3);
	fs_attr("dsa0", "op_cap", NULL);
	cr_assert_eq(find("wq0.1", 0), -EINVAL);
	cr_assert(strstr(why, "op_cap missing"), "%s", why);
}

Test(discovery, old_kernel_limits_from_the_device)
{
	struct fs_dev d = fs_dev_default();
	struct fs_wq q = fs_wq_default("wq0.1", false);

	/* Before 5.10 a queue had no limits of its own. */
	d.form = FS_FORM_5_6;
	d.max_xfer_dev = 1u << 20;
	d.max_batch_dev = 32;
	q.max_xfer = 0;
	q.max_batch = 0;
	fs_add_dev(&d);
	fs_add_wq(&q);
	cr_assert_eq(find(NULL, 0), 0, "%s", why);
	cr_assert_eq(w.max_xfer, 1u << 20);
	cr_assert_eq(w.max_batch, 32);
}

Test(discovery, limits_from_gencap_when_no_attribute)
{
	struct fs_dev d = fs_dev_default();
	struct fs_wq q = fs_wq_default("wq0.1", false);

	d.gen_cap = 1ull | (21ull << 16) | (6ull << 21);
	q.max_xfer = 0;
	q.max_batch = 0;
	fs_add_dev(&d);
	fs_attr("dsa0", "max_transfer_size", NULL);
	fs_attr("dsa0", "max_batch_size", NULL);
	fs_add_wq(&q);
	cr_assert_eq(find(NULL, 0), 0, "%s", why);
	cr_assert_eq(w.max_xfer, 1u << 21);
	cr_assert_eq(w.max_batch, 64);
}

Test(discovery, queue_limits_override_the_device)
{
	struct fs_dev d = fs_dev_default();
	struct fs_wq q = fs_wq_default("wq0.1", false);

	q.max_xfer = 1u << 16;
	q.max_batch = 8;
	fs_add_dev(&d);
	fs_add_wq(&q);
	cr_assert_eq(find(NULL, 0), 0, "%s", why);
	cr_assert_eq(w.max_xfer, 1u << 16);
	cr_assert_eq(w.max_batch, 8);
}

Test(discovery, block_on_fault_needs_queue_and_gencap)
{
	struct fs_dev d = fs_dev_default();
	struct fs_wq q = fs_wq_default("wq0.1", false);

	q.bof = 0;
	fs_add_dev(&d);
	fs_add_wq(&q);
	cr_assert_eq(find(NULL, 0), 0);
	cr_assert(!w.bof, "queue bof 0");
	fs_attr("wq0.1", "block_on_fault", "1\n");
	d.gen_cap &= ~1ull;
	fs_add_dev(&d);
	cr_assert_eq(find(NULL, 0), 0);
	cr_assert(!w.bof, "GENCAP without block-on-fault");
	d.gen_cap |= 1;
	fs_add_dev(&d);
	cr_assert_eq(find(NULL, 0), 0);
	cr_assert(w.bof);
}

Test(discovery, missing_optional_attributes_are_tolerated)
{
	one(FS_FORM_5_13);
	fs_attr("wq0.1", "name", NULL);
	fs_attr("wq0.1", "group_id", NULL);
	fs_attr("wq0.1", "block_on_fault", NULL);
	fs_attr("dsa0", "numa_node", NULL);
	fs_attr("dsa0", "version", NULL);
	fs_attr("dsa0", "gen_cap", NULL);
	cr_assert_eq(find(NULL, 0), 0, "%s", why);
	cr_assert_eq(w.name[0], 0);
	cr_assert_eq(w.group_id, -1);
	cr_assert_eq(w.numa_node, -1);
	cr_assert_eq(w.version, 0);
	cr_assert(!w.bof);
}

Test(discovery, ungrouped_queue_group_id_minus_one)
{
	one(FS_FORM_6_3);
	fs_attr("wq0.1", "group_id", "-1\n");
	cr_assert_eq(find(NULL, 0), 0);
	cr_assert_eq(w.group_id, -1);
}

Test(discovery, named_queue_forms)
{
	char path[4200];

	one(FS_FORM_6_3);
	cr_assert_eq(find("wq0.1", 0), 0, "%s", why);
	cr_assert_eq(find("dsa0/wq0.1", 0), 0, "%s", why);
	snprintf(path, sizeof(path), "%s/wq0.1", fs_dev());
	cr_assert_eq(find(path, 0), 0, "%s", why);
	cr_assert_str_eq(w.node, path);
	cr_assert_eq(find("wq0.9", 0), -ENODEV);
	cr_assert(strstr(why, "no such work queue"), "%s", why);
	cr_assert_eq(find("engine0.1", 0), -ENODEV);
	cr_assert_eq(find("wq0.1x", 0), -ENODEV);
}

Test(discovery, mode_filter)
{
	struct fs_dev d = fs_dev_default();
	struct fs_wq a = fs_wq_default("wq0.0", false);
	struct fs_wq b = fs_wq_default("wq0.1", true);

	fs_add_dev(&d);
	fs_add_wq(&a);
	fs_add_wq(&b);
	cr_assert_eq(find(NULL, 2), 0);
	cr_assert_str_eq(w.wq, "wq0.1");
	cr_assert_eq(find(NULL, 1), 0);
	cr_assert_str_eq(w.wq, "wq0.0");
	cr_assert_eq(find("wq0.0", 2), -EINVAL);
	cr_assert(strstr(why, "dedicated queue"), "%s", why);
}

Test(discovery, skips_unusable_and_takes_the_next)
{
	struct fs_dev d = fs_dev_default();
	struct fs_wq a = fs_wq_default("wq0.0", false);
	struct fs_wq b = fs_wq_default("wq0.1", false);
	struct fs_wq c = fs_wq_default("wq0.2", true);

	a.type = "kernel";
	b.state = "disabled";
	fs_add_dev(&d);
	fs_add_wq(&a);
	fs_add_wq(&b);
	fs_add_wq(&c);
	cr_assert_eq(find(NULL, 0), 0, "%s", why);
	cr_assert_str_eq(w.wq, "wq0.2");
}

Test(discovery, numa_nearest_queue)
{
	struct fs_dev d0 = fs_dev_default(), d1 = fs_dev_default();
	struct fs_wq a = fs_wq_default("wq0.0", false);
	struct fs_wq b = fs_wq_default("wq1.0", false);

	d1.id = 1;
	d0.numa_node = 1;
	d1.numa_node = 0;
	fs_add_dev(&d0);
	fs_add_dev(&d1);
	fs_add_wq(&a);
	fs_add_wq(&b);
	cr_assert_eq(idxd_wq_find(NULL, 0, 0, &w, why, sizeof(why)), 0);
	cr_assert_str_eq(w.wq, "wq1.0", "node 0 wants dsa1");
	cr_assert_eq(idxd_wq_find(NULL, 1, 0, &w, why, sizeof(why)), 0);
	cr_assert_str_eq(w.wq, "wq0.0", "node 1 wants dsa0");
	/* Unknown node on one device: the known one first. */
	fs_attr("dsa1", "numa_node", "-1\n");
	cr_assert_eq(idxd_wq_find(NULL, 0, 0, &w, why, sizeof(why)), 0);
	cr_assert_str_eq(w.wq, "wq0.0");
}

Test(discovery, open_by_backend_reports_the_reason)
{
	struct accel_ctx *c = NULL;
	struct fs_dev d = fs_dev_default();
	struct fs_wq q = fs_wq_default("wq0.0", false);

	q.type = "kernel";
	fs_add_dev(&d);
	fs_add_wq(&q);
	cr_assert_eq(accel_open(&c, "idxd"), -ENODEV);
	cr_assert(strstr(accel_open_detail(), "type is kernel"), "%s",
		  accel_open_detail());
	/* The next open starts afresh: no stale reason. */
	cr_assert_eq(accel_open(&c, "emul"), 0);
	cr_assert_str_eq(accel_open_detail(), "");
	accel_close(c);
}

/*
 * Run fn as a user without the node's permission: root opens any file, so
 * under root a child drops to nobody first.  fn's result: 0 or a code.
 */
static int as_unprivileged(int (*fn)(void))
{
	int status = 0;
	pid_t pid;

	if (geteuid() != 0)
		return fn();
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534))
			_exit(90);
		_exit(fn());
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 99;
}

static int open_refused(void)
{
	struct accel_ctx *c = NULL;
	int rc = accel_open(&c, "idxd");

	if (rc != -EACCES)
		return 1;
	if (!strstr(accel_open_detail(), "permission denied"))
		return 2;
	/* auto passes over a queue this user cannot open */
	if (accel_idxd_present())
		return 3;
	if (accel_open(&c, NULL) || !strcmp(accel_backend_name(c), "idxd"))
		return 4;
	accel_close(c);
	return 0;
}

Test(discovery, node_permission_is_explained)
{
	char p[4200];

	one(FS_FORM_6_3);
	snprintf(p, sizeof(p), "%s/wq0.1", fs_dev());
	chmod(p, 0600);
	cr_assert_eq(as_unprivileged(open_refused), 0,
		     "unprivileged open of a 0600 node");
}

Test(discovery, missing_node_is_explained)
{
	struct accel_ctx *c = NULL;
	char p[4200];

	one(FS_FORM_6_3);
	snprintf(p, sizeof(p), "%s/wq0.1", fs_dev());
	unlink(p);
	cr_assert_eq(accel_open(&c, "idxd"), -ENODEV);
	cr_assert(strstr(accel_open_detail(), "node missing"), "%s",
		  accel_open_detail());
}

Test(discovery, auto_prefers_a_usable_idxd_queue)
{
	struct accel_ctx *c = NULL;
	char p[4200];

	unsetenv("ACCEL_BACKEND");
	/* No queue: auto is not idxd. */
	cr_assert_eq(accel_open(&c, NULL), 0);
	cr_assert_str_neq(accel_backend_name(c), "idxd");
	accel_close(c);
	cr_assert(!accel_idxd_present());
	/* (A queue whose node this user cannot open: see
	 * node_permission_is_explained.) */
	one(FS_FORM_6_3);
	snprintf(p, sizeof(p), "%s/wq0.1", fs_dev());
	chmod(p, 0666);
	/* An enabled user queue this user can open: idxd comes first. */
	cr_assert(accel_idxd_present());
	fs_attr("wq0.1", "type", "kernel\n");
	cr_assert(!accel_idxd_present());
}
