/* SPDX-License-Identifier: MIT */
/*
 * One 64-byte descriptor store into a portal.  MOVDIR64B is a single
 * 64-byte posted write (dedicated queues); ENQCMD is a non-posted one that
 * the queue may refuse (shared queues: ZF set means "retry").  Where the
 * CPU lacks MOVDIR64B, the software portal takes four 16-byte stores: it
 * publishes the slot separately, so it needs no single-store atomicity.
 */
#ifndef LIBACCEL_PORTAL_H
#define LIBACCEL_PORTAL_H

#include <emmintrin.h>
#include <stdint.h>

#include "dsa_hw.h"

static inline void portal_movdir64b(void *portal, const struct dsa_desc *d)
{
	/* movdir64b (%rax), %rdx: encoded for assemblers without it. */
	__asm__ volatile(".byte 0x66, 0x0f, 0x38, 0xf8, 0x02"
			 :
			 : "a"(d), "d"(portal)
			 : "memory");
}

/* 0 if the queue accepted the descriptor, 1 if it asked to retry. */
static inline int portal_enqcmd(void *portal, const struct dsa_desc *d)
{
	uint8_t retry;

	/* enqcmd (%rax), %rdx */
	__asm__ volatile(".byte 0xf2, 0x0f, 0x38, 0xf8, 0x02\n\tsetz %0"
			 : "=r"(retry)
			 : "a"(d), "d"(portal)
			 : "memory", "cc");
	return retry;
}

static inline void portal_store64_sw(void *slot, const struct dsa_desc *d)
{
	const __m128i *s = (const __m128i *)d;
	__m128i *o = (__m128i *)slot;

	_mm_store_si128(o + 0, _mm_load_si128(s + 0));
	_mm_store_si128(o + 1, _mm_load_si128(s + 1));
	_mm_store_si128(o + 2, _mm_load_si128(s + 2));
	_mm_store_si128(o + 3, _mm_load_si128(s + 3));
}

#endif /* LIBACCEL_PORTAL_H */
