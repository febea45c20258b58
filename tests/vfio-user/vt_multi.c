// SPDX-License-Identifier: MIT
/*
 * Several guests on one server (vfu_server_run, -c N): each client has a
 * device of its own on the one host queue; the same guest-physical
 * addresses reach each client's own memory only; a client that vanishes
 * mid-work (or stalls inside a message) leaves the others unharmed; the
 * accounting lines and the stats file say that nothing stays behind.
 */
#include "vt.h"
#include "dsa_pv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define M_SRC (VT_IOVA_A + 0x10000)
#define M_DST (VT_IOVA_B + 0x10000)
#define M_COMP (VT_IOVA_A + 0x50000)

struct vt_srv {
	char path[64], stats[64];
	int ls, stop[2];
	FILE *log;
	pthread_t th;
	struct vfu_dsa_config cfg;
	struct vfu_server_opts o;
	int rc;
};

static void *vt_srv_main(void *arg)
{
	struct vt_srv *s = arg;

	s->rc = vfu_server_run(s->ls, &s->cfg, &s->o);
	return NULL;
}

static void vt_srv_start(struct vt_srv *s, unsigned int clients,
			 int timeout_ms)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };

	memset(s, 0, sizeof(*s));
	snprintf(s->path, sizeof(s->path), "/tmp/vt-multi-%d.sock", (int)getpid());
	snprintf(s->stats, sizeof(s->stats), "/tmp/vt-multi-%d.stats",
		 (int)getpid());
	unlink(s->path);
	unlink(s->stats);
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", s->path);
	s->ls = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	VT_CHECK(s->ls >= 0);
	VT_EQ(bind(s->ls, (struct sockaddr *)&a, sizeof(a)), 0);
	VT_EQ(listen(s->ls, 8), 0);
	VT_EQ(pipe2(s->stop, O_CLOEXEC), 0);
	s->log = tmpfile();
	VT_CHECK(s->log);
	vfu_dsa_config_default(&s->cfg);
	s->cfg.backend = getenv("VT_BACKEND");
	s->o.clients = clients;
	s->o.stop_fd = s->stop[0];
	s->o.log = s->log;
	s->o.stats_file = s->stats;
	s->o.io_timeout_ms = timeout_ms;
	VT_EQ(pthread_create(&s->th, NULL, vt_srv_main, s), 0);
}

/* Stop the server; its log (the accounting lines) into buf. */
static void vt_srv_stop(struct vt_srv *s, char *buf, size_t n)
{
	size_t got;

	VT_EQ(write(s->stop[1], "x", 1), 1);
	pthread_join(s->th, NULL);
	VT_EQ(s->rc, 0);
	rewind(s->log);
	got = fread(buf, 1, n - 1, s->log);
	buf[got] = 0;
	fclose(s->log);
	close(s->stop[0]);
	close(s->stop[1]);
	close(s->ls);
	unlink(s->path);
}

static void vt_guest(struct vt *v, struct vt_srv *s)
{
	int i;

	memset(v, 0, sizeof(*v));
	v->memfd = -1;
	for (i = 0; i < VT_MSIX; i++)
		v->efd[i] = -1;
	v->sock = vt_connect(s->path);
}

static void vt_guest_gone(struct vt *v)
{
	int i;

	if (v->sock >= 0)
		close(v->sock);
	v->sock = -1;
	if (v->ram)
		munmap(v->ram, VT_RAM);
	v->ram = NULL;
	if (v->memfd >= 0)
		close(v->memfd);
	v->memfd = -1;
	for (i = 0; i < VT_MSIX; i++) {
		if (v->efd[i] >= 0)
			close(v->efd[i]);
		v->efd[i] = -1;
	}
}

/* A memmove from M_SRC to M_DST in the guest's own RAM. */
static void vt_guest_copy(struct vt *v, uint8_t seed, uint32_t n)
{
	struct dsa_desc d;

	memset(vt_g2h(v, M_SRC), seed, n);
	memset(vt_g2h(v, M_COMP), 0, 32);
	vt_desc(&d, DSA_OP_MEMMOVE, 0, M_SRC, M_DST, n, M_COMP);
	vt_submit(v, 0, &d);
	VT_EQ(vt_comp(v, M_COMP)->status, DSA_COMP_SUCCESS);
}

static bool vt_all(const uint8_t *p, uint8_t b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != b)
			return false;
	return true;
}

VT_TEST(multi_two_guests_same_addresses_own_memory)
{
	static char log[8192];
	struct vt g1, g2;
	struct dsa_desc d;
	struct vt_srv s;
	int fd;

	vt_srv_start(&s, 2, 0);
	vt_guest(&g1, &s);
	vt_guest(&g2, &s);
	vt_bringup(&g1, 1, true, 16);
	vt_bringup(&g2, 1, true, 16);
	memset(vt_g2h(&g1, M_DST), 0x11, 0x3000);
	memset(vt_g2h(&g2, M_DST), 0x22, 0x3000);
	/* The same guest-physical addresses, each guest's own bytes. */
	vt_guest_copy(&g1, 0xa1, 0x2000);
	VT_CHECK(vt_all(vt_g2h(&g1, M_DST), 0xa1, 0x2000));
	VT_CHECK(vt_all(vt_g2h(&g2, M_DST), 0x22, 0x3000));
	vt_guest_copy(&g2, 0xb2, 0x3000);
	VT_CHECK(vt_all(vt_g2h(&g2, M_DST), 0xb2, 0x3000));
	VT_CHECK(vt_all(vt_g2h(&g1, M_DST), 0xa1, 0x2000));
	VT_CHECK(vt_all(vt_g2h(&g1, M_DST + 0x2000), 0x11, 0x1000));
	/* Memory only guest 1 mapped is a hole for guest 2. */
	fd = memfd_create("vt-extra", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	VT_CHECK(fd >= 0);
	VT_EQ(ftruncate(fd, 0x10000), 0);
	VT_EQ(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK), 0);
	VT_EQ(vt_map(&g1, 0x400000, 0x10000, fd, 0,
		     VFU_DMA_READ | VFU_DMA_WRITE), 0);
	close(fd);
	memset(vt_comp(&g2, M_COMP), 0, 32);
	vt_desc(&d, DSA_OP_MEMMOVE, 0, 0x400000, M_DST, 64, M_COMP);
	vt_submit(&g2, 0, &d);
	VT_EQ(vt_comp(&g2, M_COMP)->status, DSA_COMP_PAGE_FAULT_NOBOF);
	VT_EQ(vt_comp(&g2, M_COMP)->fault_addr, 0x400000);
	vt_guest_gone(&g1);
	vt_guest_gone(&g2);
	vt_srv_stop(&s, log, sizeof(log));
	VT_CHECK(strstr(log, "vfu-accounting: regions=0 eventfds=0 pasids=0 "
			     "partial=0 inflight=0 when=disconnect client=1\n"));
	VT_CHECK(strstr(log, "vfu-accounting: regions=0 eventfds=0 pasids=0 "
			     "partial=0 inflight=0 when=disconnect client=2\n"));
	VT_CHECK(strstr(log, "vfu-accounting: regions=0 eventfds=0 pasids=0 "
			     "partial=0 inflight=0 when=exit clients=2\n"));
	unlink(s.stats);
}

VT_TEST(multi_guest_vanishing_mid_work_leaves_the_other)
{
	static char log[8192], stats[1024];
	struct vt g1, g2, g3;
	struct vfu_hdr h = { .msg_id = 99, .cmd = VFU_CMD_REGION_WRITE,
			     .msg_size = 200 };
	struct dsa_desc d;
	struct vt_srv s;
	unsigned int i;
	FILE *f;

	vt_srv_start(&s, 2, 0);
	vt_guest(&g1, &s);
	vt_guest(&g2, &s);
	vt_bringup(&g1, 1, true, 16);
	vt_bringup(&g2, 1, true, 16);
	vt_guest_copy(&g2, 0x5c, 0x1000);
	/* Guest 1: a PASID root, half a descriptor in the portal, and half
	 * a message on the wire; then it is gone. */
	VT_EQ(vt_pv_set(&g1, 7, VT_IOVA_A | DSA_PV_ROOT_VALID), DSA_PV_ST_OK);
	vt_desc(&d, DSA_OP_MEMMOVE, 0, M_SRC, M_DST, 64, M_COMP);
	for (i = 0; i < 3; i++)
		VT_EQ(vt_wr(&g1, VFU_PCI_BAR2, 8 * i, (uint8_t *)&d + 8 * i, 8), 0);
	VT_EQ(vt_send_raw(&g1, &h, sizeof(h), NULL, 0), 0);
	vt_guest_gone(&g1);
	/* Guest 2 goes on, and a third takes the freed place. */
	vt_guest_copy(&g2, 0x6d, 0x2000);
	VT_CHECK(vt_all(vt_g2h(&g2, M_DST), 0x6d, 0x2000));
	vt_guest(&g3, &s);
	vt_bringup(&g3, 1, true, 16);
	vt_guest_copy(&g3, 0x7e, 0x800);
	VT_CHECK(vt_all(vt_g2h(&g3, M_DST), 0x7e, 0x800));
	vt_guest_copy(&g2, 0x8f, 0x800);
	vt_guest_gone(&g2);
	vt_guest_gone(&g3);
	vt_srv_stop(&s, log, sizeof(log));
	VT_CHECK(strstr(log, "client 1 dropped"));
	VT_CHECK(strstr(log, "accel-vfio-user: client 3 connected\n"));
	VT_CHECK(strstr(log, "vfu-accounting: regions=0 eventfds=0 pasids=0 "
			     "partial=0 inflight=0 when=disconnect client=1\n"));
	VT_CHECK(strstr(log, "when=disconnect client=3\n"));
	VT_CHECK(strstr(log, "vfu-accounting: regions=0 eventfds=0 pasids=0 "
			     "partial=0 inflight=0 when=exit clients=3\n"));
	/* The stats file: the last line and the totals. */
	f = fopen(s.stats, "r");
	VT_CHECK(f);
	stats[fread(stats, 1, sizeof(stats) - 1, f)] = 0;
	fclose(f);
	unlink(s.stats);
	VT_CHECK(!strncmp(stats, "vfu-accounting: regions=0 eventfds=0 pasids=0 "
				 "partial=0 inflight=0 when=exit clients=3\n"
				 "vfu-totals: clients=3 ", 100));
	VT_CHECK(strstr(stats, " descs=4 "));
}

/* A client that stops inside a message holds the others up for the I/O
 * timeout only, then is dropped. */
VT_TEST(multi_stalled_guest_is_dropped)
{
	static char log[8192];
	struct vfu_hdr h = { .msg_id = 1, .cmd = VFU_CMD_VERSION,
			     .msg_size = 64 };
	struct vt g1, g2;
	struct vt_srv s;

	vt_srv_start(&s, 2, 200);
	vt_guest(&g1, &s);
	vt_guest(&g2, &s);
	VT_EQ(vt_send_raw(&g1, &h, sizeof(h), NULL, 0), 0);
	vt_bringup(&g2, 1, true, 16);
	vt_guest_copy(&g2, 0x3c, 0x100);
	vt_guest_gone(&g2);
	vt_guest_gone(&g1);
	vt_srv_stop(&s, log, sizeof(log));
	VT_CHECK(strstr(log, "client 1 dropped"));
	VT_CHECK(strstr(log, "when=exit clients=2\n"));
	unlink(s.stats);
}

/* The accounting counts what a device holds (before its release). */
VT_TEST(accounting_counts_what_is_held)
{
	struct vfu_dsa_stats st;
	struct dsa_desc d;
	char line[256];
	struct vt v;

	vt_open(&v, NULL);
	vt_bringup(&v, 1, true, 16);
	VT_EQ(vt_pv_set(&v, 3, VT_IOVA_A | DSA_PV_ROOT_VALID), DSA_PV_ST_OK);
	VT_EQ(vt_pv_set(&v, 4, VT_IOVA_B | DSA_PV_ROOT_VALID), DSA_PV_ST_OK);
	vt_desc(&d, DSA_OP_NOOP, 0, 0, 0, 0, M_COMP);
	VT_EQ(vt_wr(&v, VFU_PCI_BAR2, 0, &d, 8), 0);
	vt_stats(&v, &st);
	VT_CHECK(vfu_dsa_format_accounting(&st, line, sizeof(line)) > 0);
	VT_EQ(strcmp(line, "vfu-accounting: regions=2 eventfds=9 pasids=2 "
			   "partial=1 inflight=0"), 0);
	VT_EQ(vfu_dsa_format_accounting(&st, line, 20), -ENOSPC);
	vt_close(&v);
}

/* The same PASID in two guests: each device walks its own guest's
 * tables (same root address, different contents). */
VT_TEST(multi_same_pasid_own_page_tables)
{
	const uint64_t va = 0x00007f0000000000ull;
	static char log[8192];
	struct vt_pt pt1, pt2;
	struct vt g1, g2;
	struct dsa_desc d;
	struct vt_srv s;

	vt_srv_start(&s, 2, 0);
	vt_guest(&g1, &s);
	vt_guest(&g2, &s);
	vt_bringup(&g1, 1, false, 16);
	vt_bringup(&g2, 1, false, 16);
	/* va -> M_DST in guest 1, va -> M_DST + 0x4000 in guest 2. */
	vt_pt_init(&pt1, &g1, false);
	vt_pt_init(&pt2, &g2, false);
	vt_pt_map(&pt1, va, M_DST, 1, VT_PTE_URW);
	vt_pt_map(&pt2, va, M_DST + 0x4000, 1, VT_PTE_URW);
	vt_pt_map(&pt1, va + 0x1000, M_COMP, 1, VT_PTE_URW);
	vt_pt_map(&pt2, va + 0x1000, M_COMP, 1, VT_PTE_URW);
	VT_EQ(vt_pv_set(&g1, 9, vt_pt_entry_value(&pt1)), DSA_PV_ST_OK);
	VT_EQ(vt_pv_set(&g2, 9, vt_pt_entry_value(&pt2)), DSA_PV_ST_OK);
	memset(vt_g2h(&g1, M_DST), 0, 0x5000);
	memset(vt_g2h(&g2, M_DST), 0, 0x5000);
	vt_desc(&d, DSA_OP_FILL, 0, 0x1111111111111111ull, va, 0x100,
		va + 0x1000);
	d.pasid_priv = 9;
	memset(vt_g2h(&g1, M_COMP), 0, 32);
	vt_submit(&g1, 0, &d);
	VT_EQ(vt_comp(&g1, M_COMP)->status, DSA_COMP_SUCCESS);
	d.src = 0x2222222222222222ull;
	memset(vt_g2h(&g2, M_COMP), 0, 32);
	vt_submit(&g2, 0, &d);
	VT_EQ(vt_comp(&g2, M_COMP)->status, DSA_COMP_SUCCESS);
	VT_CHECK(vt_all(vt_g2h(&g1, M_DST), 0x11, 0x100));
	VT_CHECK(vt_all(vt_g2h(&g1, M_DST + 0x4000), 0, 0x100));
	VT_CHECK(vt_all(vt_g2h(&g2, M_DST + 0x4000), 0x22, 0x100));
	VT_CHECK(vt_all(vt_g2h(&g2, M_DST), 0, 0x100));
	/* Guest 2 clears its entry: guest 1's stays. */
	VT_EQ(vt_pv_set(&g2, 9, 0), DSA_PV_ST_OK);
	d.src = 0x3333333333333333ull;
	memset(vt_g2h(&g1, M_COMP), 0, 32);
	vt_submit(&g1, 0, &d);
	VT_EQ(vt_comp(&g1, M_COMP)->status, DSA_COMP_SUCCESS);
	VT_CHECK(vt_all(vt_g2h(&g1, M_DST), 0x33, 0x100));
	vt_guest_gone(&g1);
	vt_guest_gone(&g2);
	vt_srv_stop(&s, log, sizeof(log));
	VT_CHECK(strstr(log, "vfu-accounting: regions=0 eventfds=0 pasids=0 "
			     "partial=0 inflight=0 when=exit clients=2\n"));
	unlink(s.stats);
}
