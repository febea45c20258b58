// SPDX-License-Identifier: MIT
/*
 * T10 DIF calls: descriptors for check, insert, strip, update and DIX
 * generate (the model's model_dif.c says what the device does with them),
 * and the synchronous forms, which cut a transfer larger than the queue's
 * limit at block boundaries and carry the tags across the pieces.  Every
 * size goes to the device: there is no CPU path for DIF.
 */
#include <errno.h>
#include <immintrin.h>

#include "internal.h"

static void prep_dif(struct accel_op *op, uint8_t opcode, uint64_t dst,
		     const void *src, size_t n, const struct accel_dif *dif,
		     uint32_t flags)
{
	struct dsa_desc *d = &op->desc;
	bool in = opcode == DSA_OP_DIF_CHECK || opcode == DSA_OP_DIF_STRP ||
		  opcode == DSA_OP_DIF_UPDT;
	bool out = opcode != DSA_OP_DIF_CHECK && opcode != DSA_OP_DIF_STRP;

	accel_prep_desc(op, opcode, flags, (uintptr_t)src, dst, n);
	/* A side the operation does not have stays zero (reserved). */
	d->dif.flags = dif->flags;
	if (in) {
		d->dif.src_flags = dif->src_flags;
		d->dif.src = dif->src;
	}
	if (out) {
		d->dif.dst_flags = dif->dst_flags;
		d->dif.dst = dif->dst;
	}
}

ACCEL_EXPORT void accel_prep_dif_check(struct accel_op *op, const void *src,
				       size_t n, const struct accel_dif *dif,
				       uint32_t flags)
{
	prep_dif(op, DSA_OP_DIF_CHECK, 0, src, n, dif, flags);
}

ACCEL_EXPORT void accel_prep_dif_insert(struct accel_op *op, void *dst,
					const void *src, size_t n,
					const struct accel_dif *dif,
					uint32_t flags)
{
	prep_dif(op, DSA_OP_DIF_INS, (uintptr_t)dst, src, n, dif, flags);
}

ACCEL_EXPORT void accel_prep_dif_strip(struct accel_op *op, void *dst,
				       const void *src, size_t n,
				       const struct accel_dif *dif,
				       uint32_t flags)
{
	prep_dif(op, DSA_OP_DIF_STRP, (uintptr_t)dst, src, n, dif, flags);
}

ACCEL_EXPORT void accel_prep_dif_update(struct accel_op *op, void *dst,
					const void *src, size_t n,
					const struct accel_dif *dif,
					uint32_t flags)
{
	prep_dif(op, DSA_OP_DIF_UPDT, (uintptr_t)dst, src, n, dif, flags);
}

ACCEL_EXPORT void accel_prep_dix_generate(struct accel_op *op, void *pi,
					  const void *src, size_t n,
					  const struct accel_dif *dif,
					  uint32_t flags)
{
	prep_dif(op, DSA_OP_DIX_GEN, (uintptr_t)pi, src, n, dif, flags);
}

/* Source and destination bytes per block. */
static void dif_steps(uint8_t opcode, uint8_t flags, uint64_t *ss,
		      uint64_t *ds)
{
	uint64_t blk = model_dif_block_size(flags);

	switch (opcode) {
	case DSA_OP_DIF_CHECK:
		*ss = blk + DSA_DIF_PI_SIZE;
		*ds = 0;
		break;
	case DSA_OP_DIF_INS:
		*ss = blk;
		*ds = blk + DSA_DIF_PI_SIZE;
		break;
	case DSA_OP_DIF_STRP:
		*ss = blk + DSA_DIF_PI_SIZE;
		*ds = blk;
		break;
	case DSA_OP_DIF_UPDT:
		*ss = *ds = blk + DSA_DIF_PI_SIZE;
		break;
	default: /* DIX generate */
		*ss = blk;
		*ds = DSA_DIF_PI_SIZE;
		break;
	}
}

/* The tags block k takes from block 0's (source and destination flags
 * share their bit positions). */
static void dif_skip(struct dsa_dif_tags *t, uint8_t tflags, uint64_t k)
{
	if (!(tflags & DSA_DIF_SRC_REF_FIXED))
		t->ref_tag += (uint32_t)k;
	if (tflags & DSA_DIF_SRC_APP_INC)
		t->app_tag = (uint16_t)(t->app_tag + k);
}

static int dif_sync(struct accel_ctx *ctx, uint8_t opcode, void *dst,
		    const void *src, size_t n, const struct accel_dif *dif,
		    struct accel_dif_error *err)
{
	struct accel_dif cur;
	uint64_t ss, ds, per, off = 0;
	int rc = 0;

	if (!ctx || !dif || n == 0 ||
	    (dif->flags & ~(unsigned)DSA_DIF_FLAGS_VALID))
		return -EINVAL;
	dif_steps(opcode, dif->flags, &ss, &ds);
	if (n % ss)
		return -EINVAL;
	/* Whole blocks a descriptor may carry. */
	per = ctx->info.max_xfer / ss;
	if (per == 0)
		return -E2BIG;
	cur = *dif;
	while (off < n && rc == 0) {
		uint64_t len = n - off < per * ss ? n - off : per * ss;
		uint64_t blocks = off / ss;
		struct accel_op op;

		prep_dif(&op, opcode,
			 dst ? (uintptr_t)dst + blocks * ds : 0,
			 (const char *)src + off, len, &cur, 0);
		while ((rc = accel_submit(ctx, &op)) == -EAGAIN)
			_mm_pause();
		if (rc)
			break;
		rc = accel_wait(ctx, &op, ACCEL_WAIT_PAUSE);
		accel_tls_path = ACCEL_PATH_DEVICE;
		if (rc == -EBADMSG && err) {
			struct accel_dif_error e = {
				.result = op.comp.result,
				.offset = off + op.comp.bytes_completed,
				.block = (off + op.comp.bytes_completed) / ss,
				.tags = op.comp.dif.src,
			};

			if (accel_guarded_store(err, &e, sizeof(e)))
				rc = -EFAULT;
		}
		dif_skip(&cur.src, cur.src_flags, len / ss);
		dif_skip(&cur.dst, cur.dst_flags, len / ss);
		off += len;
	}
	return rc;
}

ACCEL_EXPORT int accel_dif_check(struct accel_ctx *ctx, const void *src,
				 size_t n, const struct accel_dif *dif,
				 struct accel_dif_error *err)
{
	return dif_sync(ctx, DSA_OP_DIF_CHECK, NULL, src, n, dif, err);
}

ACCEL_EXPORT int accel_dif_insert(struct accel_ctx *ctx, void *dst,
				  const void *src, size_t n,
				  const struct accel_dif *dif)
{
	return dif_sync(ctx, DSA_OP_DIF_INS, dst, src, n, dif, NULL);
}

ACCEL_EXPORT int accel_dif_strip(struct accel_ctx *ctx, void *dst,
				 const void *src, size_t n,
				 const struct accel_dif *dif,
				 struct accel_dif_error *err)
{
	return dif_sync(ctx, DSA_OP_DIF_STRP, dst, src, n, dif, err);
}

ACCEL_EXPORT int accel_dif_update(struct accel_ctx *ctx, void *dst,
				  const void *src, size_t n,
				  const struct accel_dif *dif,
				  struct accel_dif_error *err)
{
	return dif_sync(ctx, DSA_OP_DIF_UPDT, dst, src, n, dif, err);
}

ACCEL_EXPORT int accel_dix_generate(struct accel_ctx *ctx, void *pi,
				    const void *src, size_t n,
				    const struct accel_dif *dif)
{
	return dif_sync(ctx, DSA_OP_DIX_GEN, pi, src, n, dif, NULL);
}
