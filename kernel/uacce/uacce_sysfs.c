// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Attributes of /sys/class/uacce/<name>-<id>: upstream uacce's, then the
 * DSA facts a library needs before it opens a queue.
 */
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/sysfs.h>

#include "uacce_internal.h"

static struct uacce_device *to_uacce(struct device *dev)
{
	return container_of(dev, struct uacce_device, dev);
}

static ssize_t api_show(struct device *dev, struct device_attribute *attr,
			char *buf)
{
	return sysfs_emit(buf, "%s\n", to_uacce(dev)->intf.api ?: "");
}

static ssize_t flags_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%u\n", to_uacce(dev)->intf.flags);
}

/*
 * Upstream's read fails with -ENODEV when the driver has no
 * get_available_instances (Documentation/ABI/testing/sysfs-driver-uacce);
 * a removed device has no driver any more either.
 */
static ssize_t available_instances_show(struct device *dev,
					struct device_attribute *attr,
					char *buf)
{
	struct uacce_device *u = to_uacce(dev);
	int n = -ENODEV;

	mutex_lock(&u->lock);
	if (!u->removed && u->intf.ops->available_instances)
		n = u->intf.ops->available_instances(u);
	mutex_unlock(&u->lock);
	if (n < 0)
		return n;
	return sysfs_emit(buf, "%d\n", n);
}

static ssize_t algorithms_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", to_uacce(dev)->intf.algs ?: "");
}

static ssize_t region_mmio_size_show(struct device *dev,
				     struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lu\n",
			  to_uacce(dev)->intf.region_size[UACCE_QFRT_MMIO]);
}

static ssize_t region_dus_size_show(struct device *dev,
				    struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lu\n",
			  to_uacce(dev)->intf.region_size[UACCE_QFRT_DUS]);
}

/*
 * Upstream's device isolation (v6.3, "uacce: supports device isolation
 * feature"): "isolate" reads 0 (working) or 1 (isolated); "isolate_strategy"
 * is the tolerated number of hardware errors per hour, 0..65535
 * (UACCE_MAX_ERR_THRESHOLD).  Both exist only for a driver that implements
 * them; the soft device does not.
 */
#define UACCE_MAX_ERR_THRESHOLD 65535

static ssize_t isolate_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	struct uacce_device *u = to_uacce(dev);

	return sysfs_emit(buf, "%d\n", u->intf.ops->get_isolate_state(u));
}

static ssize_t isolate_strategy_show(struct device *dev,
				     struct device_attribute *attr, char *buf)
{
	struct uacce_device *u = to_uacce(dev);

	return sysfs_emit(buf, "%u\n",
			  u->intf.ops->isolate_err_threshold_read(u));
}

static ssize_t isolate_strategy_store(struct device *dev,
				      struct device_attribute *attr,
				      const char *buf, size_t count)
{
	struct uacce_device *u = to_uacce(dev);
	unsigned long val;
	int rc;

	if (kstrtoul(buf, 0, &val) < 0 || val > UACCE_MAX_ERR_THRESHOLD)
		return -EINVAL;
	rc = u->intf.ops->isolate_err_threshold_write(u, val);
	return rc ? rc : count;
}

#define UACCE_DSA_ATTR(field, fmt)                                          \
	static ssize_t dsa_##field##_show(struct device *dev,                \
					  struct device_attribute *attr,     \
					  char *buf)                         \
	{                                                                    \
		return sysfs_emit(buf, fmt "\n", to_uacce(dev)->intf.field); \
	}                                                                    \
	static DEVICE_ATTR_RO(dsa_##field)

UACCE_DSA_ATTR(mode, "%u");
UACCE_DSA_ATTR(wq_size, "%u");
UACCE_DSA_ATTR(threshold, "%u");
UACCE_DSA_ATTR(max_xfer, "%u");
UACCE_DSA_ATTR(max_batch, "%u");
UACCE_DSA_ATTR(op_cap, "0x%llx");
UACCE_DSA_ATTR(submit, "%u");

static DEVICE_ATTR_RO(api);
static DEVICE_ATTR_RO(flags);
static DEVICE_ATTR_RO(available_instances);
static DEVICE_ATTR_RO(algorithms);
static DEVICE_ATTR_RO(region_mmio_size);
static DEVICE_ATTR_RO(region_dus_size);
static DEVICE_ATTR_RO(isolate);
static DEVICE_ATTR_RW(isolate_strategy);

static struct attribute *uacce_dev_attrs[] = {
	&dev_attr_api.attr,
	&dev_attr_flags.attr,
	&dev_attr_available_instances.attr,
	&dev_attr_algorithms.attr,
	&dev_attr_region_mmio_size.attr,
	&dev_attr_region_dus_size.attr,
	&dev_attr_isolate.attr,
	&dev_attr_isolate_strategy.attr,
	&dev_attr_dsa_mode.attr,
	&dev_attr_dsa_wq_size.attr,
	&dev_attr_dsa_threshold.attr,
	&dev_attr_dsa_max_xfer.attr,
	&dev_attr_dsa_max_batch.attr,
	&dev_attr_dsa_op_cap.attr,
	&dev_attr_dsa_submit.attr,
	NULL,
};

/*
 * As upstream's uacce_dev_is_visible(): a region's size only when the
 * region exists, isolate only with get_isolate_state, isolate_strategy only
 * when it can be both read and written (upstream's 2025 fixes to
 * e3e289fbc0b5 tighten the test to that: no accessor is called missing).
 */
static umode_t uacce_dev_is_visible(struct kobject *kobj,
				    struct attribute *attr, int n)
{
	struct uacce_device *u = to_uacce(kobj_to_dev(kobj));
	const struct uacce_ops *ops = u->intf.ops;

	if (attr == &dev_attr_region_mmio_size.attr)
		return u->intf.region_size[UACCE_QFRT_MMIO] ? attr->mode : 0;
	if (attr == &dev_attr_region_dus_size.attr)
		return u->intf.region_size[UACCE_QFRT_DUS] ? attr->mode : 0;
	if (attr == &dev_attr_isolate.attr)
		return ops->get_isolate_state ? attr->mode : 0;
	if (attr == &dev_attr_isolate_strategy.attr)
		return ops->isolate_err_threshold_read &&
				       ops->isolate_err_threshold_write ?
			       attr->mode :
			       0;
	return attr->mode;
}

static const struct attribute_group uacce_dev_group = {
	.attrs = uacce_dev_attrs,
	.is_visible = uacce_dev_is_visible,
};

const struct attribute_group *uacce_dev_groups[] = {
	&uacce_dev_group,
	NULL,
};
