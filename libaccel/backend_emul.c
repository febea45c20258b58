// SPDX-License-Identifier: MIT
/*
 * The emul backend: the software device model running as an engine thread
 * in the process, fed through rings that stand in for portals.  The engine
 * spins briefly after work, then sleeps on a futex until a submitter wakes
 * it, so an idle device costs no CPU.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <linux/futex.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <liburing.h>

#include "emul.h"
#include "emul_ring.h"
#include "internal.h"

#define ENGINE_SPIN_NS 50000 /* busy-poll this long after the last work */
#define ENGINE_TAKE_MAX 16 /* descriptors taken per ring per pass */
#define ENGINE_TAKE_ALONE (16u << 10) /* bytes: a descriptor worth a pass */

struct emul_dev {
	pthread_t engine;
	pthread_mutex_t lock; /* rings list */
	struct emul_ring *rings;
	struct emul_ring *shared_ring; /* the one ring of a shared queue */
	_Atomic int sleeping; /* futex word: engine asleep */
	_Atomic int stop;
	_Atomic int paused; /* tests: hold descriptors in the queue */
	_Atomic int waiters; /* threads sleeping on the eventfd */
	int efd;
	struct model_exec exec;
	uint8_t bounce[MODEL_BOUNCE_SIZE];
	uint32_t wq_size, threshold;
	bool shared;
	_Atomic uint64_t executed;
};

struct emul_queue {
	struct emul_ring *ring;
	struct accel_fd_sleeper sleeper; /* eventfd waits */
};

static long futex(_Atomic int *w, int op, int val, const struct timespec *ts)
{
	return syscall(SYS_futex, w, op, val, ts, NULL, 0);
}

static __attribute__((noinline)) void engine_wake_slow(struct emul_dev *dev)
{
	if (atomic_exchange(&dev->sleeping, 0))
		futex(&dev->sleeping, FUTEX_WAKE_PRIVATE, 1, NULL);
}

/* On every submission: inline, with the system call out of line. */
static inline __attribute__((always_inline)) void
engine_wake(struct emul_dev *dev)
{
	/*
	 * Store-load barrier: the slot's publication must be visible before
	 * we read the engine's sleeping flag (the engine sets the flag, then
	 * re-scans the rings), or a wake-up could be missed.
	 */
	__builtin_ia32_mfence();
	if (__builtin_expect(atomic_load_explicit(&dev->sleeping,
						  memory_order_relaxed),
			     0))
		engine_wake_slow(dev);
}

/* One pass over the rings; returns how many descriptors ran. */
static unsigned engine_pass(struct emul_dev *dev)
{
	struct dsa_desc work[ENGINE_TAKE_MAX * 4];
	unsigned n = 0, i;
	struct emul_ring *r;

	if (atomic_load_explicit(&dev->paused, memory_order_acquire))
		return 0;
	pthread_mutex_lock(&dev->lock);
	for (r = dev->rings; r && n + ENGINE_TAKE_MAX <= 4 * ENGINE_TAKE_MAX;
	     r = r->next) {
		unsigned k;

		for (k = 0; k < ENGINE_TAKE_MAX && emul_ring_take(r, &work[n]);
		     k++) {
			/* Behind a long descriptor, leave the rest in the
			 * ring: what is not taken can still be taken back
			 * (a split whose submitter got there first). */
			if (work[n++].size >= ENGINE_TAKE_ALONE)
				break;
		}
	}
	pthread_mutex_unlock(&dev->lock);

	for (i = 0; i < n; i++)
		accel_exec_guarded(&dev->exec, &work[i]);
	if (n) {
		atomic_fetch_add_explicit(&dev->executed, n,
					  memory_order_relaxed);
		if (atomic_load(&dev->waiters)) {
			uint64_t one = 1;
			ssize_t w = write(dev->efd, &one, sizeof(one));

			(void)w; /* a full counter still wakes the reader */
		}
	}
	return n;
}

static bool engine_has_work(struct emul_dev *dev)
{
	struct emul_ring *r;
	bool any = false;

	pthread_mutex_lock(&dev->lock);
	for (r = dev->rings; r && !any; r = r->next)
		any = emul_ring_occupancy(r) != 0;
	pthread_mutex_unlock(&dev->lock);
	return any && !atomic_load(&dev->paused);
}

static void *engine_main(void *arg)
{
	struct emul_dev *dev = arg;
	uint64_t idle_since = accel_now_ns();

	while (!atomic_load_explicit(&dev->stop, memory_order_relaxed)) {
		unsigned spins;

		if (engine_pass(dev)) {
			idle_since = 0;
			continue;
		}
		for (spins = 0; spins < 64; spins++)
			__builtin_ia32_pause();
		/* Spinning for nothing on a core someone else wants (the
		 * submitter itself, on a busy machine) slows the very work
		 * it waits for: let the scheduler give the core away. */
		sched_yield();
		if (!idle_since) {
			idle_since = accel_now_ns();
			continue;
		}
		if (accel_now_ns() - idle_since < ENGINE_SPIN_NS)
			continue;
		atomic_store(&dev->sleeping, 1);
		if (engine_has_work(dev) || atomic_load(&dev->stop)) {
			atomic_store(&dev->sleeping, 0);
			continue;
		}
		futex(&dev->sleeping, FUTEX_WAIT_PRIVATE, 1, NULL);
		atomic_store(&dev->sleeping, 0);
		idle_since = accel_now_ns();
	}
	return NULL;
}

int emul_ring_init(struct emul_ring *r, uint32_t size, uint32_t threshold,
		   bool shared, bool use_movdir64b)
{
	uint32_t slots = 1;

	while (slots < size)
		slots <<= 1;
	memset(r, 0, sizeof(*r));
	r->slots = aligned_alloc(64, (size_t)slots * sizeof(struct dsa_desc));
	r->seq = calloc(slots, sizeof(*r->seq));
	if (!r->slots || !r->seq) {
		free(r->slots);
		free(r->seq);
		return -ENOMEM;
	}
	memset(r->slots, 0, (size_t)slots * sizeof(struct dsa_desc));
	r->size = size;
	r->mask = slots - 1;
	r->threshold = threshold;
	r->shared = shared;
	r->use_movdir64b = use_movdir64b;
	return 0;
}

void emul_ring_fini(struct emul_ring *r)
{
	free(r->slots);
	free((void *)r->seq);
}

static void ring_attach(struct emul_dev *dev, struct emul_ring *r)
{
	pthread_mutex_lock(&dev->lock);
	r->next = dev->rings;
	dev->rings = r;
	pthread_mutex_unlock(&dev->lock);
}

static void ring_detach(struct emul_dev *dev, struct emul_ring *r)
{
	struct emul_ring **pp;

	pthread_mutex_lock(&dev->lock);
	for (pp = &dev->rings; *pp; pp = &(*pp)->next) {
		if (*pp == r) {
			*pp = r->next;
			break;
		}
	}
	pthread_mutex_unlock(&dev->lock);
}

/*
 * The engine is the library's thread, not the program's: it starts with
 * the program's asynchronous signals blocked, or a signal sent to the
 * process (a timer's SIGALRM, a kill) could run the program's handler on
 * the engine while the program's own threads block it or are busy with
 * another (tests/threads/engine_signals.c).  The signals a fault raises
 * stay open: blocked, a fault would kill the process instead of reaching
 * the model's guard (exec_guard.c).
 */
static int engine_start(struct emul_dev *dev)
{
	static const int faults[] = { SIGSEGV, SIGBUS, SIGILL,
				      SIGFPE,  SIGTRAP, SIGSYS };
	sigset_t async, was;
	unsigned i;
	int rc;

	sigfillset(&async);
	for (i = 0; i < sizeof(faults) / sizeof(faults[0]); i++)
		sigdelset(&async, faults[i]);
	/* The new thread inherits this mask: no window at its start. */
	pthread_sigmask(SIG_BLOCK, &async, &was);
	rc = -pthread_create(&dev->engine, NULL, engine_main, dev);
	pthread_sigmask(SIG_SETMASK, &was, NULL);
	return rc;
}

static int emul_dev_open(const struct accel_opts *opts, void **devp,
			 struct accel_info *info)
{
	struct emul_dev *dev;
	int rc;

	if (posix_memalign((void **)&dev, 64, sizeof(*dev)))
		return -ENOMEM;
	memset(dev, 0, sizeof(*dev));
	pthread_mutex_init(&dev->lock, NULL);
	dev->shared = opts->wq_mode == ACCEL_WQ_SHARED;
	dev->wq_size = opts->wq_size ? opts->wq_size : 128;
	dev->threshold = opts->shared_threshold ? opts->shared_threshold :
						  dev->wq_size;
	if (dev->wq_size > 4096 || dev->threshold > dev->wq_size) {
		rc = -EINVAL;
		goto err_free;
	}
	accel_guard_init();
	dev->exec.mem = &accel_user_mem;
	dev->exec.bounce = dev->bounce;
	rc = accel_model_caps(&dev->exec.caps, opts);
	if (rc)
		goto err_free;
	dev->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (dev->efd < 0) {
		rc = -errno;
		goto err_free;
	}
	if (dev->shared) {
		dev->shared_ring = malloc(sizeof(*dev->shared_ring));
		rc = dev->shared_ring ?
			     emul_ring_init(dev->shared_ring, dev->wq_size,
					    dev->threshold, true,
					    accel_cpu.movdir64b) :
			     -ENOMEM;
		if (rc)
			goto err_efd;
		ring_attach(dev, dev->shared_ring);
	}
	rc = engine_start(dev);
	if (rc)
		goto err_ring;

	(void)accel_model_info(info, "emul", opts);
	info->wq_mode = dev->shared ? ACCEL_WQ_SHARED : ACCEL_WQ_DEDICATED;
	info->wq_size = dev->wq_size;
	*devp = dev;
	return 0;

err_ring:
	if (dev->shared_ring)
		emul_ring_fini(dev->shared_ring);
err_efd:
	free(dev->shared_ring);
	close(dev->efd);
err_free:
	pthread_mutex_destroy(&dev->lock);
	free(dev);
	return rc;
}

static void emul_dev_close(void *p)
{
	struct emul_dev *dev = p;

	atomic_store(&dev->paused, 0);
	atomic_store(&dev->stop, 1);
	atomic_store(&dev->sleeping, 0);
	futex(&dev->sleeping, FUTEX_WAKE_PRIVATE, 1, NULL);
	pthread_join(dev->engine, NULL);
	if (dev->shared_ring) {
		emul_ring_fini(dev->shared_ring);
		free(dev->shared_ring);
	}
	close(dev->efd);
	pthread_mutex_destroy(&dev->lock);
	free(dev);
}

static int emul_queue_open(void *p, struct accel_queue *q)
{
	struct emul_dev *dev = p;
	struct emul_queue *eq;
	int rc;

	eq = calloc(1, sizeof(*eq));
	if (!eq)
		return -ENOMEM;
	if (dev->shared) {
		eq->ring = dev->shared_ring;
	} else {
		eq->ring = malloc(sizeof(*eq->ring));
		rc = eq->ring ? emul_ring_init(eq->ring, dev->wq_size,
					       dev->wq_size, false,
					       accel_cpu.movdir64b) :
				-ENOMEM;
		if (rc) {
			free(eq->ring);
			free(eq);
			return rc;
		}
		ring_attach(dev, eq->ring);
	}
	q->priv = eq;
	q->wq_size = dev->wq_size;
	return 0;
}

static void emul_queue_close(struct accel_queue *q)
{
	struct emul_dev *dev = q->dev;
	struct emul_queue *eq = q->priv;

	if (!dev->shared) {
		/* Let the engine finish what this queue posted. */
		atomic_store(&dev->paused, 0);
		while (emul_ring_occupancy(eq->ring)) {
			engine_wake(dev);
			sched_yield();
		}
		ring_detach(dev, eq->ring);
		emul_ring_fini(eq->ring);
		free(eq->ring);
	}
	accel_fd_sleeper_fini(&eq->sleeper);
	free(eq);
}

static int emul_submit(struct accel_queue *q, const struct dsa_desc *d)
{
	struct emul_dev *dev = q->dev;
	struct emul_queue *eq = q->priv;
	int rc = 0;

	if (dev->shared)
		rc = emul_ring_enqueue(eq->ring, d);
	else if (!emul_ring_try_post(eq->ring, d))
		rc = -EAGAIN;
	if (rc == 0)
		engine_wake(dev);
	return rc;
}

static int emul_take_back(struct accel_queue *q, const struct dsa_desc *d)
{
	struct emul_dev *dev = q->dev;
	struct emul_queue *eq = q->priv;

	if (dev->shared)
		return -EOPNOTSUPP;
	return emul_ring_take_back(eq->ring, d->completion_addr) ? 0 : -EBUSY;
}

static int emul_wait_event(struct accel_queue *q,
			   const volatile uint8_t *status, uint64_t timeout_ns)
{
	struct emul_dev *dev = q->dev;
	struct emul_queue *eq = q->priv;
	uint64_t val;
	int rc;

	atomic_fetch_add(&dev->waiters, 1);
	if (__atomic_load_n(status, __ATOMIC_ACQUIRE)) {
		rc = 0;
		goto out;
	}
	rc = accel_fd_sleep(&eq->sleeper, dev->efd, timeout_ns);
	/* Drain the counter; other waiters re-arm and re-check themselves. */
	if (read(dev->efd, &val, sizeof(val)) < 0)
		val = 0;
	if (__atomic_load_n(status, __ATOMIC_ACQUIRE))
		rc = 0;
out:
	atomic_fetch_sub(&dev->waiters, 1);
	return rc;
}

/* An application's own loop waits on the eventfd (notify.c): the engine
 * signals it while at least one listener is registered. */
static int emul_notify(struct accel_queue *q, bool on, int *fd)
{
	struct emul_dev *dev = q->dev;

	if (on)
		atomic_fetch_add(&dev->waiters, 1);
	else
		atomic_fetch_sub(&dev->waiters, 1);
	*fd = dev->efd;
	return 0;
}

const struct accel_backend_ops accel_backend_emul = {
	.name = "emul",
	.dev_open = emul_dev_open,
	.dev_close = emul_dev_close,
	.queue_open = emul_queue_open,
	.queue_close = emul_queue_close,
	.submit = emul_submit,
	.take_back = emul_take_back,
	.wait_event = emul_wait_event,
	.notify = emul_notify,
};

/* ---- Test hooks (emul.h) ---- */

static struct emul_dev *emul_of(struct accel_ctx *ctx)
{
	return ctx->ops == &accel_backend_emul ? ctx->dev : NULL;
}

int accel_emul_pause(struct accel_ctx *ctx, bool paused)
{
	struct emul_dev *dev = emul_of(ctx);

	if (!dev)
		return -ENOTSUP;
	atomic_store(&dev->paused, paused);
	if (!paused)
		engine_wake(dev);
	return 0;
}

int accel_emul_swerr(struct accel_ctx *ctx, uint8_t *status, uint64_t *addr)
{
	struct emul_dev *dev = emul_of(ctx);

	if (!dev)
		return -ENOTSUP;
	if (!dev->exec.swerr_valid)
		return -ENOENT;
	*status = dev->exec.swerr_status;
	*addr = dev->exec.swerr_addr;
	dev->exec.swerr_valid = 0;
	return 0;
}

int accel_emul_post_raw(struct accel_ctx *ctx, const struct dsa_desc *d)
{
	struct accel_queue *q = accel_queue_get(ctx);
	struct emul_queue *eq;

	if (!emul_of(ctx) || !q || ((struct emul_dev *)ctx->dev)->shared)
		return -ENOTSUP;
	eq = q->priv;
	return emul_ring_post(eq->ring, d) ? 0 : -ENOSPC;
}

uint64_t accel_emul_dropped(struct accel_ctx *ctx)
{
	struct accel_queue *q = accel_queue_get(ctx);

	if (!emul_of(ctx) || !q || ((struct emul_dev *)ctx->dev)->shared)
		return 0;
	return ((struct emul_queue *)q->priv)->ring->dropped;
}
