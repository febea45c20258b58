// SPDX-License-Identifier: MIT
/*
 * CRC-16 T10 (the DIF guard) for accel-bench's baseline: the fastest
 * plain CPU code we know for it, checked against the byte table
 * (tests/bench/crc16_baseline_test.c).
 *
 * CRC-16 T10 folded 64 bytes at a time with the carry-less multiply
 * (PCLMULQDQ, four 128-bit accumulators), the scheme of Intel's "Fast CRC
 * Computation for Generic Polynomials Using PCLMULQDQ" (Gopal et al.,
 * 2009), written here from the algebra: a 128-bit chunk X = Xh*x^64 + Xl
 * moved k bits further is congruent, modulo P = 0x18BB7, to
 * Xh*(x^(k+64) mod P) + Xl*(x^k mod P), two 64x16-bit products; the
 * folded value has the CRC of the data it stands for, so the last
 * accumulator's 16 bytes and the tail finish through a byte table.  The
 * constants are worked out at start-up, bit by bit.  Without PCLMULQDQ
 * (or below 64 bytes) the byte table alone runs.
 */
#include <immintrin.h>

#include "bench.h"

static const uint16_t t10_tab[256] = {
	0x0000, 0x8bb7, 0x9cd9, 0x176e, 0xb205, 0x39b2, 0x2edc, 0xa56b,
	0xefbd, 0x640a, 0x7364, 0xf8d3, 0x5db8, 0xd60f, 0xc161, 0x4ad6,
	0x54cd, 0xdf7a, 0xc814, 0x43a3, 0xe6c8, 0x6d7f, 0x7a11, 0xf1a6,
	0xbb70, 0x30c7, 0x27a9, 0xac1e, 0x0975, 0x82c2, 0x95ac, 0x1e1b,
	0xa99a, 0x222d, 0x3543, 0xbef4, 0x1b9f, 0x9028, 0x8746, 0x0cf1,
	0x4627, 0xcd90, 0xdafe, 0x5149, 0xf422, 0x7f95, 0x68fb, 0xe34c,
	0xfd57, 0x76e0, 0x618e, 0xea39, 0x4f52, 0xc4e5, 0xd38b, 0x583c,
	0x12ea, 0x995d, 0x8e33, 0x0584, 0xa0ef, 0x2b58, 0x3c36, 0xb781,
	0xd883, 0x5334, 0x445a, 0xcfed, 0x6a86, 0xe131, 0xf65f, 0x7de8,
	0x373e, 0xbc89, 0xabe7, 0x2050, 0x853b, 0x0e8c, 0x19e2, 0x9255,
	0x8c4e, 0x07f9, 0x1097, 0x9b20, 0x3e4b, 0xb5fc, 0xa292, 0x2925,
	0x63f3, 0xe844, 0xff2a, 0x749d, 0xd1f6, 0x5a41, 0x4d2f, 0xc698,
	0x7119, 0xfaae, 0xedc0, 0x6677, 0xc31c, 0x48ab, 0x5fc5, 0xd472,
	0x9ea4, 0x1513, 0x027d, 0x89ca, 0x2ca1, 0xa716, 0xb078, 0x3bcf,
	0x25d4, 0xae63, 0xb90d, 0x32ba, 0x97d1, 0x1c66, 0x0b08, 0x80bf,
	0xca69, 0x41de, 0x56b0, 0xdd07, 0x786c, 0xf3db, 0xe4b5, 0x6f02,
	0x3ab1, 0xb106, 0xa668, 0x2ddf, 0x88b4, 0x0303, 0x146d, 0x9fda,
	0xd50c, 0x5ebb, 0x49d5, 0xc262, 0x6709, 0xecbe, 0xfbd0, 0x7067,
	0x6e7c, 0xe5cb, 0xf2a5, 0x7912, 0xdc79, 0x57ce, 0x40a0, 0xcb17,
	0x81c1, 0x0a76, 0x1d18, 0x96af, 0x33c4, 0xb873, 0xaf1d, 0x24aa,
	0x932b, 0x189c, 0x0ff2, 0x8445, 0x212e, 0xaa99, 0xbdf7, 0x3640,
	0x7c96, 0xf721, 0xe04f, 0x6bf8, 0xce93, 0x4524, 0x524a, 0xd9fd,
	0xc7e6, 0x4c51, 0x5b3f, 0xd088, 0x75e3, 0xfe54, 0xe93a, 0x628d,
	0x285b, 0xa3ec, 0xb482, 0x3f35, 0x9a5e, 0x11e9, 0x0687, 0x8d30,
	0xe232, 0x6985, 0x7eeb, 0xf55c, 0x5037, 0xdb80, 0xccee, 0x4759,
	0x0d8f, 0x8638, 0x9156, 0x1ae1, 0xbf8a, 0x343d, 0x2353, 0xa8e4,
	0xb6ff, 0x3d48, 0x2a26, 0xa191, 0x04fa, 0x8f4d, 0x9823, 0x1394,
	0x5942, 0xd2f5, 0xc59b, 0x4e2c, 0xeb47, 0x60f0, 0x779e, 0xfc29,
	0x4ba8, 0xc01f, 0xd771, 0x5cc6, 0xf9ad, 0x721a, 0x6574, 0xeec3,
	0xa415, 0x2fa2, 0x38cc, 0xb37b, 0x1610, 0x9da7, 0x8ac9, 0x017e,
	0x1f65, 0x94d2, 0x83bc, 0x080b, 0xad60, 0x26d7, 0x31b9, 0xba0e,
	0xf0d8, 0x7b6f, 0x6c01, 0xe7b6, 0x42dd, 0xc96a, 0xde04, 0x55b3,
};

static uint16_t crc16_table(uint16_t crc, const uint8_t *p, size_t n)
{
	while (n--)
		crc = (uint16_t)(crc << 8) ^ t10_tab[((crc >> 8) ^ *p++) & 0xff];
	return crc;
}

/* x^n mod P (P = x^16 + 0x8BB7), as the 16 low bits. */
static uint64_t xpow_mod(unsigned n)
{
	uint32_t r = 1;

	while (n--) {
		r <<= 1;
		if (r & 0x10000)
			r ^= 0x18bb7;
	}
	return r;
}

static __m128i k_fold4, k_fold3, k_fold2, k_fold1;
static __m128i bswap_mask;
static int have_pclmul = -1;

static void fold_init(void)
{
	have_pclmul = __builtin_cpu_supports("pclmul") &&
		      __builtin_cpu_supports("ssse3");
	/* lane 0 multiplies the high half, lane 1 the low half */
	k_fold4 = _mm_set_epi64x((long long)xpow_mod(512),
				 (long long)xpow_mod(512 + 64));
	k_fold3 = _mm_set_epi64x((long long)xpow_mod(384),
				 (long long)xpow_mod(384 + 64));
	k_fold2 = _mm_set_epi64x((long long)xpow_mod(256),
				 (long long)xpow_mod(256 + 64));
	k_fold1 = _mm_set_epi64x((long long)xpow_mod(128),
				 (long long)xpow_mod(128 + 64));
	bswap_mask = _mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
				  14, 15);
}

__attribute__((target("pclmul,ssse3"))) static inline __m128i
fold(__m128i x, __m128i k)
{
	return _mm_xor_si128(_mm_clmulepi64_si128(x, k, 0x01),
			     _mm_clmulepi64_si128(x, k, 0x10));
}

__attribute__((target("pclmul,ssse3"))) static inline __m128i
load_be(const uint8_t *p)
{
	return _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)p),
				bswap_mask);
}

__attribute__((target("pclmul,ssse3"))) static uint16_t
crc16_fold(uint16_t crc, const uint8_t *p, size_t n)
{
	__m128i a0 = load_be(p), a1 = load_be(p + 16), a2 = load_be(p + 32),
		a3 = load_be(p + 48);
	uint8_t last[16];
	size_t off = 64;

	/* The seed is the first two bytes' partner: xor it into them. */
	a0 = _mm_xor_si128(a0, _mm_set_epi64x((long long)((uint64_t)crc << 48),
					      0));
	for (; off + 64 <= n; off += 64) {
		a0 = _mm_xor_si128(fold(a0, k_fold4), load_be(p + off));
		a1 = _mm_xor_si128(fold(a1, k_fold4), load_be(p + off + 16));
		a2 = _mm_xor_si128(fold(a2, k_fold4), load_be(p + off + 32));
		a3 = _mm_xor_si128(fold(a3, k_fold4), load_be(p + off + 48));
	}
	a3 = _mm_xor_si128(a3, fold(a0, k_fold3));
	a3 = _mm_xor_si128(a3, fold(a1, k_fold2));
	a3 = _mm_xor_si128(a3, fold(a2, k_fold1));
	for (; off + 16 <= n; off += 16)
		a3 = _mm_xor_si128(fold(a3, k_fold1), load_be(p + off));
	_mm_storeu_si128((__m128i *)(void *)last,
			 _mm_shuffle_epi8(a3, bswap_mask));
	crc = crc16_table(0, last, 16);
	return crc16_table(crc, p + off, n - off);
}

uint16_t bench_crc16_t10(uint16_t crc, const void *buf, size_t n)
{
	if (have_pclmul < 0)
		fold_init();
	if (have_pclmul && n >= 64)
		return crc16_fold(crc, buf, n);
	return crc16_table(crc, buf, n);
}

uint16_t bench_crc16_t10_table(uint16_t crc, const void *buf, size_t n)
{
	return crc16_table(crc, buf, n);
}

bool bench_crc16_t10_fast(void)
{
	if (have_pclmul < 0)
		fold_init();
	return have_pclmul;
}
