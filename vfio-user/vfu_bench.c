// SPDX-License-Identifier: MIT
/*
 * vfu-bench: what the guest path adds to a descriptor.  The same memmove
 * runs (1) on the host libaccel queue directly, (2) as a guest descriptor
 * through an embedded libvfu-dsa (a portal write by the direct API:
 * translation, the twin's queue, the host queue, the record into guest
 * RAM), (2') the same with the queue's PASID given page tables
 * (PASID_ROOT, include/dsa_pv.h): every address walked through 4-level
 * tables in guest RAM, and (3) the same over a vfio-user socket (one
 * REGION_WRITE message and its reply per descriptor, as a VMM that traps
 * the portal).
 */
#include "vfu_dsa.h"
#include "vfu_proto.h"
#include "accel.h"
#include "dsa_regs.h"
#include "dsa_pv.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define B_IOVA 0x100000ull
#define B_RAM (4ull << 20)
#define B_SRC (B_IOVA)
#define B_DST (B_IOVA + (1ull << 20))
#define B_COMP (B_IOVA + (3ull << 20))
/* Paged: virtual B_VA + x is guest-physical B_IOVA + x, 4 KiB pages; the
 * tables in the RAM's third MiB. */
#define B_VA 0x00007f0000000000ull
#define B_TABLES (B_IOVA + (2ull << 20))
#define B_PASID 5u

static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

/* Per-descriptor times; the median resists a shared machine's preemptions. */
static double *samples;

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(unsigned int n)
{
	qsort(samples, n, sizeof(*samples), cmp_double);
	return samples[n / 2];
}

static void die(const char *what, int err)
{
	fprintf(stderr, "vfu-bench: %s: %s\n", what, strerror(-err));
	exit(1);
}

static double bench_direct(const char *backend, uint8_t *ram, size_t size,
			   unsigned int iters)
{
	struct accel_opts o = { .backend = backend, .numa_node = -1,
				.flags = ACCEL_OPT_NO_SPLIT |
					 ACCEL_OPT_NO_CPU_PATH };
	struct accel_op op;
	struct accel_ctx *q;
	unsigned int i;
	double t0;
	int err = accel_open_opts(&q, &o);

	if (err)
		die("host queue", err);
	for (i = 0; i < iters; i++) {
		t0 = now_ns();
		accel_prep_memmove(&op, ram + (B_DST - B_IOVA),
				   ram + (B_SRC - B_IOVA), size, 0);
		err = accel_submit(q, &op);
		if (!err)
			err = accel_wait(q, &op, ACCEL_WAIT_PAUSE);
		if (err)
			die("direct memmove", err);
		samples[i] = now_ns() - t0;
	}
	accel_close(q);
	return median(iters);
}

static void w(struct vfu_dsa *d, unsigned int region, uint64_t off,
	      uint64_t v, uint32_t n)
{
	int err = vfu_dsa_region_write(d, region, off, &v, n);

	if (err)
		die("register write", err);
}

/* 4-level tables mapping B_VA + x to B_IOVA + x over the whole RAM:
 * root, PDPT, PD, then one page table per 2 MiB. */
static void tables(uint8_t *ram)
{
	uint64_t *t = (uint64_t *)(ram + (B_TABLES - B_IOVA));
	const uint64_t urw = 0x7, pts = B_RAM >> 21;
	uint64_t i;

	memset(t, 0, (3 + pts) * 4096);
	t[(B_VA >> 39) & 511] = (B_TABLES + 0x1000) | urw;
	t[512 + ((B_VA >> 30) & 511)] = (B_TABLES + 0x2000) | urw;
	for (i = 0; i < pts; i++)
		t[1024 + ((B_VA >> 21) & 511) + i] =
			(B_TABLES + 0x3000 + 0x1000 * i) | urw;
	for (i = 0; i < B_RAM >> 12; i++)
		t[1536 + i] = (B_IOVA + 0x1000 * i) | urw;
}

/* idxd's order, one dedicated queue of 32 entries; paged: the queue's
 * PASID has a root (the tables above). */
static struct vfu_dsa *device_up(const char *backend, int memfd, uint8_t *ram,
				 bool paged)
{
	struct vfu_dsa_config c;
	struct vfu_dsa *d;
	int err;

	vfu_dsa_config_default(&c);
	c.backend = backend;
	err = vfu_dsa_create(&d, &c);
	if (err)
		die("device", err);
	err = vfu_dsa_dma_map(d, B_IOVA, B_RAM, memfd, 0, 3);
	if (err)
		die("dma map", err);
	w(d, VFU_PCI_CONFIG, 4, 6, 2);
	w(d, VFU_PCI_BAR0, 0x500, 32, 4);
	w(d, VFU_PCI_BAR0, 0x508,
	  1 | 1 << 4 | (paged ? 1u << 28 | B_PASID << 8 : 0), 4);
	w(d, VFU_PCI_BAR0, 0x50c, 31 | 10 << 5, 4);
	w(d, VFU_PCI_BAR0, 0x400, 1, 8);
	w(d, VFU_PCI_BAR0, 0x420, 1, 8);
	w(d, VFU_PCI_BAR0, DSA_REG_CMD, dsa_cmd_word(DSA_CMD_ENABLE_DEVICE, 0, 0), 4);
	w(d, VFU_PCI_BAR0, DSA_REG_CMD, dsa_cmd_word(DSA_CMD_ENABLE_WQ, 0, 0), 4);
	if (paged) {
		tables(ram);
		w(d, VFU_PCI_BAR0, 0x1000 + DSA_PV_ROOT_PASID, B_PASID, 4);
		w(d, VFU_PCI_BAR0, 0x1000 + DSA_PV_ROOT_ENTRY,
		  B_TABLES | DSA_PV_ROOT_VALID, 8);
	}
	return d;
}

static void guest_desc(struct dsa_desc *desc, size_t size, bool paged)
{
	uint64_t va = paged ? B_VA - B_IOVA : 0;

	memset(desc, 0, sizeof(*desc));
	desc->op_flags = dsa_op_flags(DSA_OP_MEMMOVE, DSA_FLAG_CRAV | DSA_FLAG_RCR);
	desc->completion_addr = B_COMP + va;
	desc->src = B_SRC + va;
	desc->dst = B_DST + va;
	desc->size = (uint32_t)size;
}

static void check_comp(volatile struct dsa_comp *c)
{
	if (c->status != DSA_COMP_SUCCESS) {
		fprintf(stderr, "vfu-bench: guest record status 0x%x\n", c->status);
		exit(1);
	}
	c->status = 0;
}

static double bench_embedded(const char *backend, int memfd, uint8_t *ram,
			     size_t size, unsigned int iters, char *name,
			     size_t namelen, bool paged)
{
	struct vfu_dsa *d = device_up(backend, memfd, ram, paged);
	volatile struct dsa_comp *c = (void *)(ram + (B_COMP - B_IOVA));
	struct dsa_desc desc;
	unsigned int i;
	double t0;

	snprintf(name, namelen, "%s", vfu_dsa_backend(d));
	guest_desc(&desc, size, paged);
	for (i = 0; i < iters; i++) {
		int err;

		t0 = now_ns();
		err = vfu_dsa_region_write(d, VFU_PCI_BAR2,
					   dsa_portal_offset(0, 0, 0), &desc,
					   sizeof(desc));
		if (err)
			die("portal write", err);
		check_comp(c);
		samples[i] = now_ns() - t0;
	}
	vfu_dsa_destroy(d);
	return median(iters);
}

struct served {
	struct vfu_dsa *d;
	int sock;
};

static void *serve(void *arg)
{
	struct served *s = arg;

	vfu_dsa_serve(s->d, s->sock);
	return NULL;
}

static void xfer(int s, void *buf, size_t n, bool out)
{
	size_t done = 0;

	while (done < n) {
		ssize_t r = out ? send(s, (char *)buf + done, n - done, MSG_NOSIGNAL) :
				  recv(s, (char *)buf + done, n - done, 0);

		if (r <= 0)
			die("socket", r < 0 ? -errno : -EPIPE);
		done += (size_t)r;
	}
}

static double bench_socket(const char *backend, int memfd, uint8_t *ram,
			   size_t size, unsigned int iters)
{
	volatile struct dsa_comp *c = (void *)(ram + (B_COMP - B_IOVA));
	uint8_t msg[16 + sizeof(struct vfu_region_access) + 64], reply[64];
	struct vfu_region_access a = { dsa_portal_offset(0, 0, 0), VFU_PCI_BAR2, 64 };
	struct vfu_hdr h = { .cmd = VFU_CMD_REGION_WRITE, .msg_size = sizeof(msg) };
	struct served s = { .d = device_up(backend, memfd, ram, false) };
	struct dsa_desc desc;
	pthread_t th;
	unsigned int i;
	int sv[2];
	double t0;

	/* The device is up already: the socket carries only the portal
	 * writes (VERSION first, as the protocol asks). */
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		die("socketpair", -errno);
	s.sock = sv[1];
	if (pthread_create(&th, NULL, serve, &s))
		die("thread", -EAGAIN);
	{
		uint8_t v[16 + 4];
		struct vfu_hdr vh = { .msg_id = 0, .cmd = VFU_CMD_VERSION,
				      .msg_size = sizeof(v) };

		memset(v, 0, sizeof(v));
		memcpy(v, &vh, 16);
		xfer(sv[0], v, sizeof(v), true);
		xfer(sv[0], reply, 16, false);
		memcpy(&vh, reply, 16);
		xfer(sv[0], reply, vh.msg_size - 16, false);
	}
	guest_desc(&desc, size, false);
	memcpy(msg + 16, &a, sizeof(a));
	memcpy(msg + 16 + sizeof(a), &desc, 64);
	for (i = 0; i < iters; i++) {
		t0 = now_ns();
		h.msg_id = (uint16_t)i;
		memcpy(msg, &h, 16);
		xfer(sv[0], msg, sizeof(msg), true);
		xfer(sv[0], reply, 16 + sizeof(a), false);
		check_comp(c);
		samples[i] = now_ns() - t0;
	}
	close(sv[0]);
	pthread_join(th, NULL);
	close(sv[1]);
	vfu_dsa_destroy(s.d);
	return median(iters);
}

int main(int argc, char **argv)
{
	static const size_t sizes[] = { 64, 4096, 65536 };
	const char *backend = NULL;
	unsigned int iters = 5000, k;
	char name[32] = "";
	uint8_t *ram;
	int c, memfd;

	while ((c = getopt(argc, argv, "b:n:h")) != -1) {
		switch (c) {
		case 'b':
			backend = optarg;
			break;
		case 'n':
			iters = (unsigned int)strtoul(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr, "usage: vfu-bench [-b backend] [-n iterations]\n");
			return c == 'h' ? 0 : 2;
		}
	}
	if (!iters)
		iters = 1;
	samples = calloc(iters, sizeof(*samples));
	if (!samples)
		die("samples", -ENOMEM);
	memfd = memfd_create("vfu-bench", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (memfd < 0 || ftruncate(memfd, B_RAM) ||
	    fcntl(memfd, F_ADD_SEALS, F_SEAL_SHRINK))
		die("memfd", -errno);
	ram = mmap(NULL, B_RAM, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	if (ram == MAP_FAILED)
		die("mmap", -errno);
	memset(ram, 0x5a, B_RAM);
	for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		size_t n = sizes[k];
		unsigned int it = iters;
		double direct = bench_direct(backend, ram, n, it);
		double emb = bench_embedded(backend, memfd, ram, n, it, name,
					    sizeof(name), false);
		double paged = bench_embedded(backend, memfd, ram, n, it, name,
					      sizeof(name), true);
		double sock = bench_socket(backend, memfd, ram, n, it);

		if (!k)
			printf("# vfu-bench: memmove, host queue \"%s\", median of %u "
			       "descriptors (machine may be shared: indicative)\n"
			       "%8s %12s %14s %8s %12s %8s %14s %8s\n",
			       name, iters, "bytes", "direct_ns", "embedded_ns",
			       "+ns", "paged_ns", "+ns", "socket_ns", "+ns");
		printf("%8zu %12.0f %14.0f %8.0f %12.0f %8.0f %14.0f %8.0f\n", n,
		       direct, emb, emb - direct, paged, paged - direct, sock,
		       sock - direct);
	}
	munmap(ram, B_RAM);
	close(memfd);
	free(samples);
	return 0;
}
