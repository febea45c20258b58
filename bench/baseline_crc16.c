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

/*
 * The byte table is worked out from the polynomial at start-up, not
 * written out: the model (libaccel/model/model_dif.c) holds the literal
 * table, and a bench that derives its own checks it independently
 * (tests/bench/crc16_baseline_test.c compares with the check value).
 */
static uint16_t t10_tab[256];

static void table_init(void)
{
	unsigned x, bit;

	for (x = 0; x < 256; x++) {
		uint16_t r = (uint16_t)(x << 8);

		for (bit = 0; bit < 8; bit++)
			r = (uint16_t)((r << 1) ^ ((r & 0x8000) ? 0x8bb7 : 0));
		t10_tab[x] = r;
	}
}

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
	table_init();
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
	if (have_pclmul < 0)
		fold_init();
	return crc16_table(crc, buf, n);
}

bool bench_crc16_t10_fast(void)
{
	if (have_pclmul < 0)
		fold_init();
	return have_pclmul;
}
