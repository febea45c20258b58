// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The configuration attributes, one class device per object as idxd has
 * them under /sys/bus/dsa/devices (Documentation/ABI/stable/
 * sysfs-driver-dma-idxd gives the names and meanings we follow):
 *
 *   /sys/class/dsa_pci/dsa<d>          the device: version, state, enable,
 *                                      capabilities, last_error
 *   /sys/class/dsa_pci/wq<d>.<n>       a queue: mode, size, threshold,
 *                                      priority, group_id, block_on_fault,
 *                                      max_transfer_size, max_batch_size,
 *                                      state, enable, clients, uacce
 *   /sys/class/dsa_pci/engine<d>.<n>   group_id
 *   /sys/class/dsa_pci/group<d>.<n>    engines, work_queues
 *
 * Our additions: "enable" (write 1 or 0; idxd enables by binding a
 * driver), "uacce" (the queue's node, empty while disabled) and
 * "last_error" (the reason of the last refusal, empty after a change that
 * passed).  The rules themselves are dsa_pci_config.c's.
 */
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "dsa_pci_config.h"

struct dsa_pci_obj {
	struct device dev;
	struct dsa_pci *d;
	unsigned int idx;
};

static struct class dsa_pci_class = {
	.name = "dsa_pci",
};

static struct dsa_pci_obj *to_obj(struct device *dev)
{
	return container_of(dev, struct dsa_pci_obj, dev);
}

static struct dsa_pci *obj_dsa(struct device *dev)
{
	return to_obj(dev)->d;
}

static struct dsa_pci_wq *obj_wq(struct device *dev)
{
	return &to_obj(dev)->d->wq[to_obj(dev)->idx];
}

static ssize_t obj_result(ssize_t rc, size_t count)
{
	return rc ? rc : (ssize_t)count;
}

/* A value that does not parse is a refusal like any other. */
static int obj_parse(struct device *dev, const char *name, const char *buf,
		     s64 *val)
{
	struct dsa_pci *d = obj_dsa(dev);
	int rc = kstrtoll(buf, 0, val);

	if (rc) {
		mutex_lock(&d->cfg->lock);
		dsa_pci_cfg_refuse(d, -EINVAL, "%s: %s: '%.*s' is not a number",
				   dev_name(dev), name, (int)strcspn(buf, "\n"), buf);
		mutex_unlock(&d->cfg->lock);
	}
	return rc;
}

static int obj_parse_bool(struct device *dev, const char *name,
			  const char *buf, bool *val)
{
	struct dsa_pci *d = obj_dsa(dev);
	int rc = kstrtobool(buf, val);

	if (rc) {
		mutex_lock(&d->cfg->lock);
		dsa_pci_cfg_refuse(d, -EINVAL, "%s: %s: '%.*s' is not 0 or 1",
				   dev_name(dev), name, (int)strcspn(buf, "\n"), buf);
		mutex_unlock(&d->cfg->lock);
	}
	return rc;
}

/* ---- the device ---- */

static ssize_t dsa_version_show(struct device *dev, struct device_attribute *a,
				char *buf)
{
	return sysfs_emit(buf, "%#x\n", obj_dsa(dev)->version);
}

static const char *dsa_state_name(struct dsa_pci *d)
{
	if (d->halted)
		return "halted";
	return d->cfg->enabled ? "enabled" : "disabled";
}

static ssize_t dsa_state_show(struct device *dev, struct device_attribute *a,
			      char *buf)
{
	return sysfs_emit(buf, "%s\n", dsa_state_name(obj_dsa(dev)));
}

static ssize_t dsa_enable_show(struct device *dev, struct device_attribute *a,
			       char *buf)
{
	return sysfs_emit(buf, "%d\n", obj_dsa(dev)->cfg->enabled);
}

static ssize_t dsa_enable_store(struct device *dev, struct device_attribute *a,
				const char *buf, size_t count)
{
	struct dsa_pci *d = obj_dsa(dev);
	bool on;
	int rc = obj_parse_bool(dev, "enable", buf, &on);

	if (rc)
		return rc;
	return obj_result(dsa_pci_cfg_dev_enable(d, on), count);
}

static ssize_t dsa_last_error_show(struct device *dev, struct device_attribute *a,
				   char *buf)
{
	struct dsa_pci_cfg *c = obj_dsa(dev)->cfg;
	ssize_t n;

	mutex_lock(&c->lock);
	n = sysfs_emit(buf, "%s\n", c->last_error);
	mutex_unlock(&c->lock);
	return n;
}

#define DSA_CAP_SHOW(name, fmt, expr)                                          \
	static ssize_t dsa_##name##_show(struct device *dev,                   \
					 struct device_attribute *a, char *buf) \
	{                                                                      \
		struct dsa_pci *d = obj_dsa(dev);                              \
		return sysfs_emit(buf, fmt "\n", expr);                        \
	}                                                                      \
	static struct device_attribute dev_attr_dsa_##name =                   \
		__ATTR(name, 0444, dsa_##name##_show, NULL)

DSA_CAP_SHOW(max_groups, "%u", d->cfg->ngroups);
DSA_CAP_SHOW(max_engines, "%u", d->cfg->nengines);
DSA_CAP_SHOW(max_work_queues, "%u", d->cfg->nwqs);
DSA_CAP_SHOW(max_work_queues_size, "%llu",
	     DSA_FGET(d->wqcap, DSA_WQCAP_TOTAL_SIZE));
DSA_CAP_SHOW(max_transfer_size, "%llu",
	     1ull << DSA_FGET(d->gencap, DSA_GENCAP_MAX_XFER_SHIFT));
DSA_CAP_SHOW(max_batch_size, "%llu",
	     (d->opcap0 & DSA_OPCAP(DSA_OP_BATCH)) ?
		     1ull << DSA_FGET(d->gencap, DSA_GENCAP_MAX_BATCH_SHIFT) : 0);
DSA_CAP_SHOW(op_cap, "%#llx", d->opcap0);
DSA_CAP_SHOW(pasid_enabled, "%d", d->cfg->pasid);
DSA_CAP_SHOW(configurable, "%llu", DSA_FGET(d->gencap, DSA_GENCAP_CONFIG_EN));
DSA_CAP_SHOW(shared_mode, "%llu", DSA_FGET(d->wqcap, DSA_WQCAP_SHARED_MODE));
DSA_CAP_SHOW(block_on_fault, "%llu", DSA_FGET(d->gencap, DSA_GENCAP_BOF));

static struct device_attribute dev_attr_dsa_version =
	__ATTR(version, 0444, dsa_version_show, NULL);
static struct device_attribute dev_attr_dsa_state =
	__ATTR(state, 0444, dsa_state_show, NULL);
static struct device_attribute dev_attr_dsa_enable =
	__ATTR(enable, 0644, dsa_enable_show, dsa_enable_store);
static struct device_attribute dev_attr_dsa_last_error =
	__ATTR(last_error, 0444, dsa_last_error_show, NULL);

static struct attribute *dsa_attrs[] = {
	&dev_attr_dsa_version.attr,
	&dev_attr_dsa_state.attr,
	&dev_attr_dsa_enable.attr,
	&dev_attr_dsa_last_error.attr,
	&dev_attr_dsa_max_groups.attr,
	&dev_attr_dsa_max_engines.attr,
	&dev_attr_dsa_max_work_queues.attr,
	&dev_attr_dsa_max_work_queues_size.attr,
	&dev_attr_dsa_max_transfer_size.attr,
	&dev_attr_dsa_max_batch_size.attr,
	&dev_attr_dsa_op_cap.attr,
	&dev_attr_dsa_pasid_enabled.attr,
	&dev_attr_dsa_configurable.attr,
	&dev_attr_dsa_shared_mode.attr,
	&dev_attr_dsa_block_on_fault.attr,
	NULL,
};
ATTRIBUTE_GROUPS(dsa);

/* ---- queues ---- */

static ssize_t wq_mode_show(struct device *dev, struct device_attribute *a,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n", obj_wq(dev)->dedicated ? "dedicated" : "shared");
}

static ssize_t wq_mode_store(struct device *dev, struct device_attribute *a,
			     const char *buf, size_t count)
{
	struct dsa_pci_wq *wq = obj_wq(dev);
	s64 dedicated;

	if (sysfs_streq(buf, "dedicated")) {
		dedicated = 1;
	} else if (sysfs_streq(buf, "shared")) {
		dedicated = 0;
	} else {
		mutex_lock(&wq->d->cfg->lock);
		dsa_pci_cfg_refuse(wq->d, -EINVAL, "%s: mode: '%.*s' is neither dedicated nor shared",
				   dev_name(dev), (int)strcspn(buf, "\n"), buf);
		mutex_unlock(&wq->d->cfg->lock);
		return -EINVAL;
	}
	return obj_result(dsa_pci_cfg_wq_set(wq, DSA_PCI_WQ_MODE, dedicated), count);
}

static ssize_t wq_field_store(struct device *dev, const char *name,
			      enum dsa_pci_wq_field f, const char *buf,
			      size_t count)
{
	struct dsa_pci_wq *wq = obj_wq(dev);
	s64 v;
	int rc = obj_parse(dev, name, buf, &v);

	if (rc)
		return rc;
	return obj_result(dsa_pci_cfg_wq_set(wq, f, v), count);
}

#define WQ_FIELD(name, field, fmt, expr)                                       \
	static ssize_t wq_##name##_show(struct device *dev,                    \
					struct device_attribute *a, char *buf)  \
	{                                                                      \
		struct dsa_pci_wq *wq = obj_wq(dev);                           \
		return sysfs_emit(buf, fmt "\n", expr);                        \
	}                                                                      \
	static ssize_t wq_##name##_store(struct device *dev,                   \
					 struct device_attribute *a,            \
					 const char *buf, size_t count)         \
	{                                                                      \
		return wq_field_store(dev, #name, field, buf, count);          \
	}                                                                      \
	static struct device_attribute dev_attr_wq_##name =                    \
		__ATTR(name, 0644, wq_##name##_show, wq_##name##_store)

WQ_FIELD(size, DSA_PCI_WQ_SIZE, "%u", wq->size);
WQ_FIELD(threshold, DSA_PCI_WQ_THRESHOLD, "%u", wq->thresh);
WQ_FIELD(priority, DSA_PCI_WQ_PRIORITY, "%u", wq->priority);
WQ_FIELD(group_id, DSA_PCI_WQ_GROUP, "%d", wq->group);
WQ_FIELD(block_on_fault, DSA_PCI_WQ_BOF, "%d", wq->bof);
WQ_FIELD(max_transfer_size, DSA_PCI_WQ_MAX_XFER, "%llu", 1ull << wq->xfer_shift);
WQ_FIELD(max_batch_size, DSA_PCI_WQ_MAX_BATCH, "%llu", 1ull << wq->batch_shift);

static ssize_t wq_state_show(struct device *dev, struct device_attribute *a,
			     char *buf)
{
	struct dsa_pci_wq *wq = obj_wq(dev);

	if (wq->d->halted)
		return sysfs_emit(buf, "halted\n");
	return sysfs_emit(buf, "%s\n", wq->enabled ? "enabled" : "disabled");
}

static ssize_t wq_enable_show(struct device *dev, struct device_attribute *a,
			      char *buf)
{
	return sysfs_emit(buf, "%d\n", obj_wq(dev)->enabled);
}

static ssize_t wq_enable_store(struct device *dev, struct device_attribute *a,
			       const char *buf, size_t count)
{
	struct dsa_pci_wq *wq = obj_wq(dev);
	bool on;
	int rc = obj_parse_bool(dev, "enable", buf, &on);

	if (rc)
		return rc;
	return obj_result(dsa_pci_cfg_wq_enable(wq, on), count);
}

/* Under the configuration lock: the node cannot go meanwhile. */
static ssize_t wq_clients_show(struct device *dev, struct device_attribute *a,
			       char *buf)
{
	struct dsa_pci_wq *wq = obj_wq(dev);
	unsigned int n;

	mutex_lock(&wq->d->cfg->lock);
	n = dsa_pci_cfg_wq_clients(wq);
	mutex_unlock(&wq->d->cfg->lock);
	return sysfs_emit(buf, "%u\n", n);
}

static ssize_t wq_uacce_show(struct device *dev, struct device_attribute *a,
			     char *buf)
{
	struct dsa_pci_wq *wq = obj_wq(dev);
	ssize_t n;

	mutex_lock(&wq->d->cfg->lock);
	n = sysfs_emit(buf, "%s\n", wq->uacce ? dev_name(&wq->uacce->dev) : "");
	mutex_unlock(&wq->d->cfg->lock);
	return n;
}

static struct device_attribute dev_attr_wq_mode =
	__ATTR(mode, 0644, wq_mode_show, wq_mode_store);
static struct device_attribute dev_attr_wq_state =
	__ATTR(state, 0444, wq_state_show, NULL);
static struct device_attribute dev_attr_wq_enable =
	__ATTR(enable, 0644, wq_enable_show, wq_enable_store);
static struct device_attribute dev_attr_wq_clients =
	__ATTR(clients, 0444, wq_clients_show, NULL);
static struct device_attribute dev_attr_wq_uacce =
	__ATTR(uacce, 0444, wq_uacce_show, NULL);

static struct attribute *wq_attrs[] = {
	&dev_attr_wq_mode.attr,
	&dev_attr_wq_size.attr,
	&dev_attr_wq_threshold.attr,
	&dev_attr_wq_priority.attr,
	&dev_attr_wq_group_id.attr,
	&dev_attr_wq_block_on_fault.attr,
	&dev_attr_wq_max_transfer_size.attr,
	&dev_attr_wq_max_batch_size.attr,
	&dev_attr_wq_state.attr,
	&dev_attr_wq_enable.attr,
	&dev_attr_wq_clients.attr,
	&dev_attr_wq_uacce.attr,
	NULL,
};

/* As idxd: no max_batch_size where the device has no batch. */
static umode_t wq_attr_visible(struct kobject *kobj, struct attribute *attr,
			       int n)
{
	struct dsa_pci *d = obj_dsa(kobj_to_dev(kobj));

	if (attr == &dev_attr_wq_max_batch_size.attr &&
	    !(d->opcap0 & DSA_OPCAP(DSA_OP_BATCH)))
		return 0;
	return attr->mode;
}

static const struct attribute_group wq_group = {
	.attrs = wq_attrs,
	.is_visible = wq_attr_visible,
};
__ATTRIBUTE_GROUPS(wq);

/* ---- engines and groups ---- */

static ssize_t engine_group_id_show(struct device *dev,
				    struct device_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%d\n", obj_dsa(dev)->cfg->eng_group[to_obj(dev)->idx]);
}

static ssize_t engine_group_id_store(struct device *dev,
				     struct device_attribute *a,
				     const char *buf, size_t count)
{
	struct dsa_pci *d = obj_dsa(dev);
	s64 v;
	int rc = obj_parse(dev, "group_id", buf, &v);

	if (rc)
		return rc;
	if (v < INT_MIN || v > INT_MAX)
		v = INT_MAX; /* out of range either way */
	return obj_result(dsa_pci_cfg_engine_set(d, to_obj(dev)->idx, (int)v), count);
}

static struct device_attribute dev_attr_engine_group_id =
	__ATTR(group_id, 0644, engine_group_id_show, engine_group_id_store);

static struct attribute *engine_attrs[] = {
	&dev_attr_engine_group_id.attr,
	NULL,
};
ATTRIBUTE_GROUPS(engine);

/* "wq0.0 wq0.1" / "engine0.0 engine0.1": idxd's format. */
static ssize_t group_list(struct device *dev, char *buf, bool wqs)
{
	struct dsa_pci *d = obj_dsa(dev);
	struct dsa_pci_cfg *c = d->cfg;
	int g = (int)to_obj(dev)->idx;
	unsigned int i, n = wqs ? c->nwqs : c->nengines;
	int len = 0;

	mutex_lock(&c->lock);
	for (i = 0; i < n; i++)
		if ((wqs ? d->wq[i].group : c->eng_group[i]) == g)
			len += sysfs_emit_at(buf, len, "%s%s%d.%u", len ? " " : "",
					     wqs ? "wq" : "engine", c->id, i);
	mutex_unlock(&c->lock);
	len += sysfs_emit_at(buf, len, "\n");
	return len;
}

static ssize_t group_work_queues_show(struct device *dev,
				      struct device_attribute *a, char *buf)
{
	return group_list(dev, buf, true);
}

static ssize_t group_engines_show(struct device *dev,
				  struct device_attribute *a, char *buf)
{
	return group_list(dev, buf, false);
}

static struct device_attribute dev_attr_group_work_queues =
	__ATTR(work_queues, 0444, group_work_queues_show, NULL);
static struct device_attribute dev_attr_group_engines =
	__ATTR(engines, 0444, group_engines_show, NULL);

static struct attribute *grp_attrs[] = {
	&dev_attr_group_work_queues.attr,
	&dev_attr_group_engines.attr,
	NULL,
};
ATTRIBUTE_GROUPS(grp);

static const struct device_type dsa_type = { .name = "dsa", .groups = dsa_groups };
static const struct device_type wq_type = { .name = "wq", .groups = wq_groups };
static const struct device_type engine_type = { .name = "engine", .groups = engine_groups };
static const struct device_type grp_type = { .name = "group", .groups = grp_groups };

/* ---- registration ---- */

static void obj_release(struct device *dev)
{
	kfree(to_obj(dev));
}

static struct device *obj_add(struct dsa_pci *d, struct device *parent,
			      const struct device_type *type, unsigned int idx)
{
	struct dsa_pci_obj *o;
	int rc;

	o = kzalloc(sizeof(*o), GFP_KERNEL);
	if (!o)
		return ERR_PTR(-ENOMEM);
	o->d = d;
	o->idx = idx;
	device_initialize(&o->dev);
	o->dev.class = &dsa_pci_class;
	o->dev.parent = parent;
	o->dev.type = type;
	o->dev.release = obj_release;
	if (type == &dsa_type)
		rc = dev_set_name(&o->dev, "dsa%d", d->cfg->id);
	else
		rc = dev_set_name(&o->dev, "%s%d.%u", type->name, d->cfg->id, idx);
	if (!rc)
		rc = device_add(&o->dev);
	if (rc) {
		put_device(&o->dev);
		return ERR_PTR(rc);
	}
	return &o->dev;
}

static void obj_del(struct device **dev)
{
	if (!IS_ERR_OR_NULL(*dev))
		device_unregister(*dev);
	*dev = NULL;
}

int dsa_pci_sysfs_add(struct dsa_pci *d)
{
	struct dsa_pci_cfg *c = d->cfg;
	struct device *o;
	unsigned int i;

	o = obj_add(d, d->dev, &dsa_type, 0);
	if (IS_ERR(o))
		return PTR_ERR(o);
	c->dev = o;
	for (i = 0; i < c->ngroups; i++) {
		o = obj_add(d, c->dev, &grp_type, i);
		if (IS_ERR(o))
			goto err;
		c->grp_dev[i] = o;
	}
	for (i = 0; i < c->nengines; i++) {
		o = obj_add(d, c->dev, &engine_type, i);
		if (IS_ERR(o))
			goto err;
		c->eng_dev[i] = o;
	}
	for (i = 0; i < c->nwqs; i++) {
		o = obj_add(d, c->dev, &wq_type, i);
		if (IS_ERR(o))
			goto err;
		c->wq_dev[i] = o;
	}
	return 0;
err:
	dsa_pci_sysfs_remove(d);
	return PTR_ERR(o);
}

void dsa_pci_sysfs_remove(struct dsa_pci *d)
{
	struct dsa_pci_cfg *c = d->cfg;
	unsigned int i;

	for (i = 0; i < DSA_PCI_MAX_WQS; i++)
		obj_del(&c->wq_dev[i]);
	for (i = 0; i < DSA_PCI_MAX_ENGINES; i++)
		obj_del(&c->eng_dev[i]);
	for (i = 0; i < DSA_PCI_MAX_GROUPS; i++)
		obj_del(&c->grp_dev[i]);
	obj_del(&c->dev);
}

int dsa_pci_sysfs_init(void)
{
	return class_register(&dsa_pci_class);
}

void dsa_pci_sysfs_exit(void)
{
	class_unregister(&dsa_pci_class);
}
