/* SPDX-License-Identifier: MIT */
/*
 * A BATCH run by the library through a queue that refuses BATCH on the
 * path in use (uacce_batch_sw.c): the members go to the device one by one,
 * the batch's own record is written here.
 */
#ifndef LIBACCEL_UACCE_BATCH_SW_H
#define LIBACCEL_UACCE_BATCH_SW_H

#include <stdbool.h>
#include <stdint.h>

#include "model.h"

struct uacce_sw_member;

/* How long one member may take before the device is taken for dead. */
#define UACCE_SW_BATCH_TIMEOUT_NS (60ull * 1000000000ull)

struct uacce_sw_batch {
	/* One descriptor to the device: 0, -EAGAIN (queue full: retry
	 * later) or a negative errno. */
	int (*submit)(void *arg, const struct dsa_desc *d);
	void *arg;
	/* The device's limits, for the checks made here (the batch
	 * descriptor itself, members the device cannot be given). */
	struct model_caps caps;
	uint64_t timeout_ns;
	/* Private records of the members given to the device, 32-byte
	 * aligned, cap entries; and per member what its own record wants. */
	struct dsa_comp *recs;
	struct uacce_sw_member *members;
	uint32_t cap;
	/* A member never completed: its record may still be written, so
	 * these records are not reused (every later batch: -EIO). */
	bool broken;
};

void uacce_sw_batch_init(struct uacce_sw_batch *b,
			 const struct model_caps *caps,
			 int (*submit)(void *arg, const struct dsa_desc *d),
			 void *arg);
/* Only once the device can no longer write the private records: after
 * the queue's file is closed (closing drains or aborts its work). */
void uacce_sw_batch_fini(struct uacce_sw_batch *b);

/*
 * Run the batch descriptor d as the device would and write its record.
 * 0 once everything is done (whatever the statuses), or a negative errno
 * when the device could not be used (-ENOMEM, the device's own error from
 * submit, -EIO after a member timed out): then the batch's record is not
 * written.
 */
int uacce_sw_batch_run(struct uacce_sw_batch *b, const struct dsa_desc *d);

#endif /* LIBACCEL_UACCE_BATCH_SW_H */
