/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Shared between the framework's own files. */
#ifndef UACCEL_UACCE_INTERNAL_H
#define UACCEL_UACCE_INTERNAL_H

#include <linux/fs.h>

#include "uacce_drv.h"

extern const struct file_operations uacce_fops;
extern const struct attribute_group *uacce_dev_groups[];

/* Stop and put a live queue; it is a zombie afterwards.  q->mutex held. */
void uacce_queue_retire(struct uacce_queue *q);

#endif /* UACCEL_UACCE_INTERNAL_H */
