/* SPDX-License-Identifier: MIT */
/*
 * The inline small copy behind accel.h's accel_memcpy()/accel_memmove():
 * up to ACCEL_SMALL_COPY_MAX bytes are moved by code compiled into the
 * caller, without a call to glibc.  Included by accel.h; not a public API
 * of its own.
 *
 * Why: below the CPU threshold the library's copy is memcpy plus a test of
 * the size against the context's threshold.  For 64-256 B, where glibc's
 * memcpy takes 3-6 ns, that one extra compare and branch read 0.94x-0.96x
 * of glibc; a call, glibc's own size dispatch and its return cost more than
 * the copy itself, so skipping them more than pays for the test
 * (docs/performance.md, section 3).
 *
 * How: like glibc's small-size paths, each size class loads the first and
 * the last k bytes (overlapping in the middle) and only then stores them,
 * so every load happens before any store and the copy is a correct
 * memmove for any overlap.  Up to 32 B: scalar or two 16-byte moves; 33 B
 * to 512 B: 32-byte AVX moves where the CPU has AVX (glibc's memcpy on
 * such a CPU uses them too; with only 16-byte stores 256 B read 0.79x), 16-byte moves up to
 * 128 B otherwise, else glibc.  The AVX part is inline assembly so that it
 * needs no -mavx; it ends in vzeroupper, as glibc's does, unless the
 * caller itself is compiled for AVX (then the compiler manages the upper
 * halves and may keep values there).
 *
 * Left out (glibc's memcpy/memmove instead): sanitizer builds (the checkers
 * do not see inline assembly, and their memcpy interceptors check the
 * ranges), other architectures, non-GNU compilers, and
 * ACCEL_NO_INLINE_SMALL_COPY.  ACCEL_NO_INLINE_AVX keeps the 16-byte part
 * only.
 */
#ifndef ACCEL_SMALL_COPY_H
#define ACCEL_SMALL_COPY_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define ACCEL_SANITIZED_ 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
	__has_feature(memory_sanitizer)
#define ACCEL_SANITIZED_ 1
#endif
#endif

#if defined(__GNUC__) && defined(__x86_64__) && !defined(ACCEL_SANITIZED_) && \
	!defined(ACCEL_NO_INLINE_SMALL_COPY)
#define ACCEL_SMALL_COPY_MAX 512

#define ACCEL_AI_ static inline __attribute__((__always_inline__))

typedef unsigned char accel_v16_ __attribute__((__vector_size__(16)));

ACCEL_AI_ accel_v16_ accel_ld16_(const unsigned char *p)
{
	accel_v16_ v;

	memcpy(&v, p, 16);
	return v;
}

ACCEL_AI_ void accel_st16_(unsigned char *p, accel_v16_ v)
{
	memcpy(p, &v, 16);
}

#ifdef __AVX__
#define ACCEL_VZEROUPPER_ ""
#define ACCEL_HAVE_AVX_() 1
#else
#define ACCEL_VZEROUPPER_ "vzeroupper"
#define ACCEL_HAVE_AVX_() __builtin_cpu_supports("avx")
#endif

/* One line of the assembly: load ymm r from off(base), or store it. */
#define ACCEL_YL_(off, base, r) "vmovdqu " #off "(%[" #base "]), %%ymm" #r "\n\t"
#define ACCEL_YS_(r, off, base) "vmovdqu %%ymm" #r ", " #off "(%[" #base "])\n\t"
#define ACCEL_YOPS_ [s] "r"(s), [e] "r"(s + n), [d] "r"(d), [f] "r"(d + n)

/* 32 < n <= 64: the first and the last 32 bytes. */
ACCEL_AI_ void accel_move_y1_(unsigned char *d, const unsigned char *s,
			      size_t n)
{
	__asm__ volatile(ACCEL_YL_(0, s, 0) ACCEL_YL_(-32, e, 1)
			 ACCEL_YS_(0, 0, d) ACCEL_YS_(1, -32, f)
			 ACCEL_VZEROUPPER_
			 : : ACCEL_YOPS_ : "xmm0", "xmm1", "memory");
}

/* 64 < n <= 128: the first and the last 64 bytes. */
ACCEL_AI_ void accel_move_y2_(unsigned char *d, const unsigned char *s,
			      size_t n)
{
	__asm__ volatile(ACCEL_YL_(0, s, 0) ACCEL_YL_(32, s, 1)
			 ACCEL_YL_(-64, e, 2) ACCEL_YL_(-32, e, 3)
			 ACCEL_YS_(0, 0, d) ACCEL_YS_(1, 32, d)
			 ACCEL_YS_(2, -64, f) ACCEL_YS_(3, -32, f)
			 ACCEL_VZEROUPPER_
			 : : ACCEL_YOPS_
			 : "xmm0", "xmm1", "xmm2", "xmm3", "memory");
}

/* 128 < n <= 256: the first and the last 128 bytes. */
ACCEL_AI_ void accel_move_y4_(unsigned char *d, const unsigned char *s,
			      size_t n)
{
	__asm__ volatile(ACCEL_YL_(0, s, 0) ACCEL_YL_(32, s, 1)
			 ACCEL_YL_(64, s, 2) ACCEL_YL_(96, s, 3)
			 ACCEL_YL_(-128, e, 4) ACCEL_YL_(-96, e, 5)
			 ACCEL_YL_(-64, e, 6) ACCEL_YL_(-32, e, 7)
			 ACCEL_YS_(0, 0, d) ACCEL_YS_(1, 32, d)
			 ACCEL_YS_(2, 64, d) ACCEL_YS_(3, 96, d)
			 ACCEL_YS_(4, -128, f) ACCEL_YS_(5, -96, f)
			 ACCEL_YS_(6, -64, f) ACCEL_YS_(7, -32, f)
			 ACCEL_VZEROUPPER_
			 : : ACCEL_YOPS_
			 : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5",
			   "xmm6", "xmm7", "memory");
}

/* 256 < n <= 512: the first and the last 256 bytes, all 16 registers. */
ACCEL_AI_ void accel_move_y8_(unsigned char *d, const unsigned char *s,
			      size_t n)
{
	__asm__ volatile(ACCEL_YL_(0, s, 0) ACCEL_YL_(32, s, 1)
			 ACCEL_YL_(64, s, 2) ACCEL_YL_(96, s, 3)
			 ACCEL_YL_(128, s, 4) ACCEL_YL_(160, s, 5)
			 ACCEL_YL_(192, s, 6) ACCEL_YL_(224, s, 7)
			 ACCEL_YL_(-256, e, 8) ACCEL_YL_(-224, e, 9)
			 ACCEL_YL_(-192, e, 10) ACCEL_YL_(-160, e, 11)
			 ACCEL_YL_(-128, e, 12) ACCEL_YL_(-96, e, 13)
			 ACCEL_YL_(-64, e, 14) ACCEL_YL_(-32, e, 15)
			 ACCEL_YS_(0, 0, d) ACCEL_YS_(1, 32, d)
			 ACCEL_YS_(2, 64, d) ACCEL_YS_(3, 96, d)
			 ACCEL_YS_(4, 128, d) ACCEL_YS_(5, 160, d)
			 ACCEL_YS_(6, 192, d) ACCEL_YS_(7, 224, d)
			 ACCEL_YS_(8, -256, f) ACCEL_YS_(9, -224, f)
			 ACCEL_YS_(10, -192, f) ACCEL_YS_(11, -160, f)
			 ACCEL_YS_(12, -128, f) ACCEL_YS_(13, -96, f)
			 ACCEL_YS_(14, -64, f) ACCEL_YS_(15, -32, f)
			 ACCEL_VZEROUPPER_
			 : : ACCEL_YOPS_
			 : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5",
			   "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11",
			   "xmm12", "xmm13", "xmm14", "xmm15", "memory");
}

/*
 * Moves n <= ACCEL_SMALL_COPY_MAX bytes from sv to dv (any overlap) and
 * returns 1, or returns 0 having done nothing (no AVX, n > 128): the caller
 * then calls glibc.
 */
ACCEL_AI_ int accel_small_move_(void *dv, const void *sv, size_t n)
{
	unsigned char *d = (unsigned char *)dv;
	const unsigned char *s = (const unsigned char *)sv;

	if (n <= 32) {
		if (n >= 16) {
			accel_v16_ a = accel_ld16_(s), b = accel_ld16_(s + n - 16);

			accel_st16_(d, a);
			accel_st16_(d + n - 16, b);
		} else if (n >= 8) {
			uint64_t a, b;

			memcpy(&a, s, 8);
			memcpy(&b, s + n - 8, 8);
			memcpy(d, &a, 8);
			memcpy(d + n - 8, &b, 8);
		} else if (n >= 4) {
			uint32_t a, b;

			memcpy(&a, s, 4);
			memcpy(&b, s + n - 4, 4);
			memcpy(d, &a, 4);
			memcpy(d + n - 4, &b, 4);
		} else if (n >= 2) {
			uint16_t a, b;

			memcpy(&a, s, 2);
			memcpy(&b, s + n - 2, 2);
			memcpy(d, &a, 2);
			memcpy(d + n - 2, &b, 2);
		} else if (n) {
			*d = *s;
		}
		return 1;
	}
#ifndef ACCEL_NO_INLINE_AVX
	if (ACCEL_HAVE_AVX_()) {
		if (n <= 128) {
			if (n <= 64)
				accel_move_y1_(d, s, n);
			else
				accel_move_y2_(d, s, n);
		} else if (n <= 256) {
			accel_move_y4_(d, s, n);
		} else {
			accel_move_y8_(d, s, n);
		}
		return 1;
	}
#endif
	if (n <= 64) {
		accel_v16_ a0 = accel_ld16_(s), a1 = accel_ld16_(s + 16);
		accel_v16_ b0 = accel_ld16_(s + n - 32);
		accel_v16_ b1 = accel_ld16_(s + n - 16);

		accel_st16_(d, a0);
		accel_st16_(d + 16, a1);
		accel_st16_(d + n - 32, b0);
		accel_st16_(d + n - 16, b1);
		return 1;
	}
	if (n <= 128) {
		accel_v16_ a0 = accel_ld16_(s), a1 = accel_ld16_(s + 16);
		accel_v16_ a2 = accel_ld16_(s + 32), a3 = accel_ld16_(s + 48);
		accel_v16_ b0 = accel_ld16_(s + n - 64);
		accel_v16_ b1 = accel_ld16_(s + n - 48);
		accel_v16_ b2 = accel_ld16_(s + n - 32);
		accel_v16_ b3 = accel_ld16_(s + n - 16);

		accel_st16_(d, a0);
		accel_st16_(d + 16, a1);
		accel_st16_(d + 32, a2);
		accel_st16_(d + 48, a3);
		accel_st16_(d + n - 64, b0);
		accel_st16_(d + n - 48, b1);
		accel_st16_(d + n - 32, b2);
		accel_st16_(d + n - 16, b3);
		return 1;
	}
	return 0;
}

#else /* no inline small copy: accel.h calls glibc */
#define ACCEL_SMALL_COPY_MAX 0
#define ACCEL_AI_ static inline
static inline int accel_small_move_(void *dv, const void *sv, size_t n)
{
	(void)dv;
	(void)sv;
	(void)n;
	return 0;
}
#endif

#endif /* ACCEL_SMALL_COPY_H */
