// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The simulated device: a PCI-less platform device whose registers and
 * portals are the register twin's, for machines (and QEMU guests) without
 * DSA.  It answers the driver's seam as a VMM answers a trapped MMIO
 * access; a kernel thread plays the engines, entering the address space
 * the twin names by PASID (the binding is this file's: a PASID from an
 * IDR for each opener's mm, where hardware would have the IOMMU's).
 */
#include <linux/idr.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/platform_device.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>

#include "dsa_pci.h"
#include "../../twin/dsa_twin.h"

#define SIM_MAX_DEVICES 4
#define SIM_PASS 16 /* descriptors per pass of the engine thread */
#define SIM_SPIN_NS 50000 /* poll this long after the last work */

struct sim_bind {
	struct model_mem mem; /* first: the twin hands it back */
	struct mm_struct *mm;
};

struct dsa_pci_sim {
	struct platform_device *pdev;
	struct dsa_pci d;
	struct dsa_twin *t;
	struct mutex lock; /* the twin, the PASID table, cur_mm */
	struct dsa_twin_host host;
	struct idr pasids;
	struct mm_struct *cur_mm; /* the engine thread's, during a pass */
	struct task_struct *engine;
	wait_queue_head_t wait;
	atomic_t kick;
	bool ready;
};

static struct dsa_pci_sim *sims[SIM_MAX_DEVICES];
static int nsims;

static struct dsa_pci_sim *to_sim(struct dsa_pci *d)
{
	return container_of(d, struct dsa_pci_sim, d);
}

/* ---- the address space of a PASID: user copies from the engine ---- */

static size_t sim_chunk(u64 addr, size_t left)
{
	return min_t(size_t, left, PAGE_SIZE - offset_in_page(addr));
}

static size_t sim_copy(void *kbuf, u64 uaddr, size_t len, bool to_user,
		       bool block, enum model_fault *fault)
{
	size_t done = 0;

	while (done < len) {
		void __user *p = (void __user *)(uintptr_t)(uaddr + done);
		size_t c = sim_chunk(uaddr + done, len - done);
		unsigned long left;

		if (!access_ok(p, c)) {
			*fault = MODEL_FAULT_INVALID;
			break;
		}
		/* Without block-on-fault a page that is not present stops
		 * the operation, as it stops a device that may not wait. */
		if (!block)
			pagefault_disable();
		if (to_user)
			left = block ? copy_to_user(p, (u8 *)kbuf + done, c) :
				       __copy_to_user_inatomic(p, (u8 *)kbuf + done, c);
		else
			left = block ? copy_from_user((u8 *)kbuf + done, p, c) :
				       __copy_from_user_inatomic((u8 *)kbuf + done, p, c);
		if (!block)
			pagefault_enable();
		if (left) {
			*fault = block ? MODEL_FAULT_INVALID : MODEL_FAULT_NOT_PRESENT;
			break;
		}
		done += c;
	}
	return done;
}

static size_t sim_read(struct model_mem *m, void *dst, uint64_t src,
		       size_t len, bool block, enum model_fault *fault)
{
	return sim_copy(dst, src, len, false, block, fault);
}

static size_t sim_write(struct model_mem *m, uint64_t dst, const void *src,
			size_t len, bool block, enum model_fault *fault)
{
	return sim_copy((void *)src, dst, len, true, block, fault);
}

static int sim_write_comp(struct model_mem *m, uint64_t addr,
			  const struct dsa_comp *c)
{
	u8 __user *p = (u8 __user *)(uintptr_t)addr;

	if (!access_ok(p, sizeof(*c)) ||
	    copy_to_user(p + 1, (const u8 *)c + 1, sizeof(*c) - 1))
		return -EFAULT;
	smp_wmb(); /* the status byte last */
	return put_user(c->status, p) ? -EFAULT : 0;
}

static const struct model_mem_ops sim_mem_ops = {
	.read = sim_read,
	.write = sim_write,
	.write_comp = sim_write_comp,
};

static void sim_unuse(struct dsa_pci_sim *s)
{
	if (s->cur_mm) {
		kthread_unuse_mm(s->cur_mm);
		mmput(s->cur_mm);
		s->cur_mm = NULL;
	}
}

/* Twin callback, from the engine thread under s->lock. */
static struct model_mem *sim_pasid_mem(void *ctx, uint32_t pasid,
				       bool pasid_en, bool priv)
{
	struct dsa_pci_sim *s = ctx;
	struct sim_bind *b;

	if (!pasid_en || priv)
		return NULL; /* no untranslated or kernel space here */
	b = idr_find(&s->pasids, pasid);
	if (!b)
		return NULL;
	if (s->cur_mm != b->mm) {
		sim_unuse(s);
		/* A dying process's memory is never reached. */
		if (!mmget_not_zero(b->mm))
			return NULL;
		kthread_use_mm(b->mm);
		s->cur_mm = b->mm;
	}
	return &b->mem;
}

/* Twin callback under s->lock: vector 0 goes to process context, the
 * queues' completion vectors are delivered here (MSI-X in hardware). */
static void sim_irq(void *ctx, unsigned int vector)
{
	struct dsa_pci_sim *s = ctx;

	if (!s->ready)
		return;
	if (vector == 0)
		schedule_work(&s->d.misc_work);
	else
		dsa_pci_wq_irq(&s->d, vector);
}

static void sim_misc_work(struct work_struct *w)
{
	dsa_pci_misc_irq(container_of(w, struct dsa_pci, misc_work));
}

static void sim_kick(struct dsa_pci_sim *s)
{
	atomic_set(&s->kick, 1);
	wake_up(&s->wait);
}

/*
 * The engines.  After work they poll for a while before sleeping: a
 * submitter usually follows one descriptor with the next, and a wake-up
 * costs far more than the poll (as in dsa_soft's worker).
 */
static int sim_engine(void *arg)
{
	struct dsa_pci_sim *s = arg;
	u64 idle_since;
	unsigned int n;

	while (!kthread_should_stop()) {
		wait_event_idle(s->wait, kthread_should_stop() ||
						 atomic_xchg(&s->kick, 0));
		idle_since = ktime_get_ns();
		while (!kthread_should_stop()) {
			mutex_lock(&s->lock);
			n = dsa_twin_run(s->t, SIM_PASS);
			sim_unuse(s);
			mutex_unlock(&s->lock);
			if (n || atomic_xchg(&s->kick, 0))
				idle_since = ktime_get_ns();
			else if (ktime_get_ns() - idle_since > SIM_SPIN_NS)
				break;
			else
				cpu_relax();
			cond_resched();
		}
	}
	return 0;
}

/* ---- the seam ---- */

static u32 sim_rd32(struct dsa_pci *d, u32 off)
{
	struct dsa_pci_sim *s = to_sim(d);
	u32 v;

	mutex_lock(&s->lock);
	v = dsa_twin_read32(s->t, off);
	mutex_unlock(&s->lock);
	return v;
}

static u64 sim_rd64(struct dsa_pci *d, u32 off)
{
	struct dsa_pci_sim *s = to_sim(d);
	u64 v;

	mutex_lock(&s->lock);
	v = dsa_twin_read64(s->t, off);
	mutex_unlock(&s->lock);
	return v;
}

static void sim_wr32(struct dsa_pci *d, u32 off, u32 val)
{
	struct dsa_pci_sim *s = to_sim(d);

	mutex_lock(&s->lock);
	dsa_twin_write32(s->t, off, val);
	mutex_unlock(&s->lock);
	/* A drain or disable completes as the engines run. */
	if (off == DSA_REG_CMD)
		sim_kick(s);
}

static void sim_wr64(struct dsa_pci *d, u32 off, u64 val)
{
	struct dsa_pci_sim *s = to_sim(d);

	mutex_lock(&s->lock);
	dsa_twin_write64(s->t, off, val);
	mutex_unlock(&s->lock);
}

static int sim_portal(struct dsa_pci *d, u64 off, const struct dsa_desc *desc,
		      bool enqcmd)
{
	struct dsa_pci_sim *s = to_sim(d);
	int rc;

	mutex_lock(&s->lock);
	rc = dsa_twin_portal(s->t, off, desc,
			     enqcmd ? DSA_TWIN_ENQCMDS : DSA_TWIN_MOVDIR64B);
	mutex_unlock(&s->lock);
	if (rc == DSA_TWIN_RETRY)
		return -EAGAIN;
	sim_kick(s);
	return 0;
}

static int sim_bind(struct dsa_pci *d, struct uacce_queue *uq, u32 *pasid)
{
	struct dsa_pci_sim *s = to_sim(d);
	struct sim_bind *b;
	int id;

	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	b->mem.ops = &sim_mem_ops;
	b->mm = uq->mm;
	mmgrab(b->mm);
	mutex_lock(&s->lock);
	/* PASID 0 is reserved for requests without one; 20 bits. */
	id = idr_alloc(&s->pasids, b, 1, 1 << 20, GFP_KERNEL);
	mutex_unlock(&s->lock);
	if (id < 0) {
		mmdrop(b->mm);
		kfree(b);
		return id;
	}
	*pasid = id;
	return 0;
}

static void sim_unbind(struct dsa_pci *d, struct uacce_queue *uq, u32 pasid)
{
	struct dsa_pci_sim *s = to_sim(d);
	struct sim_bind *b;

	/* Under the lock: the engine thread is not inside this mm. */
	mutex_lock(&s->lock);
	b = idr_remove(&s->pasids, pasid);
	mutex_unlock(&s->lock);
	if (b) {
		mmdrop(b->mm);
		kfree(b);
	}
}

static const struct dsa_pci_seam sim_seam = {
	.rd32 = sim_rd32,
	.rd64 = sim_rd64,
	.wr32 = sim_wr32,
	.wr64 = sim_wr64,
	.portal = sim_portal,
	.bind = sim_bind,
	.unbind = sim_unbind,
	/* No portal mapping: user stores cannot be trapped here. */
	.mmap_portal = NULL,
	.uacce_flags = UACCE_DEV_NOIOMMU,
	.submit = UACCE_DSA_SUBMIT_WRITE,
};

/*
 * Fault injection for the tests, root only (sysfs sim_inject of the
 * simulated device), the faults a register twin cannot produce by itself:
 *   "swerr Q E"  software error E on queue Q (the device goes on)
 *   "halt Q E"   software error E on queue Q, then the device halts,
 *                recoverable by a Reset Device command
 *   "halt-flr"   the device halts and needs a function level reset
 */
static ssize_t sim_inject_store(struct device *dev,
				struct device_attribute *attr,
				const char *buf, size_t len)
{
	struct dsa_pci_sim *s = platform_get_drvdata(to_platform_device(dev));
	unsigned int wq = 0, err = 0;
	ssize_t rc = (ssize_t)len;
	char what[16];

	if (!s || sscanf(buf, "%15s %u %u", what, &wq, &err) < 1)
		return -EINVAL;
	if (wq >= DSA_TWIN_MAX_WQS || err > 0xff)
		return -EINVAL;
	mutex_lock(&s->lock);
	if (!strcmp(what, "swerr")) {
		dsa_twin_inject_swerr(s->t, wq, (u8)err);
	} else if (!strcmp(what, "halt")) {
		dsa_twin_inject_swerr(s->t, wq, (u8)err);
		dsa_twin_halt(s->t, DSA_RESET_SOFTWARE);
	} else if (!strcmp(what, "halt-flr")) {
		dsa_twin_halt(s->t, DSA_RESET_FLR);
	} else {
		rc = -EINVAL;
	}
	mutex_unlock(&s->lock);
	return rc;
}
static DEVICE_ATTR_WO(sim_inject);

static void sim_destroy(struct dsa_pci_sim *s)
{
	if (s->pdev)
		device_remove_file(&s->pdev->dev, &dev_attr_sim_inject);
	if (s->ready)
		dsa_pci_teardown(&s->d);
	s->ready = false;
	flush_work(&s->d.misc_work);
	if (s->engine)
		kthread_stop(s->engine);
	idr_destroy(&s->pasids);
	platform_device_unregister(s->pdev);
	vfree(s->t);
	kfree(s);
}

static int sim_create(int idx, enum dsa_twin_version v)
{
	struct dsa_pci_sim *s;
	int rc;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	s->t = vzalloc(sizeof(*s->t));
	if (!s->t) {
		kfree(s);
		return -ENOMEM;
	}
	mutex_init(&s->lock);
	idr_init(&s->pasids);
	init_waitqueue_head(&s->wait);
	INIT_WORK(&s->d.misc_work, sim_misc_work);
	dsa_pci_init_state(&s->d);
	s->host.irq = sim_irq;
	s->host.pasid_mem = sim_pasid_mem;
	dsa_twin_init(s->t, v, &s->host, s);
	s->pdev = platform_device_register_simple("dsa_pci_sim", idx, NULL, 0);
	if (IS_ERR(s->pdev)) {
		rc = PTR_ERR(s->pdev);
		s->pdev = NULL;
		vfree(s->t);
		kfree(s);
		return rc;
	}
	platform_set_drvdata(s->pdev, s);
	rc = device_create_file(&s->pdev->dev, &dev_attr_sim_inject);
	if (rc)
		goto err;
	s->engine = kthread_run(sim_engine, s, "dsa_pci_sim/%d", idx);
	if (IS_ERR(s->engine)) {
		rc = PTR_ERR(s->engine);
		s->engine = NULL;
		goto err;
	}
	s->d.dev = &s->pdev->dev;
	s->d.seam = &sim_seam;
	s->d.priv = s;
	s->ready = true;
	rc = dsa_pci_setup(&s->d);
	if (rc) {
		s->ready = false;
		goto err;
	}
	sims[nsims++] = s;
	return 0;
err:
	sim_destroy(s);
	return rc;
}

/* versions: a list such as "1,2", one simulated device per entry. */
int dsa_pci_sim_init(const char *versions)
{
	char *list, *cur, *tok;
	int rc = 0;

	if (!versions || !*versions)
		return 0;
	list = kstrdup(versions, GFP_KERNEL);
	if (!list)
		return -ENOMEM;
	cur = list;
	while (!rc && (tok = strsep(&cur, ","))) {
		if (nsims == SIM_MAX_DEVICES || (strcmp(tok, "1") && strcmp(tok, "2"))) {
			pr_err("dsa_pci: sim: '%s': at most %d entries of 1 or 2\n",
			       tok, SIM_MAX_DEVICES);
			rc = -EINVAL;
			break;
		}
		rc = sim_create(nsims, tok[0] == '1' ? DSA_TWIN_V1 : DSA_TWIN_V2);
	}
	kfree(list);
	if (rc)
		dsa_pci_sim_exit();
	return rc;
}

void dsa_pci_sim_exit(void)
{
	while (nsims)
		sim_destroy(sims[--nsims]);
}
