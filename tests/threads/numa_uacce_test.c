// SPDX-License-Identifier: MIT
/*
 * The uacce backend serves each thread from the device nearest the node
 * it runs on now, within one context (libaccel/queue_near.c,
 * uacce_near.c).  No uacce device exists on the build machine, so the
 * test plays the kernel: a fake sysfs tree ($ACCEL_UACCE_SYSFS) lists the
 * devices with their parents' nodes, each device node ($ACCEL_UACCE_DEV)
 * is a FIFO, and this program's ioctl() (which libaccel, linked in
 * statically, calls instead of the C library's) answers the queue
 * information with the write(2) submission path.  Every descriptor a
 * queue submits is then a 64-byte write into its device's FIFO, where the
 * test reads it back: which device got which thread's descriptor is seen,
 * not inferred.
 *
 * Part 1 pretends (a fake three-node topology, each thread saying which
 * CPU it is on); part 2 pins real threads to the machine's CPUs, with the
 * fake topology putting CPU 0 and CPU 1 on different nodes, so that the
 * real CPU number (the rseq area) drives the choice.  Prints "numa-uacce: N
 * passed, M failed".
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fake_topo.h"
#include "internal.h"
#include "uacce_abi.h"

static unsigned passed, failed;
static char root[64], sys_dir[128], dev_dir[128];

#define NDEV 3
/* In name order: uacce-a on node 1, uacce-b on node 0, uacce-c on node 1
 * (a second device of node 1: a context keeps one per node). */
static const char *const dev_name[NDEV] = { "uacce-a", "uacce-b", "uacce-c" };
static const int dev_node[NDEV] = { 1, 0, 1 };
static int dev_rd[NDEV]; /* the test's reading end of each FIFO */

/* The fake topology: tests/threads/fake_topo.h. */

/* Part 2: the real CPUs 0 and 1 on two nodes; the CPU is the real one
 * (libaccel reads it from the rseq area, as without a fake). */
static const int real_node_of_cpu[2] = { 0, 1 };
static const int real_dist[4] = { 10, 20, 20, 10 };
static const struct accel_numa_topo real_topo = {
	.ncpus = 2, .nnodes = 2, .node_of_cpu = real_node_of_cpu,
	.distance = real_dist, .current_cpu = NULL,
};

/* The kernel's side of a fake device: libaccel's ioctl() comes here. */
int ioctl(int fd, unsigned long req, ...)
{
	struct stat st;
	va_list ap;
	void *arg;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (fstat(fd, &st) || !S_ISFIFO(st.st_mode))
		return (int)syscall(SYS_ioctl, fd, req, arg);
	if (req == UACCE_CMD_DSA_QINFO) {
		struct uacce_dsa_qinfo *qi = arg;

		memset(qi, 0, sizeof(*qi));
		qi->argsz = sizeof(*qi);
		qi->mode = UACCE_DSA_WQ_DEDICATED;
		qi->wq_size = 16;
		qi->max_xfer = 1 << 20;
		qi->max_batch = 32;
		qi->op_cap = ~0ull;
		qi->pasid = UACCE_PASID_NONE;
		qi->numa_node = -1; /* the node must come from sysfs */
		qi->submit = UACCE_DSA_SUBMIT_WRITE;
		return 0;
	}
	if (req == UACCE_CMD_START_Q)
		return 0;
	errno = ENOTTY;
	return -1;
}

static void put(const char *dir, const char *name, const char *val)
{
	char p[PATH_MAX];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "w");
	if (!f || fputs(val, f) < 0 || fclose(f)) {
		perror(p);
		exit(2);
	}
}

static void make_devices(void)
{
	char d[256], p[PATH_MAX], v[16];

	snprintf(root, sizeof(root), "/tmp/numa-uacce.XXXXXX");
	if (!mkdtemp(root))
		exit(2);
	snprintf(sys_dir, sizeof(sys_dir), "%s/sys", root);
	snprintf(dev_dir, sizeof(dev_dir), "%s/dev", root);
	mkdir(sys_dir, 0755);
	mkdir(dev_dir, 0755);
	for (int i = 0; i < NDEV; i++) {
		snprintf(d, sizeof(d), "%s/%s", sys_dir, dev_name[i]);
		mkdir(d, 0755);
		put(d, "api", UACCE_API_DSA "\n");
		put(d, "dsa_mode", "1\n");
		snprintf(p, sizeof(p), "%s/device", d);
		mkdir(p, 0755);
		snprintf(v, sizeof(v), "%d\n", dev_node[i]);
		put(p, "numa_node", v);
		snprintf(p, sizeof(p), "%s/%s", dev_dir, dev_name[i]);
		if (mkfifo(p, 0600))
			exit(2);
		dev_rd[i] = open(p, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (dev_rd[i] < 0)
			exit(2);
	}
	setenv("ACCEL_UACCE_SYSFS", sys_dir, 1);
	setenv("ACCEL_UACCE_DEV", dev_dir, 1);
}

static void remove_devices(void)
{
	char p[PATH_MAX];

	for (int i = 0; i < NDEV; i++) {
		close(dev_rd[i]);
		snprintf(p, sizeof(p), "%s/%s", dev_dir, dev_name[i]);
		unlink(p);
		snprintf(p, sizeof(p), "%s/%s/device/numa_node", sys_dir,
			 dev_name[i]);
		unlink(p);
		snprintf(p, sizeof(p), "%s/%s/device", sys_dir, dev_name[i]);
		rmdir(p);
		snprintf(p, sizeof(p), "%s/%s/api", sys_dir, dev_name[i]);
		unlink(p);
		snprintf(p, sizeof(p), "%s/%s/dsa_mode", sys_dir, dev_name[i]);
		unlink(p);
		snprintf(p, sizeof(p), "%s/%s", sys_dir, dev_name[i]);
		rmdir(p);
	}
	rmdir(sys_dir);
	rmdir(dev_dir);
	rmdir(root);
}

/* The device whose FIFO holds the descriptor of op, or "none". */
static const char *device_of(const struct accel_op *op)
{
	struct dsa_desc d;

	for (int i = 0; i < NDEV; i++)
		while (read(dev_rd[i], &d, sizeof(d)) == (ssize_t)sizeof(d))
			if (d.completion_addr == (uint64_t)(uintptr_t)&op->comp)
				return dev_name[i];
	return "none";
}

static void check(bool ok, const char *what, const char *detail)
{
	if (ok)
		passed++;
	else
		failed++;
	printf("%s %s%s%s\n", ok ? "PASS" : "FAIL", what, detail ? ": " : "",
	       detail ? detail : "");
}

static struct accel_ctx *ctx;
static char src[256], dst[256];

/* Submit one copy from where the thread says it runs (part 1) or runs
 * (part 2: cpu < 0); the device it reached, and its queue in *q. */
static const char *submit_from(int cpu, struct accel_queue **q)
{
	static pthread_mutex_t fifo_lock = PTHREAD_MUTEX_INITIALIZER;
	struct accel_op op;
	const char *dv = "submit failed";

	if (cpu >= 0)
		my_cpu = cpu;
	accel_prep_memmove(&op, dst, src, sizeof(src), 0);
	/* One thread at a time reads the FIFOs, so none drops another's. */
	pthread_mutex_lock(&fifo_lock);
	if (!accel_submit(ctx, &op))
		dv = device_of(&op);
	pthread_mutex_unlock(&fifo_lock);
	if (q)
		*q = op.queue;
	return dv;
}

struct probe {
	int cpu;
	const char *want;
	const char *got;
};

static void *probe_main(void *arg)
{
	struct probe *p = arg;

	p->got = submit_from(p->cpu, NULL);
	return NULL;
}

static void expect_from(int cpu, const char *want)
{
	struct probe p = { .cpu = cpu, .want = want };
	char what[64], detail[96];
	pthread_t t;

	pthread_create(&t, NULL, probe_main, &p);
	pthread_join(t, NULL);
	snprintf(what, sizeof(what), "a thread on cpu %d (node %d)", cpu,
		 cpu < 6 ? node_of_cpu[cpu] : -1);
	snprintf(detail, sizeof(detail), "%s, wanted %s", p.got, want);
	check(!strcmp(p.got, want), what, detail);
}

/* Descriptors of fake devices still open in this process (queues). */
static int open_queues(void)
{
	char p[300], l[PATH_MAX];
	struct dirent *e;
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	while (d && (e = readdir(d))) {
		ssize_t k;

		snprintf(p, sizeof(p), "/proc/self/fd/%s", e->d_name);
		k = readlink(p, l, sizeof(l) - 1);
		if (k < 0)
			continue;
		l[k] = 0;
		if (!strncmp(l, dev_dir, strlen(dev_dir)))
			n++;
	}
	if (d)
		closedir(d);
	return n - NDEV; /* the test's own reading ends */
}

/* One thread moving between CPUs and nodes. */
static void *mover_main(void *arg)
{
	struct accel_queue *q0, *q1, *q2, *q3;
	const char *dv;
	char detail[96];

	(void)arg;
	dv = submit_from(0, &q0);
	check(!strcmp(dv, "uacce-b"), "mover on cpu 0 (node 0)", dv);
	dv = submit_from(1, &q1);
	snprintf(detail, sizeof(detail), "%s, %s queue", dv,
		 q1 == q0 ? "same" : "another");
	check(!strcmp(dv, "uacce-b") && q1 == q0,
	      "mover to cpu 1 (same node): same queue", detail);
	dv = submit_from(2, &q2);
	check(!strcmp(dv, "uacce-a") && q2 != q0,
	      "mover to cpu 2 (node 1): node 1's device", dv);
	dv = submit_from(5, &q3);
	check(!strcmp(dv, "uacce-a") && q3 == q2,
	      "mover to cpu 5 (node 2): node 1's, the same queue", dv);
	dv = submit_from(0, &q3);
	check(!strcmp(dv, "uacce-b") && q3 == q0,
	      "mover back to cpu 0: its first queue again", dv);
	snprintf(detail, sizeof(detail), "%d", open_queues());
	check(open_queues() == 2, "mover holds two queues", detail);
	return NULL;
}

static void part_pretend(void)
{
	struct accel_opts o = { .backend = "uacce", .numa_node = -1 };
	struct accel_info info;
	char detail[96];
	pthread_t t;
	int rc;

	accel_numa_fake = &topo;
	my_cpu = 2; /* the opener runs on node 1 */
	rc = accel_open_opts(&ctx, &o);
	snprintf(detail, sizeof(detail), "%d", rc);
	check(!rc, "open uacce over three fake devices", detail);
	if (rc)
		return;
	accel_get_info(ctx, &info);
	snprintf(detail, sizeof(detail), "%s node %d", info.device,
		 info.numa_node);
	check(!strcmp(info.device, "uacce-a") && info.numa_node == 1,
	      "the opener (node 1) sees node 1's device", detail);
	expect_from(0, "uacce-b");
	expect_from(1, "uacce-b");
	expect_from(2, "uacce-a");
	expect_from(3, "uacce-a");
	expect_from(4, "uacce-a"); /* node 2: node 1 (20) before 0 (30) */
	expect_from(9, "uacce-a"); /* a CPU the map lacks: still a device */
	snprintf(detail, sizeof(detail), "%d open", open_queues());
	check(open_queues() == 0, "exited threads' queues released", detail);
	pthread_create(&t, NULL, mover_main, NULL);
	pthread_join(t, NULL);
	snprintf(detail, sizeof(detail), "%d open", open_queues());
	check(open_queues() == 0, "the mover's two queues released at exit",
	      detail);
	accel_close(ctx);

	/* A node asked for: that node's device only, for every thread. */
	o.numa_node = 0;
	rc = accel_open_opts(&ctx, &o);
	check(!rc, "open uacce for node 0", NULL);
	if (rc)
		return;
	expect_from(2, "uacce-b");
	expect_from(4, "uacce-b");
	accel_close(ctx);
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static void *pinned_main(void *arg)
{
	const char *want[2] = { "uacce-b", "uacce-a" };
	int cpu = (int)(intptr_t)arg, other = 1 - cpu;
	char what[64], detail[96];
	const char *dv;

	pin(cpu);
	snprintf(what, sizeof(what), "libaccel sees cpu %d", cpu);
	snprintf(detail, sizeof(detail), "%d", accel_numa_cpu());
	check(accel_numa_cpu() == cpu, what, detail);
	dv = submit_from(-1, NULL);
	snprintf(what, sizeof(what), "a thread pinned to cpu %d", cpu);
	snprintf(detail, sizeof(detail), "%s (on cpu %d), wanted %s", dv,
		 sched_getcpu(), want[cpu]);
	check(!strcmp(dv, want[cpu]), what, detail);
	/* Moved by its affinity: the next submission follows it. */
	pin(other);
	dv = submit_from(-1, NULL);
	snprintf(what, sizeof(what), "the same thread re-pinned to cpu %d",
		 other);
	snprintf(detail, sizeof(detail), "%s (on cpu %d), wanted %s", dv,
		 sched_getcpu(), want[other]);
	check(!strcmp(dv, want[other]), what, detail);
	return NULL;
}

static void part_pinned(void)
{
	struct accel_opts o = { .backend = "uacce", .numa_node = -1 };
	cpu_set_t set;
	pthread_t t[2];

	if (sched_getaffinity(0, sizeof(set), &set) || !CPU_ISSET(0, &set) ||
	    !CPU_ISSET(1, &set)) {
		printf("SKIP pinned threads: CPUs 0 and 1 are not both "
		       "available here\n");
		return;
	}
	accel_numa_fake = &real_topo;
	if (accel_open_opts(&ctx, &o)) {
		check(false, "open uacce, real CPUs", NULL);
		return;
	}
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, pinned_main, (void *)(intptr_t)i);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	accel_close(ctx);
}

int main(void)
{
	make_devices();
	part_pretend();
	part_pinned();
	accel_numa_fake = NULL;
	remove_devices();
	printf("numa-uacce: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
