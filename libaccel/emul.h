/* SPDX-License-Identifier: MIT */
/*
 * Test hooks into the emul backend: what a test needs to provoke queue-full
 * and error-register behaviour on purpose.  Not exported from the shared
 * library; tests link the static one.
 */
#ifndef LIBACCEL_EMUL_H
#define LIBACCEL_EMUL_H

#include <stdbool.h>
#include <stdint.h>

#include "accel.h"

/* Hold (or release) descriptors in the queues: the engine takes none. */
int accel_emul_pause(struct accel_ctx *ctx, bool paused);
/* The software error register: a record the device could not write. */
int accel_emul_swerr(struct accel_ctx *ctx, uint8_t *status, uint64_t *addr);
/* A posted write straight into the calling thread's dedicated portal,
 * bypassing the library's room check; -ENOSPC if the device dropped it. */
int accel_emul_post_raw(struct accel_ctx *ctx, const struct dsa_desc *d);
/* Descriptors the calling thread's dedicated queue dropped. */
uint64_t accel_emul_dropped(struct accel_ctx *ctx);

#endif /* LIBACCEL_EMUL_H */
