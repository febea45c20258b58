# Kernel modules (Kbuild, out of tree) from the top-level make.
#
# "make modules" builds for the newest installed kernel (the kernel/
# directory itself, as dkms does) and copies the .ko files to $(B)/kernel/
# for install.  The checks build for every installed kernel that has both
# an image and headers (KERNEL_VERS; Debian 12: 6.1 and the 6.12 backport),
# each in its own tree of symlinks, $(B)/kbuild/<version>/, because Kbuild
# writes its objects beside the sources, with W=1 and -Werror (a warning on
# either kernel fails the build); the results land in
# $(B)/kernel/<version>/, with the test-only stand-in for the kernel's own
# uacce and a test-only second driver in $(B)/kernel/<version>/test/.
KERNEL_SRCS := $(wildcard kernel/Kbuild kernel/*/*.c kernel/*/*.h) \
	include/dsa_hw.h include/uacce_abi.h $(wildcard libaccel/model/*) \
	include/dsa_regs.h include/dsa_pv.h $(wildcard twin/*.c twin/*.h)
KERNEL_MOD_NAMES := uaccel dsa_soft
# dsa_pci (the PCI driver, tests/hw) is built and installed with them but
# not loaded by the main guest run: it would pin uaccel, which kt_robust
# unloads; check-guest-hw loads it.
KERNEL_BUILT_NAMES := $(KERNEL_MOD_NAMES) dsa_pci
KERNEL_MODS := $(foreach m,$(KERNEL_BUILT_NAMES),$(B)/kernel/$(m).ko)
KERNEL_VERS ?= $(shell for v in $$(ls /boot/vmlinuz-*-amd64 2>/dev/null | \
	sed 's|/boot/vmlinuz-||'); do [ -d /lib/modules/$$v/build ] && \
	echo $$v; done | sort -V)
KSTUB_SRCS := $(wildcard tests/kernel/stub/*)
# The module sources, named one by one (what DKMS gets, and what a
# per-kernel tree links to): kernel/ may hold the objects of "make modules",
# perhaps being built at the same time.
DKMS_FILES := kernel/Kbuild kernel/Makefile $(wildcard kernel/*/*.c \
	kernel/*/*.h kernel/udev/*) include/dsa_hw.h include/uacce_abi.h \
	$(wildcard libaccel/model/*.c libaccel/model/*.h) \
	include/dsa_regs.h include/dsa_pv.h $(wildcard twin/*.c twin/*.h)
KTREE_FILES := $(DKMS_FILES) $(KSTUB_SRCS)

.PHONY: modules modules-all
modules: $(KERNEL_MODS)
$(KERNEL_MODS) &: $(KERNEL_SRCS)
	$(MAKE) -C kernel modules
	@mkdir -p $(B)/kernel
	cp $(foreach m,$(KERNEL_BUILT_NAMES),kernel/$(m).ko) $(B)/kernel/

# $(call kernel_mods,VERSION): the modules built for that kernel.
kernel_mods = $(foreach m,$(KERNEL_BUILT_NAMES),$(B)/kernel/$(1)/$(m).ko)
kernel_stub = $(B)/kernel/$(1)/test/uacce.ko $(B)/kernel/$(1)/test/uacce_testdev.ko

define KERNEL_FOR
$(call kernel_mods,$(1)) $(call kernel_stub,$(1)) &: $(KERNEL_SRCS) $(KSTUB_SRCS)
	@set -e; for f in $(KTREE_FILES); do \
		mkdir -p $(B)/kbuild/$(1)/$$$$(dirname $$$$f); \
		ln -sf $(CURDIR)/$$$$f $(B)/kbuild/$(1)/$$$$f; \
	done
	$$(MAKE) -C kernel modules KVER=$(1) KDIR=/lib/modules/$(1)/build \
		M=$(CURDIR)/$(B)/kbuild/$(1)/kernel KCFLAGS=-Werror
	$$(MAKE) -C /lib/modules/$(1)/build W=1 KCFLAGS=-Werror \
		M=$(CURDIR)/$(B)/kbuild/$(1)/tests/kernel/stub \
		KBUILD_EXTRA_SYMBOLS=$(CURDIR)/$(B)/kbuild/$(1)/kernel/Module.symvers modules
	@mkdir -p $(B)/kernel/$(1)/test
	cp $(foreach m,$(KERNEL_BUILT_NAMES),$(B)/kbuild/$(1)/kernel/$(m).ko) $(B)/kernel/$(1)/
	cp $(foreach m,uacce uacce_testdev,$(B)/kbuild/$(1)/tests/kernel/stub/$(m).ko) $(B)/kernel/$(1)/test/
endef
$(foreach v,$(KERNEL_VERS),$(eval $(call KERNEL_FOR,$(v))))
modules-all: $(foreach v,$(KERNEL_VERS),$(call kernel_mods,$(v)))

ALL_TARGETS += modules

# ---- packaging: DKMS, modules_install, the udev rule and the group ----
# dkms-source stages the tree DKMS builds from; dkms-install (root) puts it
# in /usr/src and has DKMS build and install it for every installed kernel,
# then installs the udev rule and group.  modules_install builds and
# installs for every installed kernel directly, under DESTDIR.
DKMS_SRC := $(B)/dkms/uaccel-$(VERSION)
UDEV_RULES_DIR ?= /lib/udev/rules.d
SYSUSERS_DIR ?= /usr/lib/sysusers.d

.PHONY: dkms-source dkms-install modules_install udev-install check-dkms
dkms-source: $(DKMS_FILES) dkms.conf
	@grep -q '^PACKAGE_VERSION="$(VERSION)"$$' dkms.conf || \
		{ echo "dkms.conf: PACKAGE_VERSION is not $(VERSION)" >&2; exit 1; }
	rm -rf $(DKMS_SRC)
	mkdir -p $(DKMS_SRC)
	cp dkms.conf $(DKMS_SRC)/
	cp --parents $(DKMS_FILES) $(DKMS_SRC)/

dkms-install: dkms-source
	rm -rf /usr/src/uaccel-$(VERSION)
	cp -r $(DKMS_SRC) /usr/src/
	dkms remove uaccel/$(VERSION) --all >/dev/null 2>&1 || true
	dkms add uaccel/$(VERSION)
	for v in $(KERNEL_VERS); do dkms install uaccel/$(VERSION) -k $$v || exit 1; done
	$(MAKE) --no-print-directory udev-install

# Unsigned: Debian's headers carry no signing key (a kernel that enforces
# signatures wants the DKMS route, which signs with its MOK key).
modules_install: $(foreach v,$(KERNEL_VERS),$(call kernel_mods,$(v)))
	for v in $(KERNEL_VERS); do \
		$(MAKE) -C /lib/modules/$$v/build M=$(CURDIR)/$(B)/kbuild/$$v/kernel \
			INSTALL_MOD_PATH=$(DESTDIR) INSTALL_MOD_DIR=updates/uaccel \
			CONFIG_MODULE_SIG_ALL= modules_install || exit 1; \
		if [ -z "$(DESTDIR)" ]; then depmod -a $$v || exit 1; fi; \
	done
	$(MAKE) --no-print-directory udev-install

# The rule and the group; on the live system (no DESTDIR) also create the
# group now and let udev apply the rule to devices that already exist.
udev-install:
	install -D -m 644 kernel/udev/70-uaccel.rules $(DESTDIR)$(UDEV_RULES_DIR)/70-uaccel.rules
	install -D -m 644 kernel/udev/uaccel.sysusers $(DESTDIR)$(SYSUSERS_DIR)/uaccel.conf
	@if [ -z "$(DESTDIR)" ]; then \
		getent group uaccel >/dev/null || groupadd --system uaccel; \
		if command -v udevadm >/dev/null; then \
			udevadm control --reload 2>/dev/null || true; \
			udevadm trigger --subsystem-match=uacce 2>/dev/null || true; \
		fi; \
	fi

# dkms build for every installed kernel, in scratch trees under $(B) so the
# host's /var/lib/dkms and /usr/src are untouched (sign_file points nowhere:
# DKMS would otherwise create a signing key in /var/lib/dkms).
DKMS_T := $(CURDIR)/$(B)/dkms-test
check-dkms: dkms-source
	@command -v dkms >/dev/null || { echo "check-dkms: no dkms (apt-get install dkms)" >&2; exit 1; }
	rm -rf $(DKMS_T)
	mkdir -p $(DKMS_T)/tree $(DKMS_T)/src $(DKMS_T)/inst
	cp -r $(DKMS_SRC) $(DKMS_T)/src/
	@set -e; for v in $(KERNEL_VERS); do \
		env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL sign_file=/nonexistent \
			dkms build uaccel/$(VERSION) -k $$v \
			--dkmstree $(DKMS_T)/tree --sourcetree $(DKMS_T)/src \
			--installtree $(DKMS_T)/inst > $(DKMS_T)/build-$$v.log 2>&1 || \
			{ cat $(DKMS_T)/build-$$v.log; cat $(DKMS_T)/tree/uaccel/$(VERSION)/build/make.log 2>/dev/null; exit 1; }; \
		for m in $(KERNEL_MOD_NAMES); do \
			ko=$$(ls $(DKMS_T)/tree/uaccel/$(VERSION)/$$v/*/module/$$m.ko*); \
			test "$$(modinfo -F vermagic $$ko | cut -d' ' -f1)" = "$$v" || \
				{ echo "check-dkms: $$ko is not built for $$v" >&2; exit 1; }; \
		done; \
		if grep -E '\.[ch]:[0-9]+:[0-9]+: warning:' $(DKMS_T)/tree/uaccel/$(VERSION)/$$v/*/log/make.log; then \
			echo "check-dkms: warnings building for $$v" >&2; exit 1; fi; \
		echo "check-dkms: dkms build for $$v: $(KERNEL_MOD_NAMES) built"; \
	done
CHECK_TARGETS += check-dkms
