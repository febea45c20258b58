/* SPDX-License-Identifier: MIT */
/* Shared between the twin's own files; not part of any interface. */
#ifndef UACCEL_TWIN_INTERNAL_H
#define UACCEL_TWIN_INTERNAL_H

#include "dsa_twin.h"

#ifdef __KERNEL__
#include <linux/string.h>
#else
#include <string.h>
#endif

static inline unsigned int twin_num_wqs(const struct dsa_twin *t)
{
	return (unsigned int)DSA_FGET(t->wqcap, DSA_WQCAP_NUM_WQS);
}

static inline unsigned int twin_num_groups(const struct dsa_twin *t)
{
	return (unsigned int)DSA_FGET(t->grpcap, DSA_GRPCAP_NUM_GROUPS);
}

static inline unsigned int twin_num_engines(const struct dsa_twin *t)
{
	return (unsigned int)DSA_FGET(t->engcap, DSA_ENGCAP_NUM_ENGINES);
}

static inline enum dsa_dev_state twin_state(const struct dsa_twin *t)
{
	return (enum dsa_dev_state)DSA_FGET(t->gensts, DSA_GENSTS_STATE);
}

/* A WQCFG field of a queue: TWIN_WQ(q, dword, DSA_WQCFG_x). */
#define TWIN_WQ(q, dw, ...) ((uint32_t)DSA_FGET((q)->cfg[dw], __VA_ARGS__))

static inline bool twin_wq_dedicated(const struct dsa_twin_wq *q)
{
	return TWIN_WQ(q, DSA_WQCFG_DW_MODE, DSA_WQCFG_MODE) != 0;
}

/* twin_regs.c */
void twin_reset_config(struct dsa_twin *t);
void twin_raise(struct dsa_twin *t, uint32_t cause, bool irq);
/* Group of a queue, or -1 when no group lists it. */
int twin_wq_group(const struct dsa_twin *t, unsigned int wq);

/* twin_cmd.c */
void twin_cmd_write(struct dsa_twin *t, uint32_t val);
void twin_cmd_progress(struct dsa_twin *t);

/* twin_queue.c */
void twin_wq_abort(struct dsa_twin *t, unsigned int wq, bool by_pasid,
		   uint32_t pasid);
bool twin_work_pending(const struct dsa_twin *t, uint32_t wq_mask,
		       bool by_pasid, uint32_t pasid);

#endif /* UACCEL_TWIN_INTERNAL_H */
