/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The few kernel interfaces that changed between Debian 12's 6.1 and its
 * 6.12 backport, in one place.
 */
#ifndef UACCEL_UACCE_COMPAT_H
#define UACCEL_UACCE_COMPAT_H

#include <linux/device.h>
#include <linux/eventfd.h>
#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/version.h>

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#define uacce_class_create(name) class_create(name)
#else
#define uacce_class_create(name) class_create(THIS_MODULE, name)
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
#define uacce_vm_flags_set(vma, f) vm_flags_set(vma, f)
#define uacce_vm_flags_clear(vma, f) vm_flags_clear(vma, f)
#else
#define uacce_vm_flags_set(vma, f) ((vma)->vm_flags |= (f))
#define uacce_vm_flags_clear(vma, f) ((vma)->vm_flags &= ~(f))
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
#define uacce_eventfd_signal(ctx) eventfd_signal(ctx)
#else
#define uacce_eventfd_signal(ctx) eventfd_signal(ctx, 1)
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
#define uacce_sva_bind(dev, mm) iommu_sva_bind_device(dev, mm)
#else
#define uacce_sva_bind(dev, mm) iommu_sva_bind_device(dev, mm, NULL)
#endif

#endif /* UACCEL_UACCE_COMPAT_H */
