/* SPDX-License-Identifier: MIT */
/*
 * What the preload test programs share: patterns and checks written as
 * plain loops, so that a check never runs through the function under test
 * (none of them is a loop the compiler turns into memcpy, memset or
 * memcmp: each stores or compares against a computed pattern).
 */
#ifndef PL_CHECK_H
#define PL_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Byte i of pattern seed: never the same for nearby seeds or offsets. */
static inline uint8_t pl_pat(unsigned seed, size_t i)
{
	return (uint8_t)((i * 2654435761u) >> 13 ^ seed * 40503u ^ i);
}

static inline void pl_fill(uint8_t *p, unsigned seed, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = pl_pat(seed, i);
}

/* 0 when p holds pattern seed from offset off on. */
static inline int pl_holds(const uint8_t *p, unsigned seed, size_t off,
			   size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != pl_pat(seed, off + i))
			return -1;
	return 0;
}

static inline int pl_all(const uint8_t *p, uint8_t c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != c)
			return -1;
	return 0;
}

#define PL_EXPECT(cond, what)                                                \
	do {                                                                 \
		if (cond) {                                                  \
			pl_passed++;                                         \
		} else {                                                     \
			pl_failed++;                                         \
			fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__,        \
				__LINE__, what);                             \
		}                                                            \
	} while (0)

#endif /* PL_CHECK_H */
