/* SPDX-License-Identifier: MIT */
/*
 * A plain C reference of T10 DIF for the conformance suite, written apart
 * from the model (libaccel/model/model_dif.c) and in another way: the
 * guard bit by bit, every tag worked out from the block's index rather
 * than counted along, whole buffers rather than windows.
 */
#ifndef TESTS_DIF_REF_H
#define TESTS_DIF_REF_H

#include <stdbool.h>
#include <stdint.h>

#include "dsa_hw.h"

/* CRC-16 T10, bit-serial, from a start value, no final inversion. */
uint16_t dif_ref_crc(uint16_t start, const uint8_t *p, uint32_t n);

/* A descriptor's DIF part and the bytes it names. */
struct dif_ref_job {
	uint8_t op; /* DSA_OP_DIF_* or DSA_OP_DIX_GEN */
	uint8_t src_flags, dst_flags, flags;
	struct dsa_dif_tags src, dst; /* seeds */
	const uint8_t *in; /* source bytes */
	uint32_t n; /* transfer size (source bytes) */
};

/* What the device must report. */
struct dif_ref_result {
	uint8_t status, result;
	uint32_t bytes_completed;
	struct dsa_dif_tags src, dst; /* the record's tags */
	uint32_t out_len; /* destination bytes the completed blocks own */
};

/* Run job: out receives the destination bytes of every block completed
 * (before a failing one); r what the record holds. */
void dif_ref_run(const struct dif_ref_job *j, uint8_t *out,
		 struct dif_ref_result *r);

/* Bytes of data and PI per block; destination length for n source
 * bytes. */
uint32_t dif_ref_blk(uint8_t flags);
uint32_t dif_ref_src_step(uint8_t op, uint8_t flags);
uint32_t dif_ref_dst_len(uint8_t op, uint8_t flags, uint32_t n);

/* Blocks of data followed by PI, as a DIF source the tags describe:
 * nblk blocks of data taken from data (blk bytes each). */
void dif_ref_protect(uint8_t *buf, const uint8_t *data, uint32_t nblk,
		     uint8_t flags, uint8_t tag_flags,
		     const struct dsa_dif_tags *seed);

/* The tags block i takes from a seed under source or destination flags
 * (bit positions shared). */
uint32_t dif_ref_ref_tag(const struct dsa_dif_tags *seed, uint8_t tflags,
			 uint32_t i);
uint16_t dif_ref_app_tag(const struct dsa_dif_tags *seed, uint8_t tflags,
			 uint32_t i);

#endif /* TESTS_DIF_REF_H */
