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
	$(call RUN_ASAN,hw) $(B)/tests/hw-asan $(CRITERION_RUN)
	$(B)/tests/hw-clang $(CRITERION_RUN)
CHECK_TARGETS += check-hw

# The kernel driver (kernel/dsa_pci) is built by kernel/kernel.mk with the
# other modules, for every kernel; its guest run (tests/hw/guest-hw.sh)
# boots the newest one.
HW_KVER := $(lastword $(KERNEL_VERS))
HW_GUEST_PROGS := $(B)/kernel/$(HW_KVER)/dsa_pci.ko tests/hw/guest-hw.sh

# Its own boot (own output directory, own time budget): the conformance
# suite on the driver's queues over the twin takes minutes under TCG.
.PHONY: check-guest-hw
check-guest-hw: $(call kernel_mods,$(HW_KVER)) $(B)/tests/conformance \
		$(HW_GUEST_PROGS) tests/hw/guest-manifest.txt
	GUEST_KVER=$(HW_KVER) sh tests/guest/run-guest.sh $(B)/guest-hw \
		tests/hw/guest-manifest.txt "$(B)/kernel/$(HW_KVER)/uaccel.ko" \
		$(B)/tests/conformance $(HW_GUEST_PROGS)
# Not yet in make check: one unexplained failure seen (docs/hw.md).
