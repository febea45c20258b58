// SPDX-License-Identifier: MIT
/* Test tool, not a product: see fake_sysfs.h. */
#include "fake_sysfs.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dsa_hw.h"

static char root[PATH_MAX], sysfs[PATH_MAX + 8], dev[PATH_MAX + 8];
static pid_t owner;

static void die(const char *what, const char *path)
{
	fprintf(stderr, "fake_sysfs: %s %s\n", what, path);
	abort();
}

const char *fs_new(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(root, sizeof(root), "%s/idxd-fake-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(root) || chmod(root, 0755))
		die("mkdtemp", root);
	snprintf(sysfs, sizeof(sysfs), "%s/sysfs", root);
	snprintf(dev, sizeof(dev), "%s/dev", root);
	if (mkdir(sysfs, 0755) || mkdir(dev, 0755))
		die("mkdir", root);
	owner = getpid();
	return root;
}

void fs_remove(void)
{
	char cmd[PATH_MAX + 16];
	int rc;

	if (!root[0] || owner != getpid())
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	rc = system(cmd);
	(void)rc;
	root[0] = 0;
}

const char *fs_sysfs(void)
{
	return sysfs;
}

const char *fs_dev(void)
{
	return dev;
}

void fs_attr(const char *obj, const char *attr, const char *text)
{
	char p[PATH_MAX * 2];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", sysfs, obj);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/%s/%s", sysfs, obj, attr);
	if (!text) {
		unlink(p);
		return;
	}
	f = fopen(p, "w");
	if (!f)
		die("fopen", p);
	fputs(text, f);
	fclose(f);
}

static void attr_u(const char *obj, const char *attr, unsigned long long v)
{
	char b[32];

	snprintf(b, sizeof(b), "%llu\n", v);
	fs_attr(obj, attr, b);
}

static void op_cap_text(const struct fs_dev *d, char *b, size_t len)
{
	switch (d->form) {
	case FS_FORM_5_6:
		snprintf(b, len, "%#llx\n", (unsigned long long)d->op_cap);
		break;
	case FS_FORM_5_13:
		snprintf(b, len, "%#llx 0 0 0\n",
			 (unsigned long long)d->op_cap);
		break;
	case FS_FORM_6_3:
	default:
		snprintf(b, len,
			 "00000000,00000000,00000000,00000000,00000000,00000000,"
			 "%08x,%08x\n",
			 (unsigned)(d->op_cap >> 32), (unsigned)d->op_cap);
		break;
	}
}

void fs_add_dev(const struct fs_dev *d)
{
	char obj[32], b[160];

	snprintf(obj, sizeof(obj), "dsa%u", d->id);
	op_cap_text(d, b, sizeof(b));
	fs_attr(obj, "op_cap", b);
	snprintf(b, sizeof(b), "%#llx\n", (unsigned long long)d->gen_cap);
	fs_attr(obj, "gen_cap", b);
	snprintf(b, sizeof(b), "%#x\n", d->version);
	fs_attr(obj, "version", b);
	snprintf(b, sizeof(b), "%d\n", d->numa_node);
	fs_attr(obj, "numa_node", b);
	snprintf(b, sizeof(b), "%s\n", d->state);
	fs_attr(obj, "state", b);
	attr_u(obj, "max_transfer_size", d->max_xfer_dev);
	attr_u(obj, "max_batch_size", d->max_batch_dev);
	attr_u(obj, "pasid_enabled", 1);
	attr_u(obj, "max_work_queues", 8);
}

void fs_add_wq(const struct fs_wq *w)
{
	char b[160], p[PATH_MAX * 2];
	int fd;

	snprintf(b, sizeof(b), "%s\n", w->mode);
	fs_attr(w->name, "mode", b);
	snprintf(b, sizeof(b), "%s\n", w->type);
	fs_attr(w->name, "type", b);
	snprintf(b, sizeof(b), "%s\n", w->state);
	fs_attr(w->name, "state", b);
	attr_u(w->name, "size", w->size);
	attr_u(w->name, "threshold", w->threshold);
	attr_u(w->name, "block_on_fault", w->bof);
	attr_u(w->name, "group_id", 0);
	attr_u(w->name, "priority", 10);
	if (w->max_xfer)
		attr_u(w->name, "max_transfer_size", w->max_xfer);
	if (w->max_batch)
		attr_u(w->name, "max_batch_size", w->max_batch);
	snprintf(b, sizeof(b), "%s\n", w->wq_name ? w->wq_name : "");
	fs_attr(w->name, "name", b);
	/* The node: a plain file stands for the character device. */
	snprintf(p, sizeof(p), "%s/%s", dev, w->name);
	fd = open(p, O_CREAT | O_WRONLY, 0666);
	if (fd < 0)
		die("create node", p);
	close(fd);
}

struct fs_dev fs_dev_default(void)
{
	/* A Sapphire Rapids DSA 1.0 as 6.3+ prints it: GENCAP with
	 * block-on-fault, 2 GiB transfers (shift 31), batches of 1024
	 * (shift 10). */
	struct fs_dev d = {
		.id = 0,
		.form = FS_FORM_6_3,
		.op_cap = DSA_OPCAP_DSA1,
		.gen_cap = 1ull | (31ull << 16) | (10ull << 21),
		.version = 0x100,
		.numa_node = 0,
		.state = "enabled",
		.max_xfer_dev = 1u << 31,
		.max_batch_dev = 1024,
	};

	return d;
}

struct fs_wq fs_wq_default(const char *name, bool shared)
{
	struct fs_wq w = {
		.name = name,
		.mode = shared ? "shared" : "dedicated",
		.type = "user",
		.state = "enabled",
		.size = 32,
		.threshold = shared ? 32 : 0,
		.bof = 1,
		.max_xfer = 1u << 31,
		.max_batch = 1024,
		.wq_name = "app1",
	};

	return w;
}
