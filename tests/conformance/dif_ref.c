// SPDX-License-Identifier: MIT
/*
 * The reference behind dif_ref.h.  The rules, as the tests hold the model
 * to them (sources cited in libaccel/model/model_dif.c): PI is 8 bytes,
 * big-endian guard, application tag, reference tag; the guard is CRC-16
 * T10 (0x8BB7) from 0 or 0xFFFF, inverted or not; block i's reference tag
 * is seed + i unless fixed, its application tag seed + i when
 * incrementing; a checked application tag compares only the bits its mask
 * leaves clear, a written one has them cleared.
 */
#include "dif_ref.h"

#include <string.h>

uint16_t dif_ref_crc(uint16_t start, const uint8_t *p, uint32_t n)
{
	uint16_t c = start;

	for (uint32_t i = 0; i < n; i++)
		for (int bit = 7; bit >= 0; bit--) {
			unsigned in = (p[i] >> bit) & 1u, top = c >> 15;

			c = (uint16_t)(c << 1);
			if (in ^ top)
				c ^= 0x8bb7;
		}
	return c;
}

uint32_t dif_ref_blk(uint8_t flags)
{
	switch (flags & 3) {
	case 0:
		return 512;
	case 1:
		return 520;
	case 2:
		return 4096;
	default:
		return 4104;
	}
}

static bool pi_in(uint8_t op)
{
	return op == DSA_OP_DIF_CHECK || op == DSA_OP_DIF_STRP ||
	       op == DSA_OP_DIF_UPDT;
}

uint32_t dif_ref_src_step(uint8_t op, uint8_t flags)
{
	return dif_ref_blk(flags) + (pi_in(op) ? 8 : 0);
}

/* Destination bytes per block. */
static uint32_t dst_step(uint8_t op, uint8_t flags)
{
	switch (op) {
	case DSA_OP_DIF_INS:
	case DSA_OP_DIF_UPDT:
		return dif_ref_blk(flags) + 8;
	case DSA_OP_DIF_STRP:
		return dif_ref_blk(flags);
	case DSA_OP_DIX_GEN:
		return 8;
	default:
		return 0;
	}
}

uint32_t dif_ref_dst_len(uint8_t op, uint8_t flags, uint32_t n)
{
	return n / dif_ref_src_step(op, flags) * dst_step(op, flags);
}

uint32_t dif_ref_ref_tag(const struct dsa_dif_tags *seed, uint8_t tflags,
			 uint32_t i)
{
	return tflags & 0x80 ? seed->ref_tag : seed->ref_tag + i;
}

uint16_t dif_ref_app_tag(const struct dsa_dif_tags *seed, uint8_t tflags,
			 uint32_t i)
{
	return (uint16_t)(tflags & 0x10 ? seed->app_tag + i : seed->app_tag);
}

static uint16_t guard_of(const uint8_t *data, uint32_t blk, uint8_t flags)
{
	uint16_t g = dif_ref_crc(flags & 4 ? 0xffff : 0, data, blk);

	return flags & 8 ? (uint16_t)~g : g;
}

static void put_pi(uint8_t *p, uint16_t guard, uint16_t app, uint32_t ref)
{
	p[0] = (uint8_t)(guard >> 8);
	p[1] = (uint8_t)guard;
	p[2] = (uint8_t)(app >> 8);
	p[3] = (uint8_t)app;
	p[4] = (uint8_t)(ref >> 24);
	p[5] = (uint8_t)(ref >> 16);
	p[6] = (uint8_t)(ref >> 8);
	p[7] = (uint8_t)ref;
}

void dif_ref_protect(uint8_t *buf, const uint8_t *data, uint32_t nblk,
		     uint8_t flags, uint8_t tag_flags,
		     const struct dsa_dif_tags *seed)
{
	uint32_t blk = dif_ref_blk(flags);

	for (uint32_t i = 0; i < nblk; i++) {
		uint8_t *b = buf + (size_t)i * (blk + 8);

		memcpy(b, data + (size_t)i * blk, blk);
		put_pi(b + blk, guard_of(b, blk, flags),
		       dif_ref_app_tag(seed, tag_flags, i),
		       dif_ref_ref_tag(seed, tag_flags, i));
	}
}

/* Which checks block i fails (0: none, or exempt). */
static uint8_t verify(const struct dif_ref_job *j, const uint8_t *b,
		      uint32_t i)
{
	uint32_t blk = dif_ref_blk(j->flags);
	const uint8_t *pi = b + blk;
	uint16_t g = (uint16_t)(pi[0] << 8 | pi[1]);
	uint16_t app = (uint16_t)(pi[2] << 8 | pi[3]);
	uint32_t ref = (uint32_t)pi[4] << 24 | (uint32_t)pi[5] << 16 |
		       (uint32_t)pi[6] << 8 | pi[7];
	uint16_t want_app = dif_ref_app_tag(&j->src, j->src_flags, i);
	uint16_t mask = j->src.app_tag_mask;
	uint8_t sf = j->src_flags, res = 0;
	int k, ones = 0;

	for (k = 0; k < 8; k++)
		ones += pi[k] == 0xff;
	if ((sf & 0x02) && ones == 8)
		return sf & 0x01 ? DSA_DIF_RES_ALL_F : 0;
	if ((sf & 0x04) && app == 0xffff)
		return 0;
	if ((sf & 0x08) && app == 0xffff && ref == 0xffffffffu)
		return 0;
	if (!(sf & 0x20) && g != guard_of(b, blk, j->flags))
		res |= DSA_DIF_RES_GUARD;
	if ((app & (uint16_t)~mask) != (want_app & (uint16_t)~mask))
		res |= DSA_DIF_RES_APP_TAG;
	if (!(sf & 0x40) && ref != dif_ref_ref_tag(&j->src, sf, i))
		res |= DSA_DIF_RES_REF_TAG;
	return res;
}

/* The PI written for block i. */
static void make(const struct dif_ref_job *j, const uint8_t *data,
		 const uint8_t *src_pi, uint32_t i, uint8_t *out)
{
	uint32_t blk = dif_ref_blk(j->flags);
	uint16_t app = dif_ref_app_tag(&j->dst, j->dst_flags, i) &
		       (uint16_t)~j->dst.app_tag_mask;

	put_pi(out, guard_of(data, blk, j->flags), app,
	       dif_ref_ref_tag(&j->dst, j->dst_flags, i));
	if (j->op != DSA_OP_DIF_UPDT)
		return;
	if (j->dst_flags & 0x20)
		memcpy(out, src_pi, 2);
	if (j->dst_flags & 0x08)
		memcpy(out + 2, src_pi + 2, 2);
	if (j->dst_flags & 0x40)
		memcpy(out + 4, src_pi + 4, 4);
}

static void tags_at(const struct dif_ref_job *j, uint32_t i,
		    struct dif_ref_result *r)
{
	r->src.ref_tag = dif_ref_ref_tag(&j->src, j->src_flags, i);
	r->src.app_tag = dif_ref_app_tag(&j->src, j->src_flags, i);
	r->src.app_tag_mask = j->src.app_tag_mask;
	r->dst.ref_tag = dif_ref_ref_tag(&j->dst, j->dst_flags, i);
	r->dst.app_tag = dif_ref_app_tag(&j->dst, j->dst_flags, i);
	r->dst.app_tag_mask = j->dst.app_tag_mask;
}

void dif_ref_run(const struct dif_ref_job *j, uint8_t *out,
		 struct dif_ref_result *r)
{
	uint32_t blk = dif_ref_blk(j->flags);
	uint32_t ss = dif_ref_src_step(j->op, j->flags);
	uint32_t ds = dst_step(j->op, j->flags);
	uint32_t nblk = j->n / ss, i;

	memset(r, 0, sizeof(*r));
	r->status = DSA_COMP_SUCCESS;
	for (i = 0; i < nblk; i++) {
		const uint8_t *b = j->in + (size_t)i * ss;
		uint8_t *o = out + (size_t)i * ds;

		if (pi_in(j->op)) {
			uint8_t res = verify(j, b, i);

			if (res) {
				r->status = DSA_COMP_DIF_ERR;
				r->result = res;
				r->bytes_completed = i * ss;
				break;
			}
		}
		switch (j->op) {
		case DSA_OP_DIF_STRP:
			memcpy(o, b, blk);
			break;
		case DSA_OP_DIF_INS:
		case DSA_OP_DIF_UPDT:
			memcpy(o, b, blk);
			make(j, b, b + blk, i, o + blk);
			break;
		case DSA_OP_DIX_GEN:
			make(j, b, NULL, i, o);
			break;
		default:
			break;
		}
	}
	tags_at(j, i, r);
	r->out_len = i * ds;
}
