/* SPDX-License-Identifier: MIT */
/*
 * The emul backend's work queue: a ring of 64-byte descriptor slots that
 * stands in for a portal.  A slot is published by its sequence number after
 * the 64-byte store, and freed when the engine takes the descriptor (as a
 * real queue entry is freed at dispatch, not at completion).
 *
 * Dedicated mode has one producer, which must not exceed the queue size;
 * shared mode has many, and an enqueue is refused ("retry") once the queue
 * holds its threshold, like ENQCMD's ZF.
 */
#ifndef LIBACCEL_EMUL_RING_H
#define LIBACCEL_EMUL_RING_H

#include <errno.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "dsa_hw.h"
#include "portal.h"

struct emul_ring {
	struct dsa_desc *slots;
	_Atomic uint64_t *seq;
	uint32_t size; /* queue entries (the WQ size) */
	uint32_t mask; /* slots - 1, slots a power of two >= size */
	uint32_t threshold; /* shared: refuse at this occupancy */
	bool shared;
	bool use_movdir64b;
	_Alignas(64) _Atomic uint64_t tail;
	/* The producers' last look at head, on the tail's line: head is
	 * written by the engine on every take, so reading it costs a
	 * cross-core miss; the cached value is never ahead of head, so a
	 * check against it can only be too cautious, and is then redone. */
	_Atomic uint64_t head_seen;
	_Alignas(64) _Atomic uint64_t head;
	_Alignas(64) struct emul_ring *next; /* engine's list, under dev lock */
	uint64_t dropped; /* descriptors lost to a dedicated-queue overflow */
};

int emul_ring_init(struct emul_ring *r, uint32_t size, uint32_t threshold,
		   bool shared, bool use_movdir64b);
void emul_ring_fini(struct emul_ring *r);

/* Room for one more below limit?  Looks at the engine's head only when
 * the cached one says no. */
static inline bool emul_ring_room(struct emul_ring *r, uint64_t pos,
				  uint32_t limit)
{
	/* Acquire/release through head_seen too: a producer that reuses a
	 * slot on another producer's look at head must also see the
	 * engine's copy of that slot finished (plain moves on x86). */
	uint64_t h = atomic_load_explicit(&r->head_seen, memory_order_acquire);

	if (pos - h < limit)
		return true;
	h = atomic_load_explicit(&r->head, memory_order_acquire);
	atomic_store_explicit(&r->head_seen, h, memory_order_release);
	return pos - h < limit;
}

/* Occupancy as the producer sees it. */
static inline uint64_t emul_ring_occupancy(struct emul_ring *r)
{
	return atomic_load_explicit(&r->tail, memory_order_relaxed) -
	       atomic_load_explicit(&r->head, memory_order_acquire);
}

static inline void emul_ring_store(struct emul_ring *r, uint64_t pos,
				   const struct dsa_desc *d)
{
	struct dsa_desc *slot = &r->slots[pos & r->mask];

	if (r->use_movdir64b) {
		portal_movdir64b(slot, d);
		/* MOVDIR64B is weakly ordered: fence before publishing. */
		__builtin_ia32_sfence();
	} else {
		portal_store64_sw(slot, d);
	}
	atomic_store_explicit(&r->seq[pos & r->mask], pos + 1,
			      memory_order_release);
}

/*
 * Dedicated, as the library submits: the room is checked first, so a
 * descriptor is never lost; false means the queue is full.
 */
static inline bool emul_ring_try_post(struct emul_ring *r,
				      const struct dsa_desc *d)
{
	uint64_t pos = atomic_load_explicit(&r->tail, memory_order_relaxed);

	if (!emul_ring_room(r, pos, r->size))
		return false;
	emul_ring_store(r, pos, d);
	atomic_store_explicit(&r->tail, pos + 1, memory_order_relaxed);
	return true;
}

/*
 * Dedicated, as the hardware sees a posted write: one into a full queue is
 * dropped (and counted).  Returns false if so.
 */
static inline bool emul_ring_post(struct emul_ring *r, const struct dsa_desc *d)
{
	if (emul_ring_try_post(r, d))
		return true;
	r->dropped++;
	return false;
}

/* Shared: 0 if accepted, -EAGAIN (retry) at the threshold. */
static inline int emul_ring_enqueue(struct emul_ring *r,
				    const struct dsa_desc *d)
{
	uint64_t pos = atomic_load_explicit(&r->tail, memory_order_relaxed);

	do {
		if (!emul_ring_room(r, pos, r->threshold))
			return -EAGAIN;
	} while (!atomic_compare_exchange_weak_explicit(
		&r->tail, &pos, pos + 1, memory_order_relaxed,
		memory_order_relaxed));
	emul_ring_store(r, pos, d);
	return 0;
}

/* A slot's sequence once the engine claimed it (never pos + 1 of a post). */
#define EMUL_SEQ_TAKEN (1ull << 63)

/*
 * Engine side: take the next published descriptor, if any.  The slot is
 * claimed with a compare-and-swap on its sequence, against a producer
 * taking it back (emul_ring_take_back): exactly one of the two wins.
 */
static inline bool emul_ring_take(struct emul_ring *r, struct dsa_desc *out)
{
	uint64_t h = atomic_load_explicit(&r->head, memory_order_relaxed);
	uint64_t want = h + 1;

	if (atomic_load_explicit(&r->seq[h & r->mask], memory_order_relaxed) !=
		    want ||
	    !atomic_compare_exchange_strong_explicit(
		    &r->seq[h & r->mask], &want, want | EMUL_SEQ_TAKEN,
		    memory_order_acquire, memory_order_relaxed))
		return false;
	*out = r->slots[h & r->mask];
	atomic_store_explicit(&r->head, h + 1, memory_order_release);
	return true;
}

/*
 * Dedicated, producer side: withdraw the last descriptor posted, if it is
 * the one with that completion record and the engine has not taken it.
 * The slot is then free again, as if the post had never happened.  A
 * software device can offer this; a real portal cannot (what was written
 * is the device's).  The producer alone writes slots, so it may read them.
 */
static inline bool emul_ring_take_back(struct emul_ring *r, uint64_t comp)
{
	uint64_t pos = atomic_load_explicit(&r->tail, memory_order_relaxed);
	uint64_t want = pos;

	if (r->shared || pos == 0 ||
	    r->slots[(pos - 1) & r->mask].completion_addr != comp ||
	    !atomic_compare_exchange_strong_explicit(&r->seq[(pos - 1) & r->mask],
						     &want, 0,
						     memory_order_relaxed,
						     memory_order_relaxed))
		return false;
	atomic_store_explicit(&r->tail, pos - 1, memory_order_relaxed);
	return true;
}

#endif /* LIBACCEL_EMUL_RING_H */
