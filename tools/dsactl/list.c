// SPDX-License-Identifier: MIT
/*
 * What is there: every device with its groups, engines and queues, as a
 * table (list) or as a configuration file that recreates it (dump).
 */
#include <errno.h>
#include <string.h>

#include "dsactl.h"

static const char *wq_keys[] = {
	"mode", "size", "threshold", "priority", "group_id", "block_on_fault",
	"max_transfer_size", "max_batch_size",
};

static void attr(const char *root, const char *obj, const char *name,
		 char *buf, size_t len)
{
	if (dsactl_read(root, obj, name, buf, len))
		snprintf(buf, len, "-");
}

static int for_device(const char *root, const char *dsa, const char *kind,
		      char ***names, size_t *n)
{
	char prefix[40];

	/* "wq3." for dsa3: the device's objects only. */
	snprintf(prefix, sizeof(prefix), "%s%s.", kind, dsa + 3);
	return dsactl_names(root, prefix, names, n);
}

static void list_device(const char *root, const char *dsa, FILE *out)
{
	char v[8][160];
	char **names;
	size_t n, i;

	attr(root, dsa, "version", v[0], sizeof(v[0]));
	attr(root, dsa, "state", v[1], sizeof(v[1]));
	attr(root, dsa, "max_work_queues", v[2], sizeof(v[2]));
	attr(root, dsa, "max_work_queues_size", v[3], sizeof(v[3]));
	attr(root, dsa, "max_groups", v[4], sizeof(v[4]));
	attr(root, dsa, "max_engines", v[5], sizeof(v[5]));
	attr(root, dsa, "pasid_enabled", v[6], sizeof(v[6]));
	fprintf(out, "%s  version %s  %s  queues %s (%s entries)  groups %s  engines %s  pasid %s\n",
		dsa, v[0], v[1], v[2], v[3], v[4], v[5],
		!strcmp(v[6], "1") ? "yes" : "no");
	if (!for_device(root, dsa, "group", &names, &n)) {
		for (i = 0; i < n; i++) {
			attr(root, names[i], "engines", v[0], sizeof(v[0]));
			attr(root, names[i], "work_queues", v[1], sizeof(v[1]));
			fprintf(out, "  %-10s engines: %s  queues: %s\n", names[i],
				*v[0] ? v[0] : "-", *v[1] ? v[1] : "-");
		}
		dsactl_names_free(names, n);
	}
	if (!for_device(root, dsa, "wq", &names, &n)) {
		for (i = 0; i < n; i++) {
			attr(root, names[i], "state", v[0], sizeof(v[0]));
			attr(root, names[i], "mode", v[1], sizeof(v[1]));
			attr(root, names[i], "size", v[2], sizeof(v[2]));
			attr(root, names[i], "threshold", v[3], sizeof(v[3]));
			attr(root, names[i], "priority", v[4], sizeof(v[4]));
			attr(root, names[i], "group_id", v[5], sizeof(v[5]));
			attr(root, names[i], "clients", v[6], sizeof(v[6]));
			attr(root, names[i], "uacce", v[7], sizeof(v[7]));
			fprintf(out, "  %-10s %-8s %-9s size %-4s threshold %-4s priority %-2s group %-2s clients %-3s node %s\n",
				names[i], v[0], v[1], v[2], v[3], v[4], v[5], v[6],
				*v[7] ? v[7] : "-");
		}
		dsactl_names_free(names, n);
	}
}

int dsactl_list(const char *root, FILE *out)
{
	char **devs;
	size_t n, i;
	int rc;

	rc = dsactl_names(root, "dsa", &devs, &n);
	if (rc)
		return rc;
	if (!n)
		fprintf(out, "no dsa_pci devices\n");
	for (i = 0; i < n; i++)
		list_device(root, devs[i], out);
	dsactl_names_free(devs, n);
	return 0;
}

static void dump_device(const char *root, const char *dsa, FILE *out)
{
	char v[160], **names;
	size_t n, i, k;

	attr(root, dsa, "enable", v, sizeof(v));
	fprintf(out, "[%s]\nenable = %s\n\n", dsa, v);
	if (!for_device(root, dsa, "engine", &names, &n)) {
		for (i = 0; i < n; i++) {
			attr(root, names[i], "group_id", v, sizeof(v));
			fprintf(out, "[%s]\ngroup_id = %s\n\n", names[i], v);
		}
		dsactl_names_free(names, n);
	}
	if (!for_device(root, dsa, "wq", &names, &n)) {
		for (i = 0; i < n; i++) {
			fprintf(out, "[%s]\n", names[i]);
			for (k = 0; k < sizeof(wq_keys) / sizeof(wq_keys[0]); k++) {
				/* A dedicated queue has no threshold; a device
				 * without batch shows no max_batch_size. */
				if (dsactl_read(root, names[i], wq_keys[k], v, sizeof(v)) ||
				    (!strcmp(wq_keys[k], "threshold") && !strcmp(v, "0")))
					continue;
				fprintf(out, "%s = %s\n", wq_keys[k], v);
			}
			attr(root, names[i], "enable", v, sizeof(v));
			fprintf(out, "enable = %s\n\n", v);
		}
		dsactl_names_free(names, n);
	}
}

int dsactl_dump(const char *root, FILE *out)
{
	char **devs;
	size_t n, i;
	int rc;

	rc = dsactl_names(root, "dsa", &devs, &n);
	if (rc)
		return rc;
	fprintf(out, "# dsactl dump: the configuration of every dsa_pci device\n\n");
	for (i = 0; i < n; i++)
		dump_device(root, devs[i], out);
	dsactl_names_free(devs, n);
	return 0;
}
