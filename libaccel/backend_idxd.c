// SPDX-License-Identifier: MIT
/*
 * The idxd backend: a DSA work queue of the stock kernel's idxd driver,
 * /dev/dsa/wqD.Q, configured by the administrator with accel-config.
 *
 * One open file serves every thread of a context: the kernel lets only one
 * file open a dedicated queue at a time (cdev.c answers -EBUSY), and a
 * shared queue gains nothing from more.  How descriptors reach the queue:
 *   portal  the queue's portal page (mmap offset 0, one page): MOVDIR64B to
 *           a dedicated queue, ENQCMD to a shared one (ZF: retry);
 *   write   write(2) of whole descriptors, where the portal is refused
 *           (EPERM without CAP_SYS_RAWIO on parts affected by the 2024
 *           erratum, INTEL-SA-01084), the CPU lacks the instruction, or
 *           $ACCEL_IDXD_SUBMIT=write asks for it.  The kernel refuses BATCH
 *           there on DSA 1.0 (-EINVAL): the library then runs the batch,
 *           members included, on the calling CPU through the device model,
 *           and accel_get_info's device string says so;
 *   cpu     a forked child of the process holding a dedicated queue (the
 *           kernel gives it no second open): every descriptor runs on the
 *           CPU, said in accel_get_info likewise.
 * A dedicated queue drops a descriptor posted while it is full, so the
 * library counts what it has in the queue (see room()).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "idxd.h"
#include "internal.h"
#include "portal.h"

#define PORTAL_SIZE 4096u

enum idxd_how { HOW_PORTAL, HOW_WRITE, HOW_CPU };

struct idxd_dev {
	struct idxd_wq_info wq;
	enum idxd_how how;
	bool soft_batch; /* BATCH runs in the library (write() refuses it) */
	int fd;
	void *portal;
	struct model_caps caps; /* the device's, for the library's own runs */
	pthread_mutex_t lock; /* dedicated: the in-flight ring, the portal */
	_Atomic unsigned portal_off;
	/* Dedicated: record addresses of descriptors possibly still in the
	 * queue, oldest first (a ring of wq.size entries). */
	uint64_t *recs;
	uint32_t head, count;
	_Atomic uint64_t refused; /* descriptors the device would reject */
};

struct idxd_queue {
	struct model_exec exec;
	uint8_t bounce[MODEL_BOUNCE_SIZE];
};

/* ---- The real system calls ---- */

static int sys_open(const char *path, int flags)
{
	int fd = open(path, flags);

	return fd < 0 ? -errno : fd;
}

static int sys_close(int fd)
{
	return close(fd) ? -errno : 0;
}

static int sys_munmap(void *addr, size_t len)
{
	return munmap(addr, len) ? -errno : 0;
}

static ssize_t sys_write(int fd, const void *buf, size_t len)
{
	ssize_t n = write(fd, buf, len);

	return n < 0 ? -errno : n;
}

static int sys_occupancy(const struct idxd_wq_info *wq)
{
	char buf[32];

	if (accel_sysfs_read(idxd_sysfs_root(), wq->wq, "occupancy", buf,
			     sizeof(buf)) || !buf[0])
		return -1;
	return atoi(buf);
}

static bool sys_cpu_can(bool shared)
{
	return shared ? accel_cpu.enqcmd : accel_cpu.movdir64b;
}

static void sys_movdir64b(void *slot, const void *d)
{
	portal_movdir64b(slot, d);
}

static int sys_enqcmd(void *slot, const void *d)
{
	return portal_enqcmd(slot, d);
}

const struct idxd_sys_ops idxd_sys_real = {
	.open = sys_open,
	.close = sys_close,
	.mmap = mmap,
	.munmap = sys_munmap,
	.write = sys_write,
	.occupancy = sys_occupancy,
	.cpu_can = sys_cpu_can,
	.movdir64b = sys_movdir64b,
	.enqcmd = sys_enqcmd,
};
const struct idxd_sys_ops *idxd_sys = &idxd_sys_real;

/* ---- Diagnosis ---- */

/* snprintf whose truncation is expected (paths are long, messages short). */
static void fmt(char *buf, size_t len, const char *f, ...)
{
	va_list ap;

	va_start(ap, f);
	vsnprintf(buf, len, f, ap);
	va_end(ap);
}

static __thread char last_why[320];

const char *idxd_last_why(void)
{
	return last_why;
}

/* Why opening the queue's node failed, in the words a user needs. */
static int explain_open(const struct idxd_wq_info *w, int rc)
{
	const char *what;

	switch (rc) {
	case -ENOENT:
		what = "node missing: the queue is enabled but its device node "
		       "is not there (udev, or a container without /dev/dsa)";
		rc = -ENODEV;
		break;
	case -EACCES:
	case -EPERM:
		what = "permission denied: give the user access to the node "
		       "(a udev rule or group, see docs/idxd.md)";
		break;
	case -EBUSY:
		what = "dedicated queue held by another process (a dedicated "
		       "queue serves one opener; configure a shared one for "
		       "several)";
		break;
	default:
		what = "the kernel could not bind this process to the device "
		       "(SVA/PASID): check intel_iommu=on,sm_on and dmesg";
		break;
	}
	fmt(last_why, sizeof(last_why), "%s: %s: %s", w->node, what,
		 strerror(-rc));
	return rc;
}

/* ---- Opening ---- */

/* The process that holds a dedicated queue, so that its forked child,
 * refused a second open, can tell why. */
static pthread_mutex_t held_lock = PTHREAD_MUTEX_INITIALIZER;
static char held_node[PATH_MAX];
static pid_t held_pid;

static void note_holder(const struct idxd_dev *dev)
{
	if (dev->wq.shared)
		return;
	pthread_mutex_lock(&held_lock);
	snprintf(held_node, sizeof(held_node), "%s", dev->wq.node);
	held_pid = getpid();
	pthread_mutex_unlock(&held_lock);
}

static bool parent_holds(const struct idxd_dev *dev)
{
	bool r;

	pthread_mutex_lock(&held_lock);
	r = held_pid && held_pid != getpid() &&
	    !strcmp(held_node, dev->wq.node);
	pthread_mutex_unlock(&held_lock);
	return r;
}

static void choose_path(struct idxd_dev *dev, char *why, size_t len)
{
	const char *want = getenv("ACCEL_IDXD_SUBMIT");
	bool can = idxd_sys->cpu_can(dev->wq.shared);
	void *p;

	dev->how = HOW_WRITE;
	if (want && !strcmp(want, "write")) {
		snprintf(why, len, "write");
		return;
	}
	if (!can) {
		snprintf(why, len, "write: CPU lacks %s",
			 dev->wq.shared ? "ENQCMD" : "MOVDIR64B");
		return;
	}
	p = idxd_sys->mmap(NULL, PORTAL_SIZE, PROT_WRITE, MAP_SHARED, dev->fd,
			   0);
	if (p == MAP_FAILED) {
		/* INTEL-SA-01084: EPERM without CAP_SYS_RAWIO. */
		snprintf(why, len, "write: portal %s", errno == EPERM ?
				 "needs CAP_SYS_RAWIO" : "refused");
		return;
	}
	dev->portal = p;
	dev->how = HOW_PORTAL;
	snprintf(why, len, "portal");
}

static void fill_info(const struct idxd_dev *dev, const char *how,
		      struct accel_info *info)
{
	snprintf(info->backend, sizeof(info->backend), "idxd");
	fmt(info->device, sizeof(info->device), "%s (%s%s)", dev->wq.wq,
		 how, dev->soft_batch ? "; batch by library" : "");
	info->wq_mode = dev->wq.shared ? ACCEL_WQ_SHARED : ACCEL_WQ_DEDICATED;
	info->wq_size = dev->wq.shared ? dev->wq.threshold : dev->wq.size;
	info->max_batch = dev->caps.max_batch;
	info->max_xfer = dev->caps.max_xfer;
	info->op_cap = dev->caps.op_cap;
	info->numa_node = dev->wq.numa_node;
}

static void set_caps(struct idxd_dev *dev)
{
	dev->caps.op_cap = dev->wq.op_cap[0];
	dev->caps.max_xfer = dev->wq.max_xfer > UINT32_MAX ?
				     UINT32_MAX :
				     (uint32_t)dev->wq.max_xfer;
	dev->caps.max_batch = dev->wq.max_batch;
	/* The kernel hides BATCH from op_cap where user submission is
	 * unsafe (INTEL-SA-01084); every DSA has it, and the library
	 * provides it where the kernel refuses it. */
	if (dev->soft_batch || dev->how == HOW_CPU)
		dev->caps.op_cap |= DSA_OPCAP(DSA_OP_BATCH);
}

static int idxd_dev_open(const struct accel_opts *opts, void **devp,
			 struct accel_info *info)
{
	struct idxd_dev *dev;
	char how[96];
	int rc;
	const char *want = getenv("ACCEL_IDXD_SUBMIT");

	last_why[0] = 0;
	/* Checked before anything is opened: a typo must not silently fall
	 * back to the portal path. */
	if (want && *want && strcmp(want, "write"))
		return accel_env_bad("ACCEL_IDXD_SUBMIT", want,
				     "only \"write\" may be forced");
	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return -ENOMEM;
	dev->fd = -1;
	pthread_mutex_init(&dev->lock, NULL);
	rc = idxd_wq_find(opts->device, opts->numa_node, (int)opts->wq_mode,
			  &dev->wq, last_why, sizeof(last_why));
	if (rc)
		goto err;
	accel_guard_init();
	rc = idxd_sys->open(dev->wq.node, O_RDWR | O_CLOEXEC);
	if (rc == -EBUSY && parent_holds(dev)) {
		dev->how = HOW_CPU;
		snprintf(how, sizeof(how), "held by parent: cpu");
	} else if (rc < 0) {
		rc = explain_open(&dev->wq, rc);
		goto err;
	} else {
		dev->fd = rc;
		choose_path(dev, how, sizeof(how));
		/* DSA 1.0 behind write(): the kernel refuses BATCH. */
		dev->soft_batch = dev->how == HOW_WRITE &&
				  dev->wq.version <= IDXD_VERSION_1;
	}
	if (!dev->wq.shared) {
		dev->recs = calloc(dev->wq.size, sizeof(*dev->recs));
		if (!dev->recs) {
			rc = -ENOMEM;
			goto err;
		}
	}
	set_caps(dev);
	fill_info(dev, how, info);
	if (dev->how != HOW_CPU)
		note_holder(dev);
	*devp = dev;
	return 0;
err:
	if (dev->fd >= 0)
		idxd_sys->close(dev->fd);
	pthread_mutex_destroy(&dev->lock);
	free(dev);
	return rc;
}

static void idxd_dev_close(void *p)
{
	struct idxd_dev *dev = p;

	/* Closing the file drains the queue's work (cdev.c release). */
	if (dev->portal)
		idxd_sys->munmap(dev->portal, PORTAL_SIZE);
	if (dev->fd >= 0)
		idxd_sys->close(dev->fd);
	pthread_mutex_destroy(&dev->lock);
	free(dev->recs);
	free(dev);
}

static int idxd_queue_open(void *p, struct accel_queue *q)
{
	struct idxd_dev *dev = p;
	struct idxd_queue *iq = calloc(1, sizeof(*iq));

	if (!iq)
		return -ENOMEM;
	iq->exec.mem = &accel_user_mem;
	iq->exec.bounce = iq->bounce;
	iq->exec.caps = dev->caps;
	q->priv = iq;
	q->wq_size = dev->wq.shared ? dev->wq.threshold : dev->wq.size;
	return 0;
}

static void idxd_queue_close(struct accel_queue *q)
{
	free(q->priv);
}

/* ---- Submission ---- */

/* The library runs a descriptor itself, as the device would. */
static int run_here(struct idxd_queue *iq, const struct dsa_desc *d)
{
	struct dsa_desc copy = *d; /* the device works on its own copy */

	accel_exec_guarded(&iq->exec, &copy);
	return 0;
}

/* 1 once the record at addr holds a status, or can hold none (unmapped):
 * read without risking a signal, as the record may be gone. */
static bool record_done(uint64_t addr)
{
	enum model_fault f = MODEL_FAULT_NONE;
	uint8_t st = 0;

	if (accel_user_mem.ops->read(&accel_user_mem, &st, addr, 1, false,
				     &f) != 1)
		return f == MODEL_FAULT_INVALID;
	return st != 0;
}

/*
 * Room in a dedicated queue (dev->lock held).  A work queue hands its
 * descriptors to the engines in order, so once one has completed, every
 * descriptor posted before it has left the queue: the ring is cut at the
 * newest completed entry.  Only when the ring looks full is it scanned; if
 * nothing there has completed (records reused before they were seen), the
 * device's own occupancy count settles it where the kernel shows one.
 */
static bool room(struct idxd_dev *dev)
{
	uint32_t size = dev->wq.size, i;
	int occ;

	if (dev->count < size)
		return true;
	for (i = dev->count; i-- > 0;) {
		if (record_done(dev->recs[(dev->head + i) % size])) {
			dev->head = (dev->head + i + 1) % size;
			dev->count -= i + 1;
			return true;
		}
	}
	occ = idxd_sys->occupancy(&dev->wq);
	if (occ >= 0 && (uint32_t)occ < size) {
		dev->head = (dev->head + dev->count - (uint32_t)occ) % size;
		dev->count = (uint32_t)occ;
		return true;
	}
	return false;
}

static void *portal_slot(struct idxd_dev *dev)
{
	/* Successive descriptors walk the page, as the kernel's own
	 * submissions do (idxd_wq_portal_addr). */
	unsigned off = atomic_fetch_add(&dev->portal_off, DSA_DESC_SIZE);

	return (uint8_t *)dev->portal + off % PORTAL_SIZE;
}

static int hand_over(struct idxd_dev *dev, const struct dsa_desc *d)
{
	ssize_t n;

	if (dev->how == HOW_PORTAL) {
		/* The record's zeroing must reach memory before the device. */
		__builtin_ia32_sfence();
		if (!dev->wq.shared) {
			if (__builtin_expect(idxd_sys == &idxd_sys_real, 1))
				portal_movdir64b(portal_slot(dev), d);
			else
				idxd_sys->movdir64b(portal_slot(dev), d);
			return 0;
		}
		/* ZF set: the queue is at its threshold, or the device is
		 * busy; the caller polls and retries. */
		return idxd_sys->enqcmd(portal_slot(dev), d) ? -EAGAIN : 0;
	}
	n = idxd_sys->write(dev->fd, d, sizeof(*d));
	if (n == (ssize_t)sizeof(*d))
		return 0;
	return n < 0 ? (int)n : -EIO;
}

/* A queue without block-on-fault rejects the flag: the library recovers
 * the fault instead (complete.c), so the flag is dropped. */
static const struct dsa_desc *no_bof(const struct dsa_desc *d,
				     struct dsa_desc *copy)
{
	unsigned i;

	if (dsa_desc_opcode(d) == DSA_OP_BATCH) {
		struct dsa_desc *list = (struct dsa_desc *)(uintptr_t)d->src;

		for (i = 0; list && i < d->size && i < 4096; i++)
			list[i].op_flags &= ~DSA_FLAG_BOF;
	}
	if (!(d->op_flags & DSA_FLAG_BOF))
		return d;
	*copy = *d;
	copy->op_flags &= ~DSA_FLAG_BOF;
	return copy;
}

static int idxd_submit(struct accel_queue *q, const struct dsa_desc *d)
{
	struct idxd_dev *dev = q->dev;
	struct dsa_desc copy;
	bool rec = d->op_flags & DSA_FLAG_CRAV;
	int rc;

	if (dev->how == HOW_CPU)
		return run_here(q->priv, d);
	if (dsa_desc_opcode(d) == DSA_OP_BATCH && dev->soft_batch)
		return run_here(q->priv, d);
	/*
	 * The device ignores a descriptor whose record address is not
	 * 32-byte aligned (a software error, no record); write() refuses it
	 * with -EINVAL instead.  Do what the device does.
	 */
	if (rec && (d->completion_addr & (DSA_COMP_ALIGN - 1)) &&
	    dev->how == HOW_WRITE) {
		atomic_fetch_add(&dev->refused, 1);
		return 0;
	}
	if (!dev->wq.bof)
		d = no_bof(d, &copy);
	if (dev->wq.shared) {
		rc = hand_over(dev, d);
	} else {
		pthread_mutex_lock(&dev->lock);
		if (!room(dev)) {
			rc = -EAGAIN;
		} else if (!(rc = hand_over(dev, d)) && rec) {
			dev->recs[(dev->head + dev->count) % dev->wq.size] =
				d->completion_addr;
			dev->count++;
		}
		pthread_mutex_unlock(&dev->lock);
	}
	/* A kernel from before the narrowing to DSA 1.0 refuses BATCH
	 * through write() on any DSA: from then on the library runs it. */
	if (rc == -EINVAL && dsa_desc_opcode(d) == DSA_OP_BATCH &&
	    dev->how == HOW_WRITE) {
		dev->soft_batch = true;
		return run_here(q->priv, d);
	}
	return rc;
}

const struct accel_backend_ops accel_backend_idxd = {
	.name = "idxd",
	.dev_open = idxd_dev_open,
	.dev_close = idxd_dev_close,
	.queue_open = idxd_queue_open,
	.queue_close = idxd_queue_close,
	.submit = idxd_submit,
};

/* For automatic selection: a usable queue whose node this user may open. */
bool accel_idxd_present(void)
{
	struct idxd_wq_info w;
	char why[256];

	return !idxd_wq_find(NULL, -1, 0, &w, why, sizeof(why)) &&
	       !access(w.node, R_OK | W_OK);
}

ACCEL_EXPORT const char *accel_open_detail(void)
{
	return last_why;
}

void accel_open_detail_clear(void)
{
	last_why[0] = 0;
}
