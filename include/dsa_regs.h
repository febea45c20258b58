/* SPDX-License-Identifier: MIT */
/*
 * Intel DSA register interface: BAR0 register offsets, the fields of the
 * capability, configuration and status registers, the command set and its
 * error codes, and the BAR2 portal layout.  Shared by the register twin
 * (twin/), its tests and the kernel driver (kernel/dsa_pci/).
 *
 * Source of every fact here, unless a comment says otherwise: Linux
 * drivers/dma/idxd/registers.h (offsets, field positions, command and
 * CMDSTS codes), drivers/dma/idxd/init.c (idxd_read_caps: how the sizes are
 * derived), drivers/dma/idxd/idxd.h (portal offsets), and the Intel DSA
 * Architecture Specification, chapter 9 (registers).
 *
 * Fields are given as shift/width pairs over the raw 32- or 64-bit register
 * rather than C bit-fields: the bit order of a bit-field is
 * implementation-defined in C11, and user space, the kernel, gcc and clang
 * must agree with the hardware.
 */
#ifndef UACCEL_DSA_REGS_H
#define UACCEL_DSA_REGS_H

#include "dsa_hw.h"

/* ---- PCI identity (registers.h; 0x0b25 is PCI_DEVICE_ID_INTEL_DSA_SPR0
 * in include/linux/pci_ids.h) ---- */
#define DSA_PCI_VENDOR_INTEL 0x8086
#define DSA_PCI_DEVICE_SPR 0x0b25
#define DSA_PCI_DEVICE_GNRD 0x11fb
#define DSA_PCI_DEVICE_DMR 0x1212
#define DSA_BAR_MMIO 0 /* registers */
#define DSA_BAR_PORTAL 2 /* work queue portals */

/* ---- Field helpers ---- */
/*
 * A field is named by a macro expanding to "shift, width"; the extra level
 * lets that pair be split into two arguments.
 */
#define DSA_FMASK_(s, w) (((1ull << (w)) - 1) << (s))
#define DSA_FGET_(v, s, w) (((uint64_t)(v) >> (s)) & ((1ull << (w)) - 1))
#define DSA_FPUT_(s, w, x) (((uint64_t)(x) & ((1ull << (w)) - 1)) << (s))
/* Variadic so that a field passed through another macro, already split
 * into "shift, width", still lands in the right parameters. */
#define DSA_FMASK(...) DSA_FMASK_(__VA_ARGS__)
#define DSA_FGET(v, ...) DSA_FGET_(v, __VA_ARGS__)
#define DSA_FPUT(...) DSA_FPUT_(__VA_ARGS__)

/* ---- BAR0 register offsets (registers.h IDXD_*_OFFSET) ---- */
#define DSA_REG_VERSION 0x00 /* 32 bit */
#define DSA_REG_GENCAP 0x10 /* 64 bit */
#define DSA_REG_WQCAP 0x20 /* 64 bit */
#define DSA_REG_GRPCAP 0x30 /* 64 bit */
#define DSA_REG_ENGCAP 0x38 /* 64 bit */
#define DSA_REG_OPCAP 0x40 /* 4 x 64 bit: one bit per opcode */
#define DSA_REG_TABLE 0x60 /* 2 x 64 bit: the offsets table */
#define DSA_REG_GENCFG 0x80 /* 32 bit */
#define DSA_REG_GENCTRL 0x88 /* 32 bit */
#define DSA_REG_GENSTS 0x90 /* 32 bit */
#define DSA_REG_INTCAUSE 0x98 /* 32 bit */
#define DSA_REG_CMD 0xa0 /* 32 bit */
#define DSA_REG_CMDSTS 0xa8 /* 32 bit */
#define DSA_REG_CMDCAP 0xb0 /* 32 bit, valid when GENCAP.cmd_cap */
#define DSA_REG_SWERR 0xc0 /* 4 x 64 bit */
#define DSA_OPCAP_WORDS 4
#define DSA_SWERR_WORDS 4

/* VERSION: registers.h DEVICE_VERSION_1/2; idxd compares the whole
 * register against these (e.g. device.c "hw.version <= DEVICE_VERSION_2"). */
#define DSA_VERSION_1 0x100
#define DSA_VERSION_2 0x200

/* GENCAP (union gen_cap_reg). */
#define DSA_GENCAP_BOF 0, 1
#define DSA_GENCAP_OVERLAP_COPY 1, 1
#define DSA_GENCAP_CC_MEM 2, 1
#define DSA_GENCAP_CC_CACHE 3, 1
#define DSA_GENCAP_CMD_CAP 4, 1
#define DSA_GENCAP_DEST_READBACK 8, 1
#define DSA_GENCAP_DRAIN_READBACK 9, 1
#define DSA_GENCAP_EVL 13, 2
#define DSA_GENCAP_BATCH_CONT 15, 1
#define DSA_GENCAP_MAX_XFER_SHIFT 16, 5
#define DSA_GENCAP_MAX_BATCH_SHIFT 21, 4
#define DSA_GENCAP_MAX_IMS_MULT 25, 6
#define DSA_GENCAP_CONFIG_EN 31, 1

/* WQCAP (union wq_cap_reg).  WQCFG entries are 1 << (wqcfg_size + 5)
 * bytes (init.c idxd_read_caps, IDXD_WQCFG_MIN): 32 on DSA 1.0, 64 on 2.0. */
#define DSA_WQCAP_TOTAL_SIZE 0, 16
#define DSA_WQCAP_NUM_WQS 16, 8
#define DSA_WQCAP_WQCFG_SIZE 24, 4
#define DSA_WQCAP_SHARED_MODE 48, 1
#define DSA_WQCAP_DEDICATED_MODE 49, 1
#define DSA_WQCAP_ATS 50, 1
#define DSA_WQCAP_PRIORITY 51, 1
#define DSA_WQCAP_OCCUPANCY 52, 1
#define DSA_WQCAP_OCCUPANCY_INT 53, 1
#define DSA_WQCAP_OP_CONFIG 54, 1
#define DSA_WQCAP_PRS 55, 1
#define DSA_WQCFG_SIZE_MIN_SHIFT 5

/* GRPCAP (union group_cap_reg), ENGCAP (union engine_cap_reg). */
#define DSA_GRPCAP_NUM_GROUPS 0, 8
#define DSA_GRPCAP_TOTAL_RDBUFS 8, 8
#define DSA_GRPCAP_RDBUF_CTRL 16, 1
#define DSA_GRPCAP_RDBUF_LIMIT 17, 1
#define DSA_GRPCAP_PROGRESS_LIMIT 18, 1
#define DSA_ENGCAP_NUM_ENGINES 0, 8

/* Offsets table (union offsets_reg), each in units of 0x100 (IDXD_TABLE_MULT):
 * word 0 holds grpcfg 15:0, wqcfg 31:16, msix_perm 47:32, ims 63:48;
 * word 1 holds perfmon 15:0. */
#define DSA_TABLE_MULT 0x100
#define DSA_TABLE_GRPCFG 0, 16
#define DSA_TABLE_WQCFG 16, 16
#define DSA_TABLE_MSIX_PERM 32, 16
#define DSA_TABLE_IMS 48, 16
#define DSA_TABLE1_PERFMON 0, 16

/* GENCFG (union gencfg_reg), GENCTRL (union genctrl_reg). */
#define DSA_GENCFG_RDBUF_LIMIT 0, 8
#define DSA_GENCFG_USER_INT_EN 12, 1
#define DSA_GENCFG_EVL_EN 13, 1
#define DSA_GENCTRL_SOFTERR_INT_EN 0, 1
#define DSA_GENCTRL_HALT_INT_EN 1, 1
#define DSA_GENCTRL_EVL_INT_EN 2, 1

/* GENSTS (union gensts_reg, enum idxd_device_status_state and
 * enum idxd_device_reset_type). */
#define DSA_GENSTS_STATE 0, 2
#define DSA_GENSTS_RESET_TYPE 2, 2
enum dsa_dev_state {
	DSA_DEV_DISABLED = 0,
	DSA_DEV_ENABLED = 1,
	DSA_DEV_DRAIN = 2,
	DSA_DEV_HALT = 3,
};
enum dsa_reset_type {
	DSA_RESET_SOFTWARE = 0, /* a Reset Device command recovers */
	DSA_RESET_FLR = 1,
	DSA_RESET_WARM = 2,
	DSA_RESET_COLD = 3,
};

/* INTCAUSE bits (IDXD_INTC_*); write 1 to clear. */
#define DSA_INTC_ERR 0x01u
#define DSA_INTC_CMD 0x02u
#define DSA_INTC_OCCUPY 0x04u
#define DSA_INTC_PERFMON_OVFL 0x08u
#define DSA_INTC_HALT_STATE 0x10u
#define DSA_INTC_EVL 0x20u
#define DSA_INTC_INT_HANDLE_REVOKED 0x80000000u

/* CMD (union idxd_command_reg). */
#define DSA_CMD_OPERAND 0, 20
#define DSA_CMD_CODE 20, 5
#define DSA_CMD_INT_REQ 31, 1
#define dsa_cmd_word(code, operand, int_req)                                   \
	((uint32_t)(DSA_FPUT(DSA_CMD_CODE, (code)) |                           \
		    DSA_FPUT(DSA_CMD_OPERAND, (operand)) |                     \
		    DSA_FPUT(DSA_CMD_INT_REQ, (int_req))))

/* enum idxd_cmd. */
enum dsa_cmd {
	DSA_CMD_ENABLE_DEVICE = 1,
	DSA_CMD_DISABLE_DEVICE = 2,
	DSA_CMD_DRAIN_ALL = 3,
	DSA_CMD_ABORT_ALL = 4,
	DSA_CMD_RESET_DEVICE = 5,
	DSA_CMD_ENABLE_WQ = 6,
	DSA_CMD_DISABLE_WQ = 7,
	DSA_CMD_DRAIN_WQ = 8,
	DSA_CMD_ABORT_WQ = 9,
	DSA_CMD_RESET_WQ = 10,
	DSA_CMD_DRAIN_PASID = 11,
	DSA_CMD_ABORT_PASID = 12,
	DSA_CMD_REQUEST_INT_HANDLE = 13,
	DSA_CMD_RELEASE_INT_HANDLE = 14,
};
/*
 * Operands (device.c): ENABLE_WQ takes the queue index; DISABLE/DRAIN/
 * ABORT/RESET_WQ take a bitmap of 16 queues in 15:0 and which block of 16
 * in 19:16 (BIT(id % 16) | (id / 16) << 16); DRAIN/ABORT_PASID take the
 * PASID; the interrupt-handle commands take the index in 15:0 and bit 16
 * for IMS (CMD_INT_HANDLE_IMS).
 */
#define dsa_cmd_wq_operand(id) ((1u << ((id) % 16)) | (((id) / 16) << 16))
#define DSA_CMD_INT_HANDLE_IMS 0x10000u

/* CMDSTS (union cmdsts_reg, enum idxd_cmdsts_err). */
#define DSA_CMDSTS_ERR 0, 8
#define DSA_CMDSTS_RESULT 8, 16
#define DSA_CMDSTS_ACTIVE 31, 1
#define DSA_CMDSTS_ACTIVE_BIT 0x80000000u
enum dsa_cmdsts_err {
	DSA_CMDSTS_SUCCESS = 0x00,
	DSA_CMDSTS_INVAL_CMD = 0x01,
	DSA_CMDSTS_INVAL_WQIDX = 0x02,
	DSA_CMDSTS_HW_ERR = 0x03,
	/* enable device */
	DSA_CMDSTS_ERR_DEV_ENABLED = 0x10,
	DSA_CMDSTS_ERR_CONFIG = 0x11,
	DSA_CMDSTS_ERR_BUSMASTER_EN = 0x12,
	DSA_CMDSTS_ERR_PASID_INVAL = 0x13,
	DSA_CMDSTS_ERR_WQ_SIZE_ERANGE = 0x14,
	DSA_CMDSTS_ERR_GRP_CONFIG = 0x15,
	DSA_CMDSTS_ERR_GRP_CONFIG2 = 0x16,
	DSA_CMDSTS_ERR_GRP_CONFIG3 = 0x17,
	DSA_CMDSTS_ERR_GRP_CONFIG4 = 0x18,
	/* enable WQ */
	DSA_CMDSTS_ERR_DEV_NOTEN = 0x20,
	DSA_CMDSTS_ERR_WQ_ENABLED = 0x21,
	DSA_CMDSTS_ERR_WQ_SIZE = 0x22,
	DSA_CMDSTS_ERR_WQ_PRIOR = 0x23,
	DSA_CMDSTS_ERR_WQ_MODE = 0x24,
	DSA_CMDSTS_ERR_BOF_EN = 0x25,
	DSA_CMDSTS_ERR_PASID_EN = 0x26,
	DSA_CMDSTS_ERR_MAX_BATCH_SIZE = 0x27,
	DSA_CMDSTS_ERR_MAX_XFER_SIZE = 0x28,
	/* disable device */
	DSA_CMDSTS_ERR_DIS_DEV_EN = 0x31,
	/* disable, drain, abort, reset WQ */
	DSA_CMDSTS_ERR_DEV_NOT_EN = 0x32,
	/* request interrupt handle */
	DSA_CMDSTS_ERR_INVAL_INT_IDX = 0x41,
	DSA_CMDSTS_ERR_NO_HANDLE = 0x42,
};

/* SWERR (union sw_err_reg): word 0 flags and identity, word 1 batch index
 * and invalid flags, word 2 the fault address, word 3 reserved.  Writing 1
 * to valid and overflow clears them (IDXD_SWERR_ACK). */
#define DSA_SWERR_VALID 0, 1
#define DSA_SWERR_OVERFLOW 1, 1
#define DSA_SWERR_DESC_VALID 2, 1
#define DSA_SWERR_WQ_IDX_VALID 3, 1
#define DSA_SWERR_BATCH 4, 1
#define DSA_SWERR_FAULT_RW 5, 1
#define DSA_SWERR_PRIV 6, 1
#define DSA_SWERR_ERROR 8, 8
#define DSA_SWERR_WQ_IDX 16, 8
#define DSA_SWERR_OPERATION 32, 8
#define DSA_SWERR_PASID 40, 20
#define DSA_SWERR1_BATCH_IDX 0, 16
#define DSA_SWERR1_INVALID_FLAGS 32, 32 /* u64 invalid_flags:32 */
#define DSA_SWERR_ACK 0x3ull

/* ---- GRPCFG: 64 bytes a group (GRPCFG_SIZE): wqs[4] bitmap at +0,
 * engines bitmap at +32, flags at +40 (struct grpcfg, union group_flags) ---- */
#define DSA_GRPCFG_SIZE 64
#define DSA_GRPCFG_WQS 0
#define DSA_GRPCFG_ENGINES 32
#define DSA_GRPCFG_FLAGS 40
#define DSA_GRPFLG_TC_A 0, 3
#define DSA_GRPFLG_TC_B 3, 3
#define DSA_GRPFLG_USE_RDBUF_LIMIT 7, 1
#define DSA_GRPFLG_RDBUFS_RESERVED 8, 8
#define DSA_GRPFLG_RDBUFS_ALLOWED 20, 8
#define DSA_GRPFLG_DESC_PROGRESS_LIMIT 32, 2
#define DSA_GRPFLG_BATCH_PROGRESS_LIMIT 36, 2

/* ---- WQCFG: dwords (union wqcfg); 8 on DSA 1.0, 16 on 2.0 ---- */
#define DSA_WQCFG_DW_SIZE 0 /* wq_size 15:0 */
#define DSA_WQCFG_DW_THRESH 1 /* wq_thresh 15:0 */
#define DSA_WQCFG_DW_MODE 2 /* WQCFG_PASID_IDX, WQCFG_PRIVL_IDX */
#define DSA_WQCFG_DW_LIMITS 3
#define DSA_WQCFG_DW_OCC_INTH 4
#define DSA_WQCFG_DW_OCC_LIMIT 5
#define DSA_WQCFG_DW_STATE 6 /* WQCFG_OCCUP_IDX */
#define DSA_WQCFG_DW_OPCFG 8 /* op_config: 256 bits, DSA 2.0 */
#define DSA_WQCFG_SIZE_V1 32
#define DSA_WQCFG_SIZE_V2 64
#define DSA_WQCFG_SIZE_MAX DSA_WQCFG_SIZE_V2
#define DSA_WQCFG_DWORDS_MAX (DSA_WQCFG_SIZE_MAX / 4)

#define DSA_WQCFG_WQ_SIZE 0, 16
#define DSA_WQCFG_THRESH 0, 16
#define DSA_WQCFG_MODE 0, 1 /* 1 dedicated, 0 shared */
#define DSA_WQCFG_BOF 1, 1
#define DSA_WQCFG_ATS_DISABLE 2, 1
#define DSA_WQCFG_PRS_DISABLE 3, 1
#define DSA_WQCFG_PRIORITY 4, 4
#define DSA_WQCFG_PASID 8, 20
#define DSA_WQCFG_PASID_EN 28, 1
#define DSA_WQCFG_PRIV 29, 1
#define DSA_WQCFG_MAX_XFER_SHIFT 0, 5
#define DSA_WQCFG_MAX_BATCH_SHIFT 5, 4
#define DSA_WQCFG_OCC_INTH 0, 16
#define DSA_WQCFG_OCC_TABLE_SEL 16, 1
#define DSA_WQCFG_OCC_LIMIT 0, 16
#define DSA_WQCFG_OCC_INT_EN 16, 1
#define DSA_WQCFG_OCCUPANCY 0, 16 /* read-only */
#define DSA_WQCFG_OCC_INT 16, 1
#define DSA_WQCFG_MODE_SUPPORT 29, 1 /* read-only */
#define DSA_WQCFG_WQ_STATE 30, 2 /* read-only */
#define DSA_WQ_STATE_DISABLED 0
#define DSA_WQ_STATE_ENABLED 1

/* ---- MSI-X permission table: 8 bytes an entry (device.c writes entry
 * id at msix_perm_offset + id * 8; union msix_perm) ---- */
#define DSA_MSIX_PERM_STRIDE 8
#define DSA_MSIX_PERM_IGNORE 2, 1
#define DSA_MSIX_PERM_PASID_EN 3, 1
#define DSA_MSIX_PERM_PASID 12, 20

/* ---- BAR2 portals (idxd.h idxd_get_wq_portal_full_offset): four 4 KiB
 * pages a queue from page 4 * wq: unlimited, limited, and the same two
 * for IMS interrupts (irq_type * 0x2000). ---- */
#define DSA_PORTAL_PAGE 0x1000u
#define DSA_PORTAL_PAGES_PER_WQ 4u
#define DSA_PORTAL_LIMITED 0x1000u
#define DSA_PORTAL_IMS 0x2000u
#define dsa_portal_offset(wq, limited, ims)                                    \
	((uint64_t)(wq) * DSA_PORTAL_PAGES_PER_WQ * DSA_PORTAL_PAGE +          \
	 ((limited) ? DSA_PORTAL_LIMITED : 0) + ((ims) ? DSA_PORTAL_IMS : 0))

/* Pins: a field table typo shows up here rather than on hardware. */
DSA_STATIC_ASSERT(DSA_FMASK(DSA_GENCAP_CONFIG_EN) == 0x80000000ull);
DSA_STATIC_ASSERT(DSA_FMASK(DSA_GENCAP_MAX_XFER_SHIFT) == 0x1f0000ull);
DSA_STATIC_ASSERT(DSA_FMASK(DSA_WQCAP_PRS) == (1ull << 55));
DSA_STATIC_ASSERT(DSA_FMASK(DSA_CMD_CODE) == 0x01f00000ull);
DSA_STATIC_ASSERT(dsa_cmd_word(DSA_CMD_ABORT_PASID, 0xfffff, 1) ==
		  0x80cfffffu);
DSA_STATIC_ASSERT(DSA_FMASK(DSA_WQCFG_PASID) == 0x0fffff00ull);
DSA_STATIC_ASSERT(DSA_FMASK(DSA_WQCFG_WQ_STATE) == 0xc0000000ull);
DSA_STATIC_ASSERT(DSA_FMASK(DSA_SWERR_PASID) == 0x0fffff0000000000ull);
DSA_STATIC_ASSERT(DSA_FMASK(DSA_SWERR1_INVALID_FLAGS) == 0xffffffff00000000ull);
DSA_STATIC_ASSERT(DSA_FMASK(DSA_GRPFLG_BATCH_PROGRESS_LIMIT) ==
		  0x3000000000ull);
DSA_STATIC_ASSERT(dsa_cmd_wq_operand(17) == 0x10002u);
DSA_STATIC_ASSERT(dsa_portal_offset(2, 1, 0) == 0x9000u);
DSA_STATIC_ASSERT(DSA_REG_SWERR + DSA_SWERR_WORDS * 8 == 0xe0);
DSA_STATIC_ASSERT(DSA_REG_OPCAP + DSA_OPCAP_WORDS * 8 == DSA_REG_TABLE);

#endif /* UACCEL_DSA_REGS_H */
