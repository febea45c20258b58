// SPDX-License-Identifier: MIT
/*
 * Batches the library runs itself where write(2) refuses BATCH
 * (libaccel/uacce_batch_sw.c), against a fake queue: a thread that runs
 * descriptors through the model in order, a few at a time, answering
 * "full" beyond that.  Each batch is run twice on the same memory, once
 * whole by the model (the device's own batch, model_exec.c run_batch) and
 * once by the library through the fake queue; the batch's record, every
 * member's record and every destination byte must be the same.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"
#include "tcommon.h"
#include "uacce_batch_sw.h"

#define NM 8 /* members */
#define CHUNK 256 /* bytes a member copies */

static const struct model_caps caps = {
	.op_cap = DSA_OPCAP_DSA1,
	.max_xfer = DSA_DEFAULT_MAX_XFER,
	.max_batch = 32,
};

/* ---- The fake queue ---- */

struct fake {
	pthread_mutex_t lock;
	pthread_cond_t cv;
	struct dsa_desc q[16];
	unsigned head, tail, cap; /* cap: entries it takes at once */
	bool stop, paused;
	unsigned eagain, taken, balked;
	bool balk; /* refuse every other submission as "full" */
	unsigned fail_at; /* 1-based submission to refuse with fail_rc */
	int fail_rc;
	pthread_t thr;
	struct model_exec x;
	uint8_t bounce[MODEL_BOUNCE_SIZE];
};

static void *fake_engine(void *arg)
{
	struct fake *f = arg;

	pthread_mutex_lock(&f->lock);
	for (;;) {
		struct dsa_desc d;

		while (!f->stop && (f->paused || f->head == f->tail))
			pthread_cond_wait(&f->cv, &f->lock);
		if (f->stop)
			break;
		d = f->q[f->head % 16];
		pthread_mutex_unlock(&f->lock);
		accel_exec_guarded(&f->x, &d);
		pthread_mutex_lock(&f->lock);
		f->head++; /* the entry is free once it has run */
	}
	pthread_mutex_unlock(&f->lock);
	return NULL;
}

static int fake_submit(void *arg, const struct dsa_desc *d)
{
	struct fake *f = arg;
	int rc = 0;

	pthread_mutex_lock(&f->lock);
	if (f->fail_at && f->taken + 1 == f->fail_at) {
		rc = f->fail_rc;
	} else if (f->tail - f->head >= f->cap ||
		   (f->balk && !(f->balked++ & 1))) {
		f->eagain++;
		rc = -EAGAIN;
	} else {
		f->q[f->tail++ % 16] = *d;
		f->taken++;
		pthread_cond_signal(&f->cv);
	}
	pthread_mutex_unlock(&f->lock);
	return rc;
}

static void fake_start(struct fake *f, unsigned cap)
{
	memset(f, 0, sizeof(*f));
	pthread_mutex_init(&f->lock, NULL);
	pthread_cond_init(&f->cv, NULL);
	f->cap = cap;
	f->x.mem = &accel_user_mem;
	f->x.caps = caps;
	f->x.bounce = f->bounce;
	accel_guard_init();
	cr_assert_eq(pthread_create(&f->thr, NULL, fake_engine, f), 0);
}

static void *unpause_later(void *arg)
{
	struct fake *f = arg;

	usleep(20000);
	pthread_mutex_lock(&f->lock);
	f->paused = false;
	pthread_cond_signal(&f->cv);
	pthread_mutex_unlock(&f->lock);
	return NULL;
}

static void fake_stop(struct fake *f)
{
	pthread_mutex_lock(&f->lock);
	f->stop = true;
	pthread_cond_signal(&f->cv);
	pthread_mutex_unlock(&f->lock);
	pthread_join(f->thr, NULL);
}

/* ---- One batch, the model's way and the library's ---- */

static _Alignas(64) struct dsa_desc list[NM];
static _Alignas(32) struct dsa_comp recs[NM + 1];
static _Alignas(32) struct dsa_comp brec;
static _Alignas(64) uint8_t src[NM * CHUNK], dst[NM * CHUNK];

struct snap {
	struct dsa_comp brec, recs[NM + 1];
	uint8_t dst[NM * CHUNK];
};

static void reset(void)
{
	memset(recs, 0, sizeof(recs));
	memset(&brec, 0, sizeof(brec));
	memset(dst, 0, sizeof(dst));
	for (size_t i = 0; i < sizeof(src); i++)
		src[i] = (uint8_t)(i * 13 + 1);
}

/* NM copies, each with its record, and the batch over them. */
static void plain_batch(struct dsa_desc *b)
{
	memset(list, 0, sizeof(list));
	for (int i = 0; i < NM; i++) {
		tb_desc(&list[i], DSA_OP_MEMMOVE, DSA_FLAG_CRAV | DSA_FLAG_RCR,
			src + i * CHUNK, dst + i * CHUNK, CHUNK);
		list[i].completion_addr = (uintptr_t)&recs[i];
	}
	tb_desc(b, DSA_OP_BATCH, DSA_FLAG_CRAV | DSA_FLAG_RCR, list, NULL, NM);
	b->completion_addr = (uintptr_t)&brec;
}

static void take(struct snap *s)
{
	s->brec = brec;
	memcpy(s->recs, recs, sizeof(recs));
	memcpy(s->dst, dst, sizeof(dst));
}

/*
 * build() sets up list and batch; the model runs it, then the library;
 * both leave the same memory.  Returns the library's snapshot.
 */
static struct snap *both_ways(void (*build)(struct dsa_desc *b),
			      unsigned cap, const char *what)
{
	static struct snap ref, got;
	uint8_t bounce[MODEL_BOUNCE_SIZE];
	struct model_exec x = { .mem = &accel_user_mem, .caps = caps,
				.bounce = bounce };
	struct uacce_sw_batch sb;
	struct dsa_desc b;
	struct fake f;

	accel_guard_init();
	reset();
	build(&b);
	accel_exec_guarded(&x, &b);
	take(&ref);

	fake_start(&f, cap);
	uacce_sw_batch_init(&sb, &caps, fake_submit, &f);
	reset();
	build(&b);
	cr_assert_eq(uacce_sw_batch_run(&sb, &b), 0, "%s", what);
	take(&got);
	fake_stop(&f);
	uacce_sw_batch_fini(&sb);

	cr_assert_eq(memcmp(&ref.brec, &got.brec, sizeof(ref.brec)), 0,
		     "%s: batch record: model %#x/%u, library %#x/%u", what,
		     ref.brec.status, ref.brec.bytes_completed,
		     got.brec.status, got.brec.bytes_completed);
	for (int i = 0; i <= NM; i++)
		cr_assert_eq(memcmp(&ref.recs[i], &got.recs[i],
				    sizeof(ref.recs[i])), 0,
			     "%s: member %d's record: model %#x, library %#x",
			     what, i, ref.recs[i].status, got.recs[i].status);
	cr_assert_eq(memcmp(ref.dst, got.dst, sizeof(ref.dst)), 0,
		     "%s: destinations differ", what);
	return &got;
}

Test(batch_sw, copies_like_the_device)
{
	struct snap *s = both_ways(plain_batch, 16, "plain");

	cr_assert_eq(s->brec.status, DSA_COMP_SUCCESS);
	cr_assert_eq(s->brec.bytes_completed, NM);
	cr_assert_eq(memcmp(dst, src, sizeof(src)), 0);
}

/*
 * A queue taking one at a time: the rest waits for room; and one that
 * says "full" with nothing of ours in it (other submitters' work): the
 * library waits and retries.  Nothing is lost or run twice.
 */
Test(batch_sw, full_queue_waits_for_room)
{
	for (int balk = 0; balk < 2; balk++) {
		struct uacce_sw_batch sb;
		struct dsa_desc b;
		struct fake f;
		pthread_t t;

		fake_start(&f, balk ? 16 : 1);
		f.balk = balk;
		/* Stopped at first, so that the queue is surely full. */
		f.paused = !balk;
		cr_assert_eq(pthread_create(&t, NULL, unpause_later, &f), 0);
		uacce_sw_batch_init(&sb, &caps, fake_submit, &f);
		reset();
		plain_batch(&b);
		cr_assert_eq(uacce_sw_batch_run(&sb, &b), 0);
		pthread_join(t, NULL);
		cr_assert_eq(brec.status, DSA_COMP_SUCCESS);
		cr_assert_eq(brec.bytes_completed, NM);
		cr_assert_eq(memcmp(dst, src, sizeof(src)), 0);
		cr_assert_eq(f.taken, NM);
		cr_assert_geq(f.eagain, balk ? NM : 1, "never full (balk %d: %u)",
			      balk, f.eagain);
		fake_stop(&f);
		uacce_sw_batch_fini(&sb);
	}
}

/* Member 2 cannot run (an opcode no DSA has): the rest still runs. */
static void bad_member(struct dsa_desc *b)
{
	plain_batch(b);
	list[2].op_flags = dsa_op_flags(0x0f, DSA_FLAG_CRAV | DSA_FLAG_RCR);
}

Test(batch_sw, failed_member_fails_the_batch)
{
	struct snap *s = both_ways(bad_member, 3, "bad member");

	cr_assert_eq(s->brec.status, DSA_COMP_BATCH_FAIL);
	cr_assert_eq(s->brec.bytes_completed, NM, "failed members count");
	cr_assert_eq(s->recs[2].status, DSA_COMP_BAD_OPCODE);
	cr_assert_eq(s->recs[7].status, DSA_COMP_SUCCESS);
}

/* Member 2 faults (unmapped source, no block on fault); member 4 is
 * fenced: it and everything behind it are abandoned. */
static void fault_then_fence(struct dsa_desc *b)
{
	static void *gone;

	if (!gone)
		gone = tb_unmapped(1);
	plain_batch(b);
	list[2].src = (uintptr_t)gone;
	list[4].op_flags |= DSA_FLAG_FENCE;
}

Test(batch_sw, fence_after_a_failure_abandons_the_rest)
{
	struct snap *s = both_ways(fault_then_fence, 4, "fence");

	cr_assert_eq(s->brec.status, DSA_COMP_BATCH_FAIL);
	cr_assert_eq(s->brec.bytes_completed, 4);
	cr_assert_eq(s->recs[2].status, DSA_COMP_PAGE_FAULT_NOBOF);
	cr_assert_eq(s->recs[3].status, DSA_COMP_SUCCESS);
	for (int i = 4; i < NM; i++)
		cr_assert_eq(s->recs[i].status, 0, "abandoned %d ran", i);
}

/* A false predicate (compare with check result) fails the batch too, so
 * a fence behind it abandons; a fence after success waits and goes on. */
static void predicate_then_fence(struct dsa_desc *b)
{
	plain_batch(b);
	list[1].op_flags = dsa_op_flags(DSA_OP_COMPARE, DSA_FLAG_CRAV |
				        DSA_FLAG_RCR | DSA_FLAG_CR);
	list[1].dst = list[1].src + 1; /* differs */
	list[1].cmp.expected_res = 0;
	list[3].op_flags |= DSA_FLAG_FENCE;
}

static void fence_after_success(struct dsa_desc *b)
{
	plain_batch(b);
	list[3].op_flags |= DSA_FLAG_FENCE;
	list[6].op_flags |= DSA_FLAG_FENCE;
}

Test(batch_sw, fences_and_predicates)
{
	struct snap *s = both_ways(predicate_then_fence, 16, "predicate");

	cr_assert_eq(s->recs[1].status, DSA_COMP_SUCCESS_PRED);
	cr_assert_eq(s->brec.status, DSA_COMP_BATCH_FAIL);
	cr_assert_eq(s->brec.bytes_completed, 3);
	s = both_ways(fence_after_success, 2, "fences");
	cr_assert_eq(s->brec.status, DSA_COMP_SUCCESS);
	cr_assert_eq(s->brec.bytes_completed, NM);
}

/*
 * Members the device is not given as they are: a nested batch, a drain,
 * a record requested without an address, a misaligned record; and members
 * whose record is written only on failure (CRAV without RCR).
 */
static void odd_members(struct dsa_desc *b)
{
	plain_batch(b);
	tb_desc(&list[1], DSA_OP_BATCH, DSA_FLAG_CRAV | DSA_FLAG_RCR, list,
		NULL, 2);
	list[1].completion_addr = (uintptr_t)&recs[1];
	tb_desc(&list[2], DSA_OP_DRAIN, DSA_FLAG_CRAV | DSA_FLAG_RCR, NULL,
		NULL, 0);
	list[2].completion_addr = (uintptr_t)&recs[2];
	list[3].op_flags = dsa_op_flags(DSA_OP_MEMMOVE, DSA_FLAG_RCR);
	list[5].completion_addr = (uintptr_t)&recs[5] + 8;
	list[6].op_flags = dsa_op_flags(DSA_OP_MEMMOVE, DSA_FLAG_CRAV);
	list[7].op_flags = dsa_op_flags(0x0f, DSA_FLAG_CRAV);
}

Test(batch_sw, members_refused_or_quiet)
{
	struct snap *s = both_ways(odd_members, 16, "odd members");

	cr_assert_eq(s->recs[1].status, DSA_COMP_BAD_OPCODE, "nested batch");
	cr_assert_eq(s->recs[2].status, DSA_COMP_BAD_OPCODE, "drain");
	cr_assert_eq(s->recs[3].status, 0, "RCR without CRAV: no record");
	cr_assert_eq(s->recs[5].status, 0, "misaligned record written");
	cr_assert_eq(s->recs[6].status, 0, "success without RCR: no record");
	cr_assert_eq(s->recs[7].status, DSA_COMP_BAD_OPCODE);
	cr_assert_eq(s->brec.status, DSA_COMP_BATCH_FAIL);
	cr_assert_eq(s->brec.bytes_completed, NM);
}

/* The list runs into an unmapped page after two members. */
static uint8_t *list_page;

static void list_fault(struct dsa_desc *b)
{
	struct dsa_desc *l = (struct dsa_desc *)(list_page + 4096) - 2;

	plain_batch(b);
	memcpy(l, list, 2 * sizeof(*l));
	b->src = (uintptr_t)l;
	b->size = 4;
}

Test(batch_sw, list_fault_is_batch_page_fault)
{
	struct snap *s;

	list_page = tb_pages(2);
	tb_touch(list_page, 4096);
	cr_assert_eq(munmap(list_page + 4096, 4096), 0);
	s = both_ways(list_fault, 16, "list fault");
	cr_assert_eq(s->brec.status, DSA_COMP_BATCH_PAGE_FAULT);
	cr_assert_eq(s->brec.fault_addr, (uintptr_t)list_page + 4096);
	cr_assert_eq(s->brec.bytes_completed, 2);
	cr_assert_eq(s->recs[1].status, DSA_COMP_SUCCESS);
	munmap(list_page, 4096);
}

/* The batch descriptor itself refused: no member runs. */
static void one_member(struct dsa_desc *b)
{
	plain_batch(b);
	b->size = 1;
}

static void list_misaligned(struct dsa_desc *b)
{
	plain_batch(b);
	b->src += 32;
}

static void record_misaligned(struct dsa_desc *b)
{
	plain_batch(b);
	b->completion_addr = (uintptr_t)&recs[NM] + 8;
}

Test(batch_sw, batch_descriptor_checked_first)
{
	struct snap *s = both_ways(one_member, 16, "batch of one");

	cr_assert_eq(s->brec.status, DSA_COMP_DESC_CNT_ERANGE);
	cr_assert_eq(s->recs[0].status, 0);
	s = both_ways(list_misaligned, 16, "list misaligned");
	cr_assert_eq(s->brec.status, DSA_COMP_DESCLIST_ALIGN);
	s = both_ways(record_misaligned, 16, "record misaligned");
	cr_assert_eq(s->brec.status, 0);
	cr_assert_eq(s->recs[0].status, 0, "a batch that cannot report ran");
}

/* A device that stops answering: -EIO after the timeout, and never again
 * a batch on those records. */
Test(batch_sw, dead_device_is_an_error)
{
	struct uacce_sw_batch sb;
	struct dsa_desc b;
	struct fake f;

	fake_start(&f, 16);
	f.paused = true;
	uacce_sw_batch_init(&sb, &caps, fake_submit, &f);
	sb.timeout_ns = 50 * 1000000ull;
	reset();
	plain_batch(&b);
	cr_assert_eq(uacce_sw_batch_run(&sb, &b), -EIO);
	cr_assert_eq(brec.status, 0, "a batch record for work not done");
	cr_assert_eq(uacce_sw_batch_run(&sb, &b), -EIO);
	fake_stop(&f);
	uacce_sw_batch_fini(&sb);
}

/* The queue refuses a member (its file dead, say): the error, members
 * already out are waited for, no batch record. */
Test(batch_sw, refused_submission_is_an_error)
{
	struct uacce_sw_batch sb;
	struct dsa_desc b;
	struct fake f;

	fake_start(&f, 16);
	f.fail_at = 3;
	f.fail_rc = -EIO;
	uacce_sw_batch_init(&sb, &caps, fake_submit, &f);
	reset();
	plain_batch(&b);
	cr_assert_eq(uacce_sw_batch_run(&sb, &b), -EIO);
	cr_assert_eq(brec.status, 0);
	cr_assert_eq(recs[0].status, DSA_COMP_SUCCESS);
	cr_assert_eq(recs[1].status, DSA_COMP_SUCCESS);
	cr_assert_eq(recs[2].status, 0);
	fake_stop(&f);
	uacce_sw_batch_fini(&sb);
}
