// SPDX-License-Identifier: MIT
/*
 * The message decoder: one vfio-user command in memory, checked field by
 * field before anything acts on it, answered with its reply or with the
 * protocol's error reply ("Header": Error bit and errno, header only).
 * Section names are those of QEMU's docs/interop/vfio-user.rst.
 */
#include "vfu_internal.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>

struct vfu_req {
	const uint8_t *p; /* payload after the header */
	size_t n;
	int *fds;
	unsigned int nfds;
	uint8_t *out; /* reply payload */
	size_t out_n;
};

static int vfu_region_access(struct vfu_dsa *d, uint32_t region, uint64_t off,
			     void *buf, uint32_t count, bool write)
{
	switch (region) {
	case VFU_PCI_BAR0:
		return vfu_bar0_access(d, off, buf, count, write);
	case VFU_PCI_BAR2:
		return vfu_bar2_access(d, off, buf, count, write);
	case VFU_PCI_CONFIG:
		return vfu_pci_access(d, off, buf, count, write);
	}
	return -EINVAL;
}

/* "VFIO_USER_VERSION" */
static int vfu_cmd_version(struct vfu_dsa *d, struct vfu_req *r)
{
	struct vfu_version v;
	struct vfu_caps caps;
	int len;

	if (d->versioned || r->n < sizeof(v) || r->nfds)
		return -EINVAL;
	memcpy(&v, r->p, sizeof(v));
	if (v.major != VFU_VERSION_MAJOR)
		return -ENOTSUP;
	if (r->n > sizeof(v)) {
		const char *json = (const char *)r->p + sizeof(v);
		size_t jn = r->n - sizeof(v);

		/* Version data: UTF-8 JSON "including terminating NUL". */
		if (json[jn - 1] != '\0' || strlen(json) != jn - 1)
			return -EINVAL;
		if (vfu_json_caps(json, jn - 1, &caps))
			return -EINVAL;
		/* We map guest memory in 4 KiB pages: the client must allow it. */
		if (!(caps.pgsizes & VFU_PGSIZES))
			return -ENOTSUP;
	}
	/* Reply: same major, minor no higher than proposed. */
	if (v.minor > VFU_VERSION_MINOR)
		v.minor = VFU_VERSION_MINOR;
	memcpy(r->out, &v, sizeof(v));
	len = snprintf((char *)r->out + sizeof(v), VFU_DSA_REPLY_MAX - 64,
		       "{\"capabilities\":{\"max_msg_fds\":%u,"
		       "\"max_data_xfer_size\":%u,\"pgsizes\":%u,"
		       "\"max_dma_maps\":%u}}",
		       VFU_MAX_MSG_FDS, VFU_MAX_DATA_XFER, VFU_PGSIZES,
		       VFU_MAX_DMA_MAPS);
	r->out_n = sizeof(v) + (size_t)len + 1;
	d->versioned = true;
	return 0;
}

/* The fixed part of a request whose first word is argsz: present, and
 * argsz neither below it nor beyond the message. */
static int vfu_argsz(const struct vfu_req *r, size_t fixed, uint32_t *argsz)
{
	if (r->n < fixed)
		return -EINVAL;
	memcpy(argsz, r->p, 4);
	if (*argsz < fixed || *argsz > r->n)
		return -EINVAL;
	return 0;
}

/* "VFIO_USER_DMA_MAP" */
static int vfu_cmd_dma_map(struct vfu_dsa *d, struct vfu_req *r)
{
	struct vfu_dma_map m;
	uint32_t argsz;
	int err = vfu_argsz(r, sizeof(m), &argsz);

	if (err)
		return err;
	if (r->nfds > 1)
		return -EINVAL;
	memcpy(&m, r->p, sizeof(m));
	return vfu_dma_add(d, m.addr, m.size, r->nfds ? r->fds[0] : -1,
			   m.offset, m.flags);
}

/* "VFIO_USER_DMA_UNMAP": the reply echoes the entry. */
static int vfu_cmd_dma_unmap(struct vfu_dsa *d, struct vfu_req *r)
{
	struct vfu_dma_unmap u;
	uint32_t argsz;
	int err = vfu_argsz(r, sizeof(u), &argsz);

	if (err)
		return err;
	if (r->nfds)
		return -EINVAL;
	memcpy(&u, r->p, sizeof(u));
	if (u.flags & VFU_DMA_UNMAP_GET_DIRTY)
		return -ENOTSUP; /* no migration */
	if (u.flags & ~VFU_DMA_UNMAP_ALL)
		return -EINVAL;
	if (u.flags & VFU_DMA_UNMAP_ALL) {
		if (u.addr || u.size)
			return -EINVAL;
		vfu_dma_clear(d);
	} else {
		err = vfu_dma_remove(d, u.addr, u.size);
		if (err)
			return err;
	}
	u.argsz = sizeof(u);
	memcpy(r->out, &u, sizeof(u));
	r->out_n = sizeof(u);
	return 0;
}

/* "VFIO_USER_DEVICE_GET_INFO" */
static int vfu_cmd_device_info(struct vfu_req *r)
{
	struct vfu_device_info i;
	uint32_t argsz;
	int err = vfu_argsz(r, sizeof(i), &argsz);

	if (err)
		return err;
	i.argsz = sizeof(i);
	i.flags = VFU_DEVICE_FLAGS_RESET | VFU_DEVICE_FLAGS_PCI;
	i.num_regions = VFU_PCI_NUM_REGIONS;
	i.num_irqs = VFU_PCI_NUM_IRQS;
	memcpy(r->out, &i, sizeof(i));
	r->out_n = sizeof(i);
	return 0;
}

/* "VFIO_USER_DEVICE_GET_REGION_INFO": no mmap, no capabilities. */
static int vfu_cmd_region_info(struct vfu_req *r)
{
	struct vfu_region_info i;
	uint32_t argsz;
	int err = vfu_argsz(r, sizeof(i), &argsz);

	if (err)
		return err;
	memcpy(&i, r->p, sizeof(i));
	if (i.index >= VFU_PCI_NUM_REGIONS)
		return -EINVAL;
	i.argsz = sizeof(i);
	i.cap_offset = 0;
	i.offset = 0;
	i.size = i.index == VFU_PCI_BAR0   ? VFU_BAR0_SIZE :
		 i.index == VFU_PCI_BAR2   ? VFU_BAR2_SIZE :
		 i.index == VFU_PCI_CONFIG ? VFU_CFG_SIZE :
					     0;
	i.flags = i.size ? VFU_REGION_FLAG_READ | VFU_REGION_FLAG_WRITE : 0;
	memcpy(r->out, &i, sizeof(i));
	r->out_n = sizeof(i);
	return 0;
}

/* "VFIO_USER_DEVICE_GET_IRQ_INFO": MSI-X only. */
static int vfu_cmd_irq_info(struct vfu_req *r)
{
	struct vfu_irq_info i;
	uint32_t argsz;
	int err = vfu_argsz(r, sizeof(i), &argsz);

	if (err)
		return err;
	memcpy(&i, r->p, sizeof(i));
	if (i.index >= VFU_PCI_NUM_IRQS)
		return -EINVAL;
	i.argsz = sizeof(i);
	i.flags = 0;
	i.count = 0;
	if (i.index == VFU_PCI_MSIX) {
		i.flags = VFU_IRQ_INFO_EVENTFD | VFU_IRQ_INFO_NORESIZE;
		i.count = DSA_TWIN_MSIX_VECTORS;
	}
	memcpy(r->out, &i, sizeof(i));
	r->out_n = sizeof(i);
	return 0;
}

/* "VFIO_USER_DEVICE_SET_IRQS": data (bools) between the struct and argsz. */
static int vfu_cmd_set_irqs(struct vfu_dsa *d, struct vfu_req *r)
{
	struct vfu_irq_set s;
	uint32_t argsz;
	int err = vfu_argsz(r, sizeof(s), &argsz);

	if (err)
		return err;
	memcpy(&s, r->p, sizeof(s));
	return vfu_irq_set(d, &s, r->p + sizeof(s), argsz - sizeof(s), r->fds,
			   r->nfds);
}

/* "VFIO_USER_REGION_READ" / "VFIO_USER_REGION_WRITE" */
static int vfu_cmd_region_rw(struct vfu_dsa *d, struct vfu_req *r, bool write)
{
	struct vfu_region_access a;
	int err;

	if (r->n < sizeof(a) || r->nfds)
		return -EINVAL;
	memcpy(&a, r->p, sizeof(a));
	if (!a.count || a.count > VFU_MAX_DATA_XFER)
		return -EINVAL;
	/* A write carries exactly count bytes; a read carries none. */
	if (r->n != sizeof(a) + (write ? a.count : 0))
		return -EINVAL;
	if (write) {
		uint8_t buf[VFU_MAX_DATA_XFER];

		memcpy(buf, r->p + sizeof(a), a.count);
		err = vfu_region_access(d, a.region, a.offset, buf, a.count, true);
		if (err)
			return err;
		memcpy(r->out, &a, sizeof(a));
		r->out_n = sizeof(a);
		return 0;
	}
	err = vfu_region_access(d, a.region, a.offset, r->out + sizeof(a),
				a.count, false);
	if (err)
		return err;
	memcpy(r->out, &a, sizeof(a));
	r->out_n = sizeof(a) + a.count;
	return 0;
}

static int vfu_dispatch(struct vfu_dsa *d, uint16_t cmd, struct vfu_req *r)
{
	if (!d->versioned && cmd != VFU_CMD_VERSION)
		return -EINVAL; /* "Version": the first message */
	switch (cmd) {
	case VFU_CMD_VERSION:
		return vfu_cmd_version(d, r);
	case VFU_CMD_DMA_MAP:
		return vfu_cmd_dma_map(d, r);
	case VFU_CMD_DMA_UNMAP:
		return vfu_cmd_dma_unmap(d, r);
	case VFU_CMD_DEVICE_GET_INFO:
		return r->nfds ? -EINVAL : vfu_cmd_device_info(r);
	case VFU_CMD_DEVICE_GET_REGION_INFO:
		return r->nfds ? -EINVAL : vfu_cmd_region_info(r);
	case VFU_CMD_DEVICE_GET_IRQ_INFO:
		return r->nfds ? -EINVAL : vfu_cmd_irq_info(r);
	case VFU_CMD_DEVICE_SET_IRQS:
		return vfu_cmd_set_irqs(d, r);
	case VFU_CMD_REGION_READ:
		return vfu_cmd_region_rw(d, r, false);
	case VFU_CMD_REGION_WRITE:
		return vfu_cmd_region_rw(d, r, true);
	case VFU_CMD_DEVICE_RESET:
		if (r->n || r->nfds)
			return -EINVAL;
		vfu_device_reset(d);
		return 0;
	case VFU_CMD_DMA_READ:
	case VFU_CMD_DMA_WRITE:
		return -EINVAL; /* server-to-client commands */
	}
	return -ENOTSUP;
}

/* -v: the refused command, its first payload words (as a VMM sent them). */
static void vfu_log_refused(const struct vfu_hdr *h, const uint8_t *p,
			    size_t n, int err)
{
	char words[8 * 9 + 1] = "";
	size_t i;

	for (i = 0; i + 4 <= n && i < 32; i += 4) {
		uint32_t w;

		memcpy(&w, p + i, 4);
		snprintf(words + strlen(words), sizeof(words) - strlen(words),
			 " %08x", w);
	}
	fprintf(stderr,
		"accel-vfio-user: command %u (id %u, %zu bytes:%s) refused: %s\n",
		h->cmd, h->msg_id, n, words, strerror(-err));
}

int vfu_dsa_handle_msg(struct vfu_dsa *d, const void *msg, size_t len,
		       const int *fds, unsigned int nfds, void *reply,
		       size_t *reply_len)
{
	int kfds[VFU_MAX_MSG_FDS];
	struct vfu_hdr h, rh;
	struct vfu_req r;
	unsigned int i;
	int err;

	*reply_len = 0;
	for (i = 0; i < nfds && i < VFU_MAX_MSG_FDS; i++)
		kfds[i] = fds[i];
	for (; i < nfds; i++)
		close(fds[i]);
	if (len < VFU_HDR_SIZE) {
		for (i = 0; i < nfds && i < VFU_MAX_MSG_FDS; i++)
			close(kfds[i]);
		return -EINVAL; /* not even a header: nothing to answer */
	}
	memcpy(&h, msg, sizeof(h));
	r = (struct vfu_req){
		.p = (const uint8_t *)msg + VFU_HDR_SIZE,
		.n = len - VFU_HDR_SIZE,
		.fds = kfds,
		.nfds = nfds < VFU_MAX_MSG_FDS ? nfds : VFU_MAX_MSG_FDS,
		.out = (uint8_t *)reply + VFU_HDR_SIZE,
	};
	d->stats.messages++;
	if (h.msg_size != len || len > VFU_MAX_MSG)
		err = -EINVAL;
	else if (nfds > VFU_MAX_MSG_FDS)
		err = -E2BIG;
	else if ((h.flags & VFU_FLAG_TYPE_MASK) != VFU_FLAG_TYPE_CMD ||
		 h.flags & VFU_FLAG_ERROR ||
		 h.flags & ~(VFU_FLAG_TYPE_MASK | VFU_FLAG_NO_REPLY |
			     VFU_FLAG_ERROR))
		err = -EINVAL;
	else
		err = vfu_dispatch(d, h.cmd, &r);
	/* Fds nobody kept are closed: a refused message leaves nothing. */
	for (i = 0; i < r.nfds; i++)
		if (kfds[i] >= 0)
			close(kfds[i]);
	if (err) {
		d->stats.errors++;
		r.out_n = 0;
		if (d->cfg.log_errors)
			vfu_log_refused(&h, r.p, r.n, err);
	}
	if (h.flags & VFU_FLAG_NO_REPLY)
		return 0;
	rh = (struct vfu_hdr){
		.msg_id = h.msg_id,
		.cmd = h.cmd,
		.msg_size = (uint32_t)(VFU_HDR_SIZE + r.out_n),
		.flags = VFU_FLAG_TYPE_REPLY | (err ? VFU_FLAG_ERROR : 0),
		.error_no = err ? (uint32_t)-err : 0,
	};
	memcpy(reply, &rh, sizeof(rh));
	*reply_len = rh.msg_size;
	return 0;
}

/* The direct entry points: the checks of the messages. */
int vfu_dsa_region_read(struct vfu_dsa *d, unsigned int region, uint64_t off,
			void *buf, uint32_t count)
{
	if (!count || count > VFU_MAX_DATA_XFER)
		return -EINVAL;
	return vfu_region_access(d, region, off, buf, count, false);
}

int vfu_dsa_region_write(struct vfu_dsa *d, unsigned int region, uint64_t off,
			 const void *buf, uint32_t count)
{
	uint8_t tmp[VFU_MAX_DATA_XFER];

	if (!count || count > VFU_MAX_DATA_XFER)
		return -EINVAL;
	memcpy(tmp, buf, count);
	return vfu_region_access(d, region, off, tmp, count, true);
}
