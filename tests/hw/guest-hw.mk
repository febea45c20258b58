# The DSA PCI driver (kernel/dsa_pci) in the QEMU guest, on simulated
# DSA 1.0 and 2.0 devices (register twin): tests/hw/guest-hw.sh loads it
# and runs the conformance suite against its queues.  One boot a kernel
# (KERNEL_VERS, from kernel/kernel.mk, which the Makefile includes before
# this file), own output directory build/guest-hw/<version>/.
#   make check-guest-hw                            the newest kernel
#   make check-guest-hw HW_GUEST_KVERS="$(KERNEL_VERS)"   every kernel
# make check boots the newest only, to stay within CI's time: dsa_pci is
# built with -Werror for every kernel there, and check-guest runs the
# framework on every kernel (the 6.1 boot of this run took 107 s and
# passed, but for the DIF batch exclusion added with it, on 2026-11-25).
HW_GUEST_KVERS ?= $(lastword $(KERNEL_VERS))
HW_GUEST_PROGS := $(B)/tests/conformance $(B)/tests/hw_guest $(B)/tests/kt_robust \
	$(B)/tests/kt_abi \
	tests/hw/guest-hw.sh

# The driver's own guest tests (Criterion), on the raw uacce ABI.
HW_GUEST_SRCS := $(wildcard tests/hw/guest/*.c) $(KT_COMMON)
$(B)/tests/hw_guest: $(HW_GUEST_SRCS) $(wildcard tests/hw/guest/*.h) $(KT_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -Itests/kernel -Itests/hw/guest -o $@ $(HW_GUEST_SRCS) -lcriterion -lpthread
tests: $(B)/tests/hw_guest

.PHONY: check-guest-hw
check-guest-hw: $(foreach v,$(HW_GUEST_KVERS),$(call kernel_mods,$(v))) \
		$(HW_GUEST_PROGS) tests/hw/guest-manifest.txt
	@test -n "$(HW_GUEST_KVERS)" || { echo "check-guest-hw: no kernel with image and headers" >&2; exit 1; }
	@rc=0; for v in $(HW_GUEST_KVERS); do \
		echo "check-guest-hw: booting $$v"; \
		GUEST_KVER=$$v sh tests/guest/run-guest.sh $(B)/guest-hw/$$v \
			tests/hw/guest-manifest.txt "$(B)/kernel/$$v/uaccel.ko" \
			$(HW_GUEST_PROGS) $(B)/kernel/$$v/dsa_pci.ko || rc=1; \
	done; exit $$rc
# Each boot took 174-442 s on a build machine at load 12-14 (docs/hw.md).
CHECK_TARGETS += check-guest-hw
