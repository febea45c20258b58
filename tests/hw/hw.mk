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

# The driver's guest run (check-guest-hw) is in tests/hw/guest-hw.mk,
# included after kernel/kernel.mk, which names the kernels.
