// SPDX-License-Identifier: MIT
/*
 * Descriptor validation, in the order the device checks: opcode, flags,
 * reserved fields, then the operation's own rules.  Memory is not touched.
 */
#include "model_internal.h"

/* Which descriptor fields an operation reads; the others are reserved. */
#define USE_SRC 0x1u
#define USE_DST 0x2u
#define USE_SIZE 0x4u

struct op_rule {
	uint8_t uses;
	uint32_t flags; /* operation-specific flags allowed besides common */
	uint32_t ospec; /* bit i: op-specific byte i is used */
};

static const struct op_rule op_rules[DSA_OP_MAX] = {
	[DSA_OP_NOOP] = { 0, 0, 0 },
	[DSA_OP_BATCH] = { USE_SRC | USE_SIZE, 0, 0 },
	[DSA_OP_DRAIN] = { 0, 0, 0 },
	[DSA_OP_MEMMOVE] = { USE_SRC | USE_DST | USE_SIZE, 0, 0 },
	[DSA_OP_FILL] = { USE_SRC | USE_DST | USE_SIZE, DSA_FLAG_FILL_PATTERN16,
			  0 },
	[DSA_OP_COMPARE] = { USE_SRC | USE_DST | USE_SIZE, DSA_FLAG_CR, 0x1 },
	[DSA_OP_COMPVAL] = { USE_SRC | USE_DST | USE_SIZE, DSA_FLAG_CR, 0x1 },
	[DSA_OP_CR_DELTA] = { USE_SRC | USE_DST | USE_SIZE, DSA_FLAG_CR,
			      0x10fff },
	[DSA_OP_AP_DELTA] = { USE_SRC | USE_DST | USE_SIZE, 0, 0xf },
	[DSA_OP_DUALCAST] = { USE_SRC | USE_DST | USE_SIZE, 0, 0xff },
	[DSA_OP_CRCGEN] = { USE_SRC | USE_SIZE, DSA_FLAGS_CRC, 0xff0f },
	[DSA_OP_COPY_CRC] = { USE_SRC | USE_DST | USE_SIZE, DSA_FLAGS_CRC,
			      0xff0f },
	[DSA_OP_CFLUSH] = { USE_DST | USE_SIZE, 0, 0 },
	/* DIF: op-specific bytes 0 (source flags), 1 (destination flags), 2
	 * (DIF flags), 8-15 (source seeds), 16-23 (destination seeds), as
	 * Linux's uapi struct dsa_hw_desc places them per operation. */
	[DSA_OP_DIF_CHECK] = { USE_SRC | USE_SIZE, 0, 0x0000ff05 },
	[DSA_OP_DIF_INS] = { USE_SRC | USE_DST | USE_SIZE, 0, 0x00ff0006 },
	[DSA_OP_DIF_STRP] = { USE_SRC | USE_DST | USE_SIZE, 0, 0x0000ff05 },
	[DSA_OP_DIF_UPDT] = { USE_SRC | USE_DST | USE_SIZE, 0, 0x00ffff07 },
	/* DSA 2.0: DIX generate (dst: the PI buffer), translation fetch
	 * (src: the region, size: its length, region_stride at byte 8). */
	[DSA_OP_DIX_GEN] = { USE_SRC | USE_DST | USE_SIZE, 0, 0x00ff0006 },
	[DSA_OP_TRANSL_FETCH] = { USE_SRC | USE_SIZE, 0, 0x00000f00 },
};

/* Common flags every operation accepts (traffic-class selectors included:
 * they choose a path, not a result). */
#define FLAGS_ANY_OP                                                           \
	(DSA_FLAGS_COMMON | DSA_FLAG_ADDR1_TCS | DSA_FLAG_ADDR2_TCS |          \
	 DSA_FLAG_ADDR3_TCS | DSA_FLAG_CR_TCS | DSA_FLAG_CRSTS | DSA_FLAG_DSTS)

static bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b,
			   uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

static bool misaligned(uint64_t addr, uint64_t align)
{
	return addr & (align - 1);
}

/*
 * The delta operations work in 8-byte granules: every address they touch
 * and the transfer size are multiples of 8, else ADDR_ALIGN (see
 * DSA_DELTA_ALIGN in dsa_hw.h for the source).
 */
static bool delta_misaligned(uint64_t a, uint64_t b, uint64_t c, uint64_t n)
{
	return misaligned(a, DSA_DELTA_ALIGN) ||
	       misaligned(b, DSA_DELTA_ALIGN) ||
	       misaligned(c, DSA_DELTA_ALIGN) || misaligned(n, DSA_DELTA_ALIGN);
}

static uint8_t check_reserved(const struct dsa_desc *d,
			      const struct op_rule *r, uint32_t flags)
{
	uint32_t ospec = r->ospec;
	unsigned i;

	if (d->pasid_priv & 0x7ff00000u)
		return DSA_COMP_NOZERO_RESERVE;
	if (d->rsvd1 || (d->int_handle && !(flags & DSA_FLAG_RCI)))
		return DSA_COMP_NOZERO_RESERVE;
	if ((!(r->uses & USE_SRC) && d->src) ||
	    (!(r->uses & USE_DST) && d->dst) ||
	    (!(r->uses & USE_SIZE) && d->size))
		return DSA_COMP_NOZERO_RESERVE;
	if (dsa_desc_opcode(d) == DSA_OP_FILL &&
	    (flags & DSA_FLAG_FILL_PATTERN16))
		ospec = 0xff;
	if (!(flags & DSA_FLAG_CRC_SEED_ADDR) &&
	    (dsa_desc_opcode(d) == DSA_OP_CRCGEN ||
	     dsa_desc_opcode(d) == DSA_OP_COPY_CRC))
		ospec = 0xf;
	for (i = 0; i < sizeof(d->op_specific); i++)
		if (!(ospec & (1u << i)) && d->op_specific[i])
			return DSA_COMP_NOZERO_RESERVE;
	return DSA_COMP_SUCCESS;
}

/*
 * DIF: the reserved bits of the three flag bytes must be zero (DIF flags
 * 7:4, destination flags 2:0, and the pass-through bits except in update,
 * the only operation with a source field to pass: DML lists them among
 * dif_destination_flag, DML_DIF_FLAG_DST_RESERVED1-3).  The transfer is
 * whole blocks of the source (xfer_size counts source bytes), and no
 * buffer may overlap another.
 */
static uint8_t check_dif(const struct dsa_desc *d)
{
	uint8_t op = dsa_desc_opcode(d);
	uint32_t blk = model_dif_block_size(d->dif.flags);
	bool pi_in = op == DSA_OP_DIF_CHECK || op == DSA_OP_DIF_STRP ||
		     op == DSA_OP_DIF_UPDT;
	uint32_t sstep = blk + (pi_in ? DSA_DIF_PI_SIZE : 0);
	uint64_t n = d->size, nblk = n / sstep, dlen;
	uint8_t dst_ok = 0xf8 & ~(op == DSA_OP_DIF_UPDT ? 0 : DSA_DIF_DST_PASS);

	if ((d->dif.flags & ~DSA_DIF_FLAGS_VALID) ||
	    (d->dif.dst_flags & ~dst_ok))
		return DSA_COMP_NOZERO_RESERVE;
	if (n % sstep)
		return DSA_COMP_XFER_ERANGE;
	switch (op) {
	case DSA_OP_DIF_INS:
		dlen = n + nblk * DSA_DIF_PI_SIZE;
		break;
	case DSA_OP_DIF_STRP:
		dlen = nblk * blk;
		break;
	case DSA_OP_DIX_GEN:
		dlen = nblk * DSA_DIF_PI_SIZE;
		break;
	case DSA_OP_DIF_UPDT:
		dlen = n;
		break;
	default:
		return DSA_COMP_SUCCESS;
	}
	if (ranges_overlap(d->src, n, d->dst, dlen))
		return DSA_COMP_OVERLAP_BUFFERS;
	return DSA_COMP_SUCCESS;
}

static uint8_t check_operation(const struct model_caps *caps,
			       const struct dsa_desc *d)
{
	uint8_t op = dsa_desc_opcode(d);
	uint64_t n = d->size;

	if (op == DSA_OP_BATCH) {
		if (n < DSA_MIN_BATCH || n > caps->max_batch)
			return DSA_COMP_DESC_CNT_ERANGE;
		if (d->src & (DSA_BATCH_LIST_ALIGN - 1))
			return DSA_COMP_DESCLIST_ALIGN;
		return DSA_COMP_SUCCESS;
	}
	if (!(op_rules[op].uses & USE_SIZE))
		return DSA_COMP_SUCCESS;
	if (n == 0 || n > caps->max_xfer)
		return DSA_COMP_XFER_ERANGE;

	switch (op) {
	case DSA_OP_DUALCAST:
		if ((d->dst ^ d->dcast.dst2) & DSA_DUALCAST_ADDR_MASK)
			return DSA_COMP_DCAST_ERR;
		if (ranges_overlap(d->src, n, d->dst, n) ||
		    ranges_overlap(d->src, n, d->dcast.dst2, n) ||
		    ranges_overlap(d->dst, n, d->dcast.dst2, n))
			return DSA_COMP_OVERLAP_BUFFERS;
		break;
	case DSA_OP_CRCGEN:
	case DSA_OP_COPY_CRC:
		if ((dsa_desc_flags(d) & DSA_FLAG_CRC_SEED_ADDR) &&
		    misaligned(d->crc.seed_addr, DSA_CRC_SEED_ALIGN))
			return DSA_COMP_ADDR_ALIGN;
		if (op == DSA_OP_COPY_CRC &&
		    ranges_overlap(d->src, n, d->dst, n))
			return DSA_COMP_OVERLAP_BUFFERS;
		break;
	case DSA_OP_CR_DELTA:
		if (delta_misaligned(d->src, d->dst, d->crdelta.delta_addr, n))
			return DSA_COMP_ADDR_ALIGN;
		if (n > MODEL_DELTA_MAX_XFER)
			return DSA_COMP_XFER_ERANGE;
		if (d->crdelta.max_delta_size < MODEL_DELTA_MIN_REC ||
		    d->crdelta.max_delta_size % DSA_DELTA_ENTRY_SIZE)
			return DSA_COMP_DR_ERANGE;
		if (ranges_overlap(d->crdelta.delta_addr,
				   d->crdelta.max_delta_size, d->src, n) ||
		    ranges_overlap(d->crdelta.delta_addr,
				   d->crdelta.max_delta_size, d->dst, n))
			return DSA_COMP_OVERLAP_BUFFERS;
		break;
	case DSA_OP_AP_DELTA:
		/* src is the delta record. */
		if (delta_misaligned(d->src, d->dst, 0, n))
			return DSA_COMP_ADDR_ALIGN;
		if (n > MODEL_DELTA_MAX_XFER)
			return DSA_COMP_XFER_ERANGE;
		if (d->apdelta.delta_rec_size == 0 ||
		    d->apdelta.delta_rec_size % DSA_DELTA_ENTRY_SIZE)
			return DSA_COMP_DR_ERANGE;
		if (ranges_overlap(d->src, d->apdelta.delta_rec_size, d->dst,
				   n))
			return DSA_COMP_OVERLAP_BUFFERS;
		break;
	case DSA_OP_DIF_CHECK:
	case DSA_OP_DIF_INS:
	case DSA_OP_DIF_STRP:
	case DSA_OP_DIF_UPDT:
	case DSA_OP_DIX_GEN:
		return check_dif(d);
	default:
		break;
	}
	return DSA_COMP_SUCCESS;
}

/*
 * Flags that only a DSA 2.0 device knows: on a 1.0 device bit 16 of a
 * fill is reserved like any unknown operation flag (INVALID_FLAGS).
 */
static uint32_t flags_of_version(const struct model_caps *caps, uint8_t op)
{
	uint32_t f = op_rules[op].flags;

	if (caps->version == DSA_VERSION_1 && op == DSA_OP_FILL)
		f &= ~DSA_FLAG_FILL_PATTERN16;
	return f;
}

uint8_t model_validate(const struct model_caps *caps,
		       const struct dsa_desc *d, uint32_t *invalid_flags)
{
	uint8_t op = dsa_desc_opcode(d);
	uint32_t flags = dsa_desc_flags(d);
	uint32_t bad;
	uint8_t st;

	*invalid_flags = 0;
	if (op >= DSA_OP_MAX || !(caps->op_cap & DSA_OPCAP(op)))
		return DSA_COMP_BAD_OPCODE;

	bad = flags & ~(FLAGS_ANY_OP | flags_of_version(caps, op));
	/* A record requested but no address for it is a contradiction. */
	if ((flags & DSA_FLAG_RCR) && !(flags & DSA_FLAG_CRAV))
		bad |= DSA_FLAG_RCR;
	if (bad) {
		*invalid_flags = bad;
		return DSA_COMP_INVALID_FLAGS;
	}

	st = check_reserved(d, &op_rules[op], flags);
	if (st != DSA_COMP_SUCCESS)
		return st;
	return check_operation(caps, d);
}
