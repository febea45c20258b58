// SPDX-License-Identifier: MIT
/*
 * Completions in an application's own event loop.  accel_notify_open()
 * registers the calling thread as a listener on the device's completion
 * eventfd; the application adds that fd to its io_uring (a POLL_ADD whose
 * user_data names the operation it waits for, or any other poll) and, when
 * it fires, calls accel_notify_reap() with the operations it has in
 * flight: the eventfd is drained first and the records read after, so a
 * completion that lands in between signals the fd again rather than being
 * lost.  docs/io_uring.md shows the loop; samples/uring_loop.c runs it.
 *
 * A backend with no completion signal (cpu: an op has run by the time its
 * submission returns; idxd user queues have no eventfd) gets an eventfd
 * that stays readable, so the application's loop still turns; there it
 * polls rather than sleeps.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "internal.h"

struct accel_notify {
	struct accel_ctx *ctx;
	struct accel_queue *q;
	int fd;
	bool own_fd; /* the stand-in of a backend without a signal */
};

ACCEL_EXPORT int accel_notify_open(struct accel_ctx *ctx,
				   struct accel_notify **out)
{
	struct accel_notify *n;
	int rc;

	if (!ctx || !out)
		return -EINVAL;
	*out = NULL;
	n = calloc(1, sizeof(*n));
	if (!n)
		return -ENOMEM;
	n->ctx = ctx;
	n->q = accel_queue_get(ctx);
	if (!n->q) {
		rc = -ENODEV;
		goto err_free;
	}
	if (n->q->ops->notify) {
		rc = n->q->ops->notify(n->q, true, &n->fd);
		if (rc)
			goto err_free;
	} else {
		uint64_t one = 1;

		n->fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (n->fd < 0) {
			rc = -errno;
			goto err_free;
		}
		n->own_fd = true;
		if (write(n->fd, &one, sizeof(one)) != sizeof(one)) {
			rc = -EIO;
			goto err_fd;
		}
	}
	*out = n;
	return 0;

err_fd:
	close(n->fd);
err_free:
	free(n);
	return rc;
}

ACCEL_EXPORT int accel_notify_fd(const struct accel_notify *n)
{
	return n ? n->fd : -EINVAL;
}

ACCEL_EXPORT int accel_notify_reap(struct accel_notify *n,
				   struct accel_op **ops, unsigned count)
{
	unsigned i, done = 0;
	uint64_t val;

	if (!n || (count && !ops))
		return -EINVAL;
	/* Drain before reading records: a later completion signals again. */
	if (!n->own_fd && read(n->fd, &val, sizeof(val)) < 0 &&
	    errno != EAGAIN)
		return -errno;
	for (i = 0; i < count; i++) {
		struct accel_op *op = ops[i];

		if (!op || accel_poll(n->ctx, op) == -EINPROGRESS)
			continue;
		/* Completed (or failed): to the front, in order. */
		ops[i] = ops[done];
		ops[done++] = op;
	}
	return (int)done;
}

ACCEL_EXPORT void accel_notify_close(struct accel_notify *n)
{
	int fd;

	if (!n)
		return;
	if (n->own_fd)
		close(n->fd);
	else if (n->q->ops->notify)
		n->q->ops->notify(n->q, false, &fd);
	free(n);
}
