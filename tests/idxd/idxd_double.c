// SPDX-License-Identifier: MIT
/* Test tool, not a product: see idxd_double.h. */
#include "idxd_double.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "idxd.h"
#include "internal.h"
#include "portal.h"

#define MAX_FILES 64
#define RING 4096
#define PAGE 4096
#define FAKE_PASID 0x2a

struct dq {
	struct fs_wq cfg;
	bool shared;
	pthread_mutex_t lock;
	struct dsa_desc ring[RING];
	uint32_t head, count; /* in the queue, not yet taken by the engine */
	uint8_t *portal; /* the portal page */
	unsigned pslot;
	int openers;
};

static struct {
	struct idxd_double_cfg cfg;
	struct dq q[4];
	struct { int fd; struct dq *q; pid_t pid; } files[MAX_FILES];
	pthread_mutex_t lock;
	pid_t engine_pid;
	pthread_t engine;
	_Atomic int stop, paused;
	_Atomic uint64_t dropped, via_portal, via_write, via_page;
	_Atomic uint32_t last_pasid;
	bool started;
	struct model_exec exec;
	uint8_t bounce[MODEL_BOUNCE_SIZE];
} D = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* ---- The device: queues and an engine ---- */

static bool enqueue(struct dq *q, const struct dsa_desc *d)
{
	bool ok;

	pthread_mutex_lock(&q->lock);
	ok = q->count < q->cfg.size;
	if (ok) {
		q->ring[(q->head + q->count) % RING] = *d;
		q->count++;
	}
	pthread_mutex_unlock(&q->lock);
	return ok;
}

static bool take(struct dq *q, struct dsa_desc *d)
{
	bool ok;

	pthread_mutex_lock(&q->lock);
	ok = q->count > 0;
	if (ok) {
		*d = q->ring[q->head];
		q->head = (q->head + 1) % RING;
		q->count--;
	}
	pthread_mutex_unlock(&q->lock);
	return ok;
}

/* The slot's 64 bytes once a store has landed: the double zeroes a slot
 * after taking it, and MOVDIR64B writes all 64 bytes at once, so two equal
 * non-zero reads are the whole descriptor. */
static bool portal_take(struct dq *q, struct dsa_desc *d)
{
	static const struct dsa_desc zero;
	volatile uint8_t *slot = q->portal + (q->pslot % 64) * 64;
	struct dsa_desc a, b;

	memcpy(&a, (const void *)slot, 64);
	if (!memcmp(&a, &zero, 64))
		return false;
	do {
		b = a;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		memcpy(&a, (const void *)slot, 64);
	} while (memcmp(&a, &b, 64));
	memset((void *)slot, 0, 64);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	q->pslot++;
	*d = a;
	return true;
}

static void run(struct dq *q, struct dsa_desc *d)
{
	atomic_store(&D.last_pasid, d->pasid_priv & 0xfffffu);
	/* WQCFG bof clear: the flag is invalid on this queue. */
	if (!q->cfg.bof && (d->op_flags & DSA_FLAG_BOF)) {
		struct dsa_comp c = { .status = DSA_COMP_INVALID_FLAGS,
				      .invalid_flags = DSA_FLAG_BOF };

		if (d->op_flags & DSA_FLAG_CRAV)
			accel_guarded_write_comp(d->completion_addr, &c);
		return;
	}
	accel_exec_guarded(&D.exec, d);
}

static void *engine_main(void *arg)
{
	(void)arg;
	while (!atomic_load(&D.stop)) {
		bool any = false;
		unsigned i;

		for (i = 0; i < D.cfg.nwq; i++) {
			struct dq *q = &D.q[i];
			struct dsa_desc d;

			while (q->portal && portal_take(q, &d)) {
				atomic_fetch_add(&D.via_portal, 1);
				atomic_fetch_add(&D.via_page, 1);
				if (!enqueue(q, &d))
					atomic_fetch_add(&D.dropped, 1);
				any = true;
			}
			if (atomic_load(&D.paused))
				continue;
			while (take(q, &d)) {
				run(q, &d);
				any = true;
			}
		}
		if (!any) {
			struct timespec ts = { 0, 20000 };

			nanosleep(&ts, NULL);
		}
	}
	return NULL;
}

/* A forked child has no engine thread: it gets one, and the queues start
 * empty; the files it inherited stay open (and held) as in the kernel. */
static void engine_ensure(void)
{
	unsigned i;

	pthread_mutex_lock(&D.lock);
	if (D.engine_pid != getpid()) {
		for (i = 0; i < D.cfg.nwq; i++) {
			D.q[i].count = 0;
			pthread_mutex_init(&D.q[i].lock, NULL);
		}
		atomic_store(&D.stop, 0);
		D.engine_pid = getpid();
		pthread_create(&D.engine, NULL, engine_main, NULL);
	}
	pthread_mutex_unlock(&D.lock);
}

/* ---- The character device ---- */

static struct dq *queue_of(const char *path)
{
	const char *base = strrchr(path, '/');
	unsigned i;

	base = base ? base + 1 : path;
	for (i = 0; i < D.cfg.nwq; i++)
		if (!strcmp(D.q[i].cfg.name, base))
			return &D.q[i];
	return NULL;
}

static int file_slot(int fd)
{
	int i;

	for (i = 0; i < MAX_FILES; i++)
		if (D.files[i].q && D.files[i].fd == fd)
			return i;
	return -1;
}

static int d_open(const char *path, int flags)
{
	struct dq *q = queue_of(path);
	int fd, i, rc = 0;

	engine_ensure();
	/* The node's own permissions answer first, as for a real node. */
	fd = open(path, (flags & ~O_ACCMODE) | O_RDWR);
	if (fd < 0)
		return -errno;
	if (!q) {
		close(fd);
		return -ENODEV;
	}
	pthread_mutex_lock(&D.lock);
	if (!q->shared && q->openers) {
		rc = -EBUSY; /* cdev.c: a dedicated queue has one opener */
	} else {
		for (i = 0; i < MAX_FILES && D.files[i].q; i++)
			;
		if (i == MAX_FILES) {
			rc = -EMFILE;
		} else {
			D.files[i].fd = fd;
			D.files[i].q = q;
			D.files[i].pid = getpid();
			q->openers++;
		}
	}
	pthread_mutex_unlock(&D.lock);
	if (rc)
		close(fd);
	return rc ? rc : fd;
}

static int d_close(int fd)
{
	int i;

	pthread_mutex_lock(&D.lock);
	i = file_slot(fd);
	if (i >= 0) {
		struct dq *q = D.files[i].q;

		/* Release drains the queue's work before the file goes. */
		pthread_mutex_unlock(&D.lock);
		while (!atomic_load(&D.paused) && q->count)
			sched_yield();
		pthread_mutex_lock(&D.lock);
		q->openers--;
		D.files[i].q = NULL;
	}
	pthread_mutex_unlock(&D.lock);
	return close(fd) ? -errno : 0;
}

static void *d_mmap(void *addr, size_t len, int prot, int flags, int fd,
		    off_t off)
{
	int i = file_slot(fd);
	struct dq *q;

	if (i < 0)
		return mmap(addr, len, prot, flags, fd, off);
	q = D.files[i].q;
	if (len > PAGE) {
		errno = EINVAL;
		return MAP_FAILED;
	}
	if ((D.cfg.affected && !D.cfg.rawio) || D.files[i].pid != getpid()) {
		errno = EPERM;
		return MAP_FAILED;
	}
	pthread_mutex_lock(&D.lock);
	if (!q->portal) {
		q->portal = aligned_alloc(PAGE, PAGE);
		memset(q->portal, 0, PAGE);
		q->pslot = 0;
	}
	pthread_mutex_unlock(&D.lock);
	return q->portal;
}

static int d_munmap(void *addr, size_t len)
{
	unsigned i;

	for (i = 0; i < D.cfg.nwq; i++)
		if (addr == D.q[i].portal)
			return 0; /* the portal stays with the device */
	return munmap(addr, len) ? -errno : 0;
}

static ssize_t d_write(int fd, const void *buf, size_t len)
{
	int i = file_slot(fd);
	ssize_t done = 0;
	struct dq *q;

	if (i < 0) {
		ssize_t n = write(fd, buf, len);

		return n < 0 ? -errno : n;
	}
	q = D.files[i].q;
	if (D.files[i].pid != getpid())
		return -EPERM;
	for (size_t k = 0; k < len / 64; k++) {
		struct dsa_desc d;

		memcpy(&d, (const uint8_t *)buf + 64 * k, 64);
		if (dsa_desc_opcode(&d) == DSA_OP_BATCH && D.cfg.affected &&
		    (D.cfg.dev.version <= 0x100 ||
		     D.cfg.batch_refused_any_version))
			return done ? done : -EINVAL;
		if (d.completion_addr & 31)
			return done ? done : -EINVAL;
		if (q->shared) {
			d.pasid_priv = (d.pasid_priv & 0x7ff00000u) | FAKE_PASID;
			pthread_mutex_lock(&q->lock);
			if (q->count >= q->cfg.threshold) {
				pthread_mutex_unlock(&q->lock);
				return done ? done : -EAGAIN;
			}
			pthread_mutex_unlock(&q->lock);
		}
		atomic_fetch_add(&D.via_write, 1);
		if (!enqueue(q, &d))
			atomic_fetch_add(&D.dropped, 1);
		done += 64;
	}
	return done;
}

/* ---- The CPU's portal stores ---- */

static struct dq *queue_of_slot(const void *slot)
{
	uintptr_t page = (uintptr_t)slot & ~(uintptr_t)(PAGE - 1);
	unsigned i;

	for (i = 0; i < D.cfg.nwq; i++)
		if ((uintptr_t)D.q[i].portal == page)
			return &D.q[i];
	return NULL;
}

/* Every CPU "has" the instructions here: where the real one lacks them the
 * double makes the stores itself. */
static bool d_cpu_can(bool shared)
{
	(void)shared;
	return true;
}

/* MOVDIR64B: with the instruction, a real 64-byte store into the page the
 * engine polls; without, the posted write's effect (dropped when full). */
static void d_movdir64b(void *slot, const void *desc)
{
	struct dq *q = queue_of_slot(slot);

	if (accel_cpu.movdir64b) {
		portal_movdir64b(slot, desc);
		return;
	}
	atomic_fetch_add(&D.via_portal, 1);
	if (!q || !enqueue(q, desc))
		atomic_fetch_add(&D.dropped, 1);
}

/* ENQCMD: the CPU puts the process's PASID into the descriptor and the
 * shared queue answers at once: retry at its threshold. */
static int d_enqcmd(void *slot, const void *desc)
{
	struct dq *q = queue_of_slot(slot);
	struct dsa_desc d;
	bool full;

	memcpy(&d, desc, sizeof(d));
	d.pasid_priv = (d.pasid_priv & 0x7ff00000u) | FAKE_PASID;
	if (!q)
		return 1;
	pthread_mutex_lock(&q->lock);
	full = q->count >= q->cfg.threshold;
	pthread_mutex_unlock(&q->lock);
	if (full)
		return 1;
	atomic_fetch_add(&D.via_portal, 1);
	return enqueue(q, &d) ? 0 : 1;
}

static int d_occupancy(const struct idxd_wq_info *w)
{
	struct dq *q = queue_of(w->wq);

	return q ? (int)q->count : -1;
}

static const struct idxd_sys_ops double_ops = {
	.open = d_open,
	.close = d_close,
	.mmap = d_mmap,
	.munmap = d_munmap,
	.write = d_write,
	.occupancy = d_occupancy,
	.cpu_can = d_cpu_can,
	.movdir64b = d_movdir64b,
	.enqcmd = d_enqcmd,
};

/* ---- Set-up ---- */

void idxd_double_start(const struct idxd_double_cfg *cfg)
{
	unsigned i;

	D.cfg = *cfg;
	fs_new();
	fs_add_dev(&cfg->dev);
	for (i = 0; i < cfg->nwq; i++) {
		fs_add_wq(&cfg->wq[i]);
		memset(&D.q[i], 0, sizeof(D.q[i]));
		D.q[i].cfg = cfg->wq[i];
		D.q[i].shared = !strcmp(cfg->wq[i].mode, "shared");
		pthread_mutex_init(&D.q[i].lock, NULL);
	}
	setenv("ACCEL_IDXD_SYSFS", fs_sysfs(), 1);
	setenv("ACCEL_IDXD_DEV", fs_dev(), 1);
	accel_guard_init();
	D.exec.mem = &accel_user_mem;
	D.exec.bounce = D.bounce;
	D.exec.caps.op_cap = cfg->dev.op_cap;
	D.exec.caps.max_xfer = (uint32_t)cfg->wq[0].max_xfer;
	D.exec.caps.max_batch = cfg->wq[0].max_batch;
	D.started = true;
	idxd_sys = &double_ops;
}

void idxd_double_stop(void)
{
	if (!D.started)
		return;
	if (D.engine_pid == getpid()) {
		atomic_store(&D.stop, 1);
		pthread_join(D.engine, NULL);
		D.engine_pid = 0;
	}
	idxd_sys = &idxd_sys_real;
	fs_remove();
	D.started = false;
}

bool idxd_double_named(const char *name, struct idxd_double_cfg *c)
{
	memset(c, 0, sizeof(*c));
	c->dev = fs_dev_default();
	c->nwq = 1;
	if (!strcmp(name, "shared-write")) {
		c->wq[0] = fs_wq_default("wq0.0", true);
		c->affected = true;
	} else if (!strcmp(name, "dedicated-portal")) {
		c->wq[0] = fs_wq_default("wq0.0", false);
		c->affected = true;
		c->rawio = true;
	} else if (!strcmp(name, "shared-portal")) {
		c->wq[0] = fs_wq_default("wq0.0", true);
		c->rawio = true;
	} else if (!strcmp(name, "dedicated-write")) {
		c->wq[0] = fs_wq_default("wq0.0", false);
		c->affected = true;
	} else {
		return false;
	}
	return true;
}

void idxd_double_pause(bool paused)
{
	atomic_store(&D.paused, paused);
}

uint64_t idxd_double_dropped(void)
{
	return atomic_load(&D.dropped);
}

uint64_t idxd_double_portal_descs(void)
{
	return atomic_load(&D.via_portal);
}

uint64_t idxd_double_page_descs(void)
{
	return atomic_load(&D.via_page);
}

uint64_t idxd_double_write_descs(void)
{
	return atomic_load(&D.via_write);
}

uint32_t idxd_double_last_pasid(void)
{
	return atomic_load(&D.last_pasid);
}

unsigned idxd_double_opens(void)
{
	unsigned i, n = 0;

	for (i = 0; i < D.cfg.nwq; i++)
		n += (unsigned)D.q[i].openers;
	return n;
}

/*
 * $IDXD_DOUBLE=<configuration>: put the double in place before main(), so
 * that an unchanged suite (tests/conformance) runs on it with
 * ACCEL_TEST_BACKENDS=idxd.
 */
__attribute__((constructor)) static void double_from_env(void)
{
	const char *name = getenv("IDXD_DOUBLE");
	struct idxd_double_cfg c;

	if (!name || !*name)
		return;
	if (!idxd_double_named(name, &c)) {
		fprintf(stderr, "idxd double: unknown IDXD_DOUBLE=%s\n", name);
		exit(2);
	}
	idxd_double_start(&c);
	atexit(idxd_double_stop);
}
