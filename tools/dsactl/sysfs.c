// SPDX-License-Identifier: MIT
/*
 * The driver's attributes: /sys/class/dsa_pci/<object>/<attribute>.  A
 * write the driver refuses fails with its errno, and its reason is in the
 * device's last_error (kernel/dsa_pci/dsa_pci_sysfs.c).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dsactl.h"

static int attr_path(char *buf, size_t len, const char *root, const char *obj,
		     const char *attr)
{
	int n = snprintf(buf, len, "%s/%s/%s", root, obj, attr);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int dsactl_read(const char *root, const char *obj, const char *attr,
		char *buf, size_t len)
{
	char path[512];
	ssize_t n;
	int fd, rc;

	rc = attr_path(path, sizeof(path), root, obj, attr);
	if (rc)
		return rc;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	rc = n < 0 ? -errno : 0;
	close(fd);
	if (rc)
		return rc;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	buf[n] = '\0';
	return 0;
}

int dsactl_read_ll(const char *root, const char *obj, const char *attr,
		   long long *val)
{
	char buf[64], *end;
	int rc = dsactl_read(root, obj, attr, buf, sizeof(buf));

	if (rc)
		return rc;
	errno = 0;
	*val = strtoll(buf, &end, 0);
	return end == buf || *end || errno ? -EINVAL : 0;
}

/* "wq3.1" -> "dsa3": the object whose last_error holds the reason. */
static void owner_of(const char *obj, char *buf, size_t len)
{
	const char *p = obj;

	while (*p && (*p < '0' || *p > '9'))
		p++;
	snprintf(buf, len, "dsa%.*s", (int)strcspn(p, "."), p);
}

int dsactl_write(const char *root, const char *obj, const char *attr,
		 const char *val, const char *where, FILE *err)
{
	char path[512], dev[64], reason[256];
	size_t len = strlen(val);
	ssize_t n;
	int fd, rc;

	rc = attr_path(path, sizeof(path), root, obj, attr);
	if (rc)
		return rc;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		fprintf(err, "%s%s: %s: %s\n", where, obj, attr, strerror(-rc));
		return rc;
	}
	n = write(fd, val, len);
	rc = n < 0 ? -errno : (size_t)n == len ? 0 : -EIO;
	close(fd);
	if (!rc)
		return 0;
	owner_of(obj, dev, sizeof(dev));
	if (dsactl_read(root, dev, "last_error", reason, sizeof(reason)) || !*reason)
		snprintf(reason, sizeof(reason), "(the driver gave no reason)");
	fprintf(err, "%s%s: %s=%s refused (%s): %s\n", where, obj, attr, val,
		strerror(-rc), reason);
	return rc;
}

int dsactl_caps_read(const char *root, int dev, struct dsactl_caps *caps)
{
	static const struct {
		const char *attr;
		size_t off;
		bool is_u64;
	} fields[] = {
#define F(a, f, w) { a, offsetof(struct dsactl_caps, f), w }
		F("max_work_queues", nwqs, false),
		F("max_groups", ngroups, false),
		F("max_engines", nengines, false),
		F("max_work_queues_size", total_size, false),
		F("max_transfer_size", max_xfer, true),
		F("max_batch_size", max_batch, true),
#undef F
	};
	char obj[32];
	long long v;
	size_t i;
	int rc;

	snprintf(obj, sizeof(obj), "dsa%d", dev);
	memset(caps, 0, sizeof(*caps));
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		rc = dsactl_read_ll(root, obj, fields[i].attr, &v);
		if (rc)
			return rc == -ENOENT ? -ENOENT : rc;
		if (fields[i].is_u64)
			*(unsigned long long *)((char *)caps + fields[i].off) =
				(unsigned long long)v;
		else
			*(unsigned int *)((char *)caps + fields[i].off) = (unsigned int)v;
	}
	if (!dsactl_read_ll(root, obj, "shared_mode", &v))
		caps->shared = v;
	if (!dsactl_read_ll(root, obj, "pasid_enabled", &v))
		caps->pasid = v;
	if (!dsactl_read_ll(root, obj, "block_on_fault", &v))
		caps->bof = v;
	return 0;
}

int dsactl_caps_sysfs(void *ctx, int dev, struct dsactl_caps *caps)
{
	return dsactl_caps_read(ctx, dev, caps);
}

/* "wq3.10" after "wq3.9": by prefix, device, then index. */
static int name_cmp(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	size_t px = strcspn(x, "0123456789"), py = strcspn(y, "0123456789");
	long dx, dy, ix = -1, iy = -1;
	char *e;
	int c;

	c = strncmp(x, y, px < py ? px : py);
	if (c || px != py)
		return c ? c : (px < py ? -1 : 1);
	dx = strtol(x + px, &e, 10);
	if (*e == '.')
		ix = strtol(e + 1, NULL, 10);
	dy = strtol(y + py, &e, 10);
	if (*e == '.')
		iy = strtol(e + 1, NULL, 10);
	if (dx != dy)
		return dx < dy ? -1 : 1;
	return ix < iy ? -1 : ix > iy;
}

int dsactl_names(const char *root, const char *prefix, char ***names, size_t *n)
{
	size_t cap = 0, cnt = 0, plen = strlen(prefix);
	char **v = NULL, **nv;
	struct dirent *e;
	DIR *d;

	*names = NULL;
	*n = 0;
	d = opendir(root);
	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, prefix, plen) || e->d_name[0] == '.')
			continue;
		if (cnt == cap) {
			cap = cap ? 2 * cap : 16;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv)
				goto nomem;
			v = nv;
		}
		v[cnt] = strdup(e->d_name);
		if (!v[cnt])
			goto nomem;
		cnt++;
	}
	closedir(d);
	if (cnt)
		qsort(v, cnt, sizeof(*v), name_cmp);
	*names = v;
	*n = cnt;
	return 0;
nomem:
	closedir(d);
	dsactl_names_free(v, cnt);
	return -ENOMEM;
}

void dsactl_names_free(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}
