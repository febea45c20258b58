// SPDX-License-Identifier: MIT
/*
 * The device context: the twin configured from the command line, the
 * host queue, reset and teardown.
 */
#include "vfu_internal.h"

#include <errno.h>
#include <stdlib.h>

void vfu_dsa_config_default(struct vfu_dsa_config *c)
{
	memset(c, 0, sizeof(*c));
	c->version = 1;
	c->num_wqs = DSA_TWIN_MAX_WQS;
	c->total_wq_size = DSA_TWIN_TOTAL_WQ_SIZE;
	c->mode = VFU_DSA_MODE_ANY;
}

/* A register with one field replaced. */
#define VFU_FSET(reg, f, v) (((reg) & ~DSA_FMASK(f)) | DSA_FPUT(f, v))

/*
 * The twin at power-on, then narrowed to the configuration: fewer queues,
 * a smaller total size, one queue mode (WQCAP fields; registers.h union
 * wq_cap_reg).  The guest's driver reads these and sizes itself.
 */
static void vfu_twin_power_on(struct vfu_dsa *d)
{
	struct dsa_twin *t = d->twin;

	dsa_twin_init(t, d->cfg.version == 2 ? DSA_TWIN_V2 : DSA_TWIN_V1,
		      &d->twin_host, d);
	t->wqcap = VFU_FSET(t->wqcap, DSA_WQCAP_NUM_WQS, d->cfg.num_wqs);
	t->wqcap = VFU_FSET(t->wqcap, DSA_WQCAP_TOTAL_SIZE, d->cfg.total_wq_size);
	if (d->cfg.mode == VFU_DSA_MODE_DEDICATED)
		t->wqcap = VFU_FSET(t->wqcap, DSA_WQCAP_SHARED_MODE, 0);
	if (d->cfg.mode == VFU_DSA_MODE_SHARED)
		t->wqcap = VFU_FSET(t->wqcap, DSA_WQCAP_DEDICATED_MODE, 0);
	/* Bus mastering starts off, as the command register does. */
	t->bus_master = false;
}

/* Function-level reset: device state only; the client's regions and
 * eventfds belong to the connection and stay. */
void vfu_device_reset(struct vfu_dsa *d)
{
	unsigned int v;

	vfu_twin_power_on(d);
	vfu_pci_init(d);
	/* MSI-X table at reset: every vector masked (PCI 3.0 6.8.2.9). */
	memset(d->msix_table, 0, sizeof(d->msix_table));
	for (v = 0; v < DSA_TWIN_MSIX_VECTORS; v++)
		d->msix_table[v * VFU_MSIX_ENTRY + 12] = 1;
	d->msix_pending = 0;
	d->stage.have = 0;
	/* The PASID roots are device state: a reset forgets them. */
	vfu_pv_clear(d);
}

void vfu_device_run(struct vfu_dsa *d)
{
	/* Work runs to completion here: a queue holds at most its size. */
	while (dsa_twin_run(d->twin, DSA_TWIN_TOTAL_WQ_SIZE))
		;
}

int vfu_dsa_create(struct vfu_dsa **out, const struct vfu_dsa_config *c)
{
	struct accel_opts o = { 0 };
	struct accel_info info;
	struct vfu_dsa *d;
	unsigned int v;
	int err;

	if ((c->version != 1 && c->version != 2) || !c->num_wqs ||
	    c->num_wqs > DSA_TWIN_MAX_WQS || !c->total_wq_size ||
	    c->total_wq_size > DSA_TWIN_TOTAL_WQ_SIZE ||
	    c->mode > VFU_DSA_MODE_SHARED)
		return -EINVAL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->twin = calloc(1, sizeof(*d->twin));
	if (!d->twin) {
		err = -ENOMEM;
		goto err_free;
	}
	d->cfg = *c;
	d->cfg.backend = NULL; /* the caller's string is not kept */
	d->twin_host.irq = vfu_irq_raise;
	d->twin_host.pasid_mem = vfu_pasid_mem;
	d->twin_host.exec = vfu_exec;
	for (v = 0; v < DSA_TWIN_MSIX_VECTORS; v++)
		d->irq_fd[v] = -1;
	vfu_dma_mem_init(d);
	if (!c->model_only) {
		o.backend = c->backend ? c->backend : "auto";
		o.wq_mode = ACCEL_WQ_AUTO;
		o.numa_node = -1;
		o.flags = ACCEL_OPT_NO_SPLIT | ACCEL_OPT_NO_CPU_PATH;
		err = accel_open_opts(&d->hostq, &o);
		if (err)
			goto err_twin;
		err = accel_get_info(d->hostq, &info);
		if (err)
			goto err_hostq;
		/* Pieces stay whole 8-byte units (compare-pattern counts
		 * them) and within what the host queue takes. */
		d->host_opcap = info.op_cap;
		d->max_piece = info.max_xfer;
		if (c->max_piece && c->max_piece < d->max_piece)
			d->max_piece = c->max_piece;
		d->max_piece &= ~(uint64_t)(DSA_COMPVAL_UNIT - 1);
		if (!d->max_piece)
			d->max_piece = DSA_COMPVAL_UNIT;
	}
	vfu_device_reset(d);
	*out = d;
	return 0;

err_hostq:
	accel_close(d->hostq);
err_twin:
	free(d->twin);
err_free:
	free(d);
	return err;
}

void vfu_dsa_disconnect(struct vfu_dsa *d)
{
	vfu_dma_clear(d);
	vfu_irq_clear(d);
	vfu_device_reset(d);
	d->versioned = false;
}

void vfu_dsa_destroy(struct vfu_dsa *d)
{
	if (!d)
		return;
	vfu_dsa_disconnect(d);
	if (d->hostq)
		accel_close(d->hostq);
	free(d->twin);
	free(d);
}

int vfu_dsa_dma_map(struct vfu_dsa *d, uint64_t iova, uint64_t size, int fd,
		    uint64_t offset, uint32_t prot)
{
	return vfu_dma_add(d, iova, size, fd, offset, prot);
}

int vfu_dsa_dma_unmap(struct vfu_dsa *d, uint64_t iova, uint64_t size)
{
	return vfu_dma_remove(d, iova, size);
}

void vfu_dsa_get_stats(const struct vfu_dsa *d, struct vfu_dsa_stats *s)
{
	*s = d->stats;
}

const char *vfu_dsa_backend(const struct vfu_dsa *d)
{
	return d->hostq ? accel_backend_name(d->hostq) : "model";
}
