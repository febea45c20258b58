// SPDX-License-Identifier: MIT
/* The client that plays the VMM (vt.h). */
#include "vt.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

static void *vt_server(void *arg)
{
	struct vt *v = arg;
	v->serve_rc = vfu_dsa_serve(v->d, v->srv_sock);
	close(v->srv_sock);
	return NULL;
}

void vt_open(struct vt *v, const struct vfu_dsa_config *cfg)
{
	struct vfu_dsa_config def;
	int sv[2], i;

	memset(v, 0, sizeof(*v));
	v->memfd = -1;
	for (i = 0; i < VT_MSIX; i++)
		v->efd[i] = -1;
	if (!cfg) {
		vfu_dsa_config_default(&def);
		def.backend = getenv("VT_BACKEND");
		cfg = &def;
	}
	VT_EQ(vfu_dsa_create(&v->d, cfg), 0);
	VT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	v->sock = sv[0];
	v->srv_sock = sv[1];
	VT_EQ(pthread_create(&v->th, NULL, vt_server, v), 0);
}

void vt_reconnect(struct vt *v)
{
	int sv[2];

	VT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	v->sock = sv[0];
	v->srv_sock = sv[1];
	v->next_id = 0;
	VT_EQ(pthread_create(&v->th, NULL, vt_server, v), 0);
}

void vt_hangup(struct vt *v)
{
	if (v->sock >= 0)
		close(v->sock);
	v->sock = -1;
	pthread_join(v->th, NULL);
}

void vt_close(struct vt *v)
{
	int i;

	vt_hangup(v);
	vfu_dsa_destroy(v->d);
	if (v->ram)
		munmap(v->ram, VT_RAM);
	if (v->memfd >= 0)
		close(v->memfd);
	for (i = 0; i < VT_MSIX; i++)
		if (v->efd[i] >= 0)
			close(v->efd[i]);
}

int vt_send_raw(struct vt *v, const void *msg, size_t n, const int *fds,
		unsigned int nfds)
{
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(32 * sizeof(int))];
	} ctl;
	struct iovec iov = { (void *)msg, n };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t w;

	if (nfds) {
		struct cmsghdr *c;

		mh.msg_control = ctl.b;
		mh.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(nfds * sizeof(int));
		memcpy(CMSG_DATA(c), fds, nfds * sizeof(int));
	}
	w = sendmsg(v->sock, &mh, MSG_NOSIGNAL);
	return w == (ssize_t)n ? 0 : -EIO;
}

static int vt_read_all(int s, void *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = recv(s, (char *)buf + got, n - got, 0);

		if (r <= 0)
			return -EPIPE;
		got += (size_t)r;
	}
	return 0;
}

int vt_recv_reply(struct vt *v, struct vfu_hdr *h, void *out, size_t max)
{
	uint8_t junk[8192];
	size_t body;

	if (vt_read_all(v->sock, h, sizeof(*h)))
		return -EPIPE;
	VT_CHECK(h->msg_size >= VFU_HDR_SIZE);
	VT_EQ(h->flags & VFU_FLAG_TYPE_MASK, VFU_FLAG_TYPE_REPLY);
	body = h->msg_size - VFU_HDR_SIZE;
	VT_CHECK(body <= sizeof(junk));
	if (vt_read_all(v->sock, junk, body))
		return -EPIPE;
	if (out)
		memcpy(out, junk, body < max ? body : max);
	if (h->flags & VFU_FLAG_ERROR) {
		/* "If an error occurs, the reply message must only include
		 * the reply header." */
		VT_EQ(body, 0);
		return -(int)h->error_no;
	}
	return 0;
}

int vt_call(struct vt *v, uint16_t cmd, const void *p, size_t n,
	    const int *fds, unsigned int nfds, void *out, size_t outmax,
	    size_t *outn)
{
	uint8_t msg[VFU_HDR_SIZE + 8192];
	struct vfu_hdr h = { .msg_id = ++v->next_id, .cmd = cmd,
			     .msg_size = (uint32_t)(VFU_HDR_SIZE + n) };
	struct vfu_hdr r;
	int err;

	VT_CHECK(n <= 8192);
	memcpy(msg, &h, sizeof(h));
	if (n)
		memcpy(msg + VFU_HDR_SIZE, p, n);
	VT_EQ(vt_send_raw(v, msg, VFU_HDR_SIZE + n, fds, nfds), 0);
	err = vt_recv_reply(v, &r, out, outmax);
	VT_EQ(r.msg_id, h.msg_id);
	VT_EQ(r.cmd, cmd);
	if (outn)
		*outn = r.msg_size - VFU_HDR_SIZE;
	return err;
}

int vt_version(struct vt *v)
{
	static const char caps[] =
		"{\"capabilities\":{\"max_msg_fds\":8,\"pgsizes\":4096,"
		"\"max_dma_maps\":32,\"max_data_xfer_size\":1048576}}";
	uint8_t msg[4 + sizeof(caps)], out[512];
	struct vfu_version ver = { 0, 0 };
	size_t n;
	int err;

	memcpy(msg, &ver, 4);
	memcpy(msg + 4, caps, sizeof(caps));
	err = vt_call(v, VFU_CMD_VERSION, msg, sizeof(msg), NULL, 0, out,
		      sizeof(out), &n);
	if (!err) {
		VT_CHECK(n > 4);
		VT_EQ(out[n - 1], 0);
		VT_CHECK(strstr((char *)out + 4, "\"max_msg_fds\""));
	}
	return err;
}

int vt_map(struct vt *v, uint64_t iova, uint64_t size, int fd, uint64_t off,
	   uint32_t prot)
{
	struct vfu_dma_map m = { .argsz = sizeof(m), .flags = prot,
				 .offset = off, .addr = iova, .size = size };

	return vt_call(v, VFU_CMD_DMA_MAP, &m, sizeof(m), &fd, fd >= 0, NULL,
		       0, NULL);
}

int vt_unmap(struct vt *v, uint64_t iova, uint64_t size, uint32_t flags)
{
	struct vfu_dma_unmap u = { .argsz = sizeof(u), .flags = flags,
				   .addr = iova, .size = size }, r;
	int err = vt_call(v, VFU_CMD_DMA_UNMAP, &u, sizeof(u), NULL, 0, &r,
			  sizeof(r), NULL);

	if (!err)
		VT_EQ(r.addr, iova);
	return err;
}

void vt_ram(struct vt *v)
{
	v->memfd = memfd_create("vt-guest-ram", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	VT_CHECK(v->memfd >= 0);
	VT_EQ(ftruncate(v->memfd, VT_RAM), 0);
	VT_EQ(fcntl(v->memfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW), 0);
	v->ram = mmap(NULL, VT_RAM, PROT_READ | PROT_WRITE, MAP_SHARED,
		      v->memfd, 0);
	VT_CHECK(v->ram != MAP_FAILED);
	VT_EQ(vt_map(v, VT_IOVA_A, VT_REGION, v->memfd, 0,
		     VFU_DMA_READ | VFU_DMA_WRITE), 0);
	VT_EQ(vt_map(v, VT_IOVA_B, VT_REGION, v->memfd, VT_REGION,
		     VFU_DMA_READ | VFU_DMA_WRITE), 0);
}

void *vt_g2h(struct vt *v, uint64_t gaddr)
{
	VT_CHECK(gaddr >= VT_IOVA_A && gaddr < VT_IOVA_A + VT_RAM);
	return v->ram + (gaddr - VT_IOVA_A);
}

int vt_rd(struct vt *v, uint32_t region, uint64_t off, void *buf, uint32_t n)
{
	struct vfu_region_access a = { .offset = off, .region = region,
				       .count = n };
	uint8_t out[sizeof(a) + 4096];
	size_t got;
	int err;

	VT_CHECK(n <= 4096);
	err = vt_call(v, VFU_CMD_REGION_READ, &a, sizeof(a), NULL, 0, out,
		      sizeof(out), &got);
	if (err)
		return err;
	VT_EQ(got, sizeof(a) + n);
	memcpy(buf, out + sizeof(a), n);
	return 0;
}

int vt_wr(struct vt *v, uint32_t region, uint64_t off, const void *buf,
	  uint32_t n)
{
	struct vfu_region_access a = { .offset = off, .region = region,
				       .count = n };
	uint8_t msg[sizeof(a) + 4096];

	VT_CHECK(n <= 4096);
	memcpy(msg, &a, sizeof(a));
	memcpy(msg + sizeof(a), buf, n);
	return vt_call(v, VFU_CMD_REGION_WRITE, msg, sizeof(a) + n, NULL, 0,
		       NULL, 0, NULL);
}

uint32_t vt_cfg32(struct vt *v, uint32_t off)
{
	uint32_t x;

	VT_EQ(vt_rd(v, VFU_PCI_CONFIG, off, &x, 4), 0);
	return x;
}

void vt_cfgw16(struct vt *v, uint32_t off, uint16_t val)
{
	VT_EQ(vt_wr(v, VFU_PCI_CONFIG, off, &val, 2), 0);
}

uint32_t vt_r32(struct vt *v, uint32_t off)
{
	uint32_t x;

	VT_EQ(vt_rd(v, VFU_PCI_BAR0, off, &x, 4), 0);
	return x;
}

uint64_t vt_r64(struct vt *v, uint32_t off)
{
	uint64_t x;

	VT_EQ(vt_rd(v, VFU_PCI_BAR0, off, &x, 8), 0);
	return x;
}

void vt_w32(struct vt *v, uint32_t off, uint32_t val)
{
	VT_EQ(vt_wr(v, VFU_PCI_BAR0, off, &val, 4), 0);
}

void vt_w64(struct vt *v, uint32_t off, uint64_t val)
{
	VT_EQ(vt_wr(v, VFU_PCI_BAR0, off, &val, 8), 0);
}

void vt_irqs_on(struct vt *v)
{
	uint8_t msg[sizeof(struct vfu_irq_set)];
	struct vfu_irq_set s = { .argsz = sizeof(s),
				 .flags = VFU_IRQ_DATA_EVENTFD |
					  VFU_IRQ_ACTION_TRIGGER,
				 .index = VFU_PCI_MSIX, .start = 0,
				 .count = VT_MSIX };
	int i;

	for (i = 0; i < VT_MSIX; i++) {
		v->efd[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		VT_CHECK(v->efd[i] >= 0);
	}
	memcpy(msg, &s, sizeof(s));
	VT_EQ(vt_call(v, VFU_CMD_DEVICE_SET_IRQS, msg, sizeof(msg), v->efd,
		      VT_MSIX, NULL, 0, NULL), 0);
}

uint64_t vt_irq_count(struct vt *v, unsigned int vector)
{
	uint64_t n = 0;

	if (read(v->efd[vector], &n, sizeof(n)) != sizeof(n))
		return 0;
	return n;
}

int vt_cmd(struct vt *v, unsigned int code, uint32_t operand)
{
	uint32_t sts;

	vt_w32(v, DSA_REG_CMD, dsa_cmd_word(code, operand, 1));
	do
		sts = vt_r32(v, DSA_REG_CMDSTS);
	while (sts & DSA_CMDSTS_ACTIVE_BIT);
	/* Acknowledge the command interrupt as idxd's misc thread does. */
	vt_w32(v, DSA_REG_INTCAUSE, vt_r32(v, DSA_REG_INTCAUSE) & DSA_INTC_CMD);
	return (int)DSA_FGET(sts, DSA_CMDSTS_ERR);
}

void vt_bringup(struct vt *v, unsigned int n, bool dedicated,
		unsigned int size)
{
	uint64_t table, wqs = 0;
	unsigned int i, k;

	VT_EQ(vt_version(v), 0);
	vt_ram(v);
	/* pci_enable_device_mem + pci_set_master. */
	vt_cfgw16(v, 0x04, 0x0006);
	/* idxd_device_init_reset: Reset Device, polled. */
	vt_w32(v, DSA_REG_CMD, dsa_cmd_word(DSA_CMD_RESET_DEVICE, 0, 0));
	while (vt_r32(v, DSA_REG_CMDSTS) & DSA_CMDSTS_ACTIVE_BIT)
		;
	/* idxd_read_caps, idxd_read_table_offsets. */
	VT_CHECK(vt_r64(v, DSA_REG_GENCAP) != 0);
	v->wqcfg_size = 1u << (DSA_FGET(vt_r64(v, DSA_REG_WQCAP),
					DSA_WQCAP_WQCFG_SIZE) +
			       DSA_WQCFG_SIZE_MIN_SHIFT);
	table = vt_r64(v, DSA_REG_TABLE);
	v->grpcfg = (uint32_t)DSA_FGET(table, DSA_TABLE_GRPCFG) * DSA_TABLE_MULT;
	v->wqcfg = (uint32_t)DSA_FGET(table, DSA_TABLE_WQCFG) * DSA_TABLE_MULT;
	vt_w32(v, DSA_REG_GENCTRL,
	       (uint32_t)(DSA_FPUT(DSA_GENCTRL_SOFTERR_INT_EN, 1) |
			  DSA_FPUT(DSA_GENCTRL_HALT_INT_EN, 1)));
	vt_irqs_on(v);
	/* idxd_device_config: WQCFG, then GRPCFG. */
	for (i = 0; i < n; i++) {
		uint32_t base = v->wqcfg + i * v->wqcfg_size;
		uint32_t cfg[DSA_WQCFG_DWORDS_MAX];

		for (k = 0; k < v->wqcfg_size / 4; k++)
			cfg[k] = vt_r32(v, base + 4 * k);
		cfg[DSA_WQCFG_DW_SIZE] = size;
		cfg[DSA_WQCFG_DW_THRESH] = size;
		cfg[DSA_WQCFG_DW_MODE] =
			(uint32_t)(DSA_FPUT(DSA_WQCFG_MODE, dedicated) |
				   DSA_FPUT(DSA_WQCFG_PRIORITY, 1) |
				   DSA_FPUT(DSA_WQCFG_PASID_EN, !dedicated));
		cfg[DSA_WQCFG_DW_LIMITS] =
			(uint32_t)(DSA_FPUT(DSA_WQCFG_MAX_XFER_SHIFT, 31) |
				   DSA_FPUT(DSA_WQCFG_MAX_BATCH_SHIFT, 10));
		for (k = 0; k < v->wqcfg_size / 4; k++)
			vt_w32(v, base + 4 * k, cfg[k]);
		wqs |= 1ull << i;
	}
	for (k = 0; k < 4; k++)
		vt_w64(v, v->grpcfg + 8 * k, k ? 0 : wqs);
	vt_w64(v, v->grpcfg + DSA_GRPCFG_ENGINES, 1);
	VT_EQ(vt_cmd(v, DSA_CMD_ENABLE_DEVICE, 0), DSA_CMDSTS_SUCCESS);
	for (i = 0; i < n; i++)
		VT_EQ(vt_cmd(v, DSA_CMD_ENABLE_WQ, i), DSA_CMDSTS_SUCCESS);
	/* The command interrupts so far are not the test's. */
	vt_irq_count(v, 0);
}

void vt_submit(struct vt *v, unsigned int wq, const struct dsa_desc *d)
{
	VT_EQ(vt_wr(v, VFU_PCI_BAR2, dsa_portal_offset(wq, 0, 0), d, 64), 0);
}

void vt_submit_pieces(struct vt *v, unsigned int wq, const struct dsa_desc *d)
{
	unsigned int i;

	for (i = 0; i < 8; i++)
		VT_EQ(vt_wr(v, VFU_PCI_BAR2, dsa_portal_offset(wq, 0, 0) + 8 * i,
			    (const uint8_t *)d + 8 * i, 8), 0);
}

void vt_desc(struct dsa_desc *d, uint8_t op, uint32_t flags, uint64_t src,
	     uint64_t dst, uint32_t size, uint64_t comp)
{
	memset(d, 0, sizeof(*d));
	d->op_flags = dsa_op_flags(op, flags | DSA_FLAG_CRAV | DSA_FLAG_RCR);
	d->completion_addr = comp;
	d->src = src;
	d->dst = dst;
	d->size = size;
}

struct dsa_comp *vt_comp(struct vt *v, uint64_t gaddr)
{
	return vt_g2h(v, gaddr);
}

void vt_stats(struct vt *v, struct vfu_dsa_stats *s)
{
	vfu_dsa_get_stats(v->d, s);
}
