// SPDX-License-Identifier: MIT
/*
 * Translation fetch (opcode 0x0a, DSA 2.0): the device looks up, and
 * caches, the address translations of a region without moving data, so
 * that later descriptors on it do not wait for them.  Its fields are what
 * Linux's uapi idxd.h (6.x) gives it: transl_fetch_addr (src), region_size
 * (the size field) and region_stride (op-specific byte 8); idxd-config's
 * test (dsa_prep_transl_fetch()) submits it with the stride left 0.
 *
 * No public document we could read states the stride's rule, so the model
 * takes the plain reading: translations are fetched every region_stride
 * bytes from the start (0: every 4 KiB page) up to the region's end.  A
 * translation that cannot be had stops the operation as any page fault
 * does, with bytes_completed the offset reached, so that it can be resumed.
 * Nothing is written; the model has no translation cache to fill, so
 * success means every translation exists (or, with block-on-fault, could
 * be made to).
 */
#include "model_internal.h"

void model_op_tfetch(struct model_run *r)
{
	const struct dsa_desc *d = r->d;
	const struct model_mem_ops *ops = r->x->mem->ops;
	uint64_t stride = d->tfetch.region_stride ? d->tfetch.region_stride :
						    4096;
	uint64_t off;

	for (off = 0; off < d->size; off += stride) {
		enum model_fault f = MODEL_FAULT_NONE;
		uint8_t byte;
		size_t ok;

		if (ops->probe)
			ok = ops->probe(r->x->mem, d->src + off, 1, false,
					r->block, &f);
		else
			ok = ops->read(r->x->mem, &byte, d->src + off, 1,
				       r->block, &f);
		if (!ok) {
			model_fault(r, f, false, d->src + off, (uint32_t)off);
			return;
		}
	}
}
