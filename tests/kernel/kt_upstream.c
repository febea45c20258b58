// SPDX-License-Identifier: MIT
/*
 * Every uacce device the guest has, used exactly as an upstream uacce
 * client (Linaro UADK's libwd) uses one.  Written from upstream's
 * documented ABI, not from our headers:
 *   include/uapi/misc/uacce/uacce.h          START_Q, PUT_Q, the SVA flag,
 *                                            region types MMIO 0, DUS 1
 *   Documentation/ABI/testing/sysfs-driver-uacce   the attributes
 *   drivers/misc/uacce/uacce.c               node /dev/<name>-<id> (no
 *       devnode callback), regions mapped once at offset type * page size,
 *       poll readable only after the driver's "queue updated", unknown
 *       ioctl -EINVAL, PUT_Q idempotent, START_Q only from INIT
 * The one device-specific step, making a completion happen, follows the
 * device's "api": for "dsa-1.0" a DSA no-op descriptor (the DSA layout from
 * dsa_hw.h, the device's own specification) written with write(2) where
 * the device offers it (dsa_submit bit 2).
 *
 * Non-root: run as root, the program also forks children that drop to the
 * guest's unprivileged users (a member of the device group "uaccel" and an
 * outsider) and checks what each may and may not do.  With --drop U:G:S it
 * drops to uid U, gid G, supplementary group S first and runs everything
 * as that user.  --testdev: the test-only driver's device must be there.
 * --poll-removal: only the removal check (ours, not upstream's) below.
 *
 * Prints PASS/FAIL lines and "upstream: N passed, M failed".
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dsa_hw.h"

/* include/uapi/misc/uacce/uacce.h, restated. */
#define UP_CMD_START_Q _IO('W', 0)
#define UP_CMD_PUT_Q _IO('W', 1)
#define UP_DEV_SVA (1u << 0)
#define UP_QFRT_MMIO 0
#define UP_QFRT_DUS 1
#define UP_CLASS "/sys/class/uacce"
#define UP_MAX_ERR_THRESHOLD 65535

/* The guest's users (tests/guest/mkinitramfs.sh writes /etc/passwd). */
#define GROUP_NAME "uaccel"
#define UID_MEMBER 1000
#define UID_OUTSIDER 1001

static int passed, failed;

static void check(bool ok, const char *dev, const char *what, long detail)
{
	if (ok) {
		passed++;
		printf("PASS %s: %s\n", dev, what);
	} else {
		failed++;
		printf("FAIL %s: %s (%ld, errno %d %s)\n", dev, what, detail,
		       errno, strerror(errno));
	}
	fflush(stdout);
}

static long page(void)
{
	return sysconf(_SC_PAGESIZE);
}

/* Whole attribute file; -errno if it cannot be read. */
static int attr_read(const char *dev, const char *attr, char *buf, size_t len)
{
	char p[512];
	ssize_t n;
	int fd;

	snprintf(p, sizeof(p), "%s/%s/%s", UP_CLASS, dev, attr);
	fd = open(p, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0) {
		n = -errno;
		close(fd);
		return (int)n;
	}
	close(fd);
	buf[n] = 0;
	return 0;
}

static bool attr_exists(const char *dev, const char *attr)
{
	char p[512];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s/%s", UP_CLASS, dev, attr);
	return stat(p, &st) == 0;
}

static unsigned attr_mode(const char *dev, const char *attr)
{
	char p[512];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s/%s", UP_CLASS, dev, attr);
	return stat(p, &st) ? 0 : st.st_mode & 07777;
}

/* A decimal (optionally signed) integer and one newline, nothing else. */
static bool parse_line_long(const char *s, long *v)
{
	char *end;

	errno = 0;
	*v = strtol(s, &end, 10);
	return end != s && !errno && end[0] == '\n' && end[1] == 0;
}

static long attr_long(const char *dev, const char *attr)
{
	char buf[64];
	long v;

	if (attr_read(dev, attr, buf, sizeof(buf)) ||
	    !parse_line_long(buf, &v))
		return -1000;
	return v;
}

/* ---- discovery and attributes ---- */

static const char *const upstream_attrs[] = {
	"api", "flags", "available_instances", "algorithms",
	"region_mmio_size", "region_dus_size", "isolate", "isolate_strategy",
};

static bool is_upstream_attr(const char *n)
{
	for (size_t i = 0; i < sizeof(upstream_attrs) / sizeof(*upstream_attrs);
	     i++)
		if (!strcmp(n, upstream_attrs[i]))
			return true;
	/* The device core's own files of every class device. */
	return !strcmp(n, "dev") || !strcmp(n, "uevent");
}

static void check_attrs(const char *dev)
{
	char buf[4096], path[512];
	struct dirent *e;
	long v;
	DIR *d;

	/* Required everywhere, read-only to all (DEVICE_ATTR_RO). */
	check(!attr_read(dev, "api", buf, sizeof(buf)) && buf[0] != '\n' &&
		      strchr(buf, '\n') == buf + strlen(buf) - 1,
	      dev, "api: one non-empty line", 0);
	check(!attr_read(dev, "flags", buf, sizeof(buf)) &&
		      parse_line_long(buf, &v) && v >= 0,
	      dev, "flags: unsigned decimal", 0);
	check(!attr_read(dev, "available_instances", buf, sizeof(buf)) &&
		      parse_line_long(buf, &v) && v >= 0,
	      dev, "available_instances: decimal >= 0", 0);
	check(!attr_read(dev, "algorithms", buf, sizeof(buf)) &&
		      buf[0] != '\n' && buf[strlen(buf) - 1] == '\n',
	      dev, "algorithms: newline-terminated list", 0);
	for (int i = 0; i < 4; i++)
		check(attr_mode(dev, upstream_attrs[i]) == 0444, dev,
		      upstream_attrs[i], attr_mode(dev, upstream_attrs[i]));

	/* Region sizes: present only for a region that exists, then a
	 * positive multiple of the page size. */
	for (int r = 0; r < 2; r++) {
		const char *a = r ? "region_dus_size" : "region_mmio_size";

		if (!attr_exists(dev, a))
			continue;
		v = attr_long(dev, a);
		check(v > 0 && v % page() == 0, dev,
		      r ? "region_dus_size present: > 0, page multiple" :
			  "region_mmio_size present: > 0, page multiple",
		      v);
		check(attr_mode(dev, a) == 0444, dev, "region size mode 0444",
		      attr_mode(dev, a));
	}

	/* Isolation: optional; when there, upstream's formats and modes. */
	if (attr_exists(dev, "isolate")) {
		v = attr_long(dev, "isolate");
		check((v == 0 || v == 1) && attr_mode(dev, "isolate") == 0444,
		      dev, "isolate: 0 or 1, mode 0444", v);
	}
	if (attr_exists(dev, "isolate_strategy")) {
		v = attr_long(dev, "isolate_strategy");
		check(v >= 0 && v <= UP_MAX_ERR_THRESHOLD &&
			      attr_mode(dev, "isolate_strategy") == 0644,
		      dev, "isolate_strategy: 0..65535, mode 0644", v);
	}

	/* Anything else must be a documented extension (dsa_*): no
	 * attribute may reuse or shadow an upstream name differently. */
	snprintf(path, sizeof(path), "%s/%s", UP_CLASS, dev);
	d = opendir(path);
	check(d != NULL, dev, "class directory opens", 0);
	while (d && (e = readdir(d))) {
		struct stat st;
		char f[1024];

		snprintf(f, sizeof(f), "%s/%s", path, e->d_name);
		if (lstat(f, &st) || !S_ISREG(st.st_mode))
			continue;
		if (!is_upstream_attr(e->d_name) &&
		    strncmp(e->d_name, "dsa_", 4)) {
			check(false, dev, "unexpected attribute", 0);
			printf("  (%s)\n", e->d_name);
		}
	}
	if (d)
		closedir(d);

	/* The parent's NUMA node, which libwd reads to place the queue. */
	check(!attr_read(dev, "device/numa_node", buf, sizeof(buf)) &&
		      parse_line_long(buf, &v) && v >= -1,
	      dev, "device/numa_node readable", 0);
}

/* /dev/<class device name>, a char device with the class's dev_t. */
static void check_node(const char *dev)
{
	char p[512], buf[64];
	unsigned maj = 0, min = 0;
	struct stat st;

	snprintf(p, sizeof(p), "/dev/%s", dev);
	check(stat(p, &st) == 0 && S_ISCHR(st.st_mode), dev,
	      "node /dev/<name>-<id> is a char device", 0);
	check(!attr_read(dev, "dev", buf, sizeof(buf)) &&
		      sscanf(buf, "%u:%u", &maj, &min) == 2 &&
		      major(st.st_rdev) == maj && minor(st.st_rdev) == min,
	      dev, "node's dev_t matches sysfs dev", (long)maj);
}

/* ---- a queue's life ---- */

static bool dsa_write_capable(const char *dev)
{
	char api[64];

	return !attr_read(dev, "api", api, sizeof(api)) &&
	       !strcmp(api, "dsa-1.0\n") && (attr_long(dev, "dsa_submit") & 4);
}

/* One DSA no-op asking for a completion record; 0 or -errno. */
static int dsa_noop(int fd, volatile struct dsa_comp *comp)
{
	struct dsa_desc d;

	memset(&d, 0, sizeof(d));
	memset((void *)comp, 0, sizeof(*comp));
	d.op_flags = dsa_op_flags(DSA_OP_NOOP, DSA_FLAG_CRAV | DSA_FLAG_RCR);
	d.completion_addr = (uintptr_t)comp;
	return write(fd, &d, sizeof(d)) == (ssize_t)sizeof(d) ? 0 : -errno;
}

static uint8_t wait_status(volatile struct dsa_comp *c, int ms)
{
	for (int i = 0; i < ms * 10; i++) {
		uint8_t s = __atomic_load_n(&c->status, __ATOMIC_ACQUIRE);

		if (s)
			return s;
		usleep(100);
	}
	return 0;
}

static void check_queue(const char *dev)
{
	long mmio = attr_exists(dev, "region_mmio_size") ?
			    attr_long(dev, "region_mmio_size") :
			    0;
	long dus = attr_exists(dev, "region_dus_size") ?
			   attr_long(dev, "region_dus_size") :
			   0;
	long avail0 = attr_long(dev, "available_instances");
	static struct dsa_comp comp __attribute__((aligned(32)));
	struct pollfd pfd;
	char p[512];
	void *m = MAP_FAILED, *u = MAP_FAILED;
	int fd, rc;

	snprintf(p, sizeof(p), "/dev/%s", dev);
	fd = open(p, O_RDWR | O_CLOEXEC);
	check(fd >= 0, dev, "open /dev/<name>-<id>", fd);
	if (fd < 0)
		return;
	check(avail0 > 0 && attr_long(dev, "available_instances") == avail0 - 1,
	      dev, "open takes one instance", avail0);

	/* libwd's order: map the regions, then START_Q. */
	if (mmio) {
		m = mmap(NULL, mmio, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
			 UP_QFRT_MMIO * page());
		check(m != MAP_FAILED, dev, "mmap MMIO region at offset 0", 0);
		check(mmap(NULL, mmio, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
			   UP_QFRT_MMIO * page()) == MAP_FAILED &&
			      errno == EEXIST,
		      dev, "MMIO mapped twice: EEXIST", 0);
	}
	if (dus) {
		u = mmap(NULL, dus, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
			 UP_QFRT_DUS * page());
		check(u != MAP_FAILED, dev, "mmap DUS region at one page", 0);
	}
	check(mmap(NULL, page(), PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		   2 * page()) == MAP_FAILED &&
		      errno == EINVAL,
	      dev, "no region type 2: EINVAL", 0);

	check(ioctl(fd, UP_CMD_START_Q) == 0, dev, "START_Q", 0);
	check(ioctl(fd, UP_CMD_START_Q) == -1 && errno == EINVAL, dev,
	      "START_Q again: EINVAL", 0);

	/* Unknown commands: -EINVAL (upstream's default case), whether in
	 * upstream's type, a neighbour of its numbers, or a driver's own
	 * (hisi_qm's _IOWR('H', 10, ...)). */
	check(ioctl(fd, _IO('W', 2)) == -1 && errno == EINVAL, dev,
	      "ioctl _IO('W', 2): EINVAL", 0);
	check(ioctl(fd, _IO('W', 0x3f)) == -1 && errno == EINVAL, dev,
	      "ioctl _IO('W', 0x3f): EINVAL", 0);
	check(ioctl(fd, _IOWR('H', 10, uint64_t), &(uint64_t){ 0 }) == -1 &&
		      errno == EINVAL,
	      dev, "ioctl _IOWR('H', 10): EINVAL", 0);

	/* poll: nothing happened, so it must time out, not spin. */
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	rc = poll(&pfd, 1, 200);
	check(rc == 0, dev, "poll on an idle queue times out", rc);

	if (dsa_write_capable(dev)) {
		rc = dsa_noop(fd, &comp);
		check(rc == 0, dev, "submit a no-op", rc);
		pfd.revents = 0;
		rc = poll(&pfd, 1, 5000);
		check(rc == 1 && (pfd.revents & POLLIN), dev,
		      "poll wakes on a completion", rc);
		check(wait_status(&comp, 1000) == DSA_COMP_SUCCESS, dev,
		      "the completion record says success", comp.status);
		/* Readable once per update, as upstream's is_q_updated. */
		rc = poll(&pfd, 1, 100);
		check(rc == 0, dev, "poll after the wake-up times out again",
		      rc);
	} else {
		printf("SKIP %s: no way to make a completion on this api\n",
		       dev);
	}

	check(ioctl(fd, UP_CMD_PUT_Q) == 0, dev, "PUT_Q", 0);
	check(ioctl(fd, UP_CMD_PUT_Q) == 0, dev, "PUT_Q again: 0", 0);
	check(ioctl(fd, UP_CMD_START_Q) == -1 && errno == EINVAL, dev,
	      "START_Q after PUT_Q: EINVAL", 0);
	if (dus && u == MAP_FAILED)
		check(false, dev, "DUS was not mapped", 0);
	check(mmap(NULL, page(), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) ==
			      MAP_FAILED &&
		      errno == EINVAL,
	      dev, "mmap after PUT_Q: EINVAL", 0);
	if (m != MAP_FAILED)
		munmap(m, mmio);
	if (u != MAP_FAILED)
		munmap(u, dus);
	close(fd);
	check(attr_long(dev, "available_instances") == avail0, dev,
	      "release gives the instance back", avail0);
}

/* Every class device, in name order; their count. */
static int for_each_device(void (*fn)(const char *))
{
	struct dirent **names;
	int n, count = 0;

	n = scandir(UP_CLASS, &names, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.') {
			fn(names[i]->d_name);
			count++;
		}
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	return count;
}

/*
 * The test-only driver (tests/kernel/stub/uacce_testdev.c) has no DUS
 * region and implements isolation: upstream hides region_dus_size, shows
 * isolate (0444) and isolate_strategy (0644, 0..65535).
 */
static int testdevs;

static bool attr_write(const char *dev, const char *attr, const char *val)
{
	char p[512];
	ssize_t n;
	int fd;

	snprintf(p, sizeof(p), "%s/%s/%s", UP_CLASS, dev, attr);
	fd = open(p, O_WRONLY);
	if (fd < 0)
		return false;
	n = write(fd, val, strlen(val));
	close(fd);
	return n == (ssize_t)strlen(val);
}

static void check_testdev(const char *dev)
{
	char p[512];

	testdevs++;
	check(!attr_exists(dev, "region_dus_size"), dev,
	      "a region of size 0 has no size attribute", 0);
	check(attr_exists(dev, "region_mmio_size"), dev,
	      "the region that exists has one", 0);
	check(attr_long(dev, "isolate") == 0 &&
		      attr_mode(dev, "isolate") == 0444,
	      dev, "isolate: 0, mode 0444", attr_long(dev, "isolate"));
	check(attr_mode(dev, "isolate_strategy") == 0644, dev,
	      "isolate_strategy: mode 0644", attr_mode(dev, "isolate_strategy"));
	if (getuid() == 0) {
		check(attr_write(dev, "isolate_strategy", "7\n") &&
			      attr_long(dev, "isolate_strategy") == 7,
		      dev, "isolate_strategy takes 7", 0);
		check(!attr_write(dev, "isolate_strategy", "65536") &&
			      errno == EINVAL,
		      dev, "isolate_strategy refuses 65536: EINVAL", 0);
		check(attr_write(dev, "isolate_strategy", "0"), dev,
		      "isolate_strategy back to 0", 0);
	} else {
		check(!attr_write(dev, "isolate_strategy", "1") &&
			      errno == EACCES,
		      dev, "a user cannot set isolate_strategy", 0);
	}
	snprintf(p, sizeof(p), "/dev/%s", dev);
	{
		int fd = open(p, O_RDWR | O_CLOEXEC);

		check(fd >= 0 &&
			      mmap(NULL, page(), PROT_READ | PROT_WRITE,
				   MAP_SHARED, fd,
				   UP_QFRT_DUS * page()) == MAP_FAILED &&
			      errno == EINVAL,
		      dev, "mapping the region that does not exist: EINVAL",
		      fd);
		if (fd >= 0)
			close(fd);
	}
}

static void check_device(const char *dev)
{
	const char *dash = strrchr(dev, '-');

	check(dash && dash[1] && strspn(dash + 1, "0123456789") ==
					 strlen(dash + 1),
	      dev, "class device named <name>-<id>", 0);
	check_attrs(dev);
	check_node(dev);
	check_queue(dev);
	if (!strncmp(dev, "testdev-", 8))
		check_testdev(dev);
}

/* ---- non-root ---- */

static void check_member(const char *dev)
{
	char p[512], buf[64];
	struct stat st;
	int fd;

	snprintf(p, sizeof(p), "/dev/%s", dev);
	check(stat(p, &st) == 0 && st.st_uid == 0 &&
		      (st.st_mode & 0777) == 0660,
	      dev, "node is root-owned, mode 0660", st.st_mode & 0777);
	check(getgid() != 0 && getuid() != 0, dev, "running without root", 0);
	{
		struct group *gr = getgrnam(GROUP_NAME);

		check(gr && st.st_gid == gr->gr_gid, dev,
		      "node's group is " GROUP_NAME, (long)st.st_gid);
	}
	/* The whole upstream client flow works for a group member. */
	check_queue(dev);
	if (!strncmp(dev, "testdev-", 8))
		check_testdev(dev);
	/* sysfs is readable, never writable, by a user. */
	check(attr_read(dev, "api", buf, sizeof(buf)) == 0, dev,
	      "user reads api", 0);
	snprintf(p, sizeof(p), "%s/%s/api", UP_CLASS, dev);
	fd = open(p, O_WRONLY);
	check(fd < 0 && errno == EACCES, dev, "user cannot write api", fd);
	if (fd >= 0)
		close(fd);
	/* Executable portal mappings stay refused for users too. */
	snprintf(p, sizeof(p), "/dev/%s", dev);
	fd = open(p, O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		check(mmap(NULL, page(), PROT_READ | PROT_EXEC, MAP_SHARED, fd,
			   0) == MAP_FAILED,
		      dev, "user cannot map a region executable", 0);
		close(fd);
	}
}

static void check_outsider(const char *dev)
{
	char p[512];
	int fd;

	snprintf(p, sizeof(p), "/dev/%s", dev);
	fd = open(p, O_RDWR | O_CLOEXEC);
	check(fd < 0 && errno == EACCES, dev,
	      "a user outside " GROUP_NAME " cannot open", fd);
	if (fd >= 0)
		close(fd);
	check(attr_long(dev, "available_instances") >= 0, dev,
	      "an outsider still reads sysfs", 0);
}

static int drop(uid_t uid, gid_t gid, const gid_t *groups, int ngroups)
{
	if (setgroups((size_t)ngroups, groups) || setgid(gid) || setuid(uid))
		return -errno;
	return 0;
}

/* Run fn on every device in a child with those credentials; its counts
 * come back through a pipe. */
static void as_user(const char *who, uid_t uid, gid_t gid, const gid_t *groups,
		    int ngroups, void (*fn)(const char *))
{
	int counts[2] = { 0, 0 }, p[2], st = 0;
	pid_t pid;

	fflush(stdout);
	if (pipe(p)) {
		check(false, who, "pipe", 0);
		return;
	}
	pid = fork();
	if (pid == 0) {
		int rc = drop(uid, gid, groups, ngroups);

		close(p[0]);
		passed = failed = 0;
		check(rc == 0, who, "drop root", rc);
		if (!rc)
			check(for_each_device(fn) > 0, who,
			      "sees the uacce class devices", 0);
		fflush(stdout);
		counts[0] = passed;
		counts[1] = failed;
		_exit(write(p[1], counts, sizeof(counts)) == sizeof(counts) ?
			      0 :
			      1);
	}
	close(p[1]);
	if (pid < 0 || read(p[0], counts, sizeof(counts)) != sizeof(counts) ||
	    waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
	    WEXITSTATUS(st)) {
		check(false, who, "child ran to its end", st);
		counts[0] = counts[1] = 0;
	}
	close(p[0]);
	passed += counts[0];
	failed += counts[1];
}

static void check_nonroot(void)
{
	struct group *gr = getgrnam(GROUP_NAME);
	gid_t member_groups[1];

	check(gr != NULL, "guest", "group " GROUP_NAME " exists", 0);
	if (!gr)
		return;
	member_groups[0] = gr->gr_gid;
	as_user("member", UID_MEMBER, UID_MEMBER, member_groups, 1,
		check_member);
	as_user("outsider", UID_OUTSIDER, UID_OUTSIDER, NULL, 0,
		check_outsider);
}

/*
 * Ours, not upstream's: a poller learns that its device went away.  Opens
 * the first dsa_soft device, has "rmmod dsa_soft" run while it polls, and
 * wants EPOLLERR within the timeout (leaves dsa_soft unloaded).
 */
static void check_poll_removal(void)
{
	struct dirent **names;
	struct timespec t0, t1;
	struct pollfd pfd;
	char p[512] = "";
	int n, fd, rc;
	long ms;
	pid_t pid;

	n = scandir(UP_CLASS, &names, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		if (!p[0] && !strncmp(names[i]->d_name, "dsa_soft-", 9))
			snprintf(p, sizeof(p), "/dev/%s", names[i]->d_name);
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	fd = p[0] ? open(p, O_RDWR | O_CLOEXEC) : -1;
	check(fd >= 0, "removal", "open a dsa_soft queue", fd);
	if (fd < 0)
		return;
	check(ioctl(fd, UP_CMD_START_Q) == 0, "removal", "START_Q", 0);
	pid = fork();
	if (pid == 0) {
		/* Only once the parent sleeps in poll(): a removal before it
		 * polls would be seen without any wake-up. */
		char w[64], wp[64];

		snprintf(wp, sizeof(wp), "/proc/%d/wchan", (int)getppid());
		for (int i = 0; i < 1000; i++) {
			int wfd = open(wp, O_RDONLY);
			ssize_t k = wfd >= 0 ? read(wfd, w, sizeof(w) - 1) : -1;

			if (wfd >= 0)
				close(wfd);
			w[k > 0 ? k : 0] = 0;
			if (strstr(w, "poll"))
				break;
			usleep(10000);
		}
		usleep(100000);
		execlp("rmmod", "rmmod", "dsa_soft", (char *)NULL);
		_exit(127);
	}
	/* Woken, not merely told at the timeout (poll looks at the file
	 * once more when its time is up). */
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = poll(&pfd, 1, 20000);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 +
	     (t1.tv_nsec - t0.tv_nsec) / 1000000;
	check(rc == 1 && (pfd.revents & POLLERR) && ms < 15000, "removal",
	      "a poller wakes with POLLERR when its device is removed", ms);
	rc = -1;
	if (pid > 0)
		waitpid(pid, &rc, 0);
	check(rc == 0, "removal", "rmmod dsa_soft under an open queue", rc);
	close(fd);
}

int main(int argc, char **argv)
{
	bool want_testdev = false;
	unsigned u, g, s;
	int n;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--testdev")) {
			want_testdev = true;
		} else if (!strcmp(argv[i], "--poll-removal")) {
			check_poll_removal();
			printf("upstream: %d passed, %d failed\n", passed,
			       failed);
			return failed ? 1 : 0;
		} else if (!strcmp(argv[i], "--drop") && i + 1 < argc &&
			   sscanf(argv[i + 1], "%u:%u:%u", &u, &g, &s) == 3) {
			gid_t groups[1] = { s };

			check(drop(u, g, groups, 1) == 0, "self", "drop root",
			      0);
			i++;
		} else {
			fprintf(stderr,
				"usage: kt_upstream [--testdev] [--drop UID:GID:GROUP] | --poll-removal\n");
			return 2;
		}
	}
	n = for_each_device(check_device);
	check(n > 0, "guest", "at least one uacce class device", n);
	if (want_testdev)
		check(testdevs == 1, "guest", "the test driver's device seen",
		      testdevs);
	if (getuid() != 0)
		check(syscall(SYS_delete_module, "uaccel", O_NONBLOCK) == -1 &&
			      errno == EPERM,
		      "self", "a user cannot unload the framework", 0);
	if (getuid() == 0)
		check_nonroot();
	printf("upstream: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
