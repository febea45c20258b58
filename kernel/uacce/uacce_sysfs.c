// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Attributes of /sys/class/uacce/<name>-<id>: upstream uacce's, then the
 * DSA facts a library needs before it opens a queue.
 */
#include <linux/device.h>
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

static struct attribute *uacce_dev_attrs[] = {
	&dev_attr_api.attr,
	&dev_attr_flags.attr,
	&dev_attr_available_instances.attr,
	&dev_attr_algorithms.attr,
	&dev_attr_region_mmio_size.attr,
	&dev_attr_region_dus_size.attr,
	&dev_attr_dsa_mode.attr,
	&dev_attr_dsa_wq_size.attr,
	&dev_attr_dsa_threshold.attr,
	&dev_attr_dsa_max_xfer.attr,
	&dev_attr_dsa_max_batch.attr,
	&dev_attr_dsa_op_cap.attr,
	&dev_attr_dsa_submit.attr,
	NULL,
};

static const struct attribute_group uacce_dev_group = {
	.attrs = uacce_dev_attrs,
};

const struct attribute_group *uacce_dev_groups[] = {
	&uacce_dev_group,
	NULL,
};
