// SPDX-License-Identifier: MIT
/*
 * Taking back ring slots the soft device's worker has not started
 * (UACCE_DSA_SUBMIT_TAKE_BACK), run as root in the QEMU guest:
 *
 *   cap            the soft device advertises the capability bit
 *   race           post, then after a varied delay take back, thousands
 *                  of times against a worker that is polling the ring:
 *                  each descriptor runs exactly once (its record written
 *                  if and only if the take-back failed), and both
 *                  outcomes happen
 *   starved        the worker pinned to a CPU that a SCHED_FIFO thread
 *                  holds: a posted descriptor is taken back, and never
 *                  runs once the worker gets its CPU again
 *   hostile        claimed-looking and zeroed sequence numbers in every
 *                  slot and a doorbell: the worker sleeps, the queue
 *                  still runs work
 *   split-starved  libaccel's split copy (uacce backend) with its queue's
 *                  worker starved: the call finishes, its pieces were
 *                  taken back, the bytes are right, nothing runs later
 *   split-race     split copies against a running worker: every byte
 *                  right, every call
 *
 * Each case runs in a child with a deadline, so a copy that waits for a
 * starved worker shows as a failure with its time, not a hung guest.
 * Usage: kt_takeback [case]...    Prints "takeback: N passed, M failed".
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
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

/* The queue worker of this process (named dsa_soft/<tgid>), or -1. */
static pid_t my_worker(void)
{
	char want[32], p[300], comm[64];
	struct dirent *e;
	DIR *d = opendir("/proc");
	pid_t w = -1;

	snprintf(want, sizeof(want), "dsa_soft/%d\n", (int)getpid());
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

static int pin(pid_t who, int cpu)
{
	cpu_set_t one;

	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	return sched_setaffinity(who, sizeof(one), &one) ? -errno : 0;
}

/*
 * Starving the worker: it is pinned to CPU 1 and a SCHED_FIFO thread
 * spins there (the parent lifted RT throttling), so the worker gets no
 * time at all until the thread stops: a device that never gets a core.
 */
struct hog {
	pthread_t t;
	volatile int stop, running;
};

static void *hog_run(void *arg)
{
	struct hog *h = arg;
	struct sched_param sp = { .sched_priority = 1 };

	if (pin(0, 1) || pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp))
		return NULL;
	h->running = 1;
	while (!h->stop)
		;
	return NULL;
}

static int starve(struct hog *h)
{
	pid_t w = my_worker();
	long end = now_ms() + 2000;

	if (w < 0 || pin(w, 1) || pin(0, 0))
		return -ESRCH;
	h->stop = h->running = 0;
	if (pthread_create(&h->t, NULL, hog_run, h))
		return -EAGAIN;
	while (!h->running && now_ms() < end)
		usleep(1000);
	return h->running ? 0 : -EPERM;
}

static void release(struct hog *h)
{
	h->stop = 1;
	pthread_join(h->t, NULL);
}

/* Take back the last slot posted, as libaccel's backend does. */
static bool ring_take_back(struct kt_q *q)
{
	__u64 want = q->tail;
	uint32_t i = (uint32_t)((q->tail - 1) % UACCE_SOFT_RING_SLOTS);

	if (!__atomic_compare_exchange_n(&q->ctl->seq[i], &want, 0, false,
					 __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		return false;
	q->tail--;
	return true;
}

static int open_ring(struct kt_q *q)
{
	return kt_open(q, KT_DEV_DEDICATED, true, true);
}

/* --- cap --------------------------------------------------------------- */

static int case_cap(void)
{
	struct kt_q q;
	int rc = open_ring(&q);

	if (rc)
		return 10;
	rc = (q.qi.submit & UACCE_DSA_SUBMIT_RING) &&
	     (q.qi.submit & UACCE_DSA_SUBMIT_TAKE_BACK);
	kt_close(&q);
	return rc ? 0 : 1;
}

/* --- race -------------------------------------------------------------- */

#define RACE_N 6000

static int case_race(void)
{
	static char src[4096], dst[4096];
	struct dsa_comp *rec = aligned_alloc(32, RACE_N * sizeof(*rec));
	bool *taken = calloc(RACE_N, sizeof(*taken));
	unsigned ran = 0, back = 0, twice = 0, lost = 0, n, spin_max = 1024;
	struct dsa_comp *last = aligned_alloc(32, sizeof(*last));
	struct dsa_desc d;
	struct kt_q q;
	long end = now_ms() + 20000; /* TCG on a crowded host: fewer posts */
	bool past = false;

	if (!rec || !taken || !last || open_ring(&q))
		return 10;
	for (n = 0; n < RACE_N && now_ms() < end; n++) {
		/* The delay between the post and the take-back is steered
		 * to where each side wins about half the time: the moment a
		 * polling worker claims the slot, whatever this machine's
		 * speed (TCG or not). */
		unsigned spin = (n * 2654435761u >> 8) % spin_max;

		/* A worker already past a position taken back has run (or
		 * skipped) a descriptor the submitter also owns. */
		if (__atomic_load_n(&q.ctl->head, __ATOMIC_ACQUIRE) > q.tail) {
			past = true;
			break;
		}
		kt_desc(&d, DSA_OP_MEMMOVE, 0, src, dst, sizeof(dst),
			&rec[n]);
		if (kt_ring(&q, &d))
			return 11;
		for (volatile unsigned k = 0; k < spin; k++)
			;
		taken[n] = ring_take_back(&q);
		if (taken[n] && spin_max < (1u << 24))
			spin_max += spin_max / 16;
		else if (!taken[n] && spin_max > 64)
			spin_max -= spin_max / 16;
		/* A descriptor not taken back completes: wait for it, so the
		 * worker is polling again when the next one is posted. */
		if (!taken[n])
			kt_wait(&rec[n], 3000);
	}
	/* The worker runs in order: once a later descriptor is done, every
	 * earlier one it claimed is done too. */
	kt_desc(&d, DSA_OP_NOOP, 0, NULL, NULL, 0, last);
	if (!past && (kt_ring(&q, &d) || !kt_wait(last, 3000)))
		return 12;
	usleep(100000);
	for (unsigned i = 0; i < n; i++) {
		bool wrote = __atomic_load_n(&rec[i].status, __ATOMIC_ACQUIRE);

		back += taken[i];
		ran += wrote;
		twice += taken[i] && wrote;
		lost += !taken[i] && !wrote;
	}
	printf("race: %u posted, %u taken back, %u run by the worker, "
	       "%u both, %u neither (delay up to %u spins)%s\n", n, back,
	       ran, twice, lost, spin_max,
	       past ? "; the worker went past a position taken back" : "");
	kt_close(&q);
	if (twice || lost || past)
		return 1;
	return back && back < n ? 0 : 2; /* both outcomes seen */
}

/* --- starved ----------------------------------------------------------- */

static int case_starved(void)
{
	static char src[4096], dst[4096];
	struct dsa_comp *c = aligned_alloc(32, 2 * sizeof(*c));
	struct dsa_desc d;
	struct hog h;
	struct kt_q q;
	int rc = 0;

	if (!c || open_ring(&q))
		return 10;
	memset(src, 0xa5, sizeof(src));
	if (starve(&h))
		return 11;
	kt_desc(&d, DSA_OP_MEMMOVE, 0, src, dst, sizeof(dst), &c[0]);
	kt_ring(&q, &d);
	usleep(200000);
	if (__atomic_load_n(&c[0].status, __ATOMIC_ACQUIRE))
		rc = 12; /* not starved: the case proves nothing */
	else if (!ring_take_back(&q))
		rc = 1;
	else
		memcpy(dst, src, sizeof(dst)); /* the submitter runs it */
	/* If the worker ran it now, dst would take the new bytes. */
	memset(src, 0x5a, sizeof(src));
	release(&h);
	kt_desc(&d, DSA_OP_NOOP, 0, NULL, NULL, 0, &c[1]);
	kt_ring(&q, &d);
	if (!rc && !kt_wait(&c[1], 3000))
		rc = 2; /* the slot taken back confused the worker */
	usleep(100000);
	if (!rc && (c[0].status || (unsigned char)dst[0] != 0xa5))
		rc = 3; /* taken back, and run anyway */
	kt_close(&q);
	return rc;
}

/* --- hostile ----------------------------------------------------------- */

static long long worker_cpu_ns(void)
{
	char p[64];
	long long ns = -1;
	pid_t w = my_worker();
	FILE *f;

	snprintf(p, sizeof(p), "/proc/%d/schedstat", (int)w);
	f = w > 0 ? fopen(p, "r") : NULL;
	if (f && fscanf(f, "%lld", &ns) != 1)
		ns = -1;
	if (f)
		fclose(f);
	return ns;
}

/* What a claim or a take-back leaves, at the worker's position, a lap
 * ahead of it, or nothing: none of it is work. */
static uint64_t hostile_seq(int pattern, unsigned i)
{
	switch (pattern) {
	case 0:
		return (i + 1) | UACCE_SOFT_SEQ_CLAIMED;
	case 1:
		return (i + 1 + UACCE_SOFT_RING_SLOTS) | UACCE_SOFT_SEQ_CLAIMED;
	default:
		return i % 2 ? 0 : UACCE_SOFT_SEQ_CLAIMED;
	}
}

static int case_hostile(void)
{
	struct dsa_comp *c = aligned_alloc(32, sizeof(*c));
	long long t0, t1;
	struct dsa_desc d;
	struct kt_q q;

	if (!c || open_ring(&q))
		return 10;
	for (int p = 0; p < 3; p++) {
		for (unsigned i = 0; i < UACCE_SOFT_RING_SLOTS; i++)
			q.ctl->seq[i] = hostile_seq(p, i);
		ioctl(q.fd, UACCE_CMD_DSA_DOORBELL);
		usleep(100000);
		t0 = worker_cpu_ns();
		sleep(1);
		t1 = worker_cpu_ns();
		printf("hostile %d: worker CPU %lld ms in 1 s\n", p,
		       (t1 - t0) / 1000000);
		if (t0 < 0 || t1 - t0 > 100000000ll)
			return 1 + p;
	}
	/* The ring as the worker left it: still usable. */
	memset(q.ctl->seq, 0, sizeof(q.ctl->seq));
	q.tail = q.ctl->head;
	kt_desc(&d, DSA_OP_NOOP, 0, NULL, NULL, 0, c);
	if (kt_ring(&q, &d) || kt_wait(c, 3000) != DSA_COMP_SUCCESS)
		return 5;
	kt_close(&q);
	return 0;
}

/* --- split-starved, split-race ------------------------------------------ */

#define SPLIT_N (8u << 20)

static int open_lib(struct accel_ctx **c)
{
	setenv("ACCEL_UACCE_SUBMIT", "ring", 1);
	if (accel_open(c, "uacce"))
		return -ENODEV;
	/* The queue (and its worker) now, so that it can be starved. */
	return accel_queue_get(*c) ? 0 : -ENOMEM;
}

static int case_split_starved(void)
{
	uint8_t *a = malloc(SPLIT_N), *b = malloc(SPLIT_N);
	struct accel_ctx *c;
	struct hog h;
	long t0;
	int rc;

	if (!a || !b || open_lib(&c))
		return 10;
	for (size_t i = 0; i < SPLIT_N; i++)
		a[i] = (uint8_t)(i * 7 + (i >> 12));
	memset(b, 0, SPLIT_N);
	if (starve(&h))
		return 11;
	t0 = now_ms();
	rc = accel_memcpy(c, b, a, SPLIT_N);
	printf("split-starved: %ld ms, cpu %zu, device %zu, taken back %zu\n",
	       now_ms() - t0, accel_split_last.cpu, accel_split_last.dev,
	       accel_split_last.taken_back);
	memset(b, 0, SPLIT_N);
	release(&h);
	usleep(300000); /* anything left in the ring runs now */
	if (rc || accel_split_last.taken_back == 0 ||
	    accel_split_last.cpu != SPLIT_N)
		return 1;
	for (size_t i = 0; i < SPLIT_N; i += 4096)
		if (b[i])
			return 2; /* a piece taken back ran later */
	accel_close(c);
	return 0;
}

static int case_split_race(void)
{
	uint8_t *a = malloc(SPLIT_N), *b = malloc(SPLIT_N);
	size_t dev = 0, back = 0;
	struct accel_ctx *c;

	if (!a || !b || open_lib(&c))
		return 10;
	for (int r = 0; r < 24; r++) {
		size_t n = SPLIT_N - (size_t)r * 300000;

		for (size_t i = 0; i < n; i++)
			a[i] = (uint8_t)(i * 13 + r + (i >> 9));
		memset(b, 0, SPLIT_N);
		if (accel_memcpy(c, b, a, n) || memcmp(a, b, n) || b[n])
			return 1;
		if (accel_split_last.cpu + accel_split_last.dev != n)
			return 2; /* a byte copied twice or by nobody */
		dev += accel_split_last.dev;
		back += accel_split_last.taken_back;
	}
	printf("split-race: device %zu bytes, taken back %zu bytes\n", dev,
	       back);
	accel_close(c);
	return 0;
}

/* --- runner ------------------------------------------------------------ */

static const struct kcase {
	const char *name, *what;
	int (*run)(void);
} cases[] = {
	{ "cap", "the soft device offers take-back", case_cap },
	{ "race", "take-back against a polling worker: each descriptor once, both outcomes seen", case_race },
	{ "starved", "a starved worker's slot is taken back and never runs", case_starved },
	{ "hostile", "claimed and zeroed sequence numbers cost the worker nothing", case_hostile },
	{ "split-starved", "a split copy finishes past a starved worker, pieces taken back, nothing runs later", case_split_starved },
	{ "split-race", "split copies against a running worker: every byte right", case_split_race },
};

#define DEADLINE_MS 60000

static int run_case(const struct kcase *k)
{
	pid_t pid = fork();
	long end = now_ms() + DEADLINE_MS;
	int st;

	if (pid == 0) {
		int rc = k->run();

		fflush(stdout);
		_exit(rc);
	}
	if (pid < 0)
		return -1;
	while (waitpid(pid, &st, WNOHANG) == 0) {
		if (now_ms() > end) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			return 99; /* hung: waited for the starved worker */
		}
		usleep(10000);
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : 100 + WTERMSIG(st);
}

/* Lift RT throttling so that the hog really keeps its CPU; "" on error. */
static void rt_runtime(const char *set, char *old, size_t len)
{
	FILE *f = fopen("/proc/sys/kernel/sched_rt_runtime_us", "r+");

	old[0] = 0;
	if (!f)
		return;
	if (!fgets(old, (int)len, f))
		old[0] = 0;
	rewind(f);
	fputs(set, f);
	fclose(f);
}

int main(int argc, char **argv)
{
	char old[32], unused[32];

	rt_runtime("-1", old, sizeof(old));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct kcase *k = &cases[i];
		bool want = argc < 2;
		long t0 = now_ms();
		int rc;

		for (int a = 1; a < argc; a++)
			want |= !strcmp(argv[a], k->name);
		if (!want)
			continue;
		rc = run_case(k);
		printf("%s: %s (%ld ms)\n", k->name, rc ? "FAIL" : "ok",
		       now_ms() - t0);
		check(rc == 0, k->what, rc);
	}
	if (old[0])
		rt_runtime(old, unused, sizeof(unused));
	printf("takeback: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
