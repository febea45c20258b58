// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Test only: a second kind of uacce device, registered through uaccel the
 * way any driver is, so that the upstream-client test (kt_upstream) meets
 * what the soft device never shows: a region of size 0 (upstream hides its
 * size attribute), the isolation attributes (shown only for a driver that
 * implements them), and an api other than "dsa-1.0".  Its queues do
 * nothing; the one region is a zeroed page.
 */
#include <linux/atomic.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/platform_device.h>

#include "uacce_drv.h"

#define TESTDEV_QUEUES 4

static struct platform_device *pdev;
static struct uacce_device *udev;
static struct page *zero;
static atomic_t open_queues = ATOMIC_INIT(0);
static u32 err_threshold;

static int td_available(struct uacce_device *u)
{
	return TESTDEV_QUEUES - atomic_read(&open_queues);
}

static int td_get_queue(struct uacce_device *u, struct uacce_queue *q)
{
	if (atomic_inc_return(&open_queues) > TESTDEV_QUEUES) {
		atomic_dec(&open_queues);
		return -EBUSY;
	}
	return 0;
}

static void td_put_queue(struct uacce_queue *q)
{
	atomic_dec(&open_queues);
}

static int td_mmap(struct uacce_queue *q, struct vm_area_struct *vma,
		   enum uacce_qfrt type)
{
	return vm_insert_page(vma, vma->vm_start, zero);
}

static int td_isolate_state(struct uacce_device *u)
{
	return 0;
}

static u32 td_threshold_read(struct uacce_device *u)
{
	return READ_ONCE(err_threshold);
}

static int td_threshold_write(struct uacce_device *u, u32 num)
{
	WRITE_ONCE(err_threshold, num);
	return 0;
}

static const struct uacce_ops td_ops = {
	.available_instances = td_available,
	.get_queue = td_get_queue,
	.put_queue = td_put_queue,
	.mmap = td_mmap,
	.get_isolate_state = td_isolate_state,
	.isolate_err_threshold_read = td_threshold_read,
	.isolate_err_threshold_write = td_threshold_write,
};

static int __init td_init(void)
{
	struct uacce_interface in = {
		.name = "testdev",
		.api = "test-1.0",
		.algs = "nothing",
		.region_size = { PAGE_SIZE, 0 },
		.ops = &td_ops,
	};
	int rc;

	zero = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!zero)
		return -ENOMEM;
	pdev = platform_device_alloc("uacce_testdev", 0);
	if (!pdev) {
		rc = -ENOMEM;
		goto out_page;
	}
	set_dev_node(&pdev->dev, first_online_node);
	rc = platform_device_add(pdev);
	if (rc) {
		platform_device_put(pdev);
		goto out_page;
	}
	udev = uacce_alloc(&pdev->dev, &in);
	if (IS_ERR(udev)) {
		rc = PTR_ERR(udev);
		goto out_pdev;
	}
	rc = uacce_register(udev);
	if (rc) {
		uacce_remove(udev);
		goto out_pdev;
	}
	return 0;

out_pdev:
	platform_device_unregister(pdev);
out_page:
	__free_page(zero);
	return rc;
}

static void __exit td_exit(void)
{
	uacce_remove(udev);
	platform_device_unregister(pdev);
	__free_page(zero);
}

module_init(td_init);
module_exit(td_exit);
MODULE_LICENSE("Dual MIT/GPL");
MODULE_DESCRIPTION("test-only uacce device: a zero-size region, isolation attributes");
