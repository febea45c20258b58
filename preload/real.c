// SPDX-License-Identifier: MIT
/*
 * The C library's own memcpy and friends, found once with
 * dlsym(RTLD_NEXT) in the constructor (dlsym resolves glibc's IFUNCs to the
 * variant for this CPU, as the program's own PLT would).  Until then, and
 * while dlsym itself copies, calls land in the built-in versions below:
 * string instructions in inline assembly, so that the compiler cannot turn
 * them back into calls to memcpy (which would be this library again).
 */
#include <dlfcn.h>
#include <stdint.h>

#include "preload.h"

static void *builtin_memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;

	__asm__ volatile("rep movsb"
			 : "+D"(d), "+S"(src), "+c"(n)
			 :
			 : "memory");
	return dst;
}

static void *builtin_memmove(void *dst, const void *src, size_t n)
{
	const char *s = src;
	char *d = dst;

	if ((uintptr_t)d - (uintptr_t)s >= n)
		return builtin_memcpy(dst, src, n);
	/* dst overlaps the top of src: copy downwards. */
	s += n - 1;
	d += n - 1;
	__asm__ volatile("std\n\trep movsb\n\tcld"
			 : "+D"(d), "+S"(s), "+c"(n)
			 :
			 : "memory");
	return dst;
}

static void *builtin_mempcpy(void *dst, const void *src, size_t n)
{
	return (char *)builtin_memcpy(dst, src, n) + n;
}

static void *builtin_memset(void *dst, int c, size_t n)
{
	void *d = dst;

	__asm__ volatile("rep stosb"
			 : "+D"(d), "+c"(n)
			 : "a"(c)
			 : "memory");
	return dst;
}

static int builtin_memcmp(const void *a, const void *b, size_t n)
{
	const volatile unsigned char *x = a, *y = b;
	size_t i;

	for (i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] - y[i];
	return 0;
}

/* Before the constructor: the built-in versions (signals.c resolves
 * sigaction itself when a program installs a handler that early). */
#define PL_BUILTINS                                                          \
	{                                                                    \
		.memcpy = builtin_memcpy, .memmove = builtin_memmove,        \
		.mempcpy = builtin_mempcpy, .memset = builtin_memset,        \
		.memcmp = builtin_memcmp,                                    \
	}
struct pl_real pl_real = PL_BUILTINS;
struct pl_real pl_small = PL_BUILTINS;

/*
 * libaccel's own objects are linked into this library with their calls to
 * these functions renamed to the ones below (preload.mk), so that the
 * library (and its engine thread) never comes back into the preload.
 */
PL_HIDDEN void *pl_libc_memcpy(void *dst, const void *src, size_t n);
PL_HIDDEN void *pl_libc_memmove(void *dst, const void *src, size_t n);
PL_HIDDEN void *pl_libc_memset(void *dst, int c, size_t n);
PL_HIDDEN int pl_libc_memcmp(const void *a, const void *b, size_t n);

void *pl_libc_memcpy(void *dst, const void *src, size_t n)
{
	return pl_real.memcpy(dst, src, n);
}

void *pl_libc_memmove(void *dst, const void *src, size_t n)
{
	return pl_real.memmove(dst, src, n);
}

void *pl_libc_memset(void *dst, int c, size_t n)
{
	return pl_real.memset(dst, c, n);
}

int pl_libc_memcmp(const void *a, const void *b, size_t n)
{
	return pl_real.memcmp(a, b, n);
}

void pl_real_resolve(void)
{
	struct pl_real r = pl_real;
	void *p;

	/* One field at a time: dlsym may copy, and every copy it makes must
	 * find a working function. */
	if ((p = dlsym(RTLD_NEXT, "memcpy")))
		r.memcpy = (pl_memcpy_fn)p;
	if ((p = dlsym(RTLD_NEXT, "memmove")))
		r.memmove = (pl_memcpy_fn)p;
	if ((p = dlsym(RTLD_NEXT, "mempcpy")))
		r.mempcpy = (pl_memcpy_fn)p;
	if ((p = dlsym(RTLD_NEXT, "memset")))
		r.memset = (pl_memset_fn)p;
	if ((p = dlsym(RTLD_NEXT, "memcmp")))
		r.memcmp = (pl_memcmp_fn)p;
	if ((p = dlsym(RTLD_NEXT, "sigaction")))
		r.sigaction = (pl_sigaction_fn)p;
	__atomic_store_n(&pl_real.memcpy, r.memcpy, __ATOMIC_RELAXED);
	__atomic_store_n(&pl_real.memmove, r.memmove, __ATOMIC_RELAXED);
	__atomic_store_n(&pl_real.mempcpy, r.mempcpy, __ATOMIC_RELAXED);
	__atomic_store_n(&pl_real.memset, r.memset, __ATOMIC_RELAXED);
	__atomic_store_n(&pl_real.memcmp, r.memcmp, __ATOMIC_RELAXED);
	__atomic_store_n(&pl_real.sigaction, r.sigaction, __ATOMIC_RELEASE);
	/* The fast path's table; stats.c may swap in its counters after. */
	pl_small.memcpy = r.memcpy;
	pl_small.memmove = r.memmove;
	pl_small.mempcpy = r.mempcpy;
	pl_small.memset = r.memset;
	pl_small.memcmp = r.memcmp;
}
