/* SPDX-License-Identifier: MIT */
/*
 * Test tool, not a product: a test double of the kernel's idxd character
 * device (drivers/dma/idxd/cdev.c), put in place of the real system calls
 * through libaccel's seam (idxd_sys in libaccel/idxd.h).  It behaves as the
 * kernel does where libaccel can see it:
 *   - one user context per open(); a dedicated queue takes one opener
 *     (-EBUSY for a second); write() and mmap() from another process than
 *     the opener: -EPERM (the kernel's mm check);
 *   - mmap: one page at most (-EINVAL), refused with -EPERM on an
 *     "affected" device unless the caller "has" CAP_SYS_RAWIO; the page is
 *     the portal, which the double's engine thread polls slot by slot, so
 *     that where the CPU has MOVDIR64B the library's real stores travel
 *     through it.  Where it lacks MOVDIR64B or ENQCMD (ENQCMD: every CPU we
 *     build on), the double stands in for the instruction through the
 *     seam: a posted write (dropped when the queue is full) or a
 *     non-posted enqueue answering "retry" at the shared queue's
 *     threshold, with the PASID put in as the CPU would;
 *   - write(): whole 64-byte descriptors only (a tail is ignored), BATCH
 *     refused with -EINVAL on an affected DSA 1.0, a completion address
 *     not 32-byte aligned refused with -EINVAL, the PASID forced and the
 *     privilege bit cleared on a shared queue, -EAGAIN when a shared queue
 *     is at its threshold, a dedicated queue silently dropping a descriptor
 *     posted while full (as the hardware does);
 *   - descriptors run through the device model (libaccel/model) on an
 *     engine thread, completion records written into the caller's memory.
 * Each process has its own instance (after fork the child's is new).
 */
#ifndef TESTS_IDXD_DOUBLE_H
#define TESTS_IDXD_DOUBLE_H

#include <stdbool.h>
#include <stdint.h>

#include "fake_sysfs.h"

struct idxd_double_cfg {
	struct fs_dev dev;
	struct fs_wq wq[4];
	unsigned nwq;
	bool affected; /* user submission unsafe (INTEL-SA-01084) */
	bool rawio; /* the caller has CAP_SYS_RAWIO */
	/* A kernel from before the 2025 narrowing: write() refuses BATCH on
	 * every affected DSA, not only 1.0. */
	bool batch_refused_any_version;
};

/* Lay out the tree, point $ACCEL_IDXD_SYSFS/$ACCEL_IDXD_DEV at it and put
 * the double in place of the system calls. */
void idxd_double_start(const struct idxd_double_cfg *cfg);
void idxd_double_stop(void);
/* A named configuration: "shared-write" (affected DSA 1.0, no
 * CAP_SYS_RAWIO, shared queue), "shared-portal" (ENQCMD), "dedicated-portal"
 * (CAP_SYS_RAWIO, dedicated queue, MOVDIR64B), "dedicated-write"; false if
 * unknown. */
bool idxd_double_named(const char *name, struct idxd_double_cfg *cfg);

/* Test controls and counters. */
void idxd_double_pause(bool paused); /* the engine takes nothing */
uint64_t idxd_double_dropped(void); /* posted to a full dedicated queue */
uint64_t idxd_double_portal_descs(void); /* arrived through a portal */
uint64_t idxd_double_page_descs(void); /* ... stored into the page */
uint64_t idxd_double_write_descs(void); /* arrived through write() */
uint32_t idxd_double_last_pasid(void); /* PASID field of the last run */
unsigned idxd_double_opens(void); /* files open now */

#endif
