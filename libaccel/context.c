// SPDX-License-Identifier: MIT
/*
 * Contexts and their per-thread queues.  A context is one opened device;
 * each thread that submits gets its own queue on it, found through a
 * thread-local cache.  After fork() the child re-opens the device on first
 * use: it never touches its parent's queues or portals.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <numa.h>

#include "internal.h"

_Atomic uint64_t accel_fork_gen;
__thread struct accel_tls_queue accel_tls_q[ACCEL_TLS_QUEUES];

static pthread_mutex_t live_lock = PTHREAD_MUTEX_INITIALIZER;
static struct accel_ctx *live_ctxs;
static _Atomic uint64_t next_ctx_id = 1;
static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static pthread_key_t thread_key;

static void after_fork_child(void)
{
	atomic_fetch_add(&accel_fork_gen, 1);
	/* The parent's other threads do not exist here; nor do their locks. */
	pthread_mutex_init(&live_lock, NULL);
}

static void queue_destroy(struct accel_ctx *ctx, struct accel_queue *q)
{
	struct accel_queue **pp;

	pthread_mutex_lock(&ctx->lock);
	for (pp = &ctx->queues; *pp; pp = &(*pp)->next) {
		if (*pp == q) {
			*pp = q->next;
			break;
		}
	}
	pthread_mutex_unlock(&ctx->lock);
	ctx->ops->queue_close(q);
	free(q);
}

/* A thread exits: release its queues on contexts that are still open. */
static void thread_exit(void *arg)
{
	struct accel_tls_queue *t = accel_tls_q;
	unsigned i;

	(void)arg;
	pthread_mutex_lock(&live_lock);
	for (i = 0; i < ACCEL_TLS_QUEUES; i++) {
		struct accel_ctx *c;

		for (c = live_ctxs; c; c = c->next_live)
			if (c == t[i].ctx && c->id == t[i].ctx_id &&
			    t[i].gen == atomic_load(&accel_fork_gen))
				break;
		while (c && t[i].q) { /* its queues on every device of c */
			struct accel_queue *q = t[i].q, *s = q->sibling;

			if (s && s != q) {
				while (s->sibling != q)
					s = s->sibling;
				s->sibling = q->sibling; /* unlink q */
				t[i].q = s;
			} else {
				t[i].q = NULL;
			}
			queue_destroy(c, q);
		}
		memset(&t[i], 0, sizeof(t[i]));
	}
	pthread_mutex_unlock(&live_lock);
}

static void lib_init(void)
{
	accel_cpu_detect();
	pthread_key_create(&thread_key, thread_exit);
	pthread_atfork(NULL, NULL, after_fork_child);
}

/*
 * The software device's personality: ACCEL_OPT_DSA1 or ACCEL_OPT_DSA2 in
 * the open's flags, else $ACCEL_DSA_VERSION ("1" or "2"), else the
 * default: DSA 1.0's operations (DIF included) with the 16-byte fill
 * pattern accepted, as the model always had it.  A 1.0 device refuses
 * translation fetch and DIX generate (not in its OPCAP: BAD_OPCODE) and
 * the 16-byte fill flag (INVALID_FLAGS); a 2.0 device runs them.
 */
int accel_model_caps(struct model_caps *caps, const struct accel_opts *opts)
{
	unsigned f = opts ? opts->flags & (ACCEL_OPT_DSA1 | ACCEL_OPT_DSA2) : 0;
	const char *e = getenv("ACCEL_DSA_VERSION");

	memset(caps, 0, sizeof(*caps));
	caps->op_cap = DSA_OPCAP_DSA1;
	caps->max_xfer = DSA_DEFAULT_MAX_XFER;
	caps->max_batch = DSA_DEFAULT_MAX_BATCH;
	if (f == (ACCEL_OPT_DSA1 | ACCEL_OPT_DSA2))
		return -EINVAL;
	if (!f && e && *e) {
		if (!strcmp(e, "1"))
			f = ACCEL_OPT_DSA1;
		else if (!strcmp(e, "2"))
			f = ACCEL_OPT_DSA2;
		else
			return accel_env_bad("ACCEL_DSA_VERSION", e,
					     "not 1 or 2");
	}
	if (f == ACCEL_OPT_DSA1)
		caps->version = DSA_VERSION_1;
	if (f == ACCEL_OPT_DSA2) {
		caps->version = DSA_VERSION_2;
		caps->op_cap = DSA_OPCAP_DSA2;
	}
	return 0;
}

int accel_model_info(struct accel_info *info, const char *backend,
		     const struct accel_opts *opts)
{
	struct model_caps caps;
	int rc = accel_model_caps(&caps, opts);

	if (rc)
		return rc;
	snprintf(info->backend, sizeof(info->backend), "%s", backend);
	snprintf(info->device, sizeof(info->device), "software-dsa");
	info->max_batch = caps.max_batch;
	info->max_xfer = caps.max_xfer;
	info->op_cap = caps.op_cap;
	info->numa_node = -1;
	return 0;
}

/* A uacce class device (its node is /dev/<name>), as upstream finds them. */
static bool uacce_present(void)
{
	DIR *d = opendir("/sys/class/uacce");
	struct dirent *e;
	bool any = false;

	if (!d)
		return false;
	while (!any && (e = readdir(d)))
		any = e->d_name[0] != '.';
	closedir(d);
	return any;
}

static int pick_backend(const char *name, const struct accel_backend_ops **ops)
{
	if (!name || !*name || !strcmp(name, "auto")) {
		const char *env = getenv("ACCEL_BACKEND");

		if (env && *env && strcmp(env, "auto")) {
			int rc = pick_backend(env, ops);

			if (rc)
				accel_env_bad("ACCEL_BACKEND", env,
					      "no such backend");
			return rc;
		}
		/* Real hardware the administrator gave to user space first,
		 * then our framework's devices, then the software engine. */
		if (accel_idxd_present())
			*ops = &accel_backend_idxd;
		else
			*ops = uacce_present() ? &accel_backend_uacce :
						 &accel_backend_emul;
		return 0;
	}
	if (!strcmp(name, "emul"))
		*ops = &accel_backend_emul;
	else if (!strcmp(name, "cpu"))
		*ops = &accel_backend_cpu;
	else if (!strcmp(name, "uacce"))
		*ops = &accel_backend_uacce;
	else if (!strcmp(name, "idxd"))
		*ops = &accel_backend_idxd;
	else
		return -ENOENT;
	return 0;
}

/*
 * Measured on the 2-core build machine (docs/performance.md): below 512 KiB
 * the hand-off to the engine costs more than it saves (a device-only copy
 * never beats the CPU when the "device" is another core of the same kind);
 * from 512 KiB a split lets both cores copy, in shares that sync_ops.c
 * adapts to the speeds it observes.
 */
static int tuning_defaults(struct accel_ctx *ctx)
{
	ctx->head.cpu_max = 512 * 1024;
	ctx->tune.split_min = 512 * 1024;
	for (unsigned i = 0; i < ACCEL_SPLIT_CLASSES; i++)
		ctx->tune.split_device_pct[i] = 50; /* sync_ops.c adapts it */
	if (ctx->opts.flags & ACCEL_OPT_NO_CPU_PATH)
		ctx->head.cpu_max = 0;
	if (ctx->opts.flags & ACCEL_OPT_NO_SPLIT)
		ctx->tune.split_min = SIZE_MAX;
	/* The cpu backend executes inline: splitting would gain nothing. */
	if (ctx->ops == &accel_backend_cpu)
		ctx->tune.split_min = SIZE_MAX;
	if (accel_env_size("ACCEL_CPU_MAX", &ctx->head.cpu_max) ||
	    accel_env_size("ACCEL_SPLIT_MIN", &ctx->tune.split_min) ||
	    accel_env_size("ACCEL_STREAM_MIN", &accel_stream_min) ||
	    accel_env_no_uring())
		return -EINVAL;
	return 0;
}

/* -1 (near the caller) or a node this machine has. */
static bool numa_node_exists(int node)
{
	if (node == -1)
		return true;
	if (node < 0)
		return false;
	/* Without NUMA support in the kernel there is one node, 0. */
	if (numa_available() < 0)
		return node == 0;
	return node <= numa_max_node() &&
	       numa_bitmask_isbitset(numa_nodes_ptr, (unsigned)node);
}

static int ctx_open_device(struct accel_ctx *ctx)
{
	int rc;

	memset(&ctx->info, 0, sizeof(ctx->info));
	rc = ctx->ops->dev_open(&ctx->opts, &ctx->dev, &ctx->info);
	ctx->near = NULL;
	if (!rc && ctx->ops->near) {
		const struct accel_near *n = ctx->ops->near(ctx->dev);

		if (n && n->n > 1)
			ctx->near = n;
	}
	return rc;
}

ACCEL_EXPORT int accel_open_opts(struct accel_ctx **out,
				 const struct accel_opts *opts)
{
	struct accel_ctx *ctx;
	int rc;

	if (!out || !opts)
		return -EINVAL;
	*out = NULL;
	pthread_once(&init_once, lib_init);
	if (opts->wq_mode > ACCEL_WQ_SHARED || !numa_node_exists(opts->numa_node))
		return -EINVAL;
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	ctx->opts = *opts;
	if (opts->device) {
		snprintf(ctx->device_name, sizeof(ctx->device_name), "%s",
			 opts->device);
		ctx->opts.device = ctx->device_name;
	}
	ctx->opts.backend = NULL;
	accel_open_detail_clear();
	rc = pick_backend(opts->backend, &ctx->ops);
	if (!rc)
		rc = tuning_defaults(ctx);
	if (rc)
		goto err_free;
	pthread_mutex_init(&ctx->lock, NULL);
	ctx->id = atomic_fetch_add(&next_ctx_id, 1);
	ctx->fork_gen = atomic_load(&accel_fork_gen);
	rc = ctx_open_device(ctx);
	if (rc)
		goto err_lock;
	ctx->info.has_movdir64b = accel_cpu.movdir64b;
	ctx->info.has_enqcmd = accel_cpu.enqcmd;
	ctx->info.has_waitpkg = accel_cpu.waitpkg;

	pthread_mutex_lock(&live_lock);
	ctx->next_live = live_ctxs;
	live_ctxs = ctx;
	pthread_mutex_unlock(&live_lock);
	*out = ctx;
	return 0;

err_lock:
	pthread_mutex_destroy(&ctx->lock);
err_free:
	free(ctx);
	return rc;
}

ACCEL_EXPORT int accel_open(struct accel_ctx **out, const char *backend)
{
	struct accel_opts o = { .backend = backend, .numa_node = -1 };

	return accel_open_opts(out, &o);
}

ACCEL_EXPORT void accel_close(struct accel_ctx *ctx)
{
	struct accel_ctx **pp;
	struct accel_queue *q;
	unsigned i;

	if (!ctx)
		return;
	pthread_mutex_lock(&live_lock);
	for (pp = &live_ctxs; *pp; pp = &(*pp)->next_live) {
		if (*pp == ctx) {
			*pp = ctx->next_live;
			break;
		}
	}
	pthread_mutex_unlock(&live_lock);
	for (i = 0; i < ACCEL_TLS_QUEUES; i++)
		if (accel_tls_q[i].ctx == ctx)
			memset(&accel_tls_q[i], 0, sizeof(accel_tls_q[i]));

	if (ctx->fork_gen == atomic_load(&accel_fork_gen)) {
		while ((q = ctx->queues)) {
			ctx->queues = q->next;
			ctx->ops->queue_close(q);
			free(q);
		}
		ctx->ops->dev_close(ctx->dev);
	}
	accel_batch_list_drain(ctx);
	/* In a forked child the parent's device state is left alone. */
	pthread_mutex_destroy(&ctx->lock);
	free(ctx);
}

/* First use in a forked child: a device of its own, no inherited queues. */
static int ctx_reopen_after_fork(struct accel_ctx *ctx)
{
	pthread_mutex_init(&ctx->lock, NULL);
	ctx->queues = NULL;
	ctx->dev = NULL;
	ctx->fork_gen = atomic_load(&accel_fork_gen);
	return ctx_open_device(ctx);
}

/* A queue for the calling thread on device near of ctx, on ctx's list. */
static struct accel_queue *queue_new(struct accel_ctx *ctx, unsigned near)
{
	struct accel_queue *q = calloc(1, sizeof(*q));

	if (!q)
		return NULL;
	q->ctx = ctx;
	q->ops = ctx->ops;
	q->dev = ctx->dev;
	q->owner_pid = getpid();
	q->near = near;
	if (ctx->ops->queue_open(ctx->dev, q)) {
		free(q);
		return NULL;
	}
	pthread_mutex_lock(&ctx->lock);
	q->next = ctx->queues;
	ctx->queues = q;
	pthread_mutex_unlock(&ctx->lock);
	return q;
}

struct accel_queue *accel_queue_slow(struct accel_ctx *ctx)
{
	uint64_t gen = atomic_load(&accel_fork_gen);
	struct accel_tls_queue *t = accel_tls_q, hit;
	struct accel_queue *q;
	unsigned i, near = 0;
	int cpu = -1;

	pthread_once(&init_once, lib_init);
	if (ctx->fork_gen != gen && ctx_reopen_after_fork(ctx))
		return NULL;
	if (ctx->near)
		near = accel_near_caller(ctx->near, &cpu);
	for (i = 0; i < ACCEL_TLS_QUEUES; i++)
		if (t[i].ctx == ctx && t[i].ctx_id == ctx->id &&
		    t[i].gen == gen)
			break;
	if (i == ACCEL_TLS_QUEUES) {
		q = queue_new(ctx, near);
		if (!q)
			return NULL;
		pthread_setspecific(thread_key, accel_tls_q);
		/* Evict the least recent entry; its queues stay on ctx. */
		i = ACCEL_TLS_QUEUES - 1;
		t[i] = (struct accel_tls_queue){ ctx, ctx->id, gen, q, cpu };
	} else if (ctx->near) {
		/* The thread moved: its queue on the device nearest it now,
		 * else a new one there (else, failing that, the old one: a
		 * far queue still works). */
		t[i].cpu = cpu;
		q = accel_near_sibling(t[i].q, near);
		if (!q && (q = queue_new(ctx, near)))
			accel_near_link(t[i].q, q);
		if (q)
			t[i].q = q;
	}
	/* Move to front so the inline check hits next time. */
	hit = t[i];
	memmove(&t[1], &t[0], i * sizeof(t[0]));
	t[0] = hit;
	return hit.q;
}

ACCEL_EXPORT int accel_get_info(struct accel_ctx *ctx, struct accel_info *info)
{
	if (!ctx || !info)
		return -EINVAL;
	*info = ctx->info;
	return 0;
}

ACCEL_EXPORT const char *accel_backend_name(const struct accel_ctx *ctx)
{
	return ctx ? ctx->ops->name : "none";
}

ACCEL_EXPORT const char *accel_path_name(enum accel_path path)
{
	switch (path) {
	case ACCEL_PATH_CPU:
		return "cpu";
	case ACCEL_PATH_DEVICE:
		return "device";
	case ACCEL_PATH_SPLIT:
		return "split";
	default:
		return "none";
	}
}
