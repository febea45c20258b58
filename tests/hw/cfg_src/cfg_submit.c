// SPDX-License-Identifier: MIT
/*
 * In the guest: one memmove on a dsa_pci queue through write(2), the
 * driver's submission path there (no MOVDIR64B or ENQCMD under TCG).
 *
 *   cfg_submit run NODE              copy 4 KiB, check record and bytes
 *   cfg_submit hold NODE READY GO    open and start, create READY, wait
 *                                    for GO, then expect -ENODEV from a
 *                                    write (the queue was disabled under
 *                                    the open file) and a clean close
 *
 * Exit 0 on success, 1 with a message otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdalign.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "uacce_abi.h"

static alignas(64) struct dsa_comp comp;
static alignas(4096) unsigned char src[4096], dst[4096];

static void nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void desc_memmove(struct dsa_desc *d)
{
	memset(d, 0, sizeof(*d));
	d->op_flags = ((uint32_t)DSA_OP_MEMMOVE << 24) | DSA_FLAG_CRAV | DSA_FLAG_RCR;
	d->completion_addr = (uintptr_t)&comp;
	d->src = (uintptr_t)src;
	d->dst = (uintptr_t)dst;
	d->size = sizeof(src);
}

static int open_started(const char *node)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "/dev/%s", node);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "cfg_submit: open %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (ioctl(fd, UACCE_CMD_START_Q)) {
		fprintf(stderr, "cfg_submit: start %s: %s\n", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static int run(const char *node)
{
	struct dsa_desc d;
	unsigned int i;
	ssize_t n;
	int fd, tries;

	for (i = 0; i < sizeof(src); i++)
		src[i] = (unsigned char)(i * 7 + 1);
	memset(dst, 0, sizeof(dst));
	memset(&comp, 0, sizeof(comp));
	fd = open_started(node);
	if (fd < 0)
		return 1;
	desc_memmove(&d);
	/* A shared queue answers EAGAIN at its threshold: retry a while. */
	for (tries = 0; (n = write(fd, &d, sizeof(d))) < 0 && errno == EAGAIN &&
			tries < 1000; tries++)
		nap_ms(1);
	if (n != (ssize_t)sizeof(d)) {
		fprintf(stderr, "cfg_submit: write to %s: %s\n", node,
			n < 0 ? strerror(errno) : "short");
		close(fd);
		return 1;
	}
	for (tries = 0; !__atomic_load_n(&comp.status, __ATOMIC_ACQUIRE) && tries < 10000;
	     tries++)
		nap_ms(1);
	close(fd);
	if (comp.status != DSA_COMP_SUCCESS) {
		fprintf(stderr, "cfg_submit: %s: completion status %#x\n", node, comp.status);
		return 1;
	}
	if (memcmp(src, dst, sizeof(src))) {
		fprintf(stderr, "cfg_submit: %s: the copy differs\n", node);
		return 1;
	}
	printf("cfg_submit: %s: memmove of %zu bytes completed\n", node, sizeof(src));
	return 0;
}

static int hold(const char *node, const char *ready, const char *go)
{
	struct dsa_desc d;
	int fd, rfd, tries;
	ssize_t n;

	fd = open_started(node);
	if (fd < 0)
		return 1;
	rfd = open(ready, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (rfd >= 0)
		close(rfd);
	for (tries = 0; access(go, F_OK) && tries < 60000; tries++)
		nap_ms(1);
	desc_memmove(&d);
	n = write(fd, &d, sizeof(d));
	if (n >= 0 || errno != ENODEV) {
		fprintf(stderr, "cfg_submit: %s after disable: write gave %zd (%s), expected ENODEV\n",
			node, n, n < 0 ? strerror(errno) : "accepted");
		close(fd);
		return 1;
	}
	if (close(fd)) {
		fprintf(stderr, "cfg_submit: close: %s\n", strerror(errno));
		return 1;
	}
	printf("cfg_submit: %s: ENODEV after disable, closed cleanly\n", node);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "run"))
		return run(argv[2]);
	if (argc == 5 && !strcmp(argv[1], "hold"))
		return hold(argv[2], argv[3], argv[4]);
	fprintf(stderr, "usage: cfg_submit run NODE | hold NODE READY GO\n");
	return 2;
}
