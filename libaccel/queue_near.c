// SPDX-License-Identifier: MIT
/*
 * A context that spans devices on several NUMA nodes (a backend that
 * fills struct accel_near, as the uacce one does when no device is named)
 * serves each thread from the device nearest the node the thread runs on
 * now.  The core keeps, per thread, one queue per device the thread has
 * used (a ring of siblings) and the CPU it last saw the thread on
 * (struct accel_tls_queue); a submission compares that CPU with the
 * current one (accel_numa_cpu(): no system call) and comes here only when
 * the thread has moved.  A move within the node keeps the queue; a move to
 * another node takes the queue on the device nearest that node, opened on
 * first use, kept for the thread's return.
 */
#include "internal.h"

unsigned accel_near_pick(const struct accel_near *s, int node)
{
	unsigned i, best = 0;
	int best_d = 0;

	for (i = 0; i < s->n; i++) {
		int d = accel_numa_distance(node, s->node[i]);

		/* Ties go to the first, so a choice is stable. */
		if (i == 0 || d < best_d) {
			best = i;
			best_d = d;
		}
	}
	return best;
}

unsigned accel_near_caller(const struct accel_near *s, int *cpu)
{
	*cpu = accel_numa_cpu();
	return accel_near_pick(s, accel_numa_node_of_cpu(*cpu));
}

struct accel_queue *accel_near_sibling(struct accel_queue *q, unsigned near)
{
	struct accel_queue *p = q;

	do {
		if (p->near == near)
			return p;
		p = p->sibling;
	} while (p && p != q);
	return NULL;
}

void accel_near_link(struct accel_queue *q, struct accel_queue *add)
{
	add->sibling = q->sibling ? q->sibling : q;
	q->sibling = add;
}
