# Our virtual DSA under a real VMM (issue 17, docs/vmm.md): QEMU 11.1
# from a trixie chroot kept outside the clone (tests/vmm/qemu11.sh,
# /var/cache/uaccel/qemu11-trixie, made once per machine) attaches two
# functions served by accel-vfio-user; the guest's dsa_pci drives them
# through the paravirtual extension (include/dsa_pv.h).
#   make check-vmm                                   as make check runs it
#   make check-vmm VMM_BOOTS="6.12.117+deb12-amd64:full"   one boot
# VMM_BOOTS: KERNEL:MODE ..., MODE full (conformance, configuration,
# everything) or short (probe, extension, interrupts, removal); the newest
# kernel boots fully, the others short, to keep within CI's time.
VMM_BOOTS ?= $(lastword $(KERNEL_VERS)):full \
	$(foreach v,$(filter-out $(lastword $(KERNEL_VERS)),$(KERNEL_VERS)),$(v):short)
VMM_GUEST_SRCS := tests/vmm/guest/vmm_pv.c tests/hw/guest/hwg.c $(KT_COMMON)
$(B)/tests/vmm_pv: $(VMM_GUEST_SRCS) tests/hw/guest/hwg.h $(KT_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -Itests/kernel -Itests/hw/guest -o $@ $(VMM_GUEST_SRCS) -lcriterion -lpthread
$(B)/tests/vmm_cost: tests/vmm/guest/vmm_cost.c $(KT_COMMON) $(KT_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -Itests/kernel -o $@ tests/vmm/guest/vmm_cost.c $(KT_COMMON)
tests: $(B)/tests/vmm_pv $(B)/tests/vmm_cost

VMM_PROGS := $(B)/tests/vmm_pv $(B)/tests/vmm_cost $(B)/tests/hw_guest $(B)/tests/conformance \
	$(B)/tests/kt_abi $(B)/tests/cfg_submit $(B)/dsactl tests/vmm/vmm-guest.sh

.PHONY: check-vmm
check-vmm: $(foreach b,$(VMM_BOOTS),$(call kernel_mods,$(firstword $(subst :, ,$(b))))) \
		$(VMM_PROGS) $(B)/accel-vfio-user
	@test -n "$(VMM_BOOTS)" || { echo "check-vmm: no kernel with image and headers" >&2; exit 1; }
	sh tests/vmm/vmm.sh $(B)/vmm $(B)/accel-vfio-user "$(strip $(VMM_BOOTS))" \
		"$(B)/kernel/@KVER@/uaccel.ko" $(VMM_PROGS) $(B)/kernel/@KVER@/dsa_pci.ko
CHECK_TARGETS += check-vmm
