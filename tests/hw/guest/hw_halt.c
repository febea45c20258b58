// SPDX-License-Identifier: MIT
/*
 * Software errors and a halted device, injected into the simulated device
 * (sim_inject): a software error is reported to its queue's openers
 * (poll() readable, as idxd's poll() reports one) and acknowledged; a
 * device that halts with work in flight answers its openers -EIO, wakes
 * them, never leaves them hanging, and is reset and enabled again for the
 * next opener.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hwg.h"

static void inject_swerr(const char *var, int wq, int err)
{
	char cmd[64];

	snprintf(cmd, sizeof(cmd), "swerr %d %d", wq, err);
	hwg_inject(var, cmd);
}

Test(hw_swerr, reported_to_its_queue_and_acknowledged)
{
	struct dsa_desc d;
	struct dsa_comp c;
	struct kt_q q;

	hwg_open(&q, "HW_V2_SWQ");
	(void)hwg_poll(&q, 0); /* nothing pending from before */
	/* Another queue's error is not this queue's. */
	inject_swerr("HW_V2_SWQ", HWG_WQ_DEDICATED, 0x20);
	cr_assert_eq(hwg_poll(&q, 500) & POLLIN, 0,
		     "woken by another queue's software error");
	for (int i = 0; i < 2; i++) {
		/* The second is reported too: the first was acknowledged. */
		inject_swerr("HW_V2_SWQ", HWG_WQ_SHARED, 0x20 + i);
		cr_assert(hwg_poll(&q, 5000) & POLLIN,
			  "software error %d not reported to its queue", i);
	}
	/* The device goes on. */
	kt_desc(&d, DSA_OP_NOOP, 0, NULL, NULL, 0, &c);
	cr_assert_eq(hwg_run(&q, &d, &c), DSA_COMP_SUCCESS);
	kt_close(&q);
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 +
	       (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Write NOOPs until the queue answers -EIO (5 s at most): its errno. */
static int write_until_eio(struct kt_q *q)
{
	static _Alignas(32) struct dsa_comp c;
	struct timespec t0;
	struct dsa_desc d;
	long n;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		kt_desc(&d, DSA_OP_NOOP, 0, NULL, NULL, 0, &c);
		n = hwg_write(q, &d, 1);
		if (n < 0 && n != -EAGAIN)
			return (int)-n;
	} while (ms_since(&t0) < 5000);
	return 0;
}

#define INFLIGHT 48
#define XFER (64 * 1024)

/*
 * Work in flight on both queues of the DSA 2.0 device when it halts:
 * both openers are woken and get -EIO, whatever they do next; new openers
 * find the device reset and working.
 */
Test(hw_halt, with_work_in_flight_recovers)
{
	static _Alignas(32) struct dsa_comp recs[2][INFLIGHT];
	const char *vars[2] = { "HW_V2_DWQ", "HW_V2_SWQ" };
	uint8_t *src = malloc(XFER), *dst = malloc(XFER);
	struct kt_q q[2];
	int busy = 0;

	cr_assert(src && dst);
	memset(src, 0x5a, XFER);
	memset(dst, 0, XFER);
	for (int i = 0; i < 2; i++) {
		hwg_open(&q[i], vars[i]);
		(void)hwg_poll(&q[i], 0);
		/* As much as each queue takes (a dedicated one 16). */
		for (int k = 0; k < INFLIGHT; k++) {
			struct dsa_desc d;

			kt_desc(&d, DSA_OP_MEMMOVE, 0, src, dst, XFER,
				&recs[i][k]);
			if (hwg_write(&q[i], &d, 1) != (long)sizeof(d))
				break;
		}
	}
	hwg_inject("HW_V2_SWQ", "halt 1 32");
	for (int i = 0; i < 2; i++) {
		cr_assert(hwg_poll(&q[i], 5000) & POLLIN,
			  "%s: not woken by the halt", vars[i]);
		cr_assert_eq(write_until_eio(&q[i]), EIO,
			     "%s: no -EIO after the halt", vars[i]);
		for (int k = 0; k < INFLIGHT; k++)
			busy += !recs[i][k].status;
	}
	cr_log_info("%d of the work in flight lost in the halt", busy);
	/* Still dead after the recovery; then closed, and opened anew. */
	for (int i = 0; i < 2; i++) {
		static _Alignas(32) struct dsa_comp c;
		struct dsa_desc d;

		cr_assert_eq(write_until_eio(&q[i]), EIO);
		kt_close(&q[i]);
		hwg_open(&q[i], vars[i]);
		kt_desc(&d, DSA_OP_MEMMOVE, 0, src, dst, XFER, &c);
		memset(dst, 0, XFER);
		cr_assert_eq(hwg_run(&q[i], &d, &c), DSA_COMP_SUCCESS,
			     "%s: not working after the recovery", vars[i]);
		cr_assert(!memcmp(src, dst, XFER));
		kt_close(&q[i]);
	}
	free(src);
	free(dst);
}
