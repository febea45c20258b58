# Register-level tests of the DSA register twin (twin/), driven through
# BAR0 and BAR2 as the Linux idxd driver drives a device.  Built plain,
# with ASan+UBSan, and with clang; check-hw runs all three.
HW_SRCS := $(wildcard tests/hw/*.c)
TWIN_SRCS := $(wildcard twin/*.c)
TWIN_HDRS := $(wildcard twin/*.h tests/hw/*.h) include/dsa_regs.h include/dsa_hw.h \
	$(wildcard libaccel/model/*.h)
MODEL_SRCS := $(wildcard libaccel/model/*.c)
HW_CFLAGS = $(BASE_CFLAGS) -Itwin -Itests/hw -O1 -g

$(B)/tests/hw: $(HW_SRCS) $(TWIN_SRCS) $(MODEL_SRCS) $(TWIN_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(HW_CFLAGS) -o $@ $(HW_SRCS) $(TWIN_SRCS) $(MODEL_SRCS) -lcriterion
$(B)/tests/hw-asan: $(HW_SRCS) $(TWIN_SRCS) $(MODEL_SRCS) $(TWIN_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(HW_CFLAGS) $(ASAN_FLAGS) -o $@ $(HW_SRCS) $(TWIN_SRCS) $(MODEL_SRCS) -lcriterion
$(B)/tests/hw-clang: $(HW_SRCS) $(TWIN_SRCS) $(MODEL_SRCS) $(TWIN_HDRS)
	@mkdir -p $(dir $@)
	clang $(HW_CFLAGS) -o $@ $(HW_SRCS) $(TWIN_SRCS) $(MODEL_SRCS) -lcriterion

.PHONY: check-hw
tests: $(B)/tests/hw
check-hw: $(B)/tests/hw $(B)/tests/hw-asan $(B)/tests/hw-clang
	$(B)/tests/hw $(CRITERION_RUN)
	ASAN_OPTIONS=detect_leaks=1 $(B)/tests/hw-asan $(CRITERION_RUN)
	$(B)/tests/hw-clang $(CRITERION_RUN)
CHECK_TARGETS += check-hw

# The kernel driver (kernel/dsa_pci, built by kernel/Kbuild with the
# other modules) and its guest run (tests/hw/guest-hw.sh).
DSA_PCI_SRCS := $(wildcard kernel/dsa_pci/*.c kernel/dsa_pci/*.h) $(TWIN_SRCS) \
	$(wildcard twin/*.h) include/dsa_regs.h
$(B)/kernel/dsa_pci.ko: $(B)/kernel/uacce.ko $(DSA_PCI_SRCS)
	$(MAKE) -C kernel modules
	@mkdir -p $(B)/kernel
	cp kernel/dsa_pci.ko $@
ALL_TARGETS += $(B)/kernel/dsa_pci.ko
HW_GUEST_PROGS := $(B)/kernel/dsa_pci.ko tests/hw/guest-hw.sh

# Its own boot (own output directory, own time budget): the conformance
# suite on the driver's queues over the twin takes minutes under TCG.
.PHONY: check-guest-hw
check-guest-hw: $(B)/kernel/uacce.ko $(B)/kernel/dsa_soft.ko $(B)/tests/conformance \
		$(HW_GUEST_PROGS) tests/hw/guest-manifest.txt
	sh tests/guest/run-guest.sh $(B)/guest-hw tests/hw/guest-manifest.txt \
		"$(B)/kernel/uacce.ko" $(B)/tests/conformance $(HW_GUEST_PROGS)
# Not yet in make check: one unexplained failure seen (docs/hw.md).
