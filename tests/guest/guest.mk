# The QEMU guest: Debian's packaged kernel boots with our modules and test
# programs in an initramfs and runs tests/guest/manifest.txt (one command
# per line) against /dev/uacce.  See tests/guest/README.md.
#   make check-guest                        the suites of the manifest
#   make check-guest GUEST_MANIFEST=FILE    another list of commands
#   QEMU_ACCEL=kvm make check-guest         where KVM works (default tcg)
GUEST_MODULES ?= $(KERNEL_MODS)
GUEST_PROGS ?= $(B)/tests/conformance $(B)/tests/kt_abi $(B)/tests/kt_robust \
	$(B)/tests/kt_liveness \
	$(B)/tests/stress $(B)/accel-bench tests/guest/guest-bench.sh
GUEST_MANIFEST ?= tests/guest/manifest.txt
GUEST_SCRIPTS := $(wildcard tests/guest/*.sh)

.PHONY: check-guest
check-guest: $(GUEST_MODULES) $(GUEST_PROGS) $(GUEST_MANIFEST) $(GUEST_SCRIPTS)
	sh tests/guest/run-guest.sh $(B)/guest $(GUEST_MANIFEST) \
		"$(GUEST_MODULES)" $(GUEST_PROGS)

CHECK_TARGETS += check-guest
