// SPDX-License-Identifier: MIT
/*
 * Operations that write memory: memmove, fill, dualcast, CRC (with or
 * without the copy) and cache flush.  Each walks its buffers in windows and
 * stops at the first fault with the bytes it completed.
 */
#include "model_internal.h"

#define PAGE 4096u

static void copy_direct(struct model_run *r, uint8_t *d, const uint8_t *s,
			size_t n)
{
	const struct model_mem_ops *ops = r->x->mem->ops;
	bool apart = d + n <= s || s + n <= d;

	if (ops->copy && apart)
		ops->copy(r->x->mem, d, s, n,
			  dsa_desc_flags(r->d) & DSA_FLAG_CC);
	else
		memmove(d, s, n);
}

/* Copy forward from offset 0; returns false (fault recorded) if stopped. */
static bool copy_ascending(struct model_run *r, uint64_t dst, uint64_t src,
			   uint32_t n)
{
	uint8_t *bb = r->x->bounce;
	uint32_t off = 0;

	while (off < n) {
		enum model_fault f;
		size_t rd, wr, done;
		const uint8_t *s;
		uint8_t *d;

		s = model_win_read(r, src + off, n - off, bb, MODEL_BOUNCE_SIZE,
				   &rd, &f);
		if (rd == 0) {
			model_fault(r, f, false, src + off, off);
			return false;
		}
		d = model_win_write(r, dst + off, rd, bb, MODEL_BOUNCE_SIZE,
				    &wr, &f);
		/* In bounce mode both windows are the same buffer. */
		if (d != s)
			copy_direct(r, d, s, wr);
		if (wr < rd && f != MODEL_FAULT_NONE) {
			off += wr;
			model_fault(r, f, true, dst + off, off);
			return false;
		}
		done = model_win_commit(r, dst + off, d, wr, &f);
		off += done;
		if (done < wr) {
			model_fault(r, f, true, dst + off, off);
			return false;
		}
	}
	return true;
}

/*
 * Copy backward from the end (dst above an overlapping src).  A window is
 * never larger than the distance between the buffers, so a write that
 * faults half-way cannot have clobbered source bytes still to be copied.
 */
static void copy_descending(struct model_run *r, uint64_t dst, uint64_t src,
			    uint32_t n)
{
	uint32_t win = MODEL_MIN((uint64_t)PAGE, dst - src);
	uint8_t *bb = r->x->bounce;
	uint32_t done = 0;

	r->comp.result = DSA_RESULT_MEMMOVE_DESCENDING;
	if (model_direct(r)) {
		enum model_fault f;
		size_t a, b;

		/* Whole range accessible: one memmove, the common case. */
		a = r->x->mem->ops->probe(r->x->mem, src, n, false, r->block,
					  &f);
		b = a < n ? 0 :
			    r->x->mem->ops->probe(r->x->mem, dst, n, true,
						  r->block, &f);
		if (a == n && b == n) {
			memmove((void *)(uintptr_t)dst,
				(const void *)(uintptr_t)src, n);
			return;
		}
	}
	while (done < n) {
		uint32_t c = MODEL_MIN(win, n - done);
		uint64_t at = n - done - c;
		enum model_fault f;
		size_t rd, wr;
		const uint8_t *s;
		uint8_t *d;

		s = model_win_read(r, src + at, c, bb, MODEL_BOUNCE_SIZE, &rd,
				   &f);
		if (rd < c) {
			model_fault(r, f, false, src + at + rd, done);
			return;
		}
		d = model_win_write(r, dst + at, c, bb, MODEL_BOUNCE_SIZE, &wr,
				    &f);
		if (wr < c) {
			model_fault(r, f, true, dst + at + wr, done);
			return;
		}
		memmove(d, s, c);
		wr = model_win_commit(r, dst + at, d, c, &f);
		if (wr < c) {
			model_fault(r, f, true, dst + at + wr, done);
			return;
		}
		done += c;
	}
}

void model_op_memmove(struct model_run *r)
{
	const struct dsa_desc *d = r->d;

	if (d->dst > d->src && d->dst < d->src + d->size)
		copy_descending(r, d->dst, d->src, d->size);
	else
		copy_ascending(r, d->dst, d->src, d->size);
}

/* Pattern bytes for a run starting at byte offset off of the fill. */
static void fill_bytes(uint8_t *p, size_t len, const uint8_t *pat,
		       unsigned plen, uint64_t off)
{
	size_t i;

	for (i = 0; i < len && i < 64; i++)
		p[i] = pat[(off + i) % plen];
	/* The pattern period divides 64, so the first 64 bytes repeat. */
	for (; i < len; i++)
		p[i] = p[i - 64];
}

void model_op_fill(struct model_run *r)
{
	const struct dsa_desc *d = r->d;
	uint8_t pat[16];
	unsigned plen = 8;
	uint8_t *bb = r->x->bounce;
	uint32_t off = 0, n = d->size;

	memcpy(pat, &d->src, 8);
	if (dsa_desc_flags(d) & DSA_FLAG_FILL_PATTERN16) {
		memcpy(pat + 8, &d->fill.pattern_upper, 8);
		plen = 16;
	}
	while (off < n) {
		enum model_fault f, fc;
		size_t wr, done;
		uint8_t *p;

		p = model_win_write(r, d->dst + off, n - off, bb,
				    MODEL_BOUNCE_SIZE, &wr, &f);
		fill_bytes(p, wr, pat, plen, off);
		done = model_win_commit(r, d->dst + off, p, wr, &fc);
		off += done;
		if (done < wr || f != MODEL_FAULT_NONE) {
			model_fault(r, done < wr ? fc : f, true, d->dst + off,
				    off);
			return;
		}
	}
}

void model_op_dualcast(struct model_run *r)
{
	const struct dsa_desc *d = r->d;
	uint8_t *bb = r->x->bounce;
	uint32_t off = 0, n = d->size;
	const size_t half = MODEL_BOUNCE_SIZE / 2;

	while (off < n) {
		enum model_fault f;
		size_t rd, w1, w2, c;
		const uint8_t *s;
		uint8_t *p1, *p2;

		s = model_win_read(r, d->src + off, n - off, bb, half, &rd, &f);
		if (rd == 0) {
			model_fault(r, f, false, d->src + off, off);
			return;
		}
		p1 = model_win_write(r, d->dst + off, rd, bb + half, half, &w1,
				     &f);
		if (w1 == 0) {
			model_fault(r, f, true, d->dst + off, off);
			return;
		}
		p2 = model_win_write(r, d->dcast.dst2 + off, w1, bb + half,
				     half, &w2, &f);
		if (w2 == 0) {
			model_fault(r, f, true, d->dcast.dst2 + off, off);
			return;
		}
		c = MODEL_MIN(rd, MODEL_MIN(w1, w2));
		memcpy(p1, s, c);
		if (p2 != p1)
			memcpy(p2, s, c);
		w1 = model_win_commit(r, d->dst + off, p1, c, &f);
		if (w1 < c) {
			model_fault(r, f, true, d->dst + off + w1, off);
			return;
		}
		w2 = model_win_commit(r, d->dcast.dst2 + off, p1, c, &f);
		if (w2 < c) {
			model_fault(r, f, true, d->dcast.dst2 + off + w2, off);
			return;
		}
		off += c;
	}
}

void model_op_crc(struct model_run *r, bool copy)
{
	const struct dsa_desc *d = r->d;
	uint8_t *bb = r->x->bounce;
	uint32_t off = 0, n = d->size;
	uint32_t flags = dsa_desc_flags(d);
	uint32_t seed = d->crc.seed;
	uint32_t state;

	if (dsa_desc_flags(d) & DSA_FLAG_CRC_SEED_ADDR) {
		enum model_fault f;
		size_t got = r->x->mem->ops->read(r->x->mem, &seed,
						  d->crc.seed_addr, 4,
						  r->block, &f);
		if (got < 4) {
			model_fault(r, f, false, d->crc.seed_addr + got, 0);
			r->comp.crc_val = d->crc.seed;
			return;
		}
	}
	state = model_crc_start(seed, flags);
	while (off < n) {
		enum model_fault f;
		size_t rd, wr = 0, done;
		const uint8_t *s;
		uint8_t *p = NULL;

		s = model_win_read(r, d->src + off, n - off, bb,
				   MODEL_BOUNCE_SIZE, &rd, &f);
		if (rd == 0) {
			model_fault(r, f, false, d->src + off, off);
			break;
		}
		if (copy) {
			p = model_win_write(r, d->dst + off, rd, bb,
					    MODEL_BOUNCE_SIZE, &wr, &f);
			if (wr == 0) {
				model_fault(r, f, true, d->dst + off, off);
				break;
			}
			rd = MODEL_MIN(rd, wr);
			if (p != s)
				memcpy(p, s, rd);
			done = model_win_commit(r, d->dst + off, p, rd, &f);
			state = model_crc_update(state, s, done, flags);
			off += done;
			if (done < rd) {
				model_fault(r, f, true, d->dst + off, off);
				break;
			}
		} else {
			state = model_crc_update(state, s, rd, flags);
			off += rd;
		}
	}
	/* On a fault this is the CRC of the completed part: the seed to
	 * resume with, under the same flags. */
	r->comp.crc_val = model_crc_result(state, flags);
}

void model_op_cflush(struct model_run *r)
{
	const struct dsa_desc *d = r->d;
	const struct model_mem_ops *ops = r->x->mem->ops;
	uint32_t off = 0, n = d->size;

	while (off < n) {
		enum model_fault f = MODEL_FAULT_NONE;
		uint32_t c = MODEL_MIN(n - off, MODEL_BOUNCE_SIZE);
		size_t ok;

		/* Flushing needs the translation only: probe, or read. */
		if (ops->probe)
			ok = ops->probe(r->x->mem, d->dst + off, c, false,
					r->block, &f);
		else
			ok = ops->read(r->x->mem, r->x->bounce, d->dst + off,
				       c, r->block, &f);
		if (ok && ops->flush)
			ops->flush(r->x->mem, d->dst + off, ok);
		off += ok;
		if (ok < c) {
			model_fault(r, f, false, d->dst + off, off);
			return;
		}
	}
}
