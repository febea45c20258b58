// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * dsa_pci: Intel DSA work queues as /dev/uacce devices, on a PCI function
 * or on the register twin (sim=1,2: one simulated DSA 1.0 and one 2.0).
 */
#include <linux/module.h>

#include "dsa_pci.h"

static char *sim = "";
module_param(sim, charp, 0444);
MODULE_PARM_DESC(sim, "simulated devices on the register twin: list of DSA versions, e.g. 1,2");

static int __init dsa_pci_init(void)
{
	int rc;

	rc = dsa_pci_cfg_module_init();
	if (rc)
		return rc;
	rc = dsa_pci_hw_init();
	if (rc)
		goto err_cfg;
	rc = dsa_pci_sim_init(sim);
	if (rc)
		goto err_hw;
	return 0;
err_hw:
	dsa_pci_hw_exit();
err_cfg:
	dsa_pci_cfg_module_exit();
	return rc;
}

static void __exit dsa_pci_exit(void)
{
	dsa_pci_sim_exit();
	dsa_pci_hw_exit();
	dsa_pci_cfg_module_exit();
}

module_init(dsa_pci_init);
module_exit(dsa_pci_exit);
MODULE_LICENSE("Dual MIT/GPL");
MODULE_DESCRIPTION("Intel DSA work queues on /dev/uacce (PCI or register twin)");
MODULE_AUTHOR("uaccel");
MODULE_SOFTDEP("pre: uaccel");
