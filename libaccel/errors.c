// SPDX-License-Identifier: MIT
/* Readable messages for this library's errors and the device's statuses. */
#include <errno.h>
#include <string.h>

#include "internal.h"

ACCEL_EXPORT const char *accel_strerror(int err)
{
	switch (err) {
	case 0:
		return "success";
	case 1: /* accel_compare*(), accel_delta_create() */
		return "success: the buffers differ (compare) or a delta "
		       "record was made";
	case -EINPROGRESS:
		return "operation still in progress";
	case -EAGAIN:
		return "work queue full: poll for completions and retry";
	case -EFAULT:
		return "bad address: the device could not access a buffer";
	case -EINVAL:
		return "invalid argument or descriptor rejected by the device";
	case -E2BIG:
		return "transfer larger than the device's maximum";
	case -ENOSPC:
		return "delta record larger than the space given";
	case -EIO:
		return "device reported an error (see the completion status)";
	case -ENOTSUP:
		return "not supported by this backend or CPU";
	case -ENOENT:
		return "no such backend";
	case -ENODEV:
		return "no such device";
	case -EBUSY:
		return "operation already in flight";
	case -EBADMSG: /* the DIF calls */
		return "DIF check failed: a block's protection information "
		       "does not match";
	default:
		return err < 0 ? strerror(-err) : "unknown non-negative value";
	}
}

ACCEL_EXPORT const char *accel_status_str(uint8_t status)
{
	switch (status & DSA_COMP_STATUS_MASK) {
	case DSA_COMP_NONE:
		return "not completed";
	case DSA_COMP_SUCCESS:
		return "success";
	case DSA_COMP_SUCCESS_PRED:
		return "success, check-result predicate false";
	case DSA_COMP_PAGE_FAULT_NOBOF:
		return status & DSA_COMP_STATUS_WRITE ?
			       "page fault on write (block-on-fault clear)" :
			       "page fault on read (block-on-fault clear)";
	case DSA_COMP_PAGE_FAULT_IR:
		return status & DSA_COMP_STATUS_WRITE ?
			       "page fault on write could not be resolved" :
			       "page fault on read could not be resolved";
	case DSA_COMP_BATCH_FAIL:
		return "batch: at least one member failed";
	case DSA_COMP_BATCH_PAGE_FAULT:
		return "batch: page fault reading the descriptor list";
	case DSA_COMP_DR_OFFSET_NOINC:
		return "delta record offsets not increasing";
	case DSA_COMP_DR_OFFSET_ERANGE:
		return "delta record offset beyond the transfer size";
	case DSA_COMP_DIF_ERR:
		return "DIF error";
	case DSA_COMP_BAD_OPCODE:
		return "unsupported opcode";
	case DSA_COMP_INVALID_FLAGS:
		return "invalid flags";
	case DSA_COMP_NOZERO_RESERVE:
		return "non-zero reserved field";
	case DSA_COMP_XFER_ERANGE:
		return "transfer size out of range";
	case DSA_COMP_DESC_CNT_ERANGE:
		return "batch descriptor count out of range";
	case DSA_COMP_DR_ERANGE:
		return "delta record size out of range";
	case DSA_COMP_OVERLAP_BUFFERS:
		return "buffers overlap";
	case DSA_COMP_DCAST_ERR:
		return "dualcast destinations differ in address bits 11:0";
	case DSA_COMP_DESCLIST_ALIGN:
		return "batch descriptor list not 64-byte aligned";
	case DSA_COMP_INT_HANDLE_INVAL:
		return "invalid interrupt handle";
	case DSA_COMP_CRA_XLAT:
		return "completion record address not translatable";
	case DSA_COMP_CRA_ALIGN:
		return "completion record address not 32-byte aligned";
	case DSA_COMP_ADDR_ALIGN:
		return "address not aligned";
	case DSA_COMP_PRIV_BAD:
		return "privileged descriptor from user space";
	case DSA_COMP_TRAFFIC_CLASS_CONF:
		return "traffic class configuration error";
	case DSA_COMP_PFAULT_RDBA:
		return "page fault on readback address";
	case DSA_COMP_HW_ERR1:
		return "hardware error";
	case DSA_COMP_HW_ERR_DRB:
		return "hardware error on destination readback";
	case DSA_COMP_TRANSLATION_FAIL:
		return "address translation failed";
	default:
		return "unknown status";
	}
}
