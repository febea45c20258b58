/* SPDX-License-Identifier: MIT */
/*
 * The register tests' driver side: a host for the twin (flat memory with
 * an optional hole, interrupt counters, a PASID table) and the steps the
 * Linux idxd driver takes, done through BAR0 and BAR2 only.
 */
#ifndef UACCEL_HW_HARNESS_H
#define UACCEL_HW_HARNESS_H

#include "dsa_twin.h"

#define HW_PASID_A 0x11
#define HW_PASID_B 0x22

struct hw_mem {
	struct model_mem mem;
	uintptr_t hole_lo, hole_hi; /* accesses here fault (INVALID) */
};

struct hw {
	struct dsa_twin *t;
	struct dsa_twin_host host;
	struct hw_mem mem;
	unsigned int irqs[DSA_TWIN_MSIX_VECTORS];
	uint32_t last_pasid;
	bool last_pasid_en;
	bool bind_b; /* is PASID_B bound to an address space? */
	uint32_t grpcfg, wqcfg, wqcfg_size;
};

/* A queue as a test configures it. */
struct hw_wq {
	unsigned int id, group;
	bool dedicated;
	unsigned int size, thresh, prio;
	uint32_t pasid; /* dedicated: WQCFG PASID (pasid_en set if nonzero) */
	unsigned int xfer_shift, batch_shift;
};

struct hw *hw_new(enum dsa_twin_version v);
void hw_free(struct hw *h);
/* Write the queue's WQCFG as idxd_wq_config_write does (all dwords). */
void hw_write_wqcfg(struct hw *h, const struct hw_wq *q);
/* Groups: group g gets the listed queues and engine g (as idxd's default). */
void hw_write_grpcfg(struct hw *h, unsigned int g, uint64_t wqs,
		     uint64_t engines, uint64_t flags);
/* Run a command with int_req: its CMDSTS error, or -1 while active. */
int hw_cmd(struct hw *h, unsigned int code, uint32_t operand);
/* Reset (polled, as idxd_device_init_reset), read the capabilities and
 * table offsets, unmask error interrupts. */
void hw_probe(struct hw *h);
/* The whole bring-up: probe, WQCFG, GRPCFG, enable device, enable queues. */
void hw_bring_up(struct hw *h, const struct hw_wq *wqs, unsigned int n);
/* The usual pair: wq 0 dedicated (size 8, PASID A), wq 1 shared (size 16,
 * threshold 4), both in group 0 with engine 0. */
void hw_default(struct hw *h);

/* Descriptor helpers (device addresses are plain pointers). */
void hw_memmove(struct dsa_desc *d, void *dst, const void *src, uint32_t n,
		struct dsa_comp *comp);
int hw_submit(struct hw *h, unsigned int wq, bool limited,
	      const struct dsa_desc *d, enum dsa_twin_submit how);
uint64_t hw_swerr(struct hw *h, unsigned int word);

#endif /* UACCEL_HW_HARNESS_H */
