// SPDX-License-Identifier: MIT
/*
 * The cpu backend: each descriptor runs inline on the submitting thread
 * through the same device model, so results and statuses are the device's.
 * Useful as a reference and where no engine thread is wanted.
 */
#include <errno.h>
#include <stdlib.h>

#include "internal.h"

struct cpu_queue {
	struct model_exec exec;
	uint8_t bounce[MODEL_BOUNCE_SIZE];
};

static int cpu_dev_open(const struct accel_opts *opts, void **dev,
			struct accel_info *info)
{
	if (opts->wq_mode == ACCEL_WQ_SHARED)
		return -ENOTSUP; /* nothing is queued, so nothing is shared */
	accel_guard_init();
	if (accel_model_info(info, "cpu", opts))
		return -EINVAL;
	info->wq_mode = ACCEL_WQ_DEDICATED;
	info->wq_size = opts->wq_size ? opts->wq_size : 128;
	*dev = NULL;
	return 0;
}

static void cpu_dev_close(void *dev)
{
	(void)dev;
}

static int cpu_queue_open(void *dev, struct accel_queue *q)
{
	struct cpu_queue *cq = calloc(1, sizeof(*cq));

	(void)dev;
	if (!cq)
		return -ENOMEM;
	cq->exec.mem = &accel_user_mem;
	cq->exec.bounce = cq->bounce;
	/* Validated when the device opened. */
	(void)accel_model_caps(&cq->exec.caps, &q->ctx->opts);
	q->priv = cq;
	return 0;
}

static void cpu_queue_close(struct accel_queue *q)
{
	free(q->priv);
}

static int cpu_submit(struct accel_queue *q, const struct dsa_desc *d)
{
	struct cpu_queue *cq = q->priv;
	struct dsa_desc copy = *d; /* the device works on its own copy */

	accel_exec_guarded(&cq->exec, &copy);
	return 0;
}

const struct accel_backend_ops accel_backend_cpu = {
	.name = "cpu",
	.dev_open = cpu_dev_open,
	.dev_close = cpu_dev_close,
	.queue_open = cpu_queue_open,
	.queue_close = cpu_queue_close,
	.submit = cpu_submit,
};
