/* SPDX-License-Identifier: MIT */
/*
 * The software DSA device model: one executor for every DSA 1.0 operation,
 * written over a small memory-access interface so that the same code runs
 * in user space (libaccel's emul and cpu backends: plain loads and stores
 * behind a simulated IO page table) and in the kernel's soft device (user
 * copies with page faults disabled or enabled, per block-on-fault).
 *
 * Kernel-safe: no libc, no floating point, no allocation.
 */
#ifndef UACCEL_MODEL_H
#define UACCEL_MODEL_H

#include "dsa_hw.h"
#include "dsa_regs.h"

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#endif

/* Why an access stopped short. */
enum model_fault {
	MODEL_FAULT_NONE = 0,
	/* The page is valid but not present: block-on-fault would resolve it. */
	MODEL_FAULT_NOT_PRESENT = 1,
	/* No valid translation (unmapped, kernel address, no permission). */
	MODEL_FAULT_INVALID = 2,
};

struct model_mem;

/*
 * Every access returns the number of leading bytes it completed; fewer
 * than asked means the byte after them faulted, and *fault says how.  With
 * block set, a NOT_PRESENT fault is resolved (the page brought in) instead
 * of stopping, so only INVALID can stop a blocking access.
 */
struct model_mem_ops {
	/* Device-visible memory -> local buffer. */
	size_t (*read)(struct model_mem *m, void *dst, uint64_t src, size_t len,
		       bool block, enum model_fault *fault);
	/* Local buffer -> device-visible memory. */
	size_t (*write)(struct model_mem *m, uint64_t dst, const void *src,
			size_t len, bool block, enum model_fault *fault);
	/*
	 * Optional (NULL in the kernel): check that [addr, addr + len) can be
	 * accessed, resolving faults if block; return the accessible prefix.
	 * The executor then works on the memory directly through (void *)addr,
	 * avoiding a bounce copy.
	 */
	size_t (*probe)(struct model_mem *m, uint64_t addr, size_t len,
			bool write, bool block, enum model_fault *fault);
	/*
	 * Write a completion record: everything but the status byte first,
	 * then the status byte with release ordering.  Returns 0, or -EFAULT
	 * when the record's address cannot be written.
	 */
	int (*write_comp)(struct model_mem *m, uint64_t addr,
			  const struct dsa_comp *comp);
	/* Optional: write back and invalidate the cache lines of a range. */
	void (*flush)(struct model_mem *m, uint64_t addr, size_t len);
	/*
	 * Optional, with probe: copy between two non-overlapping ranges that
	 * probe() accepted.  cache is the descriptor's cache-control flag: a
	 * DSA writes to memory, not to the cache, unless it is set.
	 */
	void (*copy)(struct model_mem *m, void *dst, const void *src,
		     size_t len, bool cache);
};

struct model_mem {
	const struct model_mem_ops *ops;
};

/* What the device reports in its capability registers. */
struct model_caps {
	uint64_t op_cap; /* DSA_OPCAP() bits */
	uint32_t max_xfer; /* largest transfer size in bytes */
	uint32_t max_batch; /* largest descriptor count of a batch */
	/*
	 * The VERSION register's value (DSA_VERSION_1 or _2, dsa_regs.h):
	 * a 1.0 device refuses the 2.0 flags as reserved; 0 (unset) checks
	 * flags as 2.0 does.  Which opcodes run is op_cap's business alone.
	 */
	uint32_t version;
};

/* Bytes of local scratch the executor needs for bounce copies. */
#define MODEL_BOUNCE_SIZE 4096u

struct model_exec {
	struct model_mem *mem;
	struct model_caps caps;
	/* MODEL_BOUNCE_SIZE bytes, owned by the caller, one per executor. */
	uint8_t *bounce;
	/*
	 * Set when a completion record could not be written (the hardware's
	 * SWERR register): the address and status it could not deliver.
	 */
	uint64_t swerr_addr;
	uint8_t swerr_status;
	uint8_t swerr_valid;
};

/*
 * Execute one descriptor (a batch runs all its members) and deliver its
 * completion record if one was requested.  The descriptor is the device's
 * private copy.  Returns the status byte the record carries (also when no
 * record was requested), so that a caller can keep counts.
 */
uint8_t model_exec_desc(struct model_exec *x, const struct dsa_desc *desc);

/* Validation alone (no memory access): DSA_COMP_SUCCESS or the error. */
uint8_t model_validate(const struct model_caps *caps,
		       const struct dsa_desc *desc, uint32_t *invalid_flags);

/*
 * CRC-32C as the device computes it (model_crc.c): start from a seed,
 * update over the data, deliver the result; flags are the descriptor's
 * (DSA_FLAG_CRC_BYPASS_*; others are ignored).  A result seeds the next
 * run with the same flags, so a CRC can be resumed or chained.
 */
uint32_t model_crc_start(uint32_t seed, uint32_t flags);
uint32_t model_crc_update(uint32_t state, const void *buf, size_t len,
			  uint32_t flags);
uint32_t model_crc_result(uint32_t state, uint32_t flags);
/*
 * The default flags in one call: seed inverted in and out, reflected
 * data, so model_crc32c(0, "123456789", 9) == DSA_CRC32C_CHECK.
 */
uint32_t model_crc32c(uint32_t seed, const void *buf, size_t len);
/* Default-flag update alone: chaining state for partial runs. */
uint32_t model_crc32c_raw(uint32_t state, const void *buf, size_t len);
/*
 * The path taken: the SSE4.2 crc32 instruction where the CPU has it, else
 * a table.  Forcing the table lets tests prove both give the same bits.
 */
bool model_crc32c_has_insn(void);
/*
 * CRC-16 T10 (polynomial 0x8BB7, MSB first, no reflection or inversion),
 * the DIF guard (model_dif.c): model_crc16_t10(0, "123456789", 9) ==
 * DSA_CRC16_T10_CHECK.  Chains: a result seeds the next run.
 */
uint16_t model_crc16_t10(uint16_t crc, const void *buf, size_t len);
/* Data bytes per block of DIF flags' block size field (512 .. 4104). */
uint32_t model_dif_block_size(uint8_t dif_flags);
bool model_crc32c_uses_insn(void);
void model_crc32c_force_table(bool on);

#endif /* UACCEL_MODEL_H */
