/* SPDX-License-Identifier: MIT */
/* Shared between the model's own files; not part of any interface. */
#ifndef UACCEL_MODEL_INTERNAL_H
#define UACCEL_MODEL_INTERNAL_H

#include "model.h"

#ifdef __KERNEL__
#include <linux/string.h>
#else
#include <string.h>
#endif

/* Delta offsets are 16-bit counts of 8-byte granules. */
#define MODEL_DELTA_MAX_XFER (0x10000u * DSA_DELTA_GRANULE)
/* Smallest create-delta record the device accepts: eight entries. */
#define MODEL_DELTA_MIN_REC (8u * DSA_DELTA_ENTRY_SIZE)

#define MODEL_MIN(a, b) ((a) < (b) ? (a) : (b))

/* One descriptor in execution. */
struct model_run {
	struct model_exec *x;
	const struct dsa_desc *d;
	struct dsa_comp comp;
	bool block;
};

/* Record a fault that stopped the operation after done units. */
void model_fault(struct model_run *r, enum model_fault f, bool write,
		 uint64_t addr, uint32_t done);

/*
 * Windows on device memory.  A read window returns a pointer to up to
 * want bytes at addr (direct, or copied into buf) and how many it got.  A
 * write window returns where to put bytes for addr: direct memory, or buf,
 * to be pushed out with model_win_commit().
 */
const uint8_t *model_win_read(struct model_run *r, uint64_t addr, size_t want,
			      uint8_t *buf, size_t bufsz, size_t *got,
			      enum model_fault *f);
uint8_t *model_win_write(struct model_run *r, uint64_t addr, size_t want,
			 uint8_t *buf, size_t bufsz, size_t *got,
			 enum model_fault *f);
size_t model_win_commit(struct model_run *r, uint64_t addr,
			const uint8_t *p, size_t len, enum model_fault *f);
static inline bool model_direct(const struct model_run *r)
{
	return r->x->mem->ops->probe != 0;
}

void model_op_memmove(struct model_run *r);
void model_op_fill(struct model_run *r);
void model_op_dualcast(struct model_run *r);
void model_op_crc(struct model_run *r, bool copy);
void model_op_cflush(struct model_run *r);
void model_op_compare(struct model_run *r);
void model_op_compval(struct model_run *r);
void model_op_cr_delta(struct model_run *r);
void model_op_ap_delta(struct model_run *r);
/* model_dif.c: DIF check, insert, strip, update and DIX generate. */
void model_op_dif(struct model_run *r);
/* model_ops_tfetch.c: translation fetch (DSA 2.0). */
void model_op_tfetch(struct model_run *r);

#endif /* UACCEL_MODEL_INTERNAL_H */
