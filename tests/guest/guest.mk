# The QEMU guest: Debian's packaged kernels boot with our modules and test
# programs in an initramfs and run tests/guest/manifest.txt (one command
# per line).  See tests/guest/README.md.
#   make check-guest                        every installed kernel, one boot each
#   make check-guest GUEST_KVERS=6.1.0-56-amd64    only that kernel
#   make check-guest GUEST_MANIFEST=FILE    another list of commands
#   QEMU_ACCEL=kvm make check-guest         where KVM works (default tcg)
GUEST_KVERS ?= $(KERNEL_VERS)
GUEST_PROGS ?= $(B)/tests/conformance $(B)/tests/kt_abi $(B)/tests/kt_robust \
	$(B)/tests/stress $(B)/accel-bench tests/guest/guest-bench.sh \
	$(B)/tests/kt_upstream \
	$(B)/tests/kt_liveness \
	$(B)/tests/threads_test
GUEST_PROGS += $(B)/tests/kt_takeback $(B)/tests/uring_test
GUEST_MANIFEST ?= tests/guest/manifest.txt
GUEST_SCRIPTS := $(wildcard tests/guest/*.sh) kernel/udev/70-uaccel.rules

# Both boots run even when the first fails; the target fails if either did.
.PHONY: check-guest
check-guest: $(foreach v,$(GUEST_KVERS),$(call kernel_mods,$(v)) \
		$(call kernel_stub,$(v))) \
		$(GUEST_PROGS) $(GUEST_MANIFEST) $(GUEST_SCRIPTS)
	@test -n "$(GUEST_KVERS)" || { echo "check-guest: no kernel with image and headers" >&2; exit 1; }
	@rc=0; for v in $(GUEST_KVERS); do \
		echo "check-guest: booting $$v"; \
		mkdir -p $(B)/guest/$$v; m=$(B)/guest/$$v/manifest.txt; \
		if [ "$$v" = "$(lastword $(KERNEL_VERS))" ]; then cp $(GUEST_MANIFEST) $$m; \
		else grep -v '# newest-kernel-only$$' $(GUEST_MANIFEST) > $$m; fi; \
		GUEST_KVER=$$v GUEST_TEST_MODULES="$(B)/kernel/$$v/test/uacce.ko $(B)/kernel/$$v/test/uacce_testdev.ko" \
		sh tests/guest/run-guest.sh $(B)/guest/$$v $$m \
			"$(foreach m,$(KERNEL_MOD_NAMES),$(B)/kernel/$$v/$(m).ko)" \
			$(GUEST_PROGS) || rc=1; \
	done; exit $$rc

CHECK_TARGETS += check-guest
