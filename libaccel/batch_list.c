// SPDX-License-Identifier: MIT
/*
 * Descriptor lists for batches.  The device reads a batch's members from
 * one 64-byte aligned array, so each batch needs a list until it
 * completes.  aligned_alloc cost several hundred instructions a batch,
 * more than the rest of a 32-member submission, so the context keeps the
 * last finished list for the next batch: one atomic exchange each way,
 * safe whichever thread submits or polls.
 */
#include <stdatomic.h>
#include <stdlib.h>

#include "internal.h"

struct batch_list {
	uint32_t cap; /* descriptors the list holds */
	uint8_t pad[60];
	struct dsa_desc desc[];
};

_Static_assert(offsetof(struct batch_list, desc) == 64,
	       "the list proper stays 64-byte aligned");

static struct batch_list *list_of(struct dsa_desc *d)
{
	return (struct batch_list *)(void *)((char *)d -
					     offsetof(struct batch_list, desc));
}

struct dsa_desc *accel_batch_list_get(struct accel_ctx *ctx, unsigned n)
{
	struct batch_list *l = atomic_exchange_explicit(
		&ctx->spare_list, NULL, memory_order_acquire);
	uint32_t cap;

	if (l && l->cap >= n)
		return l->desc;
	free(l);
	for (cap = 32; cap < n; cap *= 2)
		;
	l = aligned_alloc(64, sizeof(*l) + (size_t)cap * sizeof(l->desc[0]));
	if (!l)
		return NULL;
	l->cap = cap;
	return l->desc;
}

void accel_batch_list_put(struct accel_ctx *ctx, struct dsa_desc *list)
{
	struct batch_list *old;

	if (!list)
		return;
	if (!ctx) {
		free(list_of(list));
		return;
	}
	old = atomic_exchange_explicit(&ctx->spare_list, list_of(list),
				       memory_order_acq_rel);
	free(old);
}

void accel_batch_list_drain(struct accel_ctx *ctx)
{
	free(atomic_exchange(&ctx->spare_list, NULL));
}
