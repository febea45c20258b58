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
	memset(d->stage, 0, sizeof(d->stage));
	/* The PASID roots are device state: a reset forgets them. */
	vfu_pv_clear(d);
}

void vfu_device_run(struct vfu_dsa *d)
{
	/* Work runs to completion here: a queue holds at most its size. */
	while (dsa_twin_run(d->twin, DSA_TWIN_TOTAL_WQ_SIZE))
		;
}

/* The host queue: opened here, or the one another device owns. */
static int vfu_host_queue(struct vfu_dsa *d, const struct vfu_dsa_config *c,
			  const struct vfu_dsa *share)
{
	struct accel_opts o = { 0 };
	struct accel_info info;
	int err;

	if (share) {
		if (!share->hostq)
			return -EINVAL;
		d->hostq = share->hostq;
		d->host_opcap = share->host_opcap;
		d->max_piece = share->max_piece;
		d->hostq_owned = false;
		return 0;
	}
	o.backend = c->backend ? c->backend : "auto";
	o.wq_mode = ACCEL_WQ_AUTO;
	o.numa_node = -1;
	o.flags = ACCEL_OPT_NO_SPLIT | ACCEL_OPT_NO_CPU_PATH;
	err = accel_open_opts(&d->hostq, &o);
	if (err)
		return err;
	err = accel_get_info(d->hostq, &info);
	if (err) {
		accel_close(d->hostq);
		d->hostq = NULL;
		return err;
	}
	d->hostq_owned = true;
	/* Pieces stay whole 8-byte units (compare-pattern counts them) and
	 * within what the host queue takes. */
	d->host_opcap = info.op_cap;
	d->max_piece = info.max_xfer;
	if (c->max_piece && c->max_piece < d->max_piece)
		d->max_piece = c->max_piece;
	d->max_piece &= ~(uint64_t)(DSA_COMPVAL_UNIT - 1);
	if (!d->max_piece)
		d->max_piece = DSA_COMPVAL_UNIT;
	return 0;
}

int vfu_dsa_config_check(const struct vfu_dsa_config *c)
{
	if ((c->version != 1 && c->version != 2) || !c->num_wqs ||
	    c->num_wqs > DSA_TWIN_MAX_WQS || !c->total_wq_size ||
	    c->total_wq_size > DSA_TWIN_TOTAL_WQ_SIZE ||
	    c->mode > VFU_DSA_MODE_SHARED)
		return -EINVAL;
	return 0;
}

int vfu_dsa_create_shared(struct vfu_dsa **out, const struct vfu_dsa_config *c,
			  const struct vfu_dsa *share)
{
	struct vfu_dsa *d;
	unsigned int v;
	int err;

	if (vfu_dsa_config_check(c) || (share && c->model_only))
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
		err = vfu_host_queue(d, c, share);
		if (err)
			goto err_twin;
	}
	vfu_device_reset(d);
	*out = d;
	return 0;

err_twin:
	free(d->twin);
err_free:
	free(d);
	return err;
}

int vfu_dsa_create(struct vfu_dsa **out, const struct vfu_dsa_config *c)
{
	return vfu_dsa_create_shared(out, c, NULL);
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
	if (d->hostq && d->hostq_owned)
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
	unsigned int q;

	*s = d->stats;
	s->partial = 0;
	for (q = 0; q < VFU_BAR2_SIZE / DSA_PORTAL_PAGE; q++)
		s->partial += d->stage[q].have != 0;
	s->inflight = d->inflight;
	for (q = 0; q < DSA_TWIN_MAX_WQS; q++)
		s->inflight += d->twin->wq[q].count;
}

const char *vfu_dsa_backend(const struct vfu_dsa *d)
{
	return d->hostq ? accel_backend_name(d->hostq) : "model";
}
