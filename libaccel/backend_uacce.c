// SPDX-License-Identifier: MIT
/*
 * The uacce backend: a DSA-compatible uacce device, found as upstream
 * clients find one (class devices in /sys/class/uacce, node /dev/<name>-<id>;
 * a bare device name given by the caller means that node too).  Each
 * thread's queue is one open file.  How a descriptor reaches it follows
 * what the queue offers (UACCE_CMD_DSA_QINFO) and what the CPU can do:
 *   portal  a hardware portal: MOVDIR64B (dedicated) or ENQCMD (shared),
 *           refused up front on a CPU without the instruction;
 *   ring    the soft device's descriptor ring in the mapped regions, with
 *           a doorbell only when its worker went to sleep;
 *   write   write(2) of the descriptor, where nothing can be mapped (or
 *           when $ACCEL_UACCE_SUBMIT=write asks for it).  Where
 *           write(2) refuses BATCH (UACCE_DSA_SUBMIT_WRITE_NOBATCH: DSA
 *           1.0, as idxd) the library runs the batch, its members going
 *           to the device one by one (uacce_batch_sw.c).
 * Completions are polled in the record as on any backend; EVENT waits
 * sleep on an eventfd the kernel signals after completions.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>


#include "internal.h"
#include "portal.h"
#include "uacce_abi.h"
#include "uacce_batch_sw.h"
#include "uacce_near.h"

enum uacce_submit_path { SUBMIT_PORTAL, SUBMIT_RING, SUBMIT_WRITE };

struct uacce_dev {
	char path[PATH_MAX];
	struct uacce_dsa_qinfo qi;
	enum uacce_submit_path how;
};

/* A context's devices: the one named, else one per node (uacce_near.c);
 * a thread's queue opens on d[q->near]. */
struct uacce_set {
	struct accel_near near;
	struct uacce_dev d[ACCEL_NEAR_MAX];
};

struct uacce_q {
	int fd;
	enum uacce_submit_path how;
	bool shared;
	uint32_t limit; /* ring: occupancy at which a submission is refused */
	uint64_t tail; /* ring: this queue's only producer is its thread */
	bool take_back; /* ring: the worker claims slots by compare-and-swap */
	uint64_t comp[UACCE_SOFT_RING_SLOTS]; /* ring: each slot's record */
	void *mmio; /* portal, or ring slots */
	struct uacce_soft_ctl *ctl; /* ring and write: the shared block */
	size_t mmio_size, dus_size;
	int efd;
	/* Sleeps on efd through io_uring, or poll(2) where io_uring is
	 * refused (fd_sleep.c). */
	struct accel_fd_sleeper sleeper;
	bool efd_ready;
	/* write: BATCH run by the library (write(2) refuses it), or NULL. */
	struct uacce_sw_batch *swb;
	struct model_caps caps;
};

static int queue_info(int fd, struct uacce_dsa_qinfo *qi)
{
	memset(qi, 0, sizeof(*qi));
	qi->argsz = sizeof(*qi);
	return ioctl(fd, UACCE_CMD_DSA_QINFO, qi) ? -errno : 0;
}

static int choose_path(const struct uacce_dsa_qinfo *qi,
		       enum uacce_submit_path *how)
{
	const char *want = getenv("ACCEL_UACCE_SUBMIT");

	if (want && *want) {
		if (strcmp(want, "write") && strcmp(want, "ring") &&
		    strcmp(want, "portal"))
			return accel_env_bad("ACCEL_UACCE_SUBMIT", want,
					     "not one of ring, write, portal");
		if (!strcmp(want, "write") && (qi->submit & UACCE_DSA_SUBMIT_WRITE))
			*how = SUBMIT_WRITE;
		else if (!strcmp(want, "ring") && (qi->submit & UACCE_DSA_SUBMIT_RING))
			*how = SUBMIT_RING;
		else if (!strcmp(want, "portal") &&
			 (qi->submit & UACCE_DSA_SUBMIT_PORTAL))
			*how = SUBMIT_PORTAL;
		else
			return -EOPNOTSUPP; /* asked for what it cannot do */
		return 0;
	}
	if (qi->submit & UACCE_DSA_SUBMIT_PORTAL) {
		bool shared = qi->mode == UACCE_DSA_WQ_SHARED;

		if (shared ? accel_cpu.enqcmd : accel_cpu.movdir64b) {
			*how = SUBMIT_PORTAL;
			return 0;
		}
	}
	if (qi->submit & UACCE_DSA_SUBMIT_RING)
		*how = SUBMIT_RING;
	else if (qi->submit & UACCE_DSA_SUBMIT_WRITE)
		*how = SUBMIT_WRITE;
	else
		return -EOPNOTSUPP; /* a portal this CPU cannot write */
	return 0;
}

/* One device: its queue information and how to feed it. */
static int probe(struct uacce_dev *dev, const struct accel_opts *opts)
{
	int fd, rc;

	fd = open(dev->path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ENODEV : -errno;
	rc = queue_info(fd, &dev->qi);
	close(fd);
	if (rc)
		return rc;
	if (opts->wq_mode != ACCEL_WQ_AUTO &&
	    (opts->wq_mode == ACCEL_WQ_SHARED) !=
		    (dev->qi.mode == UACCE_DSA_WQ_SHARED))
		return -EINVAL; /* the named device has the other mode */
	return choose_path(&dev->qi, &dev->how);
}

/* The devices to open: the one named, else those uacce_near.c finds. */
static int set_paths(struct uacce_set *set, const struct accel_opts *opts)
{
	struct accel_uacce_found f;
	unsigned i;
	int rc;

	if (opts->device) {
		set->near.n = 1;
		set->near.node[0] = -1;
		if (strchr(opts->device, '/'))
			snprintf(set->d[0].path, sizeof(set->d[0].path), "%s",
				 opts->device);
		else
			snprintf(set->d[0].path, sizeof(set->d[0].path),
				 "%s/%s", accel_uacce_dev_root(), opts->device);
		return 0;
	}
	rc = accel_uacce_find(opts->wq_mode, opts->numa_node, &f);
	if (rc)
		return rc;
	set->near = f.near;
	for (i = 0; i < f.near.n; i++)
		snprintf(set->d[i].path, sizeof(set->d[i].path), "%s/%s",
			 accel_uacce_dev_root(), f.name[i]);
	return 0;
}

/* Keep, in order, the devices that probe well (like: those of like's
 * mode); the first refusal's errno in *rc when it is still 0. */
static void set_keep(struct uacce_set *set, const struct accel_opts *opts,
		     const struct uacce_dev *like, int *rc)
{
	unsigned i, n = 0;

	for (i = 0; i < set->near.n; i++) {
		struct uacce_dev *d = &set->d[i];
		int r = like ? (d->qi.mode == like->qi.mode ? 0 : -EINVAL) :
			       probe(d, opts);

		if (r) {
			if (!*rc)
				*rc = r;
			continue;
		}
		if (set->near.node[i] < 0)
			set->near.node[i] = d->qi.numa_node;
		if (n != i) {
			set->d[n] = *d;
			set->near.node[n] = set->near.node[i];
		}
		n++;
	}
	set->near.n = n;
}

static int uacce_dev_open(const struct accel_opts *opts, void **devp,
			  struct accel_info *info)
{
	struct uacce_set *set;
	struct uacce_dev *dev, like;
	unsigned i;
	int rc, node;

	set = calloc(1, sizeof(*set));
	if (!set)
		return -ENOMEM;
	rc = set_paths(set, opts);
	if (rc)
		goto err;
	/* A device that cannot be used leaves the others (one must stay). */
	set_keep(set, opts, NULL, &rc);
	if (!set->near.n)
		goto err;
	/* The context's face: the device nearest the node asked for, else
	 * the opening thread; the others must be of its mode. */
	node = opts->numa_node >= 0 ? opts->numa_node :
				      accel_numa_caller_node();
	like = set->d[accel_near_pick(&set->near, node)];
	set_keep(set, opts, &like, &rc);
	rc = 0;
	i = accel_near_pick(&set->near, node);
	dev = &set->d[i];

	snprintf(info->backend, sizeof(info->backend), "uacce");
	snprintf(info->device, sizeof(info->device), "%s",
		 strrchr(dev->path, '/') + 1);
	info->wq_mode = dev->qi.mode == UACCE_DSA_WQ_SHARED ?
				ACCEL_WQ_SHARED :
				ACCEL_WQ_DEDICATED;
	info->wq_size = dev->qi.wq_size;
	info->max_batch = dev->qi.max_batch;
	info->max_xfer = dev->qi.max_xfer;
	info->op_cap = dev->qi.op_cap;
	info->numa_node = set->near.node[i];
	/* Limits every device of the context keeps. */
	for (i = 0; i < set->near.n; i++) {
		if (set->d[i].qi.max_batch < info->max_batch)
			info->max_batch = set->d[i].qi.max_batch;
		if (set->d[i].qi.max_xfer < info->max_xfer)
			info->max_xfer = set->d[i].qi.max_xfer;
		info->op_cap &= set->d[i].qi.op_cap;
	}
	*devp = set;
	return 0;
err:
	free(set);
	return rc;
}

static void uacce_dev_close(void *dev)
{
	free(dev);
}

static const struct accel_near *uacce_near(void *dev)
{
	return &((struct uacce_set *)dev)->near;
}

static void *map_region(int fd, enum uacce_qfrt type, size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		       (off_t)type * sysconf(_SC_PAGESIZE));

	return p == MAP_FAILED ? NULL : p;
}

static void queue_free(struct uacce_q *uq)
{
	accel_fd_sleeper_fini(&uq->sleeper);
	if (uq->efd >= 0)
		close(uq->efd);
	if (uq->mmio)
		munmap(uq->mmio, uq->mmio_size);
	if (uq->ctl)
		munmap(uq->ctl, uq->dus_size);
	if (uq->fd >= 0)
		close(uq->fd);
	/* After the close: it drained or aborted any member still out. */
	if (uq->swb) {
		uacce_sw_batch_fini(uq->swb);
		free(uq->swb);
	}
	free(uq);
}

/* One descriptor by write(2): 0, -EAGAIN (full), or the driver's errno. */
static int write_one(void *arg, const struct dsa_desc *d)
{
	struct uacce_q *uq = arg;
	ssize_t n = write(uq->fd, d, sizeof(*d));

	if (n == (ssize_t)sizeof(*d))
		return 0;
	return n < 0 ? -errno : -EIO;
}

static int sw_batch_start(struct uacce_q *uq)
{
	uq->swb = malloc(sizeof(*uq->swb));
	if (!uq->swb)
		return -ENOMEM;
	uacce_sw_batch_init(uq->swb, &uq->caps, write_one, uq);
	return 0;
}

static int uacce_queue_open(void *p, struct accel_queue *q)
{
	struct uacce_dev *dev = &((struct uacce_set *)p)->d[q->near];
	struct uacce_q *uq;
	int rc;

	uq = calloc(1, sizeof(*uq));
	if (!uq)
		return -ENOMEM;
	uq->efd = -1;
	uq->how = dev->how;
	uq->shared = dev->qi.mode == UACCE_DSA_WQ_SHARED;
	uq->limit = uq->shared ? dev->qi.threshold : dev->qi.wq_size;
	/* What the library checks of a batch it runs itself.  The version
	 * is not reported: 0 checks flags as DSA 2.0 does, which differs
	 * from 1.0 only for FILL (model_validate.c), never for BATCH. */
	uq->caps.op_cap = dev->qi.op_cap;
	uq->caps.max_xfer = dev->qi.max_xfer;
	uq->caps.max_batch = dev->qi.max_batch;
	uq->fd = open(dev->path, O_RDWR | O_CLOEXEC);
	if (uq->fd < 0) {
		rc = -errno;
		goto err;
	}
	uq->mmio_size = dev->qi.mmio_size;
	uq->dus_size = dev->qi.dus_size;
	rc = -errno;
	if (uq->how != SUBMIT_WRITE &&
	    !(uq->mmio = map_region(uq->fd, UACCE_QFRT_MMIO, uq->mmio_size)))
		goto err_errno;
	/* The control block also tells the worker someone sleeps. */
	if (uq->how != SUBMIT_PORTAL && uq->dus_size >= sizeof(*uq->ctl) &&
	    !(uq->ctl = map_region(uq->fd, UACCE_QFRT_DUS, uq->dus_size)))
		goto err_errno;
	if (uq->how == SUBMIT_RING &&
	    (!uq->ctl || dev->qi.ring_slots != UACCE_SOFT_RING_SLOTS ||
	     uq->limit > UACCE_SOFT_RING_SLOTS)) {
		rc = -EPROTO;
		goto err;
	}
	if (uq->ctl)
		uq->tail = __atomic_load_n(&uq->ctl->tail, __ATOMIC_RELAXED);
	uq->take_back = uq->how == SUBMIT_RING &&
			(dev->qi.submit & UACCE_DSA_SUBMIT_TAKE_BACK);
	if (uq->how == SUBMIT_WRITE &&
	    (dev->qi.submit & UACCE_DSA_SUBMIT_WRITE_NOBATCH) &&
	    (rc = sw_batch_start(uq)))
		goto err;
	if (ioctl(uq->fd, UACCE_CMD_START_Q) < 0)
		goto err_errno;
	q->priv = uq;
	q->wq_size = dev->qi.wq_size;
	return 0;
err_errno:
	rc = -errno;
err:
	queue_free(uq);
	return rc;
}

static void uacce_queue_close(struct accel_queue *q)
{
	/* Closing the file drains or aborts whatever is still queued. */
	queue_free(q->priv);
}

static void doorbell(struct uacce_q *uq)
{
	/* Store-load: the slot's publication before the worker's flag. */
	__builtin_ia32_mfence(); /* TSan cannot model a fence */
	if (__atomic_load_n(&uq->ctl->worker_idle, __ATOMIC_RELAXED))
		ioctl(uq->fd, UACCE_CMD_DSA_DOORBELL);
}

static int ring_submit(struct uacce_q *uq, const struct dsa_desc *d)
{
	struct dsa_desc *slots = uq->mmio;
	uint64_t pos = uq->tail;
	uint32_t i = (uint32_t)(pos % UACCE_SOFT_RING_SLOTS);

	if (pos - __atomic_load_n(&uq->ctl->head, __ATOMIC_ACQUIRE) >=
	    uq->limit)
		return -EAGAIN;
	if (accel_cpu.movdir64b) {
		portal_movdir64b(&slots[i], d);
		__builtin_ia32_sfence();
	} else {
		portal_store64_sw(&slots[i], d);
	}
	uq->comp[i] = d->completion_addr;
	__atomic_store_n(&uq->ctl->seq[i], pos + 1, __ATOMIC_RELEASE);
	uq->tail = pos + 1;
	__atomic_store_n(&uq->ctl->tail, pos + 1, __ATOMIC_RELAXED);
	doorbell(uq);
	return 0;
}

/*
 * write(2) checks each descriptor as idxd does; what it refuses and a
 * device takes is done here the device's way:
 * - A completion record address that is not 32-byte aligned is refused
 *   whether or not the descriptor asks for a record (cdev.c: "the
 *   completion address must be aligned to 32 or 64 bytes").  A device
 *   asked for such a record does not run the descriptor and writes no
 *   record: status 0x1b (misaligned completion record address) goes to
 *   its software error register instead (Intel IAA architecture
 *   specification, 4.4.1 "Operation Status Codes": codes 0x1a, 0x1b and
 *   0x1d are written to SWERROR, not to the record; its codes are DSA's;
 *   model_exec.c run_one).  So the descriptor is accepted and dropped.
 *   Without CRAV the device ignores the address, so it is cleared.
 * - BATCH where write(2) refuses it: run by the library (uacce_batch_sw.c).
 *   A module from before UACCE_DSA_SUBMIT_WRITE_NOBATCH says so only by
 *   refusing one (-EINVAL); the library takes over from then on.
 */
static int write_submit(struct uacce_q *uq, const struct dsa_desc *d)
{
	bool batch = dsa_desc_opcode(d) == DSA_OP_BATCH;
	struct dsa_desc copy;
	int rc;

	if (d->completion_addr & (DSA_COMP_ALIGN - 1)) {
		if (dsa_desc_flags(d) & DSA_FLAG_CRAV)
			return 0;
		copy = *d;
		copy.completion_addr = 0;
		d = &copy;
	}
	if (batch && uq->swb)
		return uacce_sw_batch_run(uq->swb, d);
	rc = write_one(uq, d);
	if (rc == -EINVAL && batch && !uq->swb && !sw_batch_start(uq))
		return uacce_sw_batch_run(uq->swb, d);
	return rc;
}

static int uacce_submit(struct accel_queue *q, const struct dsa_desc *d)
{
	struct uacce_q *uq = q->priv;

	switch (uq->how) {
	case SUBMIT_RING:
		return ring_submit(uq, d);
	case SUBMIT_PORTAL:
		/* The record's zeroing must reach memory before the device. */
		__builtin_ia32_sfence();
		if (!uq->shared) {
			portal_movdir64b(uq->mmio, d);
			return 0;
		}
		return portal_enqcmd(uq->mmio, d) ? -EAGAIN : 0;
	case SUBMIT_WRITE:
	default:
		return write_submit(uq, d);
	}
}

/*
 * Withdraw the last descriptor posted, if it is d's and the worker has not
 * claimed it.  Only where the device says its worker claims slots by
 * compare-and-swap (UACCE_DSA_SUBMIT_TAKE_BACK): this swap of pos + 1 for
 * 0 and the worker's claim exclude each other, so the descriptor runs
 * exactly once, here or there.  Without the bit (an older module, a
 * hardware portal) a descriptor once posted is the device's.  This
 * thread is the queue's only producer, so the position is then free
 * again, as if never posted.
 */
static int uacce_take_back(struct accel_queue *q, const struct dsa_desc *d)
{
	struct uacce_q *uq = q->priv;
	uint64_t pos = uq->tail;
	__u64 want = pos; /* the type of seq[] */
	uint32_t i = (uint32_t)((pos - 1) % UACCE_SOFT_RING_SLOTS);

	if (!uq->take_back)
		return -EOPNOTSUPP;
	if (!pos || uq->comp[i] != d->completion_addr ||
	    !__atomic_compare_exchange_n(&uq->ctl->seq[i], &want, 0, false,
					 __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		return -EBUSY;
	uq->tail = pos - 1;
	__atomic_store_n(&uq->ctl->tail, pos - 1, __ATOMIC_RELAXED);
	return 0;
}

static int attach_eventfd(struct uacce_q *uq)
{
	int32_t fd;

	uq->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (uq->efd < 0)
		return -errno;
	fd = uq->efd;
	if (ioctl(uq->fd, UACCE_CMD_DSA_EVENTFD, &fd) < 0)
		return -errno;
	uq->efd_ready = true;
	return 0;
}

static int uacce_wait_event(struct accel_queue *q,
			    const volatile uint8_t *status, uint64_t timeout_ns)
{
	struct uacce_q *uq = q->priv;
	uint64_t val;
	int rc;

	if (!uq->ctl)
		return -EOPNOTSUPP; /* the device would need RCI descriptors */
	if (!uq->efd_ready && (rc = attach_eventfd(uq)))
		return rc;
	/* Announce the sleeper before re-checking, so no signal is lost. */
	__atomic_fetch_add(&uq->ctl->waiters, 1, __ATOMIC_SEQ_CST);
	rc = 0;
	if (__atomic_load_n(status, __ATOMIC_ACQUIRE))
		goto out;
	rc = accel_fd_sleep(&uq->sleeper, uq->efd, timeout_ns);
	if (read(uq->efd, &val, sizeof(val)) < 0)
		val = 0;
	rc = __atomic_load_n(status, __ATOMIC_ACQUIRE) ?
		     0 :
		     (rc == -ETIMEDOUT ? -ETIMEDOUT : 0);
out:
	__atomic_fetch_sub(&uq->ctl->waiters, 1, __ATOMIC_SEQ_CST);
	return rc;
}

const struct accel_backend_ops accel_backend_uacce = {
	.name = "uacce",
	.dev_open = uacce_dev_open,
	.dev_close = uacce_dev_close,
	.queue_open = uacce_queue_open,
	.queue_close = uacce_queue_close,
	.submit = uacce_submit,
	.take_back = uacce_take_back,
	.wait_event = uacce_wait_event,
	.near = uacce_near,
};
