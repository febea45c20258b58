// SPDX-License-Identifier: MIT
/*
 * Liveness and isolation of the soft device's queues against hostile
 * programs (issue 9's four defect classes), run as root in the QEMU guest:
 *
 *   batch-close     a BATCH of huge compare-value members, then close():
 *                   close ends in bounded time, and meanwhile another
 *                   process's open() and available_instances do not wait
 *   uffd-write      write(2) from a buffer stalled in userfaultfd: the
 *                   queue's other calls do not wait for it
 *   uffd-record     a completion record stalled in userfaultfd, owner
 *                   SIGKILLed: it dies, and others can open meanwhile
 *   uffd-rmmod      the same record stalled: the driver unloads
 *   ring-garbage    garbage sequence numbers in the ring and a doorbell:
 *                   the worker sleeps (its CPU time is measured)
 *   dofork          madvise(MADV_DOFORK) then fork: the child sees no
 *                   mapping and the worker runs nothing the child wrote
 *
 * Each case runs in processes of its own with deadlines, so a defect shows
 * as a failure with the time it took rather than a hung guest (the
 * stragglers are released at the end of the case).
 * Usage: kt_liveness [--ko DSA_SOFT_KO] [dofork|ring|uffd|batch]...
 * Prints "liveness: N passed, M failed".
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kt_util.h"

static unsigned passed, failed;

static void check(bool ok, const char *what, long detail)
{
	printf("%s: %s (%ld)\n", ok ? "ok" : "FAIL", what, detail);
	fflush(stdout);
	if (ok)
		passed++;
	else
		failed++;
}

static long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Wait for pid up to ms; its status, or -1 if it is still there. */
static int wait_ms(pid_t pid, long ms)
{
	long end = now_ms() + ms;
	int status;

	do {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return status;
		usleep(10000);
	} while (now_ms() < end);
	return -1;
}

/* Read a long from fd within ms; -1 on timeout or end of file. */
static long read_ms(int fd, long ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	long v;

	if (poll(&p, 1, (int)ms) != 1 || read(fd, &v, sizeof(v)) != sizeof(v))
		return -1;
	return v;
}

static void send_long(int fd, long v)
{
	if (write(fd, &v, sizeof(v)) != sizeof(v))
		_exit(99);
}

/*
 * A child that opens a queue of dev, closes it and reads dev's
 * available_instances, and reports how long that took, in ms, on fd.
 */
static pid_t probe_open(const char *dev, int fd)
{
	pid_t pid = fork();

	if (pid == 0) {
		long t0 = now_ms();
		struct kt_q q;

		if (kt_open(&q, dev, false, false))
			_exit(1);
		kt_close(&q);
		if (kt_sysfs_long(dev, "available_instances") < 0)
			_exit(2);
		send_long(fd, now_ms() - t0);
		_exit(0);
	}
	return pid;
}

/* The queue worker of process owner (named dsa_soft/<tgid>), or -1. */
static pid_t worker_of(pid_t owner)
{
	char want[32], p[300], comm[64];
	struct dirent *e;
	DIR *d = opendir("/proc");
	pid_t w = -1;

	snprintf(want, sizeof(want), "dsa_soft/%d\n", (int)owner);
	while (d && (e = readdir(d))) {
		FILE *f;

		snprintf(p, sizeof(p), "/proc/%s/comm", e->d_name);
		f = fopen(p, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f) && !strcmp(comm, want))
			w = atoi(e->d_name);
		fclose(f);
	}
	if (d)
		closedir(d);
	return w;
}

/*
 * CPU time (ms) a thread pinned to the worker's CPU gets in one second:
 * the worker is pinned to CPU 1, and so is the measuring thread.
 */
static long pinned_share_ms(pid_t worker)
{
	cpu_set_t one;
	struct timespec t;
	long end;

	CPU_ZERO(&one);
	CPU_SET(1, &one);
	if (sched_setaffinity(worker, sizeof(one), &one) ||
	    sched_setaffinity(0, sizeof(one), &one))
		return -errno;
	end = now_ms() + 1000;
	while (now_ms() < end)
		;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* A bound generous for TCG on a busy host, and far below the defects'. */
#define BOUND_MS 3000

/* --- batch-close ------------------------------------------------------ */

#define BIG (256ul << 20)
#define MEMBERS 1024

static void batch_owner(int tell, int hear)
{
	/* Never written: every read maps the zero page, so 256 MiB a member
	 * costs no memory, only time (1024 x 256 MiB is hours in TCG). */
	void *big = mmap(NULL, BIG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);
	struct dsa_desc *list = aligned_alloc(64, MEMBERS * sizeof(*list));
	struct dsa_comp *c = aligned_alloc(32, sizeof(*c));
	struct dsa_desc b;
	struct kt_q q;
	long t0;

	if (big == MAP_FAILED || !list || !c ||
	    kt_open(&q, KT_DEV_DEDICATED, true, false))
		_exit(1);
	/* Mapped before: no fault (whose handling could reschedule) on the
	 * worker's way through it, and no block-on-fault needed. */
	for (size_t off = 0; off < BIG; off += 4096)
		(void)*(volatile const char *)((const char *)big + off);
	for (int i = 0; i < MEMBERS; i++) {
		memset(&list[i], 0, sizeof(list[i]));
		list[i].op_flags = dsa_op_flags(DSA_OP_COMPVAL, 0);
		list[i].src = (uintptr_t)big;
		list[i].dst = 0; /* the pattern */
		list[i].size = (uint32_t)BIG;
	}
	kt_desc(&b, DSA_OP_BATCH, 0, list, NULL, MEMBERS, c);
	if (kt_write(&q, &b))
		_exit(2);
	send_long(tell, 0);
	if (read_ms(hear, 60000) < 0)
		_exit(3);
	t0 = now_ms();
	close(q.fd);
	send_long(tell, now_ms() - t0);
	/* Aborted work writes no record. */
	send_long(tell, c->status);
	_exit(0);
}

static void case_batch_close(void)
{
	int up[2], down[2], pr[2];
	pid_t owner, probe;
	long v, close_ms, probe_ms;

	if (pipe(up) || pipe(down) || pipe(pr)) {
		check(false, "batch-close: pipes", errno);
		return;
	}
	owner = fork();
	if (owner == 0)
		batch_owner(up[1], down[0]);
	v = read_ms(up[0], 60000); /* after mapping 256 MiB, page by page */
	check(v == 0, "batch-close: batch of 1024 x 256 MiB compval submitted",
	      v);
	usleep(300000); /* the worker is deep in it */
	/* A real device is preemptible at block granularity: the worker must
	 * leave a thread on its CPU its share (a child, to measure only it). */
	probe = fork();
	if (probe == 0) {
		long share = pinned_share_ms(worker_of(owner));

		/* Tens of ms, 0..200; 255: could not pin (printed as -1). */
		_exit(share < 0 ? 255 : (int)(share > 2000 ? 200 : share / 10));
	}
	v = wait_ms(probe, 30000);
	v = v == -1 || !WIFEXITED(v) || WEXITSTATUS(v) == 255 ?
		    -1 :
		    WEXITSTATUS(v) * 10;
	check(v >= 200,
	      "batch-close: a thread pinned to the worker's CPU gets at least 200 ms of CPU in a second (ms)",
	      v);
	send_long(down[1], 1);
	usleep(50000); /* close() has begun */
	probe = probe_open(KT_DEV_DEDICATED, pr[1]);
	probe_ms = read_ms(pr[0], BOUND_MS);
	check(probe_ms >= 0,
	      "batch-close: another process opens and reads available_instances meanwhile",
	      probe_ms);
	close_ms = read_ms(up[0], BOUND_MS);
	check(close_ms >= 0 && close_ms < BOUND_MS,
	      "batch-close: close() aborts the batch in bounded time (ms)",
	      close_ms);
	v = read_ms(up[0], BOUND_MS);
	check(v == 0, "batch-close: the aborted batch wrote no record", v);
	/* The defect's stragglers finish only with the batch: leave them. */
	wait_ms(probe, 1000);
	wait_ms(owner, 1000);
	close(up[0]), close(up[1]), close(down[0]), close(down[1]);
	close(pr[0]), close(pr[1]);
}

/* --- userfaultfd cases -------------------------------------------------- */

/*
 * A page of this process's memory that faults into a userfaultfd nobody
 * answers.  The descriptor is held by a child (the "holder") only, so the
 * stall lasts until that child exits, whatever happens to this process.
 */
static void *stalled_page(pid_t *holder)
{
	long pg = sysconf(_SC_PAGESIZE);
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg;
	void *p;
	int uffd;

	uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC);
	if (uffd < 0)
		return NULL;
	p = mmap(NULL, (size_t)pg, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	reg.range.start = (uintptr_t)p;
	reg.range.len = (uint64_t)pg;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	if (p == MAP_FAILED || ioctl(uffd, UFFDIO_API, &api) ||
	    ioctl(uffd, UFFDIO_REGISTER, &reg))
		return NULL;
	*holder = fork();
	if (*holder == 0) {
		/* Holds the descriptor, answers nothing, for 60 s at most. */
		sleep(60);
		_exit(0);
	}
	close(uffd);
	return p;
}

static void *stalled_writer(void *arg)
{
	struct kt_q *q = arg;
	/* The page after the descriptor copy: see uffd_write_owner. */
	ssize_t n = write(q->fd, (void *)(uintptr_t)q->tail, 64);

	(void)n;
	return NULL;
}

static void uffd_write_owner(int tell)
{
	pthread_t t;
	struct kt_q q;
	pid_t holder;
	void *p = stalled_page(&holder);
	long t0;

	if (!p) {
		send_long(tell, -errno);
		_exit(1);
	}
	send_long(tell, holder);
	if (kt_open(&q, KT_DEV_SHARED, true, false))
		_exit(2);
	q.tail = (uintptr_t)p; /* the writer's buffer */
	pthread_create(&t, NULL, stalled_writer, &q);
	usleep(300000); /* the writer is in the fault */
	t0 = now_ms();
	q.qi.argsz = sizeof(q.qi);
	if (ioctl(q.fd, UACCE_CMD_DSA_QINFO, &q.qi))
		_exit(3);
	send_long(tell, now_ms() - t0);
	pthread_join(t, NULL);
	_exit(0);
}

static void case_uffd_write(void)
{
	int up[2];
	pid_t owner;
	long holder, ms;

	if (pipe(up)) {
		check(false, "uffd-write: pipe", errno);
		return;
	}
	owner = fork();
	if (owner == 0)
		uffd_write_owner(up[1]);
	holder = read_ms(up[0], 10000);
	check(holder > 0, "uffd-write: userfaultfd page set up (errno if not)",
	      holder);
	ms = read_ms(up[0], BOUND_MS + 300);
	check(ms >= 0 && ms < BOUND_MS,
	      "uffd-write: ioctl while a write(2) buffer stalls (ms)", ms);
	/* Release the stall, then the owner finishes. */
	if (holder > 0) {
		kill((pid_t)holder, SIGKILL);
		waitpid((pid_t)holder, NULL, 0);
	}
	kill(owner, SIGKILL);
	check(wait_ms(owner, 30000) != -1, "uffd-write: owner gone", 0);
	close(up[0]), close(up[1]);
}

static void uffd_record_owner(int tell)
{
	struct dsa_desc d;
	struct kt_q q;
	pid_t holder;
	struct dsa_comp *c = stalled_page(&holder);

	if (!c) {
		send_long(tell, -errno);
		_exit(1);
	}
	send_long(tell, holder);
	if (kt_open(&q, KT_DEV_DEDICATED, true, false))
		_exit(2);
	/* kt_desc clears the record: build the descriptor by hand. */
	memset(&d, 0, sizeof(d));
	d.op_flags = dsa_op_flags(DSA_OP_NOOP, DSA_FLAG_CRAV | DSA_FLAG_RCR);
	d.completion_addr = (uintptr_t)c;
	if (kt_write(&q, &d))
		_exit(3);
	send_long(tell, 0);
	for (;;)
		pause();
}

static void case_uffd_record(void)
{
	int up[2], pr[2];
	pid_t owner, probe;
	long holder, v, ms;
	int status;

	if (pipe(up) || pipe(pr)) {
		check(false, "uffd-record: pipes", errno);
		return;
	}
	owner = fork();
	if (owner == 0)
		uffd_record_owner(up[1]);
	holder = read_ms(up[0], 10000);
	check(holder > 0, "uffd-record: userfaultfd page set up (errno if not)",
	      holder);
	v = read_ms(up[0], 10000);
	check(v == 0, "uffd-record: descriptor submitted", v);
	usleep(300000); /* the worker waits on the record's page */
	ms = now_ms();
	kill(owner, SIGKILL);
	probe = probe_open(KT_DEV_DEDICATED, pr[1]);
	status = wait_ms(owner, BOUND_MS);
	ms = now_ms() - ms;
	check(status != -1 && WIFSIGNALED(status),
	      "uffd-record: SIGKILLed owner dies with its record stalled (ms)",
	      ms);
	v = read_ms(pr[0], BOUND_MS);
	check(v >= 0, "uffd-record: others open meanwhile (ms)", v);
	if (holder > 0) {
		kill((pid_t)holder, SIGKILL);
		waitpid((pid_t)holder, NULL, 0);
	}
	if (status == -1)
		wait_ms(owner, 30000);
	wait_ms(probe, 30000);
	close(up[0]), close(up[1]), close(pr[0]), close(pr[1]);
}

/* Run argv with stderr discarded; started, not waited for. */
static pid_t spawn(const char *const argv[])
{
	pid_t pid = fork();

	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		dup2(fd, 2);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	return pid;
}

/* Removal with a record stalled: rmmod must not wait for the fault. */
static void case_uffd_rmmod(const char *ko)
{
	int up[2];
	pid_t owner, rm;
	long holder, v, ms;
	int status;

	if (!ko) {
		printf("uffd-rmmod: not run (no --ko MODULE given)\n");
		return;
	}
	if (pipe(up)) {
		check(false, "uffd-rmmod: pipe", errno);
		return;
	}
	owner = fork();
	if (owner == 0)
		uffd_record_owner(up[1]);
	holder = read_ms(up[0], 10000);
	v = read_ms(up[0], 10000);
	check(holder > 0 && v == 0, "uffd-rmmod: record stalled", v);
	usleep(300000);
	ms = now_ms();
	rm = spawn((const char *const[]){ "rmmod", "dsa_soft", NULL });
	status = wait_ms(rm, BOUND_MS);
	ms = now_ms() - ms;
	check(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "uffd-rmmod: the driver unloads with a record stalled (ms)", ms);
	if (holder > 0) {
		kill((pid_t)holder, SIGKILL);
		waitpid((pid_t)holder, NULL, 0);
	}
	kill(owner, SIGKILL);
	wait_ms(owner, 30000);
	if (status == -1)
		wait_ms(rm, 30000);
	rm = spawn((const char *const[]){ "insmod", ko, NULL });
	status = wait_ms(rm, 30000);
	check(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "uffd-rmmod: the driver loads again", status);
	usleep(100000); /* devtmpfs node */
	close(up[0]), close(up[1]);
}

/* --- ring-garbage ------------------------------------------------------- */

/* CPU time, in ns, of this process's queue worker; -1 if none. */
static long long worker_cpu_ns(void)
{
	char p[64];
	long long ns = -1;
	pid_t w = worker_of(getpid());
	FILE *f;

	snprintf(p, sizeof(p), "/proc/%d/schedstat", (int)w);
	f = w > 0 ? fopen(p, "r") : NULL;
	if (f && fscanf(f, "%lld", &ns) != 1)
		ns = -1;
	if (f)
		fclose(f);
	return ns;
}

static void ring_garbage(const char *what, int pattern)
{
	struct dsa_comp *c = aligned_alloc(32, sizeof(*c));
	char name[128];
	long long t0, t1;
	struct dsa_desc d;
	struct kt_q q;
	uint64_t r = 0x9e3779b97f4a7c15ull;

	if (kt_open(&q, KT_DEV_DEDICATED, true, true)) {
		check(false, "ring-garbage: open", errno);
		return;
	}
	for (int i = 0; i < UACCE_SOFT_RING_SLOTS; i++) {
		uint64_t s;

		r ^= r << 13, r ^= r >> 7, r ^= r << 17;
		switch (pattern) {
		case 0: /* every slot a far later lap of itself */
			s = (1ull << 40) + (uint64_t)i + 1;
			break;
		case 1: /* one huge number everywhere */
			s = 1ull << 40;
			break;
		default:
			s = r >> (r & 63);
		}
		__atomic_store_n(&q.ctl->seq[i], s, __ATOMIC_RELEASE);
	}
	ioctl(q.fd, UACCE_CMD_DSA_DOORBELL);
	usleep(200000);
	t0 = worker_cpu_ns();
	usleep(1000000);
	t1 = worker_cpu_ns();
	snprintf(name, sizeof(name),
		 "ring-garbage %s: worker CPU over 1 s below 100 ms (ms)", what);
	check(t0 >= 0 && t1 >= 0 && t1 - t0 < 100000000, name,
	      (long)((t1 - t0) / 1000000));
	/* And the queue still serves its opener. */
	kt_desc(&d, DSA_OP_NOOP, 0, NULL, NULL, 0, c);
	snprintf(name, sizeof(name), "ring-garbage %s: queue still works", what);
	check(kt_write(&q, &d) == 0 && kt_wait(c, 5000) == DSA_COMP_SUCCESS,
	      name, c->status);
	kt_close(&q);
	free(c);
}

/* --- dofork ------------------------------------------------------------- */

static sigjmp_buf fault_jmp;

static void on_fault(int sig)
{
	siglongjmp(fault_jmp, sig);
}

/* The value at p, or -(signal) if reading it faults. */
static long long peek(volatile uint64_t *p)
{
	struct sigaction sa = { .sa_handler = on_fault }, o1, o2;
	long long v;
	int sig;

	sigaction(SIGSEGV, &sa, &o1);
	sigaction(SIGBUS, &sa, &o2);
	sig = sigsetjmp(fault_jmp, 1);
	v = sig ? -sig : (long long)*p;
	sigaction(SIGSEGV, &o1, NULL);
	sigaction(SIGBUS, &o2, NULL);
	return v;
}

/* Statics: at the same address in parent and child. */
static struct dsa_comp fork_comp __attribute__((aligned(32)));

static void case_dofork(void)
{
	const uint64_t after = 0x5ec2e7afe2f0c0deull;
	long pg = sysconf(_SC_PAGESIZE);
	int up[2], down[2];
	long seen, wrote;
	struct kt_q q;
	pid_t child;
	int rc1, rc2;

	if (pipe(up) || pipe(down) ||
	    kt_open(&q, KT_DEV_DEDICATED, true, true)) {
		check(false, "dofork: setup", errno);
		return;
	}
	rc1 = madvise(q.slots, (size_t)pg, MADV_DOFORK);
	rc2 = madvise(q.ctl, (size_t)pg, MADV_DOFORK);
	madvise(q.slots, (size_t)pg, MADV_KEEPONFORK);
	madvise(q.ctl, (size_t)pg, MADV_KEEPONFORK);
	printf("dofork: MADV_DOFORK returned %d and %d\n", rc1, rc2);
	memset(&fork_comp, 0, sizeof(fork_comp));
	child = fork();
	if (child == 0) {
		struct dsa_desc d;
		long long v;

		if (read_ms(down[0], 10000) < 0)
			_exit(1);
		/* What the parent wrote after the fork, if the page is ours. */
		v = peek((volatile uint64_t *)&q.ctl->pad0[0]);
		send_long(up[1], v == (long long)after);
		/* A descriptor of the child's, put where the parent's worker
		 * would run it, if the child can reach the ring at all. */
		memset(&d, 0, sizeof(d));
		d.op_flags = dsa_op_flags(DSA_OP_NOOP,
					  DSA_FLAG_CRAV | DSA_FLAG_RCR);
		d.completion_addr = (uintptr_t)&fork_comp;
		if (peek((volatile uint64_t *)&q.ctl->seq[0]) >= 0) {
			struct sigaction sa = { .sa_handler = on_fault };

			sigaction(SIGSEGV, &sa, NULL);
			sigaction(SIGBUS, &sa, NULL);
			if (sigsetjmp(fault_jmp, 1) == 0) {
				memcpy(&q.slots[0], &d, sizeof(d));
				__atomic_store_n(&q.ctl->seq[0], 1,
						 __ATOMIC_RELEASE);
				send_long(up[1], 1);
				_exit(0);
			}
		}
		send_long(up[1], 0);
		_exit(0);
	}
	q.ctl->pad0[0] = after;
	send_long(down[1], 1);
	seen = read_ms(up[0], 5000);
	check(seen == 0, "dofork: child does not see the parent's ring page",
	      seen);
	wrote = read_ms(up[0], 5000);
	/* The parent rings, as it would for its own work. */
	ioctl(q.fd, UACCE_CMD_DSA_DOORBELL);
	usleep(300000);
	check(fork_comp.status == 0,
	      "dofork: the worker ran nothing the child put in the ring",
	      (long)fork_comp.status * 10 + wrote);
	wait_ms(child, 5000);
	kt_close(&q);
	close(up[0]), close(up[1]), close(down[0]), close(down[1]);
}

static bool wanted(int argc, char **argv, const char *name)
{
	if (argc < 2)
		return true;
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], name))
			return true;
	return false;
}

/* Usage: kt_liveness [--ko DSA_SOFT_KO] [dofork|ring|uffd|batch]...
 * (default: all; the removal case needs the module to load it again) */
int main(int argc, char **argv)
{
	const char *ko = NULL;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 2 && !strcmp(argv[1], "--ko")) {
		ko = argv[2];
		argv[2] = argv[0];
		argv += 2;
		argc -= 2;
	}
	if (wanted(argc, argv, "dofork"))
		case_dofork();
	if (wanted(argc, argv, "ring")) {
		ring_garbage("later-laps", 0);
		ring_garbage("one-huge", 1);
		ring_garbage("random", 2);
	}
	if (wanted(argc, argv, "uffd")) {
		case_uffd_write();
		case_uffd_record();
		case_uffd_rmmod(ko);
	}
	if (wanted(argc, argv, "batch"))
		case_batch_close();
	printf("liveness: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
