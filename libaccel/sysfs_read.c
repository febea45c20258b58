// SPDX-License-Identifier: MIT
/*
 * One sysfs attribute's text, for the backends that discover devices
 * through sysfs (uacce, idxd).  Each keeps its own idea of which trailing
 * characters to drop: this only reads.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#include "internal.h"

int accel_sysfs_read(const char *root, const char *obj, const char *attr,
		     char *buf, size_t len)
{
	char p[PATH_MAX];
	ssize_t n;
	int fd;

	snprintf(p, sizeof(p), "%s/%s/%s", root, obj, attr);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	return 0;
}
