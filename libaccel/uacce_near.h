/* SPDX-License-Identifier: MIT */
/* Which uacce devices a context opens (uacce_near.c); not installed. */
#ifndef LIBACCEL_UACCE_NEAR_H
#define LIBACCEL_UACCE_NEAR_H

#include "internal.h"

struct accel_uacce_found {
	struct accel_near near; /* near.n devices, their nodes */
	char name[ACCEL_NEAR_MAX][64]; /* class device names: /dev/<name> */
};

/* /sys/class/uacce and /dev, or $ACCEL_UACCE_SYSFS and $ACCEL_UACCE_DEV
 * (test settings, as idxd's). */
const char *accel_uacce_sysfs_root(void);
const char *accel_uacce_dev_root(void);
/* A DSA-compatible device of the wanted mode (any, when AUTO). */
bool accel_uacce_matches(const char *name, enum accel_wq_mode mode);
/* The node of the device's parent, as upstream clients read it; -1. */
int accel_uacce_node(const char *name);
/*
 * The matching devices a context opens: for node >= 0 the one nearest
 * that node; for -1 the first (in name order) of every node, so that each
 * thread can be served from its own node.  0 or -ENODEV.
 */
int accel_uacce_find(enum accel_wq_mode mode, int node,
		     struct accel_uacce_found *f);

#endif /* LIBACCEL_UACCE_NEAR_H */
