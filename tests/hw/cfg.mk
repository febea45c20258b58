# Run-time configuration of dsa_pci (kernel/dsa_pci/dsa_pci_config.c,
# dsa_pci_sysfs.c) and its tool (tools/dsactl):
#   check-dsa-cfg-unit   the tool's file parser and checks on the host
#                        (Criterion; plain, ASan+UBSan and clang builds)
#   check-dsa-cfg-guest  the simulated devices reconfigured in a QEMU guest
#                        (tests/hw/cfg_guest.sh: "dsa-cfg: N passed, M failed")
# Included after kernel/kernel.mk, which sets KERNEL_VERS.
CFG_CONF_SRCS := tests/hw/cfg_src/conf_test.c tools/dsactl/conf.c
CFG_CFLAGS = $(BASE_CFLAGS) -Itools/dsactl -O1 -g

$(B)/tests/cfg_conf: $(CFG_CONF_SRCS) tools/dsactl/dsactl.h
	@mkdir -p $(dir $@)
	$(CC) $(CFG_CFLAGS) -o $@ $(CFG_CONF_SRCS) -lcriterion
$(B)/tests/cfg_conf-asan: $(CFG_CONF_SRCS) tools/dsactl/dsactl.h
	@mkdir -p $(dir $@)
	$(CC) $(CFG_CFLAGS) $(ASAN_FLAGS) -o $@ $(CFG_CONF_SRCS) -lcriterion
$(B)/tests/cfg_conf-clang: $(CFG_CONF_SRCS) tools/dsactl/dsactl.h
	@mkdir -p $(dir $@)
	clang $(CFG_CFLAGS) -o $@ $(CFG_CONF_SRCS) -lcriterion
$(B)/tests/cfg_submit: tests/hw/cfg_src/cfg_submit.c include/dsa_hw.h include/uacce_abi.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ tests/hw/cfg_src/cfg_submit.c

.PHONY: check-dsa-cfg check-dsa-cfg-unit check-dsa-cfg-guest
tests: $(B)/tests/cfg_conf $(B)/tests/cfg_submit
check-dsa-cfg-unit: $(B)/tests/cfg_conf $(B)/tests/cfg_conf-asan $(B)/tests/cfg_conf-clang
	$(B)/tests/cfg_conf $(CRITERION_RUN)
	$(call RUN_ASAN,cfg_conf) $(B)/tests/cfg_conf-asan $(CRITERION_RUN)
	$(B)/tests/cfg_conf-clang $(CRITERION_RUN)

CFG_KVER := $(lastword $(KERNEL_VERS))
CFG_GUEST_PROGS := $(B)/kernel/$(CFG_KVER)/dsa_pci.ko $(DSACTL_BIN) \
	$(B)/tests/cfg_submit tests/hw/cfg_guest.sh
check-dsa-cfg-guest: $(call kernel_mods,$(CFG_KVER)) $(CFG_GUEST_PROGS) \
		tests/hw/cfg_manifest.txt
	GUEST_KVER=$(CFG_KVER) GUEST_TIMEOUT=600 sh tests/guest/run-guest.sh \
		$(B)/guest-cfg tests/hw/cfg_manifest.txt \
		"$(B)/kernel/$(CFG_KVER)/uaccel.ko" $(CFG_GUEST_PROGS)

check-dsa-cfg: check-dsa-cfg-unit check-dsa-cfg-guest
CHECK_TARGETS += check-dsa-cfg
