# Kernel modules (Kbuild, out of tree) from the top-level make; copies of
# the .ko files land in $(B)/kernel/ for the guest harness and install.
KERNEL_SRCS := $(wildcard kernel/Kbuild kernel/*/*.c kernel/*/*.h) \
	include/dsa_hw.h include/uacce_abi.h $(wildcard libaccel/model/*)
KERNEL_MODS := $(B)/kernel/uaccel.ko $(B)/kernel/dsa_soft.ko

.PHONY: modules
modules: $(KERNEL_MODS)
$(KERNEL_MODS) &: $(KERNEL_SRCS)
	$(MAKE) -C kernel modules
	@mkdir -p $(B)/kernel
	cp kernel/uaccel.ko kernel/dsa_soft.ko $(B)/kernel/

ALL_TARGETS += modules
