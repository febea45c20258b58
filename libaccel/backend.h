/* SPDX-License-Identifier: MIT */
/*
 * The ops table every backend fills.  The core (context, per-thread queues,
 * path choice, fault recovery) talks to devices only through it.
 */
#ifndef LIBACCEL_BACKEND_H
#define LIBACCEL_BACKEND_H

#include <stdbool.h>
#include <stdint.h>

#include "accel.h"

struct accel_queue;

/*
 * The devices one context spans, by NUMA node: a backend that opened
 * several (one per node) describes them here, and the core gives each
 * thread a queue on the one nearest it (queue_near.c); queue_open then
 * opens on device q->near.  n of 0 or 1: a single device.
 */
#define ACCEL_NEAR_MAX 8
struct accel_near {
	unsigned n;
	int node[ACCEL_NEAR_MAX]; /* -1: unknown */
};

struct accel_backend_ops {
	const char *name;
	/*
	 * Open the device behind a context.  Fills *info (backend name,
	 * limits, capabilities) and stores its private state in *dev.
	 * Returns 0 or a negative errno; -ENODEV when no such device exists.
	 */
	int (*dev_open)(const struct accel_opts *opts, void **dev,
			struct accel_info *info);
	void (*dev_close)(void *dev);
	/* A queue for one thread; sets q->priv.  0 or a negative errno. */
	int (*queue_open)(void *dev, struct accel_queue *q);
	void (*queue_close)(struct accel_queue *q);
	/*
	 * Hand one 64-byte descriptor to the device.  0, or -EAGAIN when a
	 * shared queue refused it (retry later).  A dedicated queue never
	 * refuses: the core keeps its in-flight count within wq_size.
	 */
	int (*submit)(struct accel_queue *q, const struct dsa_desc *desc);
	/*
	 * Optional: withdraw the last descriptor this queue accepted, if it
	 * is desc (the same completion record) and the device has not taken
	 * it yet; the device then never sees it.  0 withdrawn, -EBUSY taken
	 * or not the last, -EOPNOTSUPP not on this queue.  Only a software
	 * device can offer it (split_copy.c uses it).
	 */
	int (*take_back)(struct accel_queue *q, const struct dsa_desc *desc);
	/*
	 * Optional: sleep until *status (a completion record's status byte)
	 * becomes non-zero, woken by the device's completion signal (eventfd)
	 * rather than by polling.  The backend arms its signal before it
	 * re-reads *status, so no completion is missed.  0 once *status is
	 * set, -ETIMEDOUT after timeout_ns, or a negative errno.
	 */
	int (*wait_event)(struct accel_queue *q, const volatile uint8_t *status,
			  uint64_t timeout_ns);
	/*
	 * Optional: register (on) or drop (off) a listener on the device's
	 * completion eventfd, which the device then signals after every
	 * completion while listeners remain; *fd is that eventfd (owned by the
	 * backend).  Without it, notify.c stands in with an fd always readable
	 * (notify.c).  0 or a negative errno.
	 */
	int (*notify)(struct accel_queue *q, bool on, int *fd);
	/* Optional: the devices the context spans, when several. */
	const struct accel_near *(*near)(void *dev);
};

/* Per-thread, per-context queue. */
struct accel_queue {
	struct accel_ctx *ctx;
	const struct accel_backend_ops *ops;
	void *dev; /* the backend's device state */
	void *priv; /* the backend's queue state */
	uint32_t wq_size;
	uint32_t inflight; /* dedicated: descriptors not yet seen complete */
	int owner_pid; /* a forked child must not use its parent's queue */
	enum accel_path last_path;
	unsigned near; /* the device of accel_near it is on (0: the only) */
	/* The same thread's queues on the context's other devices, a ring
	 * (NULL until there is a second); released together at thread exit. */
	struct accel_queue *sibling;
	struct accel_queue *next; /* context's list, for close */
};

extern const struct accel_backend_ops accel_backend_emul;
extern const struct accel_backend_ops accel_backend_cpu;
extern const struct accel_backend_ops accel_backend_uacce;
extern const struct accel_backend_ops accel_backend_idxd;
/* backend_idxd.c: an enabled user queue of the kernel's idxd is there. */
bool accel_idxd_present(void);
/* backend_idxd.c: forget the last open's reason (accel_open_detail). */
void accel_open_detail_clear(void);

#endif /* LIBACCEL_BACKEND_H */
