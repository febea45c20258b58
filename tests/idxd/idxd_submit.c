// SPDX-License-Identifier: MIT
/*
 * The idxd backend against the test double of the kernel's character
 * device: which submission path it takes and says it takes, the erratum
 * restrictions, dedicated-queue accounting, and the failures users meet.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "accel.h"
#include "idxd_double.h"
#include "internal.h"

static struct idxd_double_cfg cfg;

static void setup(void)
{
	unsetenv("ACCEL_IDXD_SUBMIT");
	unsetenv("ACCEL_BACKEND");
	accel_cpu_detect();
}

static void teardown(void)
{
	idxd_double_stop();
}

TestSuite(submit, .init = setup, .fini = teardown);

static struct accel_ctx *open_named(const char *name, struct accel_info *info)
{
	struct accel_ctx *c = NULL;
	int rc;

	cr_assert(idxd_double_named(name, &cfg));
	idxd_double_start(&cfg);
	rc = accel_open(&c, "idxd");
	cr_assert_eq(rc, 0, "%s: %s (%s)", name, accel_strerror(rc),
		     accel_open_detail());
	cr_assert_eq(accel_get_info(c, info), 0);
	return c;
}

static struct accel_ctx *open_cfg(struct accel_info *info)
{
	struct accel_ctx *c = NULL;
	int rc;

	idxd_double_start(&cfg);
	rc = accel_open(&c, "idxd");
	cr_assert_eq(rc, 0, "%s (%s)", accel_strerror(rc),
		     accel_open_detail());
	cr_assert_eq(accel_get_info(c, info), 0);
	return c;
}

static void copy_ok(struct accel_ctx *c, size_t n)
{
	uint8_t *a = malloc(n), *b = calloc(1, n);
	struct accel_op op;

	memset(a, 0x5a, n);
	accel_prep_memmove(&op, b, a, n, 0);
	cr_assert_eq(accel_submit(c, &op), 0);
	cr_assert_eq(accel_wait(c, &op, ACCEL_WAIT_PAUSE), 0);
	cr_assert(!memcmp(a, b, n));
	free(a);
	free(b);
}

Test(submit, shared_queue_through_write_says_so)
{
	struct accel_info info;
	struct accel_ctx *c = open_named("shared-write", &info);

	cr_assert_str_eq(info.backend, "idxd");
	cr_assert(!strncmp(info.device, "wq0.0 (write", 12), "%s",
		  info.device);
	cr_assert_eq(info.wq_mode, ACCEL_WQ_SHARED);
	cr_assert_eq(info.wq_size, 32);
	copy_ok(c, 4096);
	cr_assert_gt(idxd_double_write_descs(), 0);
	cr_assert_eq(idxd_double_portal_descs(), 0);
	accel_close(c);
}

Test(submit, dedicated_portal_path)
{
	struct accel_info info;
	struct accel_ctx *c = open_named("dedicated-portal", &info);

	cr_assert_str_eq(info.device, "wq0.0 (portal)");
	for (int i = 0; i < 200; i++)
		copy_ok(c, 64 + (size_t)i);
	cr_assert_geq(idxd_double_portal_descs(), 200);
	cr_assert_eq(idxd_double_write_descs(), 0);
	cr_assert_eq(idxd_double_dropped(), 0);
	accel_close(c);
}

Test(submit, real_movdir64b_into_the_portal_page)
{
	struct accel_info info;
	struct accel_ctx *c;

	if (!accel_cpu.movdir64b)
		cr_skip_test("this CPU has no MOVDIR64B: the instruction "
			     "itself cannot run here (the portal logic runs in "
			     "dedicated_portal_path through the double)");
	c = open_named("dedicated-portal", &info);
	for (int i = 0; i < 200; i++)
		copy_ok(c, 64 + (size_t)i);
	cr_assert_geq(idxd_double_page_descs(), 200);
	accel_close(c);
}

Test(submit, shared_portal_enqcmd_retries_at_threshold)
{
	struct accel_info info;
	struct accel_ctx *c;
	static uint8_t a[64], b[64];
	struct accel_op op[8];
	int ok = 0, rc;

	idxd_double_named("shared-portal", &cfg);
	cfg.wq[0].threshold = 3;
	c = open_cfg(&info);
	cr_assert_str_eq(info.device, "wq0.0 (portal)");
	cr_assert_eq(info.wq_size, 3);
	idxd_double_pause(true);
	for (int i = 0; i < 8; i++) {
		accel_prep_memmove(&op[i], b, a, sizeof(a), 0);
		rc = accel_submit(c, &op[i]);
		if (rc == 0)
			ok++;
		else
			cr_assert_eq(rc, -EAGAIN, "%s", accel_strerror(rc));
	}
	cr_assert_eq(ok, 3);
	idxd_double_pause(false);
	for (int i = 0; i < ok; i++)
		cr_assert_eq(accel_wait(c, &op[i], ACCEL_WAIT_PAUSE), 0);
	cr_assert_eq(idxd_double_last_pasid(), 0x2a);
	cr_assert_eq(idxd_double_write_descs(), 0);
	accel_close(c);
}

Test(submit, erratum_portal_refused_without_rawio)
{
	struct accel_info info;
	struct accel_ctx *c = open_named("dedicated-write", &info);

	cr_assert(strstr(info.device, "CAP_SYS_RAWIO"), "%s", info.device);
	cr_assert(strstr(info.device, "write"), "%s", info.device);
	copy_ok(c, 100);
	cr_assert_eq(idxd_double_portal_descs(), 0);
	accel_close(c);
}

Test(submit, unaffected_part_maps_the_portal_without_rawio)
{
	struct accel_info info;
	struct accel_ctx *c;

	idxd_double_named("dedicated-write", &cfg);
	cfg.affected = false;
	c = open_cfg(&info);
	cr_assert_str_eq(info.device, "wq0.0 (portal)");
	copy_ok(c, 100);
	accel_close(c);
}

Test(submit, write_forced_by_setting)
{
	struct accel_info info;
	struct accel_ctx *c;

	setenv("ACCEL_IDXD_SUBMIT", "write", 1);
	c = open_named("dedicated-portal", &info);
	cr_assert(!strncmp(info.device, "wq0.0 (write", 12), "%s",
		  info.device);
	copy_ok(c, 100);
	cr_assert_eq(idxd_double_portal_descs(), 0);
	accel_close(c);
}

Test(submit, unknown_forced_path_is_refused)
{
	struct accel_ctx *c = NULL;

	cr_assert(idxd_double_named("dedicated-portal", &cfg));
	idxd_double_start(&cfg);
	setenv("ACCEL_IDXD_SUBMIT", "portl", 1);
	cr_assert_eq(accel_open(&c, "idxd"), -EINVAL);
	cr_assert_null(c);
}

static void batch_ok(struct accel_ctx *c)
{
	static uint8_t a[4][256], b[4][256];
	struct accel_op batch, m[4];

	for (int i = 0; i < 4; i++) {
		memset(a[i], i + 1, sizeof(a[i]));
		memset(b[i], 0, sizeof(b[i]));
		accel_prep_memmove(&m[i], b[i], a[i], sizeof(a[i]), 0);
	}
	cr_assert_eq(accel_submit_batch(c, &batch, m, 4), 0);
	cr_assert_eq(accel_wait(c, &batch, ACCEL_WAIT_PAUSE), 0);
	for (int i = 0; i < 4; i++) {
		cr_assert_eq(accel_wait(c, &m[i], ACCEL_WAIT_PAUSE), 0);
		cr_assert(!memcmp(a[i], b[i], sizeof(a[i])));
	}
	cr_assert_eq(batch.comp.bytes_completed, 4);
}

Test(submit, batch_on_dsa1_write_runs_in_the_library)
{
	struct accel_info info;
	struct accel_ctx *c = open_named("shared-write", &info);
	uint64_t before;

	cr_assert(strstr(info.device, "batch by library"), "%s", info.device);
	cr_assert_neq(info.op_cap & DSA_OPCAP(DSA_OP_BATCH), 0);
	/* The whole story fits: nothing cut off at the end. */
	cr_assert_eq(info.device[strlen(info.device) - 1], ')', "%s",
		     info.device);
	before = idxd_double_write_descs();
	batch_ok(c);
	/* Nothing reached write(): the kernel would have refused it. */
	cr_assert_eq(idxd_double_write_descs(), before);
	accel_close(c);
}

Test(submit, batch_on_dsa2_goes_to_the_device)
{
	struct accel_info info;
	struct accel_ctx *c;
	uint64_t before;

	idxd_double_named("shared-write", &cfg);
	cfg.dev.version = 0x200;
	c = open_cfg(&info);
	cr_assert(!strstr(info.device, "batch by library"), "%s",
		  info.device);
	before = idxd_double_write_descs();
	batch_ok(c);
	cr_assert_eq(idxd_double_write_descs(), before + 1);
	accel_close(c);
}

Test(submit, batch_refused_by_an_older_kernel_runs_in_the_library)
{
	struct accel_info info;
	struct accel_ctx *c;
	uint64_t before;

	idxd_double_named("shared-write", &cfg);
	cfg.dev.version = 0x200;
	cfg.batch_refused_any_version = true;
	c = open_cfg(&info);
	before = idxd_double_write_descs();
	batch_ok(c);
	batch_ok(c);
	cr_assert_eq(idxd_double_write_descs(), before);
	accel_close(c);
}

Test(submit, pasid_forced_on_shared_write)
{
	struct accel_info info;
	struct accel_ctx *c = open_named("shared-write", &info);

	cr_assert_eq(accel_noop(c), 0);
	cr_assert_eq(idxd_double_last_pasid(), 0x2a);
	accel_close(c);
}

static void dedicated_limit(const char *name)
{
	struct accel_info info;
	struct accel_ctx *c;
	static uint8_t a[64], b[64];
	struct accel_op op[8];
	int ok = 0, rc;

	idxd_double_named(name, &cfg);
	cfg.wq[0].size = 4;
	c = open_cfg(&info);
	idxd_double_pause(true);
	for (int i = 0; i < 8; i++) {
		accel_prep_memmove(&op[i], b, a, sizeof(a), 0);
		rc = accel_submit(c, &op[i]);
		if (rc == 0)
			ok++;
		else
			cr_assert_eq(rc, -EAGAIN, "%s", accel_strerror(rc));
	}
	cr_assert_eq(ok, 4, "%s: accepted %d into a queue of 4", name, ok);
	cr_assert_eq(idxd_double_dropped(), 0, "%s: the device dropped work",
		     name);
	idxd_double_pause(false);
	for (int i = 0; i < ok; i++)
		cr_assert_eq(accel_wait(c, &op[i], ACCEL_WAIT_PAUSE), 0);
	/* Room again once they completed. */
	accel_prep_memmove(&op[0], b, a, sizeof(a), 0);
	cr_assert_eq(accel_submit(c, &op[0]), 0);
	cr_assert_eq(accel_wait(c, &op[0], ACCEL_WAIT_PAUSE), 0);
	accel_close(c);
}

Test(submit, dedicated_write_never_overfills)
{
	dedicated_limit("dedicated-write");
}

Test(submit, dedicated_portal_never_overfills)
{
	dedicated_limit("dedicated-portal");
}

Test(submit, reused_records_do_not_stall_a_dedicated_queue)
{
	struct accel_info info;
	struct accel_ctx *c;
	_Alignas(32) struct dsa_comp rec[2];
	struct dsa_desc d;

	idxd_double_named("dedicated-write", &cfg);
	cfg.wq[0].size = 2;
	c = open_cfg(&info);
	for (int round = 0; round < 5; round++) {
		for (int i = 0; i < 2; i++) {
			memset(&d, 0, sizeof(d));
			memset(&rec[i], 0, sizeof(rec[i]));
			d.op_flags = dsa_op_flags(DSA_OP_NOOP,
						  DSA_FLAG_CRAV | DSA_FLAG_RCR);
			d.completion_addr = (uintptr_t)&rec[i];
			cr_assert_eq(accel_submit_raw(c, &d), 0,
				     "round %d: queue stalled", round);
		}
		for (int i = 0; i < 2; i++)
			while (!__atomic_load_n(&rec[i].status,
						__ATOMIC_ACQUIRE))
				;
		/* The caller reuses the memory before the library looked:
		 * the records read "not done" again. */
		memset(rec, 0, sizeof(rec));
	}
	accel_close(c);
}

Test(submit, queue_without_block_on_fault)
{
	struct accel_info info;
	struct accel_ctx *c;
	_Alignas(32) struct dsa_comp rec;
	static uint8_t a[64], b[64];
	struct dsa_desc d;

	idxd_double_named("shared-write", &cfg);
	cfg.wq[0].bof = 0;
	c = open_cfg(&info);
	memset(&d, 0, sizeof(d));
	memset(&rec, 0, sizeof(rec));
	d.op_flags = dsa_op_flags(DSA_OP_MEMMOVE, DSA_FLAG_BOF | DSA_FLAG_CRAV |
							   DSA_FLAG_RCR);
	d.completion_addr = (uintptr_t)&rec;
	d.src = (uintptr_t)a;
	d.dst = (uintptr_t)b;
	d.size = sizeof(a);
	cr_assert_eq(accel_submit_raw(c, &d), 0);
	while (!__atomic_load_n(&rec.status, __ATOMIC_ACQUIRE))
		;
	cr_assert_eq(rec.status, DSA_COMP_SUCCESS,
		     "status %#x: the queue rejected block-on-fault",
		     rec.status);
	/* Library batches set BOF on members: they must run as well. */
	batch_ok(c);
	accel_close(c);
}

Test(submit, second_open_of_a_dedicated_queue)
{
	struct accel_info info;
	struct accel_ctx *c = open_named("dedicated-write", &info), *c2 = NULL;

	cr_assert_eq(accel_open(&c2, "idxd"), -EBUSY);
	cr_assert(strstr(accel_open_detail(), "held by another process"),
		  "%s", accel_open_detail());
	accel_close(c);
	cr_assert_eq(idxd_double_opens(), 0, "close released the queue");
	cr_assert_eq(accel_open(&c2, "idxd"), 0);
	accel_close(c2);
}

Test(submit, forked_child_of_a_dedicated_holder_runs_on_cpu)
{
	struct accel_info info;
	struct accel_ctx *c = open_named("dedicated-write", &info);
	int status = 0;
	pid_t pid;

	copy_ok(c, 64);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		struct accel_info ci;
		uint8_t x[100], y[100];

		memset(x, 3, sizeof(x));
		if (accel_noop(c) ||
		    accel_memmove(c, y, x, sizeof(x)) || memcmp(x, y, 100))
			_exit(2);
		if (accel_get_info(c, &ci) ||
		    !strstr(ci.device, "held by parent: cpu"))
			_exit(3);
		_exit(0);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		  "child status %#x", status);
	copy_ok(c, 64);
	accel_close(c);
}

Test(submit, named_queue_and_mode)
{
	struct accel_ctx *c = NULL;
	struct accel_opts o = { .backend = "idxd", .numa_node = -1 };
	struct accel_info info;

	idxd_double_named("shared-write", &cfg);
	cfg.nwq = 2;
	cfg.wq[1] = fs_wq_default("wq0.1", false);
	idxd_double_start(&cfg);
	o.device = "wq0.1";
	cr_assert_eq(accel_open_opts(&c, &o), 0, "%s", accel_open_detail());
	cr_assert_eq(accel_get_info(c, &info), 0);
	cr_assert(!strncmp(info.device, "wq0.1 (", 7), "%s", info.device);
	cr_assert_eq(info.wq_mode, ACCEL_WQ_DEDICATED);
	accel_close(c);
	o.device = NULL;
	o.wq_mode = ACCEL_WQ_SHARED;
	cr_assert_eq(accel_open_opts(&c, &o), 0);
	cr_assert_eq(accel_get_info(c, &info), 0);
	cr_assert(!strncmp(info.device, "wq0.0 (", 7), "%s", info.device);
	accel_close(c);
	o.device = "wq0.0";
	o.wq_mode = ACCEL_WQ_DEDICATED;
	cr_assert_eq(accel_open_opts(&c, &o), -EINVAL);
	cr_assert(strstr(accel_open_detail(), "shared queue"), "%s",
		  accel_open_detail());
}

Test(submit, backend_env_selects_idxd)
{
	struct accel_ctx *c = NULL;

	idxd_double_named("shared-write", &cfg);
	idxd_double_start(&cfg);
	setenv("ACCEL_BACKEND", "idxd", 1);
	cr_assert_eq(accel_open(&c, NULL), 0);
	cr_assert_str_eq(accel_backend_name(c), "idxd");
	accel_close(c);
	unsetenv("ACCEL_BACKEND");
	cr_assert_eq(accel_open(&c, "auto"), 0);
	cr_assert_str_eq(accel_backend_name(c), "idxd",
			 "auto takes the usable idxd queue");
	accel_close(c);
}

Test(submit, capabilities_come_from_the_device)
{
	struct accel_info info;
	struct accel_ctx *c;
	size_t n = 1 << 20;

	idxd_double_named("shared-write", &cfg);
	cfg.wq[0].max_xfer = 1 << 16;
	cfg.wq[0].max_batch = 8;
	cfg.dev.op_cap &= ~DSA_OPCAP(DSA_OP_CR_DELTA);
	c = open_cfg(&info);
	cr_assert_eq(info.max_xfer, 1 << 16);
	cr_assert_eq(info.max_batch, 8);
	cr_assert_eq(info.op_cap & DSA_OPCAP(DSA_OP_CR_DELTA), 0);
	/* A copy larger than the queue's limit still works (in pieces). */
	{
		uint8_t *a = malloc(n), *b = calloc(1, n);

		memset(a, 7, n);
		cr_assert_eq(accel_memcpy(c, b, a, n), 0);
		cr_assert(!memcmp(a, b, n));
		free(a);
		free(b);
	}
	accel_close(c);
}

static void *thread_copies(void *arg)
{
	struct accel_ctx *c = arg;
	uint8_t a[512], b[512];

	for (int i = 0; i < 300; i++) {
		memset(a, i, sizeof(a));
		if (accel_memmove(c, b, a, sizeof(a)) || memcmp(a, b, 512))
			return (void *)1;
	}
	return NULL;
}

Test(submit, threads_share_one_dedicated_queue)
{
	struct accel_opts o = { .backend = "idxd", .numa_node = -1,
				.flags = ACCEL_OPT_NO_CPU_PATH };
	struct accel_ctx *c = NULL;
	pthread_t t[4];
	void *r;

	idxd_double_named("dedicated-portal", &cfg);
	cfg.wq[0].size = 8;
	idxd_double_start(&cfg);
	cr_assert_eq(accel_open_opts(&c, &o), 0, "%s", accel_open_detail());
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, thread_copies, c);
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], &r);
		cr_assert_null(r);
	}
	cr_assert_eq(idxd_double_dropped(), 0);
	cr_assert_eq(idxd_double_opens(), 1, "one file for every thread");
	accel_close(c);
}
