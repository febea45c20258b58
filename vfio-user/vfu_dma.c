// SPDX-License-Identifier: MIT
/*
 * Guest memory: the client's DMA regions ("VFIO_USER_DMA_MAP"), mapped
 * into the server, and the model_mem through which the twin's model and
 * the host path reach them.  An address outside every region (or a write
 * to a read-only one) is a translation fault, never a host access.
 */
#include "vfu_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static bool vfu_overlaps(const struct vfu_region *r, uint64_t iova,
			 uint64_t size)
{
	return iova < r->iova + r->size && r->iova < iova + size;
}

/*
 * A client that shrinks the file under our mapping would turn every later
 * guest access into SIGBUS in the server.  A memfd can rule that out
 * (F_SEAL_SHRINK; QEMU's memory-backend-memfd seals by default), so a
 * memfd without the seal is refused; a file that cannot carry seals is
 * checked for size only (docs/vfio-user.md says what that leaves open).
 */
static int vfu_dma_check_fd(int fd, uint64_t offset, uint64_t size)
{
	struct stat st;
	int seals;

	if (fstat(fd, &st))
		return -errno;
	/* Regular files only (memfd, tmpfs, hugetlbfs): their size can be
	 * checked against the region. */
	if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size < offset + size)
		return -EINVAL;
	seals = fcntl(fd, F_GET_SEALS);
	if (seals >= 0 && !(seals & F_SEAL_SHRINK))
		return -EPERM;
	return 0;
}

int vfu_dma_add(struct vfu_dsa *d, uint64_t iova, uint64_t size, int fd,
		uint64_t offset, uint32_t prot)
{
	struct vfu_region *r;
	unsigned int i;
	void *p;
	int err, mprot = 0;

	if (!size || iova + size < iova || offset + size < offset ||
	    (iova | size | offset) % VFU_PGSIZES || size > SIZE_MAX ||
	    prot & ~(VFU_DMA_READ | VFU_DMA_WRITE) || !prot)
		return -EINVAL;
	for (i = 0; i < d->nregions; i++)
		if (vfu_overlaps(&d->regions[i], iova, size))
			return -EEXIST; /* "VFIO_USER_DMA_MAP": map over one */
	if (d->nregions == VFU_MAX_DMA_MAPS)
		return -ENOSPC;
	/*
	 * Without an fd ("VFIO_USER_DMA_MAP": the server would reach it by
	 * VFIO_USER_DMA_READ/WRITE messages, which this server does not
	 * send): QEMU maps its RAM blocks that are not in the shared backend
	 * (BIOS, option ROMs, VGA memory) this way.  The region is recorded,
	 * so that it counts, overlaps and unmaps as any other, but the device
	 * cannot reach it: an access there is a translation fault.
	 */
	if (fd < 0) {
		p = NULL;
		goto add;
	}
	err = vfu_dma_check_fd(fd, offset, size);
	if (err)
		return err;
	if (prot & VFU_DMA_READ)
		mprot |= PROT_READ;
	if (prot & VFU_DMA_WRITE)
		mprot |= PROT_WRITE | PROT_READ;
	p = mmap(NULL, (size_t)size, mprot, MAP_SHARED, fd, (off_t)offset);
	if (p == MAP_FAILED)
		return -errno;
add:
	r = &d->regions[d->nregions++];
	r->iova = iova;
	r->size = size;
	r->prot = prot;
	r->host = p;
	d->stats.dma_regions = d->nregions;
	return 0;
}

static void vfu_dma_drop(struct vfu_dsa *d, unsigned int i)
{
	if (d->regions[i].host)
		munmap(d->regions[i].host, (size_t)d->regions[i].size);
	d->regions[i] = d->regions[--d->nregions];
	d->stats.dma_regions = d->nregions;
}

/* "VFIO_USER_DMA_UNMAP": address and size match a mapping exactly.  No
 * work is in flight here: the device runs guest work to completion inside
 * the message that submitted it. */
int vfu_dma_remove(struct vfu_dsa *d, uint64_t iova, uint64_t size)
{
	unsigned int i;

	for (i = 0; i < d->nregions; i++)
		if (d->regions[i].iova == iova && d->regions[i].size == size) {
			vfu_dma_drop(d, i);
			return 0;
		}
	return -ENOENT;
}

void vfu_dma_clear(struct vfu_dsa *d)
{
	while (d->nregions)
		vfu_dma_drop(d, d->nregions - 1);
}

void *vfu_dma_xlat(struct vfu_dsa *d, uint64_t iova, uint64_t len,
		   bool write, uint64_t *avail)
{
	unsigned int i;

	for (i = 0; i < d->nregions; i++) {
		const struct vfu_region *r = &d->regions[i];
		uint64_t left;

		if (iova < r->iova || iova - r->iova >= r->size)
			continue;
		if (!r->host || !(r->prot & (write ? VFU_DMA_WRITE : VFU_DMA_READ)))
			return NULL;
		left = r->size - (iova - r->iova);
		*avail = left < len ? left : len;
		return r->host + (iova - r->iova);
	}
	return NULL;
}

static struct vfu_as *vfu_of_mem(struct model_mem *m)
{
	return (struct vfu_as *)((char *)m - offsetof(struct vfu_as, mem));
}

/* Region by region: a buffer that crosses regions is read in pieces. */
static size_t vfu_mem_read(struct model_mem *m, void *dst, uint64_t src,
			   size_t len, bool block, enum model_fault *fault)
{
	struct vfu_as *as = vfu_of_mem(m);
	size_t done = 0;

	(void)block;
	*fault = MODEL_FAULT_NONE;
	while (done < len) {
		uint64_t n;
		void *p = vfu_as_xlat(as, src + done, len - done, false, &n);

		if (!p) {
			*fault = MODEL_FAULT_INVALID;
			break;
		}
		memcpy((uint8_t *)dst + done, p, n);
		done += n;
	}
	return done;
}

static size_t vfu_mem_write(struct model_mem *m, uint64_t dst, const void *src,
			    size_t len, bool block, enum model_fault *fault)
{
	struct vfu_as *as = vfu_of_mem(m);
	size_t done = 0;

	(void)block;
	*fault = MODEL_FAULT_NONE;
	while (done < len) {
		uint64_t n;
		void *p = vfu_as_xlat(as, dst + done, len - done, true, &n);

		if (!p) {
			*fault = MODEL_FAULT_INVALID;
			break;
		}
		memcpy(p, (const uint8_t *)src + done, n);
		done += n;
	}
	return done;
}

/* The record lands whole or not at all: every byte is checked first. */
static int vfu_mem_write_comp(struct model_mem *m, uint64_t addr,
			      const struct dsa_comp *c)
{
	struct vfu_as *as = vfu_of_mem(m);
	uint8_t *status;
	uint64_t n, off = 0;

	while (off < sizeof(*c)) {
		if (!vfu_as_xlat(as, addr + off, sizeof(*c) - off, true, &n))
			return -EFAULT;
		off += n;
	}
	status = vfu_as_xlat(as, addr, 1, true, &n);
	for (off = 1; off < sizeof(*c); off += n) {
		uint8_t *p = vfu_as_xlat(as, addr + off, sizeof(*c) - off, true, &n);

		memcpy(p, (const uint8_t *)c + off, n);
	}
	__atomic_store_n(status, c->status, __ATOMIC_RELEASE);
	return 0;
}

static const struct model_mem_ops vfu_mem_ops = {
	.read = vfu_mem_read,
	.write = vfu_mem_write,
	.write_comp = vfu_mem_write_comp,
};

void vfu_dma_mem_init(struct vfu_dsa *d)
{
	d->phys.mem.ops = &vfu_mem_ops;
	d->phys.d = d;
	d->virt.mem.ops = &vfu_mem_ops;
	d->virt.d = d;
}
