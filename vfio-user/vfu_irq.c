// SPDX-License-Identifier: MIT
/*
 * Interrupts: MSI-X vectors as eventfds ("VFIO_USER_DEVICE_SET_IRQS",
 * struct vfio_irq_set semantics of <linux/vfio.h>).  As with the kernel's
 * vfio-pci, the eventfd is the authority: a vector with one is signalled
 * (the VMM masks by irqfd or by taking it away); a vector without one
 * keeps its pending bit until the VMM gives one or unmasks it in the
 * table a pass-through VMM may use.
 */
#include "vfu_internal.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>

/*
 * Only an eventfd: a write to one never blocks short of a counter
 * overflow, where a pipe or socket the client chose could stall the
 * device (the kernel names the file "anon_inode:[eventfd]").
 */
static bool vfu_is_eventfd(int fd)
{
	char path[64], target[32];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return false;
	target[n] = 0;
	return !strcmp(target, "anon_inode:[eventfd]");
}

static void vfu_irq_signal(struct vfu_dsa *d, unsigned int v)
{
	uint64_t one = 1;

	if (write(d->irq_fd[v], &one, sizeof(one)) == sizeof(one))
		d->stats.irqs++;
	d->msix_pending &= ~(1ull << v);
}

void vfu_irq_raise(void *ctx, unsigned int vector)
{
	struct vfu_dsa *d = ctx;

	if (vector >= DSA_TWIN_MSIX_VECTORS)
		return;
	if (d->irq_fd[vector] < 0) {
		d->msix_pending |= 1ull << vector;
		return;
	}
	vfu_irq_signal(d, vector);
}

static void vfu_irq_put(struct vfu_dsa *d, unsigned int v, int fd)
{
	if (d->irq_fd[v] >= 0) {
		close(d->irq_fd[v]);
		d->stats.irq_fds--;
	}
	d->irq_fd[v] = fd;
	if (fd >= 0) {
		d->stats.irq_fds++;
		if (d->msix_pending & (1ull << v))
			vfu_irq_signal(d, v);
	}
}

void vfu_irq_clear(struct vfu_dsa *d)
{
	unsigned int v;

	for (v = 0; v < DSA_TWIN_MSIX_VECTORS; v++)
		vfu_irq_put(d, v, -1);
	d->msix_pending = 0;
}

/* Fds the call keeps are taken out of fds[] (set to -1). */
int vfu_irq_set(struct vfu_dsa *d, const struct vfu_irq_set *s,
		const void *data, size_t data_len, int *fds, unsigned int nfds)
{
	uint32_t type = s->flags & VFU_IRQ_DATA_TYPE_MASK;
	uint32_t action = s->flags & VFU_IRQ_ACTION_TYPE_MASK;
	unsigned int i;

	/* Exactly one data type and one action (vfio_set_irqs_validate_and_prepare). */
	if (s->flags & ~(VFU_IRQ_DATA_TYPE_MASK | VFU_IRQ_ACTION_TYPE_MASK) ||
	    __builtin_popcount(type) != 1 || __builtin_popcount(action) != 1)
		return -EINVAL;
	if (s->index >= VFU_PCI_NUM_IRQS)
		return -EINVAL;
	if (s->index != VFU_PCI_MSIX)
		return s->count == 0 && type == VFU_IRQ_DATA_NONE ? 0 : -EINVAL;
	if (action != VFU_IRQ_ACTION_TRIGGER)
		return -EINVAL; /* not maskable (VFU_IRQ_INFO_MASKABLE clear) */
	if (s->start > DSA_TWIN_MSIX_VECTORS ||
	    s->count > DSA_TWIN_MSIX_VECTORS - s->start)
		return -EINVAL;
	switch (type) {
	case VFU_IRQ_DATA_NONE:
		if (nfds || data_len)
			return -EINVAL;
		if (s->count == 0) { /* tear every vector down */
			vfu_irq_clear(d);
			return 0;
		}
		for (i = 0; i < s->count; i++)
			vfu_irq_raise(d, s->start + i);
		return 0;
	case VFU_IRQ_DATA_BOOL:
		if (nfds || data_len != s->count)
			return -EINVAL;
		for (i = 0; i < s->count; i++)
			if (((const uint8_t *)data)[i])
				vfu_irq_raise(d, s->start + i);
		return 0;
	default: /* EVENTFD: one fd a vector, in order */
		if (data_len)
			return -EINVAL;
		/*
		 * No fds for count vectors: the kernel API's fd -1 ("de-assign")
		 * for each.  QEMU sends a SET_IRQS's vectors in runs that are
		 * all valid fds or all -1, the latter with no fds at all
		 * (hw/vfio-user/device.c vfio_user_device_io_set_irqs,
		 * irq_howmany); it does so when it enables MSI-X (vector 0 used,
		 * then released).
		 */
		if (!nfds && s->count) {
			for (i = 0; i < s->count; i++)
				vfu_irq_put(d, s->start + i, -1);
			return 0;
		}
		if (nfds != s->count)
			return -EINVAL;
		for (i = 0; i < s->count; i++)
			if (!vfu_is_eventfd(fds[i]))
				return -EINVAL;
		for (i = 0; i < s->count; i++) {
			vfu_irq_put(d, s->start + i, fds[i]);
			fds[i] = -1;
		}
		return 0;
	}
}
