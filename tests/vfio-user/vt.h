/* SPDX-License-Identifier: MIT */
/*
 * The vfio-user tests: a tiny runner (each test one function, checks that
 * jump out on failure, an fd count before and after every test) and a
 * client that plays the VMM over a socketpair, with a memfd as guest RAM.
 */
#ifndef UACCEL_VT_H
#define UACCEL_VT_H

#include "dsa_regs.h"
#include "dsa_twin.h"
#include "vfu_dsa.h"
#include "vfu_proto.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

struct vt_test {
	const char *name;
	void (*fn)(void);
	struct vt_test *next;
};
void vt_register(struct vt_test *t);
__attribute__((noreturn)) void vt_fail(const char *file, int line,
				       const char *fmt, ...);
/* The test cannot run here: counted and named, never silent. */
__attribute__((noreturn)) void vt_skip(const char *why);

#define VT_TEST(n)                                                             \
	static void vt_fn_##n(void);                                           \
	static struct vt_test vt_t_##n = { #n, vt_fn_##n, NULL };              \
	__attribute__((constructor)) static void vt_reg_##n(void)              \
	{                                                                      \
		vt_register(&vt_t_##n);                                        \
	}                                                                      \
	static void vt_fn_##n(void)

#define VT_CHECK(c)                                                            \
	do {                                                                   \
		if (!(c))                                                      \
			vt_fail(__FILE__, __LINE__, "%s", #c);                 \
	} while (0)
#define VT_EQ(a, b)                                                            \
	do {                                                                   \
		long long _a = (long long)(a), _b = (long long)(b);            \
		if (_a != _b)                                                  \
			vt_fail(__FILE__, __LINE__, "%s == %s (%lld != %lld)", \
				#a, #b, _a, _b);                               \
	} while (0)

/* Guest RAM: one memfd, two DMA regions back to back in guest space. */
#define VT_IOVA_A 0x100000ull
#define VT_IOVA_B 0x200000ull
#define VT_REGION 0x100000ull
#define VT_RAM (2 * VT_REGION)
#define VT_MSIX DSA_TWIN_MSIX_VECTORS

struct vt {
	struct vfu_dsa *d;
	int sock; /* the client's end */
	int srv_sock; /* the server thread's end */
	pthread_t th;
	int serve_rc;
	int memfd;
	uint8_t *ram; /* the client's view of guest RAM */
	int efd[VT_MSIX];
	uint16_t next_id;
	uint32_t grpcfg, wqcfg, wqcfg_size;
};

/* Device + server thread on a socketpair; cfg NULL: defaults. */
void vt_open(struct vt *v, const struct vfu_dsa_config *cfg);
/* Client leaves; the server thread ends; everything is released. */
void vt_close(struct vt *v);
void vt_hangup(struct vt *v); /* client leaves, device stays */
void vt_reconnect(struct vt *v); /* a new client for the same device */

/* One command and its reply: 0, or -errno from an error reply. */
int vt_call(struct vt *v, uint16_t cmd, const void *p, size_t n,
	    const int *fds, unsigned int nfds, void *out, size_t outmax,
	    size_t *outn);
int vt_send_raw(struct vt *v, const void *msg, size_t n, const int *fds,
		unsigned int nfds);
/* Read one reply: payload into out; returns 0 or -errno of the reply. */
int vt_recv_reply(struct vt *v, struct vfu_hdr *h, void *out, size_t max);

int vt_version(struct vt *v);
/* The memfd (sealed) with regions A and B mapped (2 MiB guest RAM). */
void vt_ram(struct vt *v);
int vt_map(struct vt *v, uint64_t iova, uint64_t size, int fd, uint64_t off,
	   uint32_t prot);
int vt_unmap(struct vt *v, uint64_t iova, uint64_t size, uint32_t flags);
void *vt_g2h(struct vt *v, uint64_t gaddr); /* client address of guest RAM */

int vt_rd(struct vt *v, uint32_t region, uint64_t off, void *buf, uint32_t n);
int vt_wr(struct vt *v, uint32_t region, uint64_t off, const void *buf,
	  uint32_t n);
uint32_t vt_cfg32(struct vt *v, uint32_t off);
void vt_cfgw16(struct vt *v, uint32_t off, uint16_t val);
uint32_t vt_r32(struct vt *v, uint32_t off);
uint64_t vt_r64(struct vt *v, uint32_t off);
void vt_w32(struct vt *v, uint32_t off, uint32_t val);
void vt_w64(struct vt *v, uint32_t off, uint64_t val);

/* MSI-X eventfds for every vector. */
void vt_irqs_on(struct vt *v);
/* Signals on vector since the last read. */
uint64_t vt_irq_count(struct vt *v, unsigned int vector);

/* idxd's bring-up: PCI enable, reset, caps, WQCFG, GRPCFG, enable
 * device, enable queues.  n queues of size each, dedicated or shared. */
void vt_bringup(struct vt *v, unsigned int n, bool dedicated,
		unsigned int size);
/* A command (int_req), its CMDSTS error code. */
int vt_cmd(struct vt *v, unsigned int code, uint32_t operand);
/* A descriptor to queue wq's portal, in one 64-byte write or 8 pieces. */
void vt_submit(struct vt *v, unsigned int wq, const struct dsa_desc *d);
void vt_submit_pieces(struct vt *v, unsigned int wq, const struct dsa_desc *d);

/* Descriptors with their record at comp (a guest address). */
void vt_desc(struct dsa_desc *d, uint8_t op, uint32_t flags, uint64_t src,
	     uint64_t dst, uint32_t size, uint64_t comp);
/* The record at a guest address. */
struct dsa_comp *vt_comp(struct vt *v, uint64_t gaddr);
void vt_stats(struct vt *v, struct vfu_dsa_stats *s);

/*
 * x86-64 page tables in guest RAM (vt_pt.c), for PASID_ROOT: tables are
 * taken from [VT_PT_BASE, VT_PT_END), zeroed; a leaf at level 1 (4 KiB),
 * 2 (2 MiB) or 3 (1 GiB); the tables on the way get P, R/W and U/S.
 */
#define VT_PT_BASE (VT_IOVA_A + 0xc0000)
#define VT_PT_END (VT_IOVA_A + 0x100000)
#define VT_PTE_P (1ull << 0)
#define VT_PTE_RW (1ull << 1)
#define VT_PTE_US (1ull << 2)
#define VT_PTE_A (1ull << 5)
#define VT_PTE_D (1ull << 6)
#define VT_PTE_PS (1ull << 7)
#define VT_PTE_URW (VT_PTE_P | VT_PTE_RW | VT_PTE_US)
struct vt_pt {
	struct vt *v;
	uint64_t root, next;
	bool la57;
};
void vt_pt_init(struct vt_pt *pt, struct vt *v, bool la57);
void vt_pt_map(struct vt_pt *pt, uint64_t va, uint64_t gpa,
	       unsigned int level, uint64_t flags);
/* The entry at level (5..1) on va's walk, NULL past a missing table. */
uint64_t *vt_pt_entry(struct vt_pt *pt, uint64_t va, unsigned int level);
/* Software walk over a copy of guest RAM (VT_RAM bytes from VT_IOVA_A):
 * false where nothing is mapped. */
bool vt_pt_gpa(const struct vt_pt *pt, const uint8_t *ram, uint64_t va,
	       uint64_t *gpa);
/* The client's pointer to the guest memory va maps (it must be mapped). */
void *vt_pt_va2h(struct vt_pt *pt, uint64_t va);
/* The PASID_ROOT entry of pt (valid, LA57 as built). */
uint64_t vt_pt_entry_value(const struct vt_pt *pt);
/* Set a PASID's root entry through the window; DSA_PV_ST_* */
uint32_t vt_pv_set(struct vt *v, uint32_t pasid, uint64_t entry);

/* A client socket connected to a server's path (retried for 5 s). */
int vt_connect(const char *path);

/* Open fds of this process. */
int vt_count_fds(void);

#endif /* UACCEL_VT_H */
