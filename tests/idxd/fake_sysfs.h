/* SPDX-License-Identifier: MIT */
/*
 * Test tool, not a product: sysfs trees laid out as the kernel's
 * Documentation/ABI/stable/sysfs-driver-dsa describes them (one directory
 * per device dsaD and per work queue wqD.Q, one file per attribute), in the
 * text forms each kernel version's drivers/dma/idxd/sysfs.c prints, and a
 * device-node directory beside it.
 */
#ifndef TESTS_IDXD_FAKE_SYSFS_H
#define TESTS_IDXD_FAKE_SYSFS_H

#include <stdbool.h>
#include <stdint.h>

/* How a kernel prints op_cap (see libaccel/idxd_sysfs.c). */
enum fs_form {
	FS_FORM_5_6, /* "%#llx" of the low word */
	FS_FORM_5_13, /* four "%#llx" words, least significant first */
	FS_FORM_6_3, /* 256-bit bitmap, comma-separated 32-bit groups */
};

struct fs_wq {
	const char *name; /* "wq0.1" */
	const char *mode; /* "dedicated" / "shared" */
	const char *type; /* "user" */
	const char *state; /* "enabled" */
	unsigned size, threshold;
	unsigned bof;
	uint64_t max_xfer; /* 0: attribute absent */
	unsigned max_batch; /* 0: attribute absent */
	const char *wq_name; /* the `name` attribute */
};

struct fs_dev {
	unsigned id; /* dsaD */
	enum fs_form form;
	uint64_t op_cap; /* low word */
	uint64_t gen_cap;
	unsigned version;
	int numa_node;
	const char *state;
	unsigned max_xfer_dev, max_batch_dev;
};

/* A fresh tree: root/sysfs and root/dev under $TMPDIR; returns root. */
const char *fs_new(void);
void fs_remove(void);
const char *fs_sysfs(void);
const char *fs_dev(void);
/* Lay out a device / a queue of device `dev_id` (and its node). */
void fs_add_dev(const struct fs_dev *d);
void fs_add_wq(const struct fs_wq *w);
/* Write (or with text NULL, remove) one attribute. */
void fs_attr(const char *obj, const char *attr, const char *text);
/* The defaults the double and the tests start from. */
struct fs_dev fs_dev_default(void);
struct fs_wq fs_wq_default(const char *name, bool shared);

#endif
