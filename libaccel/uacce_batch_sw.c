// SPDX-License-Identifier: MIT
/*
 * A BATCH through a queue whose submission path refuses it.  Linux's idxd
 * refuses BATCH in write(2) on DSA 1.0 (drivers/dma/idxd/cdev.c,
 * idxd_submit_user_descriptor: "is_dsa_dev && opcode == DSA_OPCODE_BATCH
 * && !user_submission_safe" -EINVAL, on every DSA since every DSA is
 * marked unsafe; the patch "dmaengine: idxd: Narrow the restriction on
 * BATCH to ver. 1 only", posted to the dmaengine list in March 2025,
 * limits it to DEVICE_VERSION_1; INTEL-SA-01084), and so does our dsa_pci
 * on DSA 1.0 (dsa_pci_queue.c pci_check_desc), which says so in
 * UACCE_DSA_SUBMIT_WRITE_NOBATCH.
 *
 * The members still run on the device, each as a descriptor of its own;
 * only what the device does around them is done here, as the model's
 * run_batch (model/model_exec.c) does it, which is the reference:
 *   - the batch descriptor is checked first (count, list alignment,
 *     flags): a refusal is its record, no member runs;
 *   - members are read from the list in order; a list that cannot be read
 *     ends the batch with BATCH_PAGE_FAULT at the address, descriptors
 *     completed counting those before it;
 *   - a member with the fence flag waits for every earlier member; if one
 *     of them failed (any status but SUCCESS, SUCCESS_PRED included) the
 *     fenced member and all behind it are abandoned: never run, no record;
 *   - each member's own record is written as the device writes it (only
 *     with CRAV; on success only with RCR); a member asking for a
 *     misaligned record is not run and gets none (the device reports
 *     CRA_ALIGN in SWERR);
 *   - a nested BATCH or a DRAIN member is BAD_OPCODE;
 *   - the batch's record: SUCCESS when every member was run and
 *     succeeded, else BATCH_FAIL; descriptors completed is the number of
 *     members run (failed ones included, abandoned ones not).
 * Members go to the device with a private record each (so that their
 * completion is seen whatever they asked for); a member's own record is
 * then copied from it, status byte last.
 *
 * The batch runs to its end inside the submission call: a queue that
 * refuses BATCH is the slow path already, and the caller polls the
 * batch's record as for any descriptor.  Not reproduced: the batch's
 * completion interrupt (RCI) and the software errors a device would log.
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"
#include "uacce_batch_sw.h"

struct uacce_sw_member {
	uint64_t comp_addr; /* the member's own record */
	uint32_t flags; /* whether and when it wants one */
	bool on_device; /* recs[i] is the device's to write */
};

/* One batch's progress. */
struct sw_run {
	struct uacce_sw_batch *b;
	uint32_t oldest; /* first member not collected yet */
	bool failed; /* a collected or refused member did not succeed */
};

void uacce_sw_batch_init(struct uacce_sw_batch *b,
			 const struct model_caps *caps,
			 int (*submit)(void *arg, const struct dsa_desc *d),
			 void *arg)
{
	memset(b, 0, sizeof(*b));
	b->submit = submit;
	b->arg = arg;
	b->caps = *caps;
	b->timeout_ns = UACCE_SW_BATCH_TIMEOUT_NS;
}

void uacce_sw_batch_fini(struct uacce_sw_batch *b)
{
	free(b->recs);
	free(b->members);
	b->recs = NULL;
	b->members = NULL;
	b->cap = 0;
}

static int grow(struct uacce_sw_batch *b, uint32_t n)
{
	struct dsa_comp *recs;
	struct uacce_sw_member *m;

	if (n <= b->cap)
		return 0;
	recs = aligned_alloc(DSA_COMP_ALIGN, (size_t)n * sizeof(*recs));
	m = calloc(n, sizeof(*m));
	if (!recs || !m) {
		free(recs);
		free(m);
		return -ENOMEM;
	}
	free(b->recs);
	free(b->members);
	b->recs = recs;
	b->members = m;
	b->cap = n;
	return 0;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Wait politely: the device may be a thread on this very CPU. */
static void backoff(unsigned *spins)
{
	if (*spins < 64) {
		__builtin_ia32_pause();
	} else if (*spins < 1024) {
		sched_yield();
	} else {
		struct timespec ts = { 0, 20000 };

		nanosleep(&ts, NULL);
	}
	(*spins)++;
}

/* The member's record as the device writes it (model_exec.c complete()):
 * only with CRAV, and on success only with RCR.  A record the device
 * cannot write is only its software error. */
static void deliver(uint32_t flags, uint64_t addr, const struct dsa_comp *c)
{
	if (!(flags & DSA_FLAG_CRAV))
		return;
	if (dsa_comp_status(c) == DSA_COMP_SUCCESS && !(flags & DSA_FLAG_RCR))
		return;
	(void)accel_user_mem.ops->write_comp(&accel_user_mem, addr, c);
}

/* Wait for member i's private record, then pass it on. */
static int collect(struct sw_run *r, uint32_t i)
{
	struct uacce_sw_batch *b = r->b;
	struct uacce_sw_member *m = &b->members[i];
	uint64_t start = 0;
	unsigned spins = 0;
	struct dsa_comp c;

	while (!__atomic_load_n(&b->recs[i].status, __ATOMIC_ACQUIRE)) {
		if (!start) {
			start = now_ns();
		} else if (spins % 64 == 0 &&
			   now_ns() - start > b->timeout_ns) {
			b->broken = true;
			return -EIO;
		}
		backoff(&spins);
	}
	memcpy(&c, &b->recs[i], sizeof(c));
	m->on_device = false;
	if (dsa_comp_status(&c) != DSA_COMP_SUCCESS)
		r->failed = true;
	deliver(m->flags, m->comp_addr, &c);
	return 0;
}

/* Collect every member before end that went to the device. */
static int collect_until(struct sw_run *r, uint32_t end)
{
	int rc;

	for (; r->oldest < end; r->oldest++)
		if (r->b->members[r->oldest].on_device &&
		    (rc = collect(r, r->oldest)))
			return rc;
	return 0;
}

/* The queue is full: collect our oldest member still out (1), or, with
 * none out (others fill the queue), wait a little (0). */
static int make_room(struct sw_run *r, uint32_t next, unsigned *spins)
{
	for (; r->oldest < next; r->oldest++) {
		if (r->b->members[r->oldest].on_device) {
			int rc = collect(r, r->oldest++);

			return rc ? rc : 1;
		}
	}
	backoff(spins);
	return 0;
}

/*
 * A member the device cannot be given as it is: a nested BATCH or a DRAIN
 * (BAD_OPCODE inside a batch), or a record requested without an address
 * (which our private record would hide).  Its status is the check's, as
 * the device's own validation gives it (model_validate).
 */
static bool refused_here(const struct dsa_desc *m)
{
	uint8_t op = dsa_desc_opcode(m);
	uint32_t flags = dsa_desc_flags(m);

	return op == DSA_OP_BATCH || op == DSA_OP_DRAIN ||
	       ((flags & DSA_FLAG_RCR) && !(flags & DSA_FLAG_CRAV));
}

/* Run member i: here when it must be refused, else on the device. */
static int dispatch(struct sw_run *r, uint32_t i, const struct dsa_desc *m)
{
	struct uacce_sw_batch *b = r->b;
	struct uacce_sw_member *mi = &b->members[i];
	uint64_t start = 0;
	unsigned spins = 0;
	struct dsa_desc copy;
	int rc;

	mi->comp_addr = m->completion_addr;
	mi->flags = dsa_desc_flags(m);
	mi->on_device = false;
	if ((mi->flags & DSA_FLAG_CRAV) &&
	    (m->completion_addr & (DSA_COMP_ALIGN - 1))) {
		/* Not run, no record: CRA_ALIGN goes to SWERR. */
		r->failed = true;
		return 0;
	}
	if (refused_here(m)) {
		struct dsa_comp c;
		uint32_t inval;

		memset(&c, 0, sizeof(c));
		c.status = model_validate(&b->caps, m, &inval);
		if (c.status == DSA_COMP_SUCCESS)
			c.status = DSA_COMP_BAD_OPCODE;
		c.invalid_flags = inval;
		r->failed = true;
		deliver(mi->flags, mi->comp_addr, &c);
		return 0;
	}
	copy = *m;
	copy.op_flags |= DSA_FLAG_CRAV | DSA_FLAG_RCR;
	copy.completion_addr = (uintptr_t)&b->recs[i];
	memset(&b->recs[i], 0, sizeof(b->recs[i]));
	while ((rc = b->submit(b->arg, &copy)) == -EAGAIN) {
		rc = make_room(r, i, &spins);
		if (rc < 0)
			return rc;
		if (rc > 0) {
			start = 0;
			continue;
		}
		if (!start)
			start = now_ns();
		else if (now_ns() - start > b->timeout_ns)
			return -EIO; /* refused for a minute: nothing out */
	}
	if (rc)
		return rc;
	mi->on_device = true;
	return 0;
}

/* The batch descriptor's own record, by the same rules as a member's. */
static void finish(const struct dsa_desc *d, const struct dsa_comp *c)
{
	deliver(dsa_desc_flags(d), d->completion_addr, c);
}

int uacce_sw_batch_run(struct uacce_sw_batch *b, const struct dsa_desc *d)
{
	struct sw_run r = { .b = b };
	bool block = dsa_desc_flags(d) & DSA_FLAG_BOF;
	uint64_t list = d->src;
	uint32_t count = d->size, i, done = 0, inval;
	struct dsa_comp c;
	int rc = 0;

	if (b->broken)
		return -EIO;
	/* A batch asking for a misaligned record: not run (SWERR), as any
	 * descriptor (model_exec.c run_one). */
	if ((dsa_desc_flags(d) & DSA_FLAG_CRAV) &&
	    (d->completion_addr & (DSA_COMP_ALIGN - 1)))
		return 0;
	memset(&c, 0, sizeof(c));
	c.status = model_validate(&b->caps, d, &inval);
	if (c.status != DSA_COMP_SUCCESS) {
		c.invalid_flags = inval;
		finish(d, &c);
		return 0;
	}
	rc = grow(b, count);
	if (rc)
		return rc;
	for (i = 0; i < count; i++) {
		enum model_fault f = MODEL_FAULT_NONE;
		uint64_t at = list + (uint64_t)i * DSA_DESC_SIZE;
		struct dsa_desc m;
		size_t got;

		got = accel_user_mem.ops->read(&accel_user_mem, &m, at,
					       sizeof(m), block, &f);
		if (got < sizeof(m)) {
			rc = collect_until(&r, i);
			if (rc)
				return rc;
			c.status = DSA_COMP_BATCH_PAGE_FAULT;
			c.fault_addr = at + got;
			c.bytes_completed = done;
			finish(d, &c);
			return 0;
		}
		if (dsa_desc_flags(&m) & DSA_FLAG_FENCE) {
			rc = collect_until(&r, i);
			if (rc)
				return rc;
			if (r.failed)
				break;
		}
		rc = dispatch(&r, i, &m);
		if (rc) {
			/* The device refused its work: what went out is
			 * waited for, the batch gets no record. */
			if (collect_until(&r, i))
				return -EIO;
			return rc;
		}
		done++;
	}
	rc = collect_until(&r, done);
	if (rc)
		return rc;
	c.bytes_completed = done;
	c.status = r.failed || done < count ? DSA_COMP_BATCH_FAIL :
					      DSA_COMP_SUCCESS;
	finish(d, &c);
	return 0;
}
