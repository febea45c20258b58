// SPDX-License-Identifier: MIT
/*
 * Operations that read and judge: compare, compare with pattern, and the
 * delta-record pair (create from two buffers, apply to one).
 */
#include "model_internal.h"

static void check_predicate(struct model_run *r, bool holds)
{
	if ((dsa_desc_flags(r->d) & DSA_FLAG_CR) && !holds)
		r->comp.status = DSA_COMP_SUCCESS_PRED;
}

static bool first_diff(const uint8_t *a, const uint8_t *b, size_t n,
		       size_t *at)
{
	size_t i = 0;

	/* Word-wise to the neighbourhood, then byte-wise for the offset. */
	for (; i + 8 <= n; i += 8) {
		uint64_t x, y;

		memcpy(&x, a + i, 8);
		memcpy(&y, b + i, 8);
		if (x != y)
			break;
	}
	for (; i < n; i++) {
		if (a[i] != b[i]) {
			*at = i;
			return true;
		}
	}
	return false;
}

/*
 * Compare pattern found a difference at byte pos.  The device reports the
 * start of the 8-byte unit that differs, the exact byte only in a short
 * last unit; Intel DML's reference (sw_dispatcher/ref/compare_pattern.c,
 * dml_ref_compare_pattern()) computes the same, unit by unit.
 */
static void compval_differ(struct model_run *r, size_t pos, uint32_t n)
{
	const size_t unit = DSA_COMPVAL_UNIT;

	if (pos < (n & ~(unit - 1)))
		pos &= ~(unit - 1);
	r->comp.result = DSA_RESULT_CMP_DIFFER;
	r->comp.bytes_completed = (uint32_t)pos;
	check_predicate(r, r->d->cmp.expected_res == 1);
}

/* Compare src against src2 (or a pattern); result and first difference. */
static void compare_run(struct model_run *r, uint64_t src, uint64_t src2,
			const uint8_t *pat)
{
	const size_t half = MODEL_BOUNCE_SIZE / 2;
	uint8_t *bb = r->x->bounce;
	uint8_t patbuf[256];
	uint32_t off = 0, n = r->d->size;

	if (pat) {
		unsigned i;

		for (i = 0; i < sizeof(patbuf); i++)
			patbuf[i] = pat[i % 8];
	}
	while (off < n) {
		enum model_fault f;
		size_t r1, r2, at;
		const uint8_t *s1, *s2;

		s1 = model_win_read(r, src + off, n - off, bb, half, &r1, &f);
		if (pat) {
			size_t k, whole = r1;

			/*
			 * The pattern is compared in 8-byte units from the
			 * source's start, each read whole: a unit this window
			 * cuts short is the next window's, or where a fault
			 * stops the operation (with bytes completed at its
			 * start, so that resuming needs no new pattern phase).
			 * Only the transfer's last unit may be short.
			 */
			if (off + r1 < n)
				whole &= ~(size_t)(DSA_COMPVAL_UNIT - 1);
			if (whole == 0) {
				model_fault(r, f, false, src + off + r1, off);
				return;
			}
			for (k = 0; k < whole; k += sizeof(patbuf) - 8) {
				size_t c = MODEL_MIN(whole - k,
						     sizeof(patbuf) - 8);
				unsigned ph = (off + k) % 8;

				if (first_diff(s1 + k, patbuf + ph, c, &at)) {
					compval_differ(r, off + k + at, n);
					return;
				}
			}
			off += whole;
			continue;
		}
		if (r1 == 0) {
			model_fault(r, f, false, src + off, off);
			return;
		}
		s2 = model_win_read(r, src2 + off, r1, bb + half, half, &r2, &f);
		if (r2 == 0) {
			model_fault(r, f, false, src2 + off, off);
			return;
		}
		if (first_diff(s1, s2, MODEL_MIN(r1, r2), &at)) {
			r->comp.result = DSA_RESULT_CMP_DIFFER;
			r->comp.bytes_completed = off + at;
			check_predicate(r, r->d->cmp.expected_res == 1);
			return;
		}
		off += MODEL_MIN(r1, r2);
	}
	r->comp.result = DSA_RESULT_CMP_EQUAL;
	check_predicate(r, r->d->cmp.expected_res == 0);
}

void model_op_compare(struct model_run *r)
{
	compare_run(r, r->d->src, r->d->dst, NULL);
}

void model_op_compval(struct model_run *r)
{
	uint8_t pat[8];

	memcpy(pat, &r->d->dst, 8);
	compare_run(r, r->d->src, 0, pat);
}

/* Append buffered delta entries to the record; false on a write fault. */
static bool delta_flush(struct model_run *r, const uint8_t *ent, size_t len,
			uint32_t off)
{
	uint64_t at = r->d->crdelta.delta_addr + r->comp.delta_rec_size;
	uint8_t *bb = r->x->bounce + MODEL_BOUNCE_SIZE - 256;
	enum model_fault f;
	size_t wr, done;
	uint8_t *p;

	p = model_win_write(r, at, len, bb, 256, &wr, &f);
	memcpy(p, ent, wr);
	done = model_win_commit(r, at, p, wr, &f);
	r->comp.delta_rec_size += done;
	if (done < len) {
		model_fault(r, f, true, at + done, off);
		return false;
	}
	return true;
}

void model_op_cr_delta(struct model_run *r)
{
	/* The top 256 bounce bytes stage record writes. */
	const size_t half = (MODEL_BOUNCE_SIZE - 256) / 2;
	const struct dsa_desc *d = r->d;
	uint8_t *bb = r->x->bounce;
	uint8_t ent[16 * DSA_DELTA_ENTRY_SIZE];
	uint32_t max = d->crdelta.max_delta_size;
	uint32_t off = 0, n = d->size, used = 0;
	size_t nent = 0;
	bool differ = false, overflow = false;

	while (off < n && !overflow) {
		enum model_fault f;
		size_t r1, r2, c, i;
		const uint8_t *s1, *s2;

		s1 = model_win_read(r, d->src + off, n - off, bb, half, &r1, &f);
		r1 &= ~(size_t)(DSA_DELTA_GRANULE - 1);
		if (r1 == 0) {
			model_fault(r, f, false, d->src + off, off);
			goto out;
		}
		s2 = model_win_read(r, d->dst + off, r1, bb + half, half, &r2,
				    &f);
		r2 &= ~(size_t)(DSA_DELTA_GRANULE - 1);
		if (r2 == 0) {
			model_fault(r, f, false, d->dst + off, off);
			goto out;
		}
		c = MODEL_MIN(r1, r2);
		for (i = 0; i < c; i += DSA_DELTA_GRANULE) {
			uint16_t idx;

			if (!memcmp(s1 + i, s2 + i, DSA_DELTA_GRANULE))
				continue;
			differ = true;
			if (used + DSA_DELTA_ENTRY_SIZE > max) {
				overflow = true;
				break;
			}
			idx = (uint16_t)((off + i) / DSA_DELTA_GRANULE);
			memcpy(ent + nent, &idx, 2);
			memcpy(ent + nent + 2, s2 + i, DSA_DELTA_GRANULE);
			nent += DSA_DELTA_ENTRY_SIZE;
			used += DSA_DELTA_ENTRY_SIZE;
			if (nent == sizeof(ent)) {
				if (!delta_flush(r, ent, nent, off + i))
					return;
				nent = 0;
			}
		}
		off += (uint32_t)i;
	}
	if (nent && !delta_flush(r, ent, nent, off))
		return;
	r->comp.result = overflow ? DSA_RESULT_DELTA_OVERFLOW :
			 differ	  ? DSA_RESULT_DELTA_FOUND :
				    0;
	check_predicate(r, d->crdelta.expected_res_mask & (1u << r->comp.result));
	return;
out:
	/* Entries found before the fault still belong in the record. */
	if (nent) {
		struct dsa_comp keep = r->comp;

		if (delta_flush(r, ent, nent, off)) {
			keep.delta_rec_size = r->comp.delta_rec_size;
			r->comp = keep;
		}
	}
}

/* Write 8 bytes of a delta entry; false (fault recorded) if it could not. */
static bool apply_entry(struct model_run *r, uint64_t at, const uint8_t *v,
			uint32_t consumed)
{
	uint8_t *bb = r->x->bounce + MODEL_BOUNCE_SIZE - 64;
	enum model_fault f;
	size_t wr, done;
	uint8_t *p;

	p = model_win_write(r, at, DSA_DELTA_GRANULE, bb, 64, &wr, &f);
	if (wr < DSA_DELTA_GRANULE) {
		model_fault(r, f, true, at + wr, consumed);
		return false;
	}
	memcpy(p, v, DSA_DELTA_GRANULE);
	done = model_win_commit(r, at, p, DSA_DELTA_GRANULE, &f);
	if (done < DSA_DELTA_GRANULE) {
		model_fault(r, f, true, at + done, consumed);
		return false;
	}
	return true;
}

void model_op_ap_delta(struct model_run *r)
{
	const struct dsa_desc *d = r->d;
	const size_t win = (MODEL_BOUNCE_SIZE - 64) / DSA_DELTA_ENTRY_SIZE *
			   DSA_DELTA_ENTRY_SIZE;
	uint32_t size = d->apdelta.delta_rec_size, off = 0;
	uint8_t *bb = r->x->bounce;
	int32_t last = -1;

	while (off < size) {
		enum model_fault f;
		const uint8_t *s;
		size_t rd, i;

		s = model_win_read(r, d->src + off, size - off, bb, win, &rd,
				   &f);
		rd -= rd % DSA_DELTA_ENTRY_SIZE;
		if (rd == 0) {
			model_fault(r, f, false, d->src + off, off);
			return;
		}
		for (i = 0; i < rd; i += DSA_DELTA_ENTRY_SIZE) {
			uint16_t idx;
			uint64_t at;

			memcpy(&idx, s + i, 2);
			if ((int32_t)idx <= last) {
				r->comp.status = DSA_COMP_DR_OFFSET_NOINC;
				r->comp.bytes_completed = off + i;
				return;
			}
			at = (uint64_t)idx * DSA_DELTA_GRANULE;
			if (at + DSA_DELTA_GRANULE > d->size) {
				r->comp.status = DSA_COMP_DR_OFFSET_ERANGE;
				r->comp.bytes_completed = off + i;
				return;
			}
			if (!apply_entry(r, d->dst + at, s + i + 2, off + i))
				return;
			last = idx;
		}
		off += rd;
	}
}
