// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * dsa_soft: software DSA devices on the uacce framework.  Each entry of
 * wq_modes becomes one device, /dev/dsa_soft-<id>, whose queues are
 * all dedicated or all shared.  The parent is a platform device with no
 * IOMMU: the soft device reaches user memory through the CPU's page
 * tables, so it says UACCE_DEV_NOIOMMU rather than binding a PASID.
 * require_sva=1 asks for SVA anyway, to show the framework's refusal.
 */
#include <linux/module.h>
#include <linux/nodemask.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "dsa_soft.h"

#define DSA_SOFT_MAX_DEVICES 8

static char *wq_modes = "dedicated,shared";
module_param(wq_modes, charp, 0444);
MODULE_PARM_DESC(wq_modes, "one device per entry: dedicated or shared");
static uint wq_size = 32;
module_param(wq_size, uint, 0444);
MODULE_PARM_DESC(wq_size, "entries per queue (1..64)");
static uint threshold;
module_param(threshold, uint, 0444);
MODULE_PARM_DESC(threshold, "shared queues refuse at this occupancy (0: wq_size)");
static uint max_queues = 64;
module_param(max_queues, uint, 0444);
MODULE_PARM_DESC(max_queues, "open queues per device");
static bool require_sva;
module_param(require_sva, bool, 0444);
MODULE_PARM_DESC(require_sva, "register as an SVA device (refused: no IOMMU)");
static uint dsa_version = 1;
module_param(dsa_version, uint, 0444);
MODULE_PARM_DESC(dsa_version, "DSA version presented (op_cap): 1 or 2");

static struct dsa_soft_dev *devs[DSA_SOFT_MAX_DEVICES];
static int ndevs;

/*
 * The parent, with a NUMA node: upstream clients (UADK's libwd) read
 * /sys/class/uacce/<dev>/device/numa_node, and a platform device shows
 * numa_node only when its node is set before it is added (drivers/base/
 * platform.c, platform_dev_attrs_visible()).  A software device is as near
 * to one node as to another: take the first online one.
 */
static struct platform_device *dsa_soft_parent(int idx)
{
	struct platform_device *pdev;
	int rc;

	pdev = platform_device_alloc("dsa_soft", idx);
	if (!pdev)
		return ERR_PTR(-ENOMEM);
	set_dev_node(&pdev->dev, first_online_node);
	rc = platform_device_add(pdev);
	if (rc) {
		platform_device_put(pdev);
		return ERR_PTR(rc);
	}
	return pdev;
}

static void dsa_soft_destroy(struct dsa_soft_dev *sd)
{
	if (sd->uacce)
		uacce_remove(sd->uacce);
	platform_device_unregister(sd->pdev);
	kfree(sd);
}

static int dsa_soft_create(int idx, u32 mode)
{
	struct uacce_interface in = {
		.name = "dsa_soft",
		.api = UACCE_API_DSA,
		.algs = "memmove\nfill\ncompare\ncompval\ncr_delta\nap_delta\n"
			"dualcast\ncrc32c\ncopy_crc32c\ncflush",
		.flags = require_sva ? UACCE_DEV_SVA : UACCE_DEV_NOIOMMU,
		.region_size = { PAGE_SIZE, PAGE_SIZE },
		.mode = mode,
		.wq_size = wq_size,
		.threshold = mode == UACCE_DSA_WQ_SHARED && threshold ?
				     threshold : wq_size,
		.max_xfer = DSA_DEFAULT_MAX_XFER,
		.max_batch = DSA_DEFAULT_MAX_BATCH,
		.op_cap = dsa_version == 2 ? DSA_OPCAP_DSA2 : DSA_OPCAP_DSA1,
		.submit = UACCE_DSA_SUBMIT_RING | UACCE_DSA_SUBMIT_WRITE |
			  UACCE_DSA_SUBMIT_TAKE_BACK,
		.ring_slots = UACCE_SOFT_RING_SLOTS,
		.ops = &dsa_soft_ops,
	};
	struct dsa_soft_dev *sd;
	int rc;

	sd = kzalloc(sizeof(*sd), GFP_KERNEL);
	if (!sd)
		return -ENOMEM;
	sd->max_queues = max_queues;
	in.priv = sd;
	sd->pdev = dsa_soft_parent(idx);
	if (IS_ERR(sd->pdev)) {
		rc = PTR_ERR(sd->pdev);
		kfree(sd);
		return rc;
	}
	sd->uacce = uacce_alloc(&sd->pdev->dev, &in);
	if (IS_ERR(sd->uacce)) {
		rc = PTR_ERR(sd->uacce);
		sd->uacce = NULL;
		dsa_soft_destroy(sd);
		return rc;
	}
	rc = uacce_register(sd->uacce);
	if (rc) {
		dsa_soft_destroy(sd);
		return rc;
	}
	devs[ndevs++] = sd;
	dev_info(&sd->uacce->dev, "%s queues of %u entries\n",
		 mode == UACCE_DSA_WQ_SHARED ? "shared" : "dedicated", wq_size);
	return 0;
}

static void dsa_soft_exit(void)
{
	while (ndevs)
		dsa_soft_destroy(devs[--ndevs]);
}

static int __init dsa_soft_init(void)
{
	char *list, *cur, *tok;
	int rc = 0;

	if (!wq_size || wq_size > UACCE_SOFT_RING_SLOTS ||
	    threshold > wq_size || !max_queues ||
	    (dsa_version != 1 && dsa_version != 2)) {
		pr_err("dsa_soft: wq_size must be 1..%d, threshold <= wq_size, max_queues > 0, dsa_version 1 or 2\n",
		       UACCE_SOFT_RING_SLOTS);
		return -EINVAL;
	}
	list = kstrdup(wq_modes, GFP_KERNEL);
	if (!list)
		return -ENOMEM;
	cur = list;
	while (!rc && (tok = strsep(&cur, ","))) {
		u32 mode;

		if (!strcmp(tok, "dedicated")) {
			mode = UACCE_DSA_WQ_DEDICATED;
		} else if (!strcmp(tok, "shared")) {
			mode = UACCE_DSA_WQ_SHARED;
		} else {
			pr_err("dsa_soft: wq_modes: '%s' is neither dedicated nor shared\n",
			       tok);
			rc = -EINVAL;
			break;
		}
		if (ndevs == DSA_SOFT_MAX_DEVICES) {
			pr_err("dsa_soft: at most %d devices\n",
			       DSA_SOFT_MAX_DEVICES);
			rc = -EINVAL;
			break;
		}
		rc = dsa_soft_create(ndevs, mode);
	}
	kfree(list);
	if (!rc && !ndevs)
		rc = -EINVAL;
	if (rc)
		dsa_soft_exit();
	return rc;
}

static void __exit dsa_soft_unload(void)
{
	dsa_soft_exit();
}

module_init(dsa_soft_init);
module_exit(dsa_soft_unload);
MODULE_LICENSE("Dual MIT/GPL");
MODULE_DESCRIPTION("software DSA device on /dev/uacce");
MODULE_AUTHOR("uaccel");
MODULE_SOFTDEP("pre: uaccel");
