/* SPDX-License-Identifier: MIT */
/*
 * Shared by the Criterion suites: which backends to run against, buffers
 * with chosen page states, raw-descriptor runs, and plain C references.
 */
#ifndef TESTS_TCOMMON_H
#define TESTS_TCOMMON_H

#include <stddef.h>
#include <stdint.h>

#include "accel.h"

/* Backends under test: $ACCEL_TEST_BACKENDS (space separated), default
 * "emul cpu". */
int tb_count(void);
const char *tb_name(int i);
/* Open backend i or fail the test with the reason. */
struct accel_ctx *tb_open(int i);
struct accel_ctx *tb_open_opts(int i, struct accel_opts *o);

/* Pages: npages of anonymous memory, none touched (not present). */
void *tb_pages(size_t npages);
void tb_pages_free(void *p, size_t npages);
/* Make [p, p + len) present by writing to it. */
void tb_touch(void *p, size_t len);
/* An address range that is certainly unmapped (a freed mapping). */
void *tb_unmapped(size_t npages);

/* A descriptor with no record request (tb_run_raw adds one). */
void tb_desc(struct dsa_desc *d, uint8_t op, uint32_t flags, void *src,
	     void *dst, uint32_t n);

/*
 * Run one raw descriptor: sets CRAV|RCR and the record address, submits
 * (retrying while the queue is full) and waits up to 10 s.  Returns the
 * status byte; the record is left in *comp.
 */
uint8_t tb_run_raw(struct accel_ctx *c, struct dsa_desc *d,
		   struct dsa_comp *comp);
/* The same without touching the flags or the record address. */
uint8_t tb_run_raw_as_is(struct accel_ctx *c, const struct dsa_desc *d,
			 volatile struct dsa_comp *comp);

/* Deterministic pseudo-random numbers (xorshift), seeded per test. */
void tb_seed(uint64_t s);
uint64_t tb_rand(void);
size_t tb_rand_size(size_t max); /* 1..max, skewed towards small */
void tb_fill_random(void *p, size_t n);

/* References. */
uint32_t ref_crc32c(uint32_t seed, const void *buf, size_t n);

#endif /* TESTS_TCOMMON_H */
