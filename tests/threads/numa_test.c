// SPDX-License-Identifier: MIT
/*
 * The queue nearest the calling thread, on a fake topology (the build
 * machines have one node): three nodes with asymmetric distances, two
 * CPUs each, and idxd work queues (a fake sysfs tree, tests/idxd) on some
 * of them.  Threads "run" on chosen CPUs through the topology's hook; each
 * asks for a queue near itself (node -1) and must get the nearest one.
 * Prints "numa: N passed, M failed".
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_sysfs.h"
#include "idxd.h"
#include "fake_topo.h"
#include "internal.h"

static unsigned passed, failed;

/* The fake topology: tests/threads/fake_topo.h. */

struct probe {
	int cpu;
	const char *want;
	char got[32];
};

/* A thread of its own on the given CPU asks for a queue near itself. */
static void *probe_main(void *arg)
{
	struct probe *p = arg;
	struct idxd_wq_info w;
	char why[256] = "";

	my_cpu = p->cpu;
	if (idxd_wq_find(NULL, -1, 0, &w, why, sizeof(why)))
		snprintf(p->got, sizeof(p->got), "error: %.24s", why);
	else
		snprintf(p->got, sizeof(p->got), "%s", w.wq);
	return NULL;
}

static void expect_from(int cpu, const char *want)
{
	struct probe p = { .cpu = cpu, .want = want };
	pthread_t t;

	pthread_create(&t, NULL, probe_main, &p);
	pthread_join(t, NULL);
	int node = cpu < topo.ncpus ? node_of_cpu[cpu] : -1;

	if (!strcmp(p.got, want)) {
		passed++;
		printf("PASS cpu %d (node %d): %s\n", cpu, node, p.got);
	} else {
		failed++;
		printf("FAIL cpu %d (node %d): %s, wanted %s\n", cpu, node,
		       p.got, want);
	}
}

static void add_dev(unsigned id, int node, const char *wq)
{
	struct fs_dev d = fs_dev_default();
	struct fs_wq q = fs_wq_default(wq, false);

	d.id = id;
	d.numa_node = node;
	fs_add_dev(&d);
	fs_add_wq(&q);
}

int main(void)
{
	fs_new();
	setenv("ACCEL_IDXD_SYSFS", fs_sysfs(), 1);
	setenv("ACCEL_IDXD_DEV", fs_dev(), 1);
	accel_numa_fake = &topo;
	/* Queues on nodes 1 and 0 (in that order of names). */
	add_dev(0, 1, "wq0.0");
	add_dev(1, 0, "wq1.0");
	expect_from(0, "wq1.0"); /* node 0: its own */
	expect_from(1, "wq1.0");
	expect_from(2, "wq0.0"); /* node 1: its own */
	expect_from(3, "wq0.0");
	expect_from(4, "wq0.0"); /* node 2: none; node 1 (20) before 0 (30) */
	expect_from(5, "wq0.0");
	/* A queue on node 2 appears: node 2's threads take it. */
	add_dev(2, 2, "wq2.0");
	expect_from(4, "wq2.0");
	expect_from(2, "wq0.0");
	expect_from(0, "wq1.0");
	/* The caller's node unknown (a CPU the map lacks): still a queue. */
	expect_from(9, "wq0.0");
	fs_remove();
	printf("numa: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
