// SPDX-License-Identifier: MIT
/*
 * CRC-32C (Castagnoli) as DSA's CRC generation and copy-with-CRC compute
 * it, for every combination of their flags.
 *
 * The device's arithmetic, as Intel states it in idxd-config's test
 * (test/dsa.c, dsa_calculate_crc32()) and dsa-perf-micros (src/prep.c,
 * crc32()), written here in the reflected (LSB-first) form that both the
 * table below (polynomial 0x82F63B78) and the SSE4.2 crc32 instruction
 * compute:
 *   start:  state = ~seed, or bitrev32(seed) with BYPASS_INV_REF;
 *   data:   each byte as it is, or bitrev8(byte) with BYPASS_DATA_REF
 *           (the device then takes bit 7 as the first bit of the byte);
 *   result: ~state, or bitrev32(state) with BYPASS_INV_REF.
 * The result of a run seeds the next one, whatever the flags, so a CRC can
 * be resumed after a fault or chained across buffers.  With no flags,
 * crc("123456789", seed 0) == DSA_CRC32C_CHECK (0xE3069283).
 *
 * Two paths, chosen at run time: the crc32 instruction where the CPU has
 * SSE4.2 (CPUID.1:ECX bit 20), else the byte table.  The instruction works
 * on general registers, so the kernel may use it too (no FPU state).  Both
 * give the same bits; the conformance suite runs both.
 */
#include "model.h"

#ifdef __KERNEL__
#if defined(__x86_64__)
#include <asm/cpufeature.h>
#endif
#else
#if defined(__x86_64__)
#include <cpuid.h>
#endif
#endif

static const uint32_t crc32c_table[256] = {
	0x00000000u, 0xf26b8303u, 0xe13b70f7u, 0x1350f3f4u,
	0xc79a971fu, 0x35f1141cu, 0x26a1e7e8u, 0xd4ca64ebu,
	0x8ad958cfu, 0x78b2dbccu, 0x6be22838u, 0x9989ab3bu,
	0x4d43cfd0u, 0xbf284cd3u, 0xac78bf27u, 0x5e133c24u,
	0x105ec76fu, 0xe235446cu, 0xf165b798u, 0x030e349bu,
	0xd7c45070u, 0x25afd373u, 0x36ff2087u, 0xc494a384u,
	0x9a879fa0u, 0x68ec1ca3u, 0x7bbcef57u, 0x89d76c54u,
	0x5d1d08bfu, 0xaf768bbcu, 0xbc267848u, 0x4e4dfb4bu,
	0x20bd8edeu, 0xd2d60dddu, 0xc186fe29u, 0x33ed7d2au,
	0xe72719c1u, 0x154c9ac2u, 0x061c6936u, 0xf477ea35u,
	0xaa64d611u, 0x580f5512u, 0x4b5fa6e6u, 0xb93425e5u,
	0x6dfe410eu, 0x9f95c20du, 0x8cc531f9u, 0x7eaeb2fau,
	0x30e349b1u, 0xc288cab2u, 0xd1d83946u, 0x23b3ba45u,
	0xf779deaeu, 0x05125dadu, 0x1642ae59u, 0xe4292d5au,
	0xba3a117eu, 0x4851927du, 0x5b016189u, 0xa96ae28au,
	0x7da08661u, 0x8fcb0562u, 0x9c9bf696u, 0x6ef07595u,
	0x417b1dbcu, 0xb3109ebfu, 0xa0406d4bu, 0x522bee48u,
	0x86e18aa3u, 0x748a09a0u, 0x67dafa54u, 0x95b17957u,
	0xcba24573u, 0x39c9c670u, 0x2a993584u, 0xd8f2b687u,
	0x0c38d26cu, 0xfe53516fu, 0xed03a29bu, 0x1f682198u,
	0x5125dad3u, 0xa34e59d0u, 0xb01eaa24u, 0x42752927u,
	0x96bf4dccu, 0x64d4cecfu, 0x77843d3bu, 0x85efbe38u,
	0xdbfc821cu, 0x2997011fu, 0x3ac7f2ebu, 0xc8ac71e8u,
	0x1c661503u, 0xee0d9600u, 0xfd5d65f4u, 0x0f36e6f7u,
	0x61c69362u, 0x93ad1061u, 0x80fde395u, 0x72966096u,
	0xa65c047du, 0x5437877eu, 0x4767748au, 0xb50cf789u,
	0xeb1fcbadu, 0x197448aeu, 0x0a24bb5au, 0xf84f3859u,
	0x2c855cb2u, 0xdeeedfb1u, 0xcdbe2c45u, 0x3fd5af46u,
	0x7198540du, 0x83f3d70eu, 0x90a324fau, 0x62c8a7f9u,
	0xb602c312u, 0x44694011u, 0x5739b3e5u, 0xa55230e6u,
	0xfb410cc2u, 0x092a8fc1u, 0x1a7a7c35u, 0xe811ff36u,
	0x3cdb9bddu, 0xceb018deu, 0xdde0eb2au, 0x2f8b6829u,
	0x82f63b78u, 0x709db87bu, 0x63cd4b8fu, 0x91a6c88cu,
	0x456cac67u, 0xb7072f64u, 0xa457dc90u, 0x563c5f93u,
	0x082f63b7u, 0xfa44e0b4u, 0xe9141340u, 0x1b7f9043u,
	0xcfb5f4a8u, 0x3dde77abu, 0x2e8e845fu, 0xdce5075cu,
	0x92a8fc17u, 0x60c37f14u, 0x73938ce0u, 0x81f80fe3u,
	0x55326b08u, 0xa759e80bu, 0xb4091bffu, 0x466298fcu,
	0x1871a4d8u, 0xea1a27dbu, 0xf94ad42fu, 0x0b21572cu,
	0xdfeb33c7u, 0x2d80b0c4u, 0x3ed04330u, 0xccbbc033u,
	0xa24bb5a6u, 0x502036a5u, 0x4370c551u, 0xb11b4652u,
	0x65d122b9u, 0x97baa1bau, 0x84ea524eu, 0x7681d14du,
	0x2892ed69u, 0xdaf96e6au, 0xc9a99d9eu, 0x3bc21e9du,
	0xef087a76u, 0x1d63f975u, 0x0e330a81u, 0xfc588982u,
	0xb21572c9u, 0x407ef1cau, 0x532e023eu, 0xa145813du,
	0x758fe5d6u, 0x87e466d5u, 0x94b49521u, 0x66df1622u,
	0x38cc2a06u, 0xcaa7a905u, 0xd9f75af1u, 0x2b9cd9f2u,
	0xff56bd19u, 0x0d3d3e1au, 0x1e6dcdeeu, 0xec064eedu,
	0xc38d26c4u, 0x31e6a5c7u, 0x22b65633u, 0xd0ddd530u,
	0x0417b1dbu, 0xf67c32d8u, 0xe52cc12cu, 0x1747422fu,
	0x49547e0bu, 0xbb3ffd08u, 0xa86f0efcu, 0x5a048dffu,
	0x8ecee914u, 0x7ca56a17u, 0x6ff599e3u, 0x9d9e1ae0u,
	0xd3d3e1abu, 0x21b862a8u, 0x32e8915cu, 0xc083125fu,
	0x144976b4u, 0xe622f5b7u, 0xf5720643u, 0x07198540u,
	0x590ab964u, 0xab613a67u, 0xb831c993u, 0x4a5a4a90u,
	0x9e902e7bu, 0x6cfbad78u, 0x7fab5e8cu, 0x8dc0dd8fu,
	0xe330a81au, 0x115b2b19u, 0x020bd8edu, 0xf0605beeu,
	0x24aa3f05u, 0xd6c1bc06u, 0xc5914ff2u, 0x37faccf1u,
	0x69e9f0d5u, 0x9b8273d6u, 0x88d28022u, 0x7ab90321u,
	0xae7367cau, 0x5c18e4c9u, 0x4f48173du, 0xbd23943eu,
	0xf36e6f75u, 0x0105ec76u, 0x12551f82u, 0xe03e9c81u,
	0x34f4f86au, 0xc69f7b69u, 0xd5cf889du, 0x27a40b9eu,
	0x79b737bau, 0x8bdcb4b9u, 0x988c474du, 0x6ae7c44eu,
	0xbe2da0a5u, 0x4c4623a6u, 0x5f16d052u, 0xad7d5351u,
};

static uint8_t bitrev8(uint8_t b)
{
	b = (uint8_t)((b & 0x0f) << 4 | (b & 0xf0) >> 4);
	b = (uint8_t)((b & 0x33) << 2 | (b & 0xcc) >> 2);
	return (uint8_t)((b & 0x55) << 1 | (b & 0xaa) >> 1);
}

static uint32_t bitrev32(uint32_t x)
{
	x = (x & 0x0000ffffu) << 16 | (x & 0xffff0000u) >> 16;
	x = (x & 0x00ff00ffu) << 8 | (x & 0xff00ff00u) >> 8;
	x = (x & 0x0f0f0f0fu) << 4 | (x & 0xf0f0f0f0u) >> 4;
	x = (x & 0x33333333u) << 2 | (x & 0xccccccccu) >> 2;
	return (x & 0x55555555u) << 1 | (x & 0xaaaaaaaau) >> 1;
}

/* bitrev8 of each byte of v, in place. */
static uint64_t bitrev8x8(uint64_t v)
{
	v = (v & 0x0f0f0f0f0f0f0f0full) << 4 | (v & 0xf0f0f0f0f0f0f0f0ull) >> 4;
	v = (v & 0x3333333333333333ull) << 2 | (v & 0xccccccccccccccccull) >> 2;
	return (v & 0x5555555555555555ull) << 1 |
	       (v & 0xaaaaaaaaaaaaaaaaull) >> 1;
}

static uint32_t table_run(uint32_t state, const uint8_t *p, size_t len,
			  bool rev)
{
	if (rev) {
		while (len--)
			state = crc32c_table[(state ^ bitrev8(*p++)) & 0xff] ^
				(state >> 8);
		return state;
	}
	while (len--)
		state = crc32c_table[(state ^ *p++) & 0xff] ^ (state >> 8);
	return state;
}

/* Path choice: -1 not yet known, 0 table, 1 instruction. */
static int crc_path = -1;
static int crc_force_table;

#if defined(__x86_64__)
static inline uint64_t crc32_u64(uint64_t s, uint64_t v)
{
	__asm__("crc32q %1, %0" : "+r"(s) : "rm"(v));
	return s;
}

static inline uint32_t crc32_u8(uint32_t s, uint8_t v)
{
	__asm__("crc32b %1, %0" : "+r"(s) : "rm"(v));
	return s;
}

/*
 * Three streams at once: the instruction's latency is three cycles and its
 * throughput one, so a single stream leaves two thirds of it idle.  The
 * CRC is linear: over a block of three lanes it is the state after the
 * first lane shifted past the other two, xor the second lane's (from 0)
 * shifted past one, xor the third's.  Shifting a state past n zero bytes
 * multiplies it by x^(8n) modulo the polynomial: a carry-less multiply by
 * k = x^(8n - 32) mod P, whose product one crc32q reduces (the crc32q of
 * 0 and d is d(x) * x^32 mod P).  k1 and k2 shift past one and two lanes;
 * x^(8n - 32) mod P is the raw state that n - 4 zero bytes leave from
 * 0x80000000 (x^0), worked out once with the table.  The conformance suite
 * holds this path against the table across every lane boundary.
 */
struct crc_lane {
	uint32_t len, k1, k2;
};

static const struct crc_lane crc_lanes[2] = {
	{ 2048, 0xd07b8be2u, 0xc38a7543u },
	{ 256, 0x5cf015c3u, 0x6ebf1d86u },
};

/* Reflected carry-less product: bit i of a and bit j of k land on bit
 * i + j + 1 (the x^63 end of a 64-bit crc32q operand is bit 0). */
static uint64_t clmul_refl(uint32_t a, uint32_t k)
{
	uint64_t acc = 0;
	int i;

	for (i = 0; i < 32; i++)
		acc ^= ((uint64_t)k << i) & (0 - (uint64_t)((a >> i) & 1));
	return acc << 1;
}

static uint32_t crc_shift(uint32_t state, uint32_t k)
{
	return (uint32_t)crc32_u64(0, clmul_refl(state, k));
}

static inline uint64_t load8(const uint8_t *p, bool rev)
{
	uint64_t v;

	__builtin_memcpy(&v, p, 8);
	return rev ? bitrev8x8(v) : v;
}

/* Inlined into each caller with rev a constant, so that the plain path
 * carries no test of it in its loops. */
static inline __attribute__((always_inline)) uint32_t
insn_run(uint32_t state, const uint8_t *p, size_t len, bool rev)
{
	uint64_t s = state;
	unsigned t;

	for (t = 0; t < 2; t++) {
		const size_t l = crc_lanes[t].len;

		for (; len >= 3 * l; p += 3 * l, len -= 3 * l) {
			uint64_t b = 0, c = 0;
			size_t i;

			for (i = 0; i < l; i += 8) {
				s = crc32_u64(s, load8(p + i, rev));
				b = crc32_u64(b, load8(p + l + i, rev));
				c = crc32_u64(c, load8(p + 2 * l + i, rev));
			}
			s = crc_shift((uint32_t)s, crc_lanes[t].k2) ^
			    crc_shift((uint32_t)b, crc_lanes[t].k1) ^ c;
		}
	}
	for (; len >= 8; len -= 8, p += 8)
		s = crc32_u64(s, load8(p, rev));
	while (len--)
		s = crc32_u8((uint32_t)s, rev ? bitrev8(*p++) : *p++);
	return (uint32_t)s;
}

static bool cpu_has_crc32(void)
{
#ifdef __KERNEL__
	return boot_cpu_has(X86_FEATURE_XMM4_2);
#else
	unsigned int a, b, c, d;

	return __get_cpuid(1, &a, &b, &c, &d) && (c & bit_SSE4_2);
#endif
}
#else
static uint32_t insn_run(uint32_t state, const uint8_t *p, size_t len,
			 bool rev)
{
	return table_run(state, p, len, rev);
}

static bool cpu_has_crc32(void)
{
	return false;
}
#endif

bool model_crc32c_has_insn(void)
{
	int path = __atomic_load_n(&crc_path, __ATOMIC_RELAXED);

	/* A benign race: every thread computes the same answer. */
	if (path < 0) {
		path = cpu_has_crc32() ? 1 : 0;
		__atomic_store_n(&crc_path, path, __ATOMIC_RELAXED);
	}
	return path;
}

void model_crc32c_force_table(bool on)
{
	__atomic_store_n(&crc_force_table, on ? 1 : 0, __ATOMIC_RELAXED);
}

bool model_crc32c_uses_insn(void)
{
	return model_crc32c_has_insn() &&
	       !__atomic_load_n(&crc_force_table, __ATOMIC_RELAXED);
}

uint32_t model_crc_start(uint32_t seed, uint32_t flags)
{
	return flags & DSA_FLAG_CRC_BYPASS_INV_REF ? bitrev32(seed) : ~seed;
}

uint32_t model_crc_update(uint32_t state, const void *buf, size_t len,
			  uint32_t flags)
{
	bool rev = flags & DSA_FLAG_CRC_BYPASS_DATA_REF;

	if (model_crc32c_uses_insn())
		return rev ? insn_run(state, buf, len, true) :
			     insn_run(state, buf, len, false);
	return table_run(state, buf, len, rev);
}

uint32_t model_crc_result(uint32_t state, uint32_t flags)
{
	return flags & DSA_FLAG_CRC_BYPASS_INV_REF ? bitrev32(state) : ~state;
}

uint32_t model_crc32c_raw(uint32_t state, const void *buf, size_t len)
{
	return model_crc_update(state, buf, len, 0);
}

uint32_t model_crc32c(uint32_t seed, const void *buf, size_t len)
{
	return model_crc_result(model_crc_update(model_crc_start(seed, 0), buf,
						 len, 0),
				0);
}
