/* SPDX-License-Identifier: MIT */
/*
 * dsactl: configures dsa_pci devices through /sys/class/dsa_pci (see
 * kernel/dsa_pci/dsa_pci_sysfs.c and dsactl(8)).  The configuration file
 * is sections of key = value lines:
 *
 *   [dsa0]            enable
 *   [engine0.1]       group_id
 *   [wq0.1]           mode size threshold priority group_id
 *                     block_on_fault max_transfer_size max_batch_size enable
 *
 * conf.c parses and checks a file (every mistake reported with its line,
 * not only the first), sysfs.c reads and writes attributes, apply.c puts a
 * file into effect, list.c shows what is there.
 */
#ifndef DSACTL_H
#define DSACTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define DSACTL_SYSFS_DEFAULT "/sys/class/dsa_pci"

enum dsactl_kind {
	DSACTL_DSA,
	DSACTL_WQ,
	DSACTL_ENGINE,
};

/* Keys, in the order apply.c writes them. */
enum dsactl_key {
	DSACTL_K_GROUP_ID,
	DSACTL_K_MODE, /* value 1: dedicated, 0: shared */
	DSACTL_K_SIZE,
	DSACTL_K_THRESHOLD,
	DSACTL_K_PRIORITY,
	DSACTL_K_BOF,
	DSACTL_K_MAX_XFER,
	DSACTL_K_MAX_BATCH,
	DSACTL_K_ENABLE,
	DSACTL_K_COUNT,
};

struct dsactl_section {
	enum dsactl_kind kind;
	int dev; /* dsa<dev> */
	int idx; /* wq<dev>.<idx>, engine<dev>.<idx>; 0 for a device */
	unsigned int line; /* of its header */
	bool has[DSACTL_K_COUNT];
	long long val[DSACTL_K_COUNT];
	unsigned int key_line[DSACTL_K_COUNT];
};

struct dsactl_conf {
	const char *fname; /* for messages */
	struct dsactl_section *sec;
	size_t n, cap;
};

/* What a device allows (its dsa<d> attributes). */
struct dsactl_caps {
	unsigned int nwqs, ngroups, nengines, total_size;
	unsigned long long max_xfer, max_batch; /* max_batch 0: no batch */
	bool shared, pasid, bof;
};

/* Looks up a device's capabilities: 0, or -ENOENT when there is none. */
typedef int (*dsactl_caps_fn)(void *ctx, int dev, struct dsactl_caps *caps);

/* conf.c */
const char *dsactl_key_name(enum dsactl_key k);
const char *dsactl_kind_name(enum dsactl_kind k);
/* Parse text (NUL-terminated); every mistake goes to err as
 * "fname:line: message".  0, -EINVAL (mistakes found) or -ENOMEM. */
int dsactl_conf_parse(struct dsactl_conf *c, const char *fname,
		      const char *text, FILE *err);
/* Rules across lines and against each device's capabilities (caps may be
 * NULL: then only the file's own consistency).  0 or -EINVAL. */
int dsactl_conf_check(const struct dsactl_conf *c, dsactl_caps_fn caps,
		      void *ctx, FILE *err);
void dsactl_conf_free(struct dsactl_conf *c);
/* Section name, "wq0.1" and so on, into buf. */
void dsactl_section_name(const struct dsactl_section *s, char *buf,
			 size_t len);

/* sysfs.c: attributes under root (DSACTL_SYSFS_DEFAULT or --sysfs). */
int dsactl_read(const char *root, const char *obj, const char *attr,
		char *buf, size_t len);
int dsactl_read_ll(const char *root, const char *obj, const char *attr,
		   long long *val);
/* Write; on refusal prints the driver's reason (the device's last_error)
 * to err, prefixed with where ("file:line: " or ""). */
int dsactl_write(const char *root, const char *obj, const char *attr,
		 const char *val, const char *where, FILE *err);
int dsactl_caps_read(const char *root, int dev, struct dsactl_caps *caps);
/* dsactl_caps_fn over a sysfs root (ctx: the root). */
int dsactl_caps_sysfs(void *ctx, int dev, struct dsactl_caps *caps);
/* Object names present, sorted: devices ("dsa0"...) or one device's
 * queues and engines.  Free with dsactl_names_free. */
int dsactl_names(const char *root, const char *prefix, char ***names,
		 size_t *n);
void dsactl_names_free(char **names, size_t n);

/* apply.c */
int dsactl_apply(const char *root, const struct dsactl_conf *c, FILE *err);

/* list.c */
int dsactl_list(const char *root, FILE *out);
int dsactl_dump(const char *root, FILE *out);

#endif /* DSACTL_H */
