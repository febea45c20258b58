// SPDX-License-Identifier: MIT
#include "kt_util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "portal.h"

const char *kt_path(const char *name)
{
	static __thread char p[128];

	snprintf(p, sizeof(p), "%s/%s", UACCE_DEV_DIR, name);
	return p;
}

int kt_sysfs(const char *name, const char *attr, char *buf, size_t len)
{
	char p[256];
	ssize_t n;
	int fd;

	snprintf(p, sizeof(p), "%s/%s/%s", UACCE_SYSFS_DIR, name, attr);
	fd = open(p, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = 0;
	return 0;
}

long kt_sysfs_long(const char *name, const char *attr)
{
	char buf[64];

	if (kt_sysfs(name, attr, buf, sizeof(buf)))
		return -1;
	return strtol(buf, NULL, 0);
}

const char *kt_dev(uint32_t mode)
{
	static __thread char found[2][256];
	char *out = found[mode == UACCE_DSA_WQ_SHARED];

	for (int tries = 0; tries < 300; tries++) {
		struct dirent **names;
		int n = scandir(UACCE_SYSFS_DIR, &names, NULL, alphasort);
		bool hit = false;

		for (int i = 0; i < n; i++) {
			char api[32];
			const char *nm = names[i]->d_name;

			if (!hit && nm[0] != '.' &&
			    !kt_sysfs(nm, "api", api, sizeof(api)) &&
			    !strcmp(api, UACCE_API_DSA) &&
			    kt_sysfs_long(nm, "dsa_mode") == (long)mode) {
				snprintf(out, 256, "%s", nm);
				hit = true;
			}
			free(names[i]);
		}
		if (n >= 0)
			free(names);
		if (hit)
			return out;
		usleep(10000);
	}
	return "none";
}

int kt_open(struct kt_q *q, const char *name, bool start, bool map)
{
	long pg = sysconf(_SC_PAGESIZE);
	int rc;

	memset(q, 0, sizeof(*q));
	q->fd = open(kt_path(name), O_RDWR | O_CLOEXEC);
	if (q->fd < 0)
		return -errno;
	q->qi.argsz = sizeof(q->qi);
	if (ioctl(q->fd, UACCE_CMD_DSA_QINFO, &q->qi))
		goto fail;
	if (map) {
		void *a = mmap(NULL, q->qi.mmio_size, PROT_READ | PROT_WRITE,
			       MAP_SHARED, q->fd, UACCE_QFRT_MMIO * pg);
		void *b = mmap(NULL, q->qi.dus_size, PROT_READ | PROT_WRITE,
			       MAP_SHARED, q->fd, UACCE_QFRT_DUS * pg);

		if (a == MAP_FAILED || b == MAP_FAILED)
			goto fail;
		q->slots = a;
		q->ctl = b;
	}
	if (start && ioctl(q->fd, UACCE_CMD_START_Q))
		goto fail;
	return 0;
fail:
	rc = -errno;
	kt_close(q);
	return rc;
}

void kt_close(struct kt_q *q)
{
	if (q->slots)
		munmap(q->slots, q->qi.mmio_size);
	if (q->ctl)
		munmap(q->ctl, q->qi.dus_size);
	if (q->fd >= 0)
		close(q->fd);
	q->fd = -1;
	q->slots = NULL;
	q->ctl = NULL;
}

int kt_write(struct kt_q *q, const struct dsa_desc *d)
{
	for (int tries = 0; tries < 100000; tries++) {
		ssize_t n = write(q->fd, d, sizeof(*d));

		if (n == (ssize_t)sizeof(*d))
			return 0;
		if (n >= 0)
			return -EIO;
		if (errno != EAGAIN)
			return -errno;
		sched_yield();
	}
	return -EAGAIN;
}

int kt_ring(struct kt_q *q, const struct dsa_desc *d)
{
	uint32_t i = (uint32_t)(q->tail % UACCE_SOFT_RING_SLOTS);

	while (q->tail - __atomic_load_n(&q->ctl->head, __ATOMIC_ACQUIRE) >=
	       q->qi.wq_size)
		sched_yield();
	portal_store64_sw(&q->slots[i], d);
	__atomic_store_n(&q->ctl->seq[i], q->tail + 1, __ATOMIC_RELEASE);
	q->tail++;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (__atomic_load_n(&q->ctl->worker_idle, __ATOMIC_RELAXED))
		return ioctl(q->fd, UACCE_CMD_DSA_DOORBELL) ? -errno : 0;
	return 0;
}

uint8_t kt_wait(volatile struct dsa_comp *c, int ms)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		uint8_t s = __atomic_load_n(&c->status, __ATOMIC_ACQUIRE);

		if (s)
			return s;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if ((t.tv_sec - t0.tv_sec) * 1000 +
			    (t.tv_nsec - t0.tv_nsec) / 1000000 >
		    ms)
			return 0;
		sched_yield();
	}
}

void kt_desc(struct dsa_desc *d, uint8_t op, uint32_t flags, const void *src,
	     void *dst, uint32_t n, struct dsa_comp *comp)
{
	memset(d, 0, sizeof(*d));
	memset(comp, 0, sizeof(*comp));
	d->op_flags = dsa_op_flags(op, flags | DSA_FLAG_CRAV | DSA_FLAG_RCR);
	d->src = (uintptr_t)src;
	d->dst = (uintptr_t)dst;
	d->size = n;
	d->completion_addr = (uintptr_t)comp;
}
