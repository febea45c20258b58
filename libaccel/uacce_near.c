// SPDX-License-Identifier: MIT
/*
 * Discovery of the uacce devices a context opens, by NUMA node.  A
 * device's node is its parent's: upstream uacce has no node attribute of
 * its own (Documentation/ABI/testing/sysfs-driver-uacce lists api, flags,
 * available_instances, algorithms and the region sizes), and its clients
 * (UADK's libwd) read /sys/class/uacce/<dev>/device/numa_node, the parent
 * PCI function's; our soft device gives its platform parent a node for
 * that reason (kernel/dsa_soft/dsa_soft_main.c).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "uacce_abi.h"
#include "uacce_near.h"

const char *accel_uacce_sysfs_root(void)
{
	const char *e = getenv("ACCEL_UACCE_SYSFS");

	return e && *e ? e : UACCE_SYSFS_DIR;
}

const char *accel_uacce_dev_root(void)
{
	const char *e = getenv("ACCEL_UACCE_DEV");

	return e && *e ? e : UACCE_DEV_DIR;
}

static int attr(const char *dev, const char *name, char *buf, size_t len)
{
	int rc = accel_sysfs_read(accel_uacce_sysfs_root(), dev, name, buf,
				  len);

	if (!rc)
		buf[strcspn(buf, "\n")] = 0;
	return rc;
}

bool accel_uacce_matches(const char *name, enum accel_wq_mode mode)
{
	char buf[64];

	if (attr(name, "api", buf, sizeof(buf)) || strcmp(buf, UACCE_API_DSA))
		return false;
	if (mode == ACCEL_WQ_AUTO)
		return true;
	if (attr(name, "dsa_mode", buf, sizeof(buf)))
		return false;
	return strtoul(buf, NULL, 10) ==
	       (mode == ACCEL_WQ_SHARED ? UACCE_DSA_WQ_SHARED :
					  UACCE_DSA_WQ_DEDICATED);
}

int accel_uacce_node(const char *name)
{
	char buf[32], *end;
	long v;

	if (attr(name, "device/numa_node", buf, sizeof(buf)))
		return -1;
	v = strtol(buf, &end, 10);
	return end != buf && !*end && v >= 0 && v < 1 << 16 ? (int)v : -1;
}

/* Keep name on node unless a device of that node is kept already; for a
 * single wanted node, keep only the nearest (the first among equals). */
static void consider(struct accel_uacce_found *f, const char *name, int node,
		     int want)
{
	unsigned i, n = f->near.n;
	size_t len = strlen(name);

	if (len >= sizeof(f->name[0]))
		return; /* no class device name is that long */
	if (want >= 0) {
		if (n && accel_numa_distance(want, node) >=
				 accel_numa_distance(want, f->near.node[0]))
			return;
		n = 0;
	} else {
		for (i = 0; i < n; i++)
			if (f->near.node[i] == node)
				return;
		if (n == ACCEL_NEAR_MAX)
			return;
	}
	memcpy(f->name[n], name, len + 1);
	f->near.node[n] = node;
	f->near.n = n + 1;
}

int accel_uacce_find(enum accel_wq_mode mode, int node,
		     struct accel_uacce_found *f)
{
	struct dirent **names;
	int n, i;

	memset(f, 0, sizeof(*f));
	n = scandir(accel_uacce_sysfs_root(), &names, NULL, alphasort);
	if (n < 0)
		return -ENODEV;
	for (i = 0; i < n; i++) {
		const char *d = names[i]->d_name;

		if (d[0] != '.' && accel_uacce_matches(d, mode))
			consider(f, d, accel_uacce_node(d), node);
		free(names[i]);
	}
	free(names);
	return f->near.n ? 0 : -ENODEV;
}
