// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * What the kernel's own uacce.ko looks like from outside, for the collision
 * test: the module name "uacce", the class "uacce" and the GPL export
 * uacce_alloc (drivers/misc/uacce/uacce.c).  It does nothing else.
 */
#include <linux/device.h>
#include <linux/err.h>
#include <linux/module.h>

#include "uacce_compat.h"

struct uacce_device;
struct uacce_interface;

struct uacce_device *uacce_alloc(struct device *parent,
				 struct uacce_interface *interface);
struct uacce_device *uacce_alloc(struct device *parent,
				 struct uacce_interface *interface)
{
	return ERR_PTR(-ENODEV);
}
EXPORT_SYMBOL_GPL(uacce_alloc);

static struct class *stub_class;

static int __init stub_init(void)
{
	stub_class = uacce_class_create("uacce");
	return PTR_ERR_OR_ZERO(stub_class);
}

static void __exit stub_exit(void)
{
	class_destroy(stub_class);
}

module_init(stub_init);
module_exit(stub_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("test stand-in for the kernel's own uacce");
