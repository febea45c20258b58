/* SPDX-License-Identifier: MIT */
/*
 * Raw access to a uacce queue for the kernel tests, below libaccel:
 * open, start, map, submit by write(2) or the ring, wait for a record.
 */
#ifndef TESTS_KT_UTIL_H
#define TESTS_KT_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dsa_hw.h"
#include "uacce_abi.h"

/* The first DSA device of a mode (by sysfs, waiting up to 3 s for one to
 * appear: ids change when the driver is reloaded), or "none". */
const char *kt_dev(uint32_t mode);
#define KT_DEV_DEDICATED kt_dev(UACCE_DSA_WQ_DEDICATED)
#define KT_DEV_SHARED kt_dev(UACCE_DSA_WQ_SHARED)

struct kt_q {
	int fd;
	struct uacce_dsa_qinfo qi;
	struct dsa_desc *slots; /* MMIO ring, or NULL */
	struct uacce_soft_ctl *ctl; /* DUS, or NULL */
	uint64_t tail;
};

/* Path of a class device's node: /dev/<name>, as upstream. */
const char *kt_path(const char *name);
/* Read /sys/class/uacce/<name>/<attr> into buf; 0 or -errno. */
int kt_sysfs(const char *name, const char *attr, char *buf, size_t len);
long kt_sysfs_long(const char *name, const char *attr);

/* Open (and, if start, START_Q) a queue; map both regions if map.
 * Returns 0 or -errno; the queue is closed again on failure. */
int kt_open(struct kt_q *q, const char *name, bool start, bool map);
void kt_close(struct kt_q *q);

/* Submit one descriptor: write(2) or, with a mapped ring, the ring. */
int kt_write(struct kt_q *q, const struct dsa_desc *d);
int kt_ring(struct kt_q *q, const struct dsa_desc *d);
/* Poll a record's status byte for up to ms; the status, or 0. */
uint8_t kt_wait(volatile struct dsa_comp *c, int ms);

/* A descriptor asking for a record at comp. */
void kt_desc(struct dsa_desc *d, uint8_t op, uint32_t flags, const void *src,
	     void *dst, uint32_t n, struct dsa_comp *comp);

#endif /* TESTS_KT_UTIL_H */
