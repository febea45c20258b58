// SPDX-License-Identifier: MIT
/*
 * T10 DIF: check (0x12), insert (0x13), strip (0x14), update (0x15) of
 * DSA 1.0, and DIX generate (0x17) of DSA 2.0.
 *
 * Facts, and where they come from:
 * - Layout: each data block (512, 520, 4096 or 4104 bytes, DIF flags
 *   bits 1:0) is followed in memory by 8 bytes of protection information
 *   (DIX generate: the 8 bytes go to a separate buffer, one after another),
 *   big-endian guard, application tag, reference tag.  Intel's idxd-config
 *   test (test/dsa.c, init_dif_check(): DIF_BLK_GRD_1.. DIF_REF_TAG_4 byte
 *   order; dif_blk_arr[] = {512, 520, 4096, 4104}) and DML's reference
 *   (sources/core/src/dif_impl/dml_dif.c, own_dif_block_sizes[]) agree.
 * - Transfer size counts source bytes: block plus PI for check, strip and
 *   update, data alone for insert and DIX generate (SPDK lib/idxd/idxd.c
 *   sets xfer_size to the source length in each submit; idxd-config's
 *   resubmission after a fault moves src by bytes_completed and dst by
 *   the blocks that covers, dsa_reprep_dif()).
 * - Guard: CRC-16 T10 (polynomial 0x8BB7, MSB first, no reflection) over
 *   the data of the block, started at 0 or, with DSA_DIF_INVERT_SEED, at
 *   0xFFFF, and inverted at the end with DSA_DIF_INVERT_RESULT
 *   (idxd-config dsa_calculate_crc_t10dif(); DML OWN_DIF_CRC_POLYNOMIAL).
 *   SPDK's lib/util/dif.c computes the same guard (spdk_crc16_t10dif with
 *   the context's guard seed) as an independent reference.
 * - Checks (source flags, DSA_DIF_SRC_*): the guard unless GUARD_NOCHK;
 *   the application tag in the bits its mask leaves clear (a mask of
 *   0xFFFF checks nothing: SPDK idxd_get_app_tag_mask()); the reference
 *   tag unless REF_NOCHK.  A block is exempt from every check when the
 *   F-detect mode it enables sees its tags all ones: APP_F_DETECT (app tag
 *   0xFFFF: SPDK uses it for DIF types 1 and 2), APP_REF_F_DETECT (app tag
 *   0xFFFF and ref tag 0xFFFFFFFF: type 3), ALL_F_DETECT (all 8 bytes
 *   0xFF), which with ALL_F_ERR is reported as an error instead.
 * - Failure: status DIF_ERR (0x09), the result byte holding which checks
 *   failed (DSA_DIF_RES_*, DML_DIF_CHECK_* bits), bytes_completed the
 *   offset of the failing block in the source (DML: offset = block *
 *   source_step), the record's tags those expected for that block.
 * - Tags: the reference tag counts up by one per block unless REF_FIXED,
 *   the application tag stays unless APP_INC (DML's ref_tag_update_value,
 *   app_tag_update_value), each as a 32- and 16-bit counter.  A written
 *   application tag is the seed with the mask's bits cleared (DML
 *   dml_legacy_dif_insert(): application_tag & ~mask).  Update with a
 *   pass-through bit copies that field of the source PI instead.
 * - A page fault stops at the block it hit: bytes_completed counts the
 *   whole blocks done (in source bytes) and the record's tags are the
 *   seeds of the block to resume with (idxd-config dsa_reprep_dif() reads
 *   exactly these back into the descriptor).  Destination bytes of the
 *   interrupted block may already be written; resuming rewrites them.
 */
#include "model_internal.h"

static const uint16_t crc16_t10_table[256] = {
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

static const uint16_t dif_block_sizes[4] = { 512, 520, 4096, 4104 };

uint32_t model_dif_block_size(uint8_t dif_flags)
{
	return dif_block_sizes[dif_flags & DSA_DIF_BLK_MASK];
}

/*
 * Eight bytes a step ("slicing by 8"): slice[k][x] is the CRC of byte x
 * followed by k zero bytes, so the eight lookups of a step are
 * independent.  The tables are made from the byte table on first use; a
 * caller that finds them not ready yet goes byte by byte (the kernel's
 * workers may race here: one builds, the others wait for nothing).
 */
static uint16_t crc16_slice[8][256];
static int crc16_slice_state; /* 0 none, 1 being built, 2 ready */

static void crc16_slice_build(void)
{
	int none = 0;
	unsigned k, x;

	if (!__atomic_compare_exchange_n(&crc16_slice_state, &none, 1, false,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return;
	for (x = 0; x < 256; x++)
		crc16_slice[0][x] = crc16_t10_table[x];
	for (k = 1; k < 8; k++)
		for (x = 0; x < 256; x++) {
			uint16_t c = crc16_slice[k - 1][x];

			crc16_slice[k][x] = (uint16_t)(c << 8) ^
					    crc16_t10_table[c >> 8];
		}
	__atomic_store_n(&crc16_slice_state, 2, __ATOMIC_RELEASE);
}

static uint16_t crc16_bytes(uint16_t crc, const uint8_t *p, size_t len)
{
	while (len--)
		crc = (uint16_t)(crc << 8) ^
		      crc16_t10_table[((crc >> 8) ^ *p++) & 0xff];
	return crc;
}

uint16_t model_crc16_t10(uint16_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	if (__atomic_load_n(&crc16_slice_state, __ATOMIC_ACQUIRE) != 2) {
		crc16_slice_build();
		if (__atomic_load_n(&crc16_slice_state, __ATOMIC_ACQUIRE) != 2)
			return crc16_bytes(crc, p, len);
	}
	for (; len >= 8; len -= 8, p += 8)
		crc = crc16_slice[7][p[0] ^ (crc >> 8)] ^
		      crc16_slice[6][p[1] ^ (crc & 0xff)] ^
		      crc16_slice[5][p[2]] ^ crc16_slice[4][p[3]] ^
		      crc16_slice[3][p[4]] ^ crc16_slice[2][p[5]] ^
		      crc16_slice[1][p[6]] ^ crc16_slice[0][p[7]];
	return crc16_bytes(crc, p, len);
}

static uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/*
 * The accesses of one run.  Where the executor works on memory directly
 * (probe), one probe covers as much of a buffer as is accessible, and the
 * blocks inside it need no other: three probes a block (data, PI read, PI
 * written) would cost more than the work.  [lo, hi) is what the last probe
 * of each side found accessible; end is where the buffer ends.
 */
struct dif_io {
	struct model_run *r;
	uint64_t s_lo, s_hi, s_end;
	uint64_t d_lo, d_hi, d_end;
};

/* A direct window at addr known good for len bytes, or NULL. */
static uint8_t *cached(uint64_t lo, uint64_t hi, uint64_t addr, size_t len)
{
	if (addr >= lo && addr + len <= hi)
		return (uint8_t *)(uintptr_t)addr;
	return NULL;
}

/* Read up to want bytes at addr: *got of them at the pointer returned. */
static const uint8_t *io_read(struct dif_io *io, uint64_t addr, size_t want,
			      uint8_t *buf, size_t bufsz, size_t *got,
			      enum model_fault *f)
{
	struct model_run *r = io->r;
	const uint8_t *p;

	*f = MODEL_FAULT_NONE;
	if (!model_direct(r))
		return model_win_read(r, addr, want, buf, bufsz, got, f);
	p = cached(io->s_lo, io->s_hi, addr, want);
	if (p) {
		*got = want;
		return p;
	}
	p = model_win_read(r, addr, io->s_end - addr, buf, bufsz, got, f);
	io->s_lo = addr;
	io->s_hi = addr + *got;
	*got = MODEL_MIN(*got, want);
	return p;
}

/* Write len local bytes to device memory; false once a fault stopped it
 * (recorded with done source bytes completed). */
static bool dif_put(struct dif_io *io, uint64_t addr, const uint8_t *s,
		    size_t len, uint32_t done)
{
	const size_t half = MODEL_BOUNCE_SIZE / 2;
	struct model_run *r = io->r;
	uint8_t *bb = r->x->bounce + half;
	size_t off = 0;

	if (model_direct(r)) {
		uint8_t *p = cached(io->d_lo, io->d_hi, addr, len);

		if (p) {
			memcpy(p, s, len);
			return true;
		}
	}
	while (off < len) {
		enum model_fault f;
		size_t wr, c;
		uint8_t *p;

		if (model_direct(r)) {
			p = model_win_write(r, addr + off, io->d_end - addr - off,
					    bb, half, &wr, &f);
			io->d_lo = addr + off;
			io->d_hi = addr + off + wr;
			wr = MODEL_MIN(wr, len - off);
		} else {
			p = model_win_write(r, addr + off, len - off, bb, half,
					    &wr, &f);
		}
		if (wr == 0) {
			model_fault(r, f, true, addr + off, done);
			return false;
		}
		if (p != s + off)
			memcpy(p, s + off, wr);
		c = model_win_commit(r, addr + off, p, wr, &f);
		off += c;
		if (c < wr) {
			model_fault(r, f, true, addr + off, done);
			return false;
		}
	}
	return true;
}

/* Read the 8 PI bytes at addr into pi; false once a fault stopped it. */
static bool dif_get(struct dif_io *io, uint64_t addr, uint8_t *pi,
		    uint32_t done)
{
	size_t off = 0;

	while (off < DSA_DIF_PI_SIZE) {
		enum model_fault f;
		uint8_t buf[DSA_DIF_PI_SIZE];
		const uint8_t *s;
		size_t rd;

		s = io_read(io, addr + off, DSA_DIF_PI_SIZE - off, buf,
			    sizeof(buf), &rd, &f);
		if (rd == 0) {
			model_fault(io->r, f, false, addr + off, done);
			return false;
		}
		memcpy(pi + off, s, rd);
		off += rd;
	}
	return true;
}

/* The data of one block: CRC over it, copied to dst when copy is set. */
static bool dif_data(struct dif_io *io, uint64_t src, uint64_t dst,
		     bool copy, uint32_t len, uint16_t *crc, uint32_t done)
{
	const size_t half = MODEL_BOUNCE_SIZE / 2;
	uint8_t *bb = io->r->x->bounce;
	uint32_t off = 0;

	while (off < len) {
		enum model_fault f;
		const uint8_t *s;
		size_t rd;

		s = io_read(io, src + off, len - off, bb, half, &rd, &f);
		if (rd == 0) {
			model_fault(io->r, f, false, src + off, done);
			return false;
		}
		*crc = model_crc16_t10(*crc, s, rd);
		if (copy && !dif_put(io, dst + off, s, rd, done))
			return false;
		off += rd;
	}
	return true;
}

/* The checks of one source block: 0, or the DSA_DIF_RES_* bits failed. */
static uint8_t dif_verify(uint8_t sf, uint16_t guard, const uint8_t *pi,
			  const struct dsa_dif_tags *want)
{
	uint16_t g = get_be16(pi), app = get_be16(pi + 2);
	uint32_t ref = get_be32(pi + 4);
	bool app_f = app == 0xffff, ref_f = ref == 0xffffffffu;
	uint8_t res = 0;

	if ((sf & DSA_DIF_SRC_ALL_F_DETECT) && app_f && ref_f && g == 0xffff)
		return sf & DSA_DIF_SRC_ALL_F_ERR ? DSA_DIF_RES_ALL_F : 0;
	if ((sf & DSA_DIF_SRC_APP_F_DETECT) && app_f)
		return 0;
	if ((sf & DSA_DIF_SRC_APP_REF_F_DETECT) && app_f && ref_f)
		return 0;
	if (!(sf & DSA_DIF_SRC_GUARD_NOCHK) && g != guard)
		res |= DSA_DIF_RES_GUARD;
	if ((app ^ want->app_tag) & ~want->app_tag_mask & 0xffff)
		res |= DSA_DIF_RES_APP_TAG;
	if (!(sf & DSA_DIF_SRC_REF_NOCHK) && ref != want->ref_tag)
		res |= DSA_DIF_RES_REF_TAG;
	return res;
}

static void dif_advance(struct dsa_dif_tags *t, uint8_t flags)
{
	/* Same bit positions in source and destination flags. */
	if (!(flags & DSA_DIF_SRC_REF_FIXED))
		t->ref_tag++;
	if (flags & DSA_DIF_SRC_APP_INC)
		t->app_tag++;
}

/* The PI written for a block: from the destination seeds, or (update's
 * pass-through bits) the source's own fields. */
static void dif_make(uint8_t *out, uint8_t df, uint16_t guard,
		     const struct dsa_dif_tags *t, const uint8_t *src_pi)
{
	put_be16(out, guard);
	put_be16(out + 2, (uint16_t)(t->app_tag & ~t->app_tag_mask));
	put_be32(out + 4, t->ref_tag);
	if (!src_pi)
		return;
	if (df & DSA_DIF_DST_GUARD_PASS)
		memcpy(out, src_pi, 2);
	if (df & DSA_DIF_DST_APP_PASS)
		memcpy(out + 2, src_pi + 2, 2);
	if (df & DSA_DIF_DST_REF_PASS)
		memcpy(out + 4, src_pi + 4, 4);
}

void model_op_dif(struct model_run *r)
{
	const struct dsa_desc *d = r->d;
	const uint8_t op = dsa_desc_opcode(d), fl = d->dif.flags;
	const uint32_t blk = model_dif_block_size(fl);
	/* Which side carries PI, and whether data moves. */
	const bool pi_in = op == DSA_OP_DIF_CHECK || op == DSA_OP_DIF_STRP ||
			   op == DSA_OP_DIF_UPDT;
	const bool pi_out = op == DSA_OP_DIF_INS || op == DSA_OP_DIF_UPDT ||
			    op == DSA_OP_DIX_GEN;
	const bool copy = op != DSA_OP_DIF_CHECK && op != DSA_OP_DIX_GEN;
	const uint32_t sstep = blk + (pi_in ? DSA_DIF_PI_SIZE : 0);
	const uint32_t dstep = op == DSA_OP_DIX_GEN ? DSA_DIF_PI_SIZE :
			       blk + (pi_out ? DSA_DIF_PI_SIZE : 0);
	const uint16_t seed = fl & DSA_DIF_INVERT_SEED ? 0xffff : 0;
	const uint32_t nblk = d->size / sstep;
	struct dsa_dif_tags st = d->dif.src, dt = d->dif.dst;
	struct dif_io io = {
		.r = r,
		.s_end = d->src + d->size,
		.d_end = d->dst + (uint64_t)nblk * dstep,
	};
	uint32_t b;

	for (b = 0; b < nblk; b++) {
		const uint64_t s = d->src + (uint64_t)b * sstep;
		const uint64_t t = d->dst + (uint64_t)b * dstep;
		const uint32_t done = b * sstep;
		uint8_t pi[DSA_DIF_PI_SIZE], out[DSA_DIF_PI_SIZE];
		uint16_t crc = seed, guard;

		/* What the record says if this block stops the operation. */
		r->comp.dif.src = st;
		r->comp.dif.dst = dt;
		if (!dif_data(&io, s, t, copy, blk, &crc, done))
			return;
		guard = fl & DSA_DIF_INVERT_RESULT ? (uint16_t)~crc : crc;
		if (pi_in) {
			uint8_t res;

			if (!dif_get(&io, s + blk, pi, done))
				return;
			res = dif_verify(d->dif.src_flags, guard, pi, &st);
			if (res) {
				r->comp.status = DSA_COMP_DIF_ERR;
				r->comp.result = res;
				r->comp.bytes_completed = done;
				return;
			}
			dif_advance(&st, d->dif.src_flags);
		}
		if (pi_out) {
			dif_make(out, d->dif.dst_flags, guard, &dt,
				 pi_in ? pi : NULL);
			if (!dif_put(&io, op == DSA_OP_DIX_GEN ? t : t + blk, out,
				     sizeof(out), done))
				return;
			dif_advance(&dt, d->dif.dst_flags);
		}
	}
	/* Done: the tags the next block would take, to chain a transfer. */
	r->comp.dif.src = st;
	r->comp.dif.dst = dt;
}
