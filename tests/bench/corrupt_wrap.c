// SPDX-License-Identifier: MIT
/*
 * Linked into a test build of accel-bench with -Wl,--wrap: the library
 * calls succeed but hand back a wrong result (a CRC off by one bit, a
 * byte of the destination changed), so that the test of --verify can show
 * it catches them.  Never part of the installed program.
 */
#include <stddef.h>
#include <stdint.h>

#define ACCEL_NO_INLINE
#include "accel.h"

int __real_accel_crc32c(struct accel_ctx *ctx, const void *src, size_t n,
			uint32_t seed, uint32_t *crc);
int __wrap_accel_crc32c(struct accel_ctx *ctx, const void *src, size_t n,
			uint32_t seed, uint32_t *crc);
int __real_accel_fill(struct accel_ctx *ctx, void *dst, uint64_t pattern,
		      size_t n);
int __wrap_accel_fill(struct accel_ctx *ctx, void *dst, uint64_t pattern,
		      size_t n);
int __real_accel_memcpy(struct accel_ctx *ctx, void *dst, const void *src,
			size_t n);
int __wrap_accel_memcpy(struct accel_ctx *ctx, void *dst, const void *src,
			size_t n);
int __real_accel_wait(struct accel_ctx *ctx, struct accel_op *op,
		      enum accel_wait_mode mode);
int __wrap_accel_wait(struct accel_ctx *ctx, struct accel_op *op,
		      enum accel_wait_mode mode);

int __wrap_accel_crc32c(struct accel_ctx *ctx, const void *src, size_t n,
			uint32_t seed, uint32_t *crc)
{
	int rc = __real_accel_crc32c(ctx, src, n, seed, crc);

	*crc ^= 0x100;
	return rc;
}

int __wrap_accel_fill(struct accel_ctx *ctx, void *dst, uint64_t pattern,
		      size_t n)
{
	int rc = __real_accel_fill(ctx, dst, pattern, n);

	((uint8_t *)dst)[n / 2] ^= 1;
	return rc;
}

int __wrap_accel_memcpy(struct accel_ctx *ctx, void *dst, const void *src,
			size_t n)
{
	int rc = __real_accel_memcpy(ctx, dst, src, n);

	((uint8_t *)dst)[n - 1] ^= 0x80;
	return rc;
}

int __wrap_accel_wait(struct accel_ctx *ctx, struct accel_op *op,
		      enum accel_wait_mode mode)
{
	int rc = __real_accel_wait(ctx, op, mode);

	op->comp.crc_val ^= 0x100;
	return rc;
}
