/* SPDX-License-Identifier: MIT */
/*
 * What Linux's uapi <linux/idxd.h> says, carried out of a file that sees
 * only that header (its names clash with include/dsa_hw.h), so that
 * conf_uapi.c can hold dsa_hw.h against it constant by constant and byte
 * by byte.
 */
#ifndef TESTS_UAPI_IDXD_H
#define TESTS_UAPI_IDXD_H

#include <stddef.h>
#include <stdint.h>

struct uapi_const {
	const char *name;
	uint32_t value;
};

/* Flags, opcodes, statuses, masks, sizes; ended by a NULL name. */
extern const struct uapi_const uapi_idxd_consts[];

/* The field values a test descriptor carries (one union member at a
 * time: which selects crc, delta, dualcast or compare). */
struct uapi_desc_fields {
	uint32_t pasid, priv, flags, opcode;
	uint64_t completion_addr, src, dst;
	uint32_t size;
	uint16_t int_handle;
	int which; /* 0 crc, 1 create delta, 2 apply delta, 3 dualcast,
		      4 compare, 5 DIF check/strip, 6 DIF insert,
		      7 DIF update */
	uint32_t seed, max_delta_size, delta_rec_size;
	uint64_t seed_addr, delta_addr, dest2;
	uint8_t expected_res, expected_res_mask;
	/* DIF: flag bytes and the two seed sets (ref, mask, app). */
	uint8_t dif_src_flags, dif_dst_flags, dif_flags;
	uint32_t dif_ref[2];
	uint16_t dif_mask[2], dif_app[2];
};

/* The 64 bytes the uapi struct dsa_hw_desc holds for f. */
void uapi_idxd_desc(const struct uapi_desc_fields *f, uint8_t out[64]);

/* A completion record's 32 bytes read through the uapi struct. */
struct uapi_comp_fields {
	uint8_t status, result;
	uint32_t bytes_completed, invalid_flags, delta_rec_size, crc_lo;
	uint64_t fault_addr;
	/* DIF tags as the uapi names them: [0] check/strip and update's
	 * source, [1] insert and update's destination. */
	uint32_t dif_ref[2];
	uint16_t dif_mask[2], dif_app[2];
	/* The same read through update's names. */
	uint32_t upd_ref[2];
	uint16_t upd_mask[2], upd_app[2];
};
void uapi_idxd_comp(const uint8_t in[32], struct uapi_comp_fields *f);

#endif /* TESTS_UAPI_IDXD_H */
