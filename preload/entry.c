// SPDX-License-Identifier: MIT
/*
 * The functions a program calls.  Below its threshold a call costs one
 * compare and one jump more than the C library's own function (objdump
 * shows it: cmp, jae, jmp *); only calls at or above it take the slow path
 * (offload.c), which decides whether libaccel may be used from here.
 *
 * The _chk forms are what programs built with _FORTIFY_SOURCE call (Debian
 * builds python3 that way); the C library's own would reach its internal
 * memcpy, out of this library's sight.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "preload.h"

#define PL_EXPORT __attribute__((visibility("default")))
#define likely(x) __builtin_expect(!!(x), 1)

extern void __chk_fail(void) __attribute__((noreturn));
/* glibc's fortified entry points; no public header declares them. */
void *__memcpy_chk(void *dst, const void *src, size_t n, size_t dstlen);
void *__mempcpy_chk(void *dst, const void *src, size_t n, size_t dstlen);
void *__memmove_chk(void *dst, const void *src, size_t n, size_t dstlen);
void *__memset_chk(void *dst, int c, size_t n, size_t dstlen);

PL_EXPORT void *memcpy(void *dst, const void *src, size_t n)
{
	if (likely(n < pl_min[PL_MEMCPY]))
		return pl_small.memcpy(dst, src, n);
	return pl_offload_memcpy(dst, src, n);
}

PL_EXPORT void *mempcpy(void *dst, const void *src, size_t n)
{
	if (likely(n < pl_min[PL_MEMCPY]))
		return pl_small.mempcpy(dst, src, n);
	return (char *)pl_offload_memcpy(dst, src, n) + n;
}

PL_EXPORT void *memmove(void *dst, const void *src, size_t n)
{
	if (likely(n < pl_min[PL_MEMMOVE]))
		return pl_small.memmove(dst, src, n);
	return pl_offload_memmove(dst, src, n);
}

PL_EXPORT void *memset(void *dst, int c, size_t n)
{
	if (likely(n < pl_min[PL_MEMSET]))
		return pl_small.memset(dst, c, n);
	return pl_offload_memset(dst, c, n);
}

PL_EXPORT int memcmp(const void *a, const void *b, size_t n)
{
	if (likely(n < pl_min[PL_MEMCMP]))
		return pl_small.memcmp(a, b, n);
	return pl_offload_memcmp(a, b, n);
}

/* glibc's bcmp is memcmp; compilers emit calls to it for equality tests. */
PL_EXPORT int bcmp(const void *a, const void *b, size_t n)
{
	if (likely(n < pl_min[PL_MEMCMP]))
		return pl_small.memcmp(a, b, n);
	return pl_offload_memcmp(a, b, n);
}

PL_EXPORT void *__memcpy_chk(void *dst, const void *src, size_t n,
			     size_t dstlen)
{
	if (n > dstlen)
		__chk_fail();
	return memcpy(dst, src, n);
}

PL_EXPORT void *__mempcpy_chk(void *dst, const void *src, size_t n,
			      size_t dstlen)
{
	if (n > dstlen)
		__chk_fail();
	return mempcpy(dst, src, n);
}

PL_EXPORT void *__memmove_chk(void *dst, const void *src, size_t n,
			      size_t dstlen)
{
	if (n > dstlen)
		__chk_fail();
	return memmove(dst, src, n);
}

PL_EXPORT void *__memset_chk(void *dst, int c, size_t n, size_t dstlen)
{
	if (n > dstlen)
		__chk_fail();
	return memset(dst, c, n);
}
