# uaccel top-level build.  Plain make; outputs go to build/.
#   make            libaccel (.so, .a, .pc), accel-bench, kernel modules
#   make run        the main job: the benchmark sweep on the default device
#   make check      every test (unit, conformance, sanitizers, guest)
#   make install    PREFIX=/usr/local DESTDIR=  (library, headers, .pc,
#                   man pages, accel-bench; no kernel modules, no tests)
#   make uninstall  the same variables: removes exactly what install put

PREFIX ?= /usr/local
DESTDIR ?=
LIBDIR ?= $(PREFIX)/lib
INCDIR ?= $(PREFIX)/include
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man

CC ?= gcc
B := build
VERSION := 0.1.0
# The shared library's file is named after its soname: libaccel.so.1 ->
# libaccel.so.1.0.0 (major.minor.patch of the ABI, not of the package).
SOMAJOR := 1
SOMINOR := 0
SOPATCH := 0

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
BASE_CFLAGS := -std=c11 -D_GNU_SOURCE -Iinclude -Ilibaccel -Ilibaccel/model $(WARN)
CFLAGS ?= -O2 -g
ALL_CFLAGS = $(BASE_CFLAGS) $(CFLAGS)

LIB_SRCS := $(wildcard libaccel/*.c) $(wildcard libaccel/model/*.c)
LIB_HDRS := $(wildcard include/*.h libaccel/*.h libaccel/model/*.h)
LIB_LIBS := -lpthread -lnuma -luring

LIB_PIC_OBJS := $(patsubst %.c,$(B)/pic/%.o,$(LIB_SRCS))
LIB_OBJS := $(patsubst %.c,$(B)/obj/%.o,$(LIB_SRCS))

SONAME := libaccel.so.$(SOMAJOR)
SOFILE := libaccel.so.$(SOMAJOR).$(SOMINOR).$(SOPATCH)
SOLIB := $(B)/$(SOFILE)

.PHONY: all lib deps-build deps-check run check install clean
all: lib
lib: $(SOLIB) $(B)/libaccel.so $(B)/libaccel.a $(B)/libaccel.pc

deps-build:
	@sh scripts/deps.sh build
deps-check:
	@sh scripts/deps.sh check

$(B)/pic/%.o: %.c $(LIB_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fPIC -c $< -o $@
$(B)/obj/%.o: %.c $(LIB_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(SOLIB): $(LIB_PIC_OBJS) libaccel/libaccel.map
	$(CC) -shared -Wl,-soname,$(SONAME) -Wl,--version-script=libaccel/libaccel.map \
		-Wl,-z,defs -o $@ $(LIB_PIC_OBJS) $(LIB_LIBS)
$(B)/libaccel.so: $(SOLIB)
	ln -sf $(SOFILE) $(B)/$(SONAME)
	ln -sf $(SONAME) $@
$(B)/libaccel.a: $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^
# The .pc for the default PREFIX; "make install" writes the installed one
# from the template with its own PREFIX, so that a built tree is never
# rewritten by a later make (a user who does not own it can still run it).
PC_SED = sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	-e 's|@INCDIR@|$(INCDIR)|' -e 's|@VERSION@|$(VERSION)|'
$(B)/libaccel.pc: libaccel/libaccel.pc.in Makefile
	@mkdir -p $(B)
	@$(PC_SED) $< > $@

# Component fragments: each owns its targets and adds to these lists.
ALL_TARGETS :=
CHECK_TARGETS :=
INSTALL_TARGETS :=
UNINSTALL_TARGETS :=
-include tests/tests.mk
-include tests/hw/hw.mk
-include bench/bench.mk
-include kernel/kernel.mk
-include tests/guest/guest.mk
-include tests/install/install.mk
-include tests/idxd/idxd.mk
-include tools/dsactl/dsactl.mk
-include tests/hw/cfg.mk
-include preload/preload.mk
-include tests/preload/preload.mk
-include tests/uring/uring.mk
-include tests/threads/threads.mk
-include vfio-user/vfio-user.mk
-include tests/hw/guest-hw.mk
-include tests/inline/inline.mk
-include tests/vmm/vmm.mk

all: $(ALL_TARGETS)

# Quiet build (errors still show), then the table alone.
run: deps-build
	@$(MAKE) -s --no-print-directory all-user
	@echo "# $(RUN_CMD)"
	@$(RUN_CMD)

# check-vmm's QEMU 11.1 tree (tests/vmm/qemu11.sh) is made once per
# machine; on a fresh one its download and unpacking (1-3 min) run in the
# background while everything builds and the first suites run.
check: deps-check
	@mkdir -p $(B) && { sh tests/vmm/qemu11.sh prepare > $(B)/qemu11-prepare.log 2>&1 & }
	$(MAKE) -j$$(nproc) all
	$(MAKE) check-all

.PHONY: all-user check-all
all-user: lib $(USER_TARGETS)
# One suite after another, each timed, so that the log shows where the
# CI budget goes; the first failure stops the run.
check-all:
	@for t in $(CHECK_TARGETS); do \
		s=$$(date +%s); \
		$(MAKE) --no-print-directory $$t || { echo "check: $$t FAILED"; exit 1; }; \
		echo "check-time: $$t $$(($$(date +%s) - s))s"; \
	done
	@echo "check: all suites passed"

# Installed files, one list for install and uninstall.  Headers live in
# $(INCDIR)/accel/; $(INCDIR)/accel.h forwards there so that the old
# "#include <accel.h>" keeps working.
MAN3 := $(wildcard man/man3/*.3)
INST_LIB := $(LIBDIR)/$(SOFILE) $(LIBDIR)/$(SONAME) $(LIBDIR)/libaccel.so \
	$(LIBDIR)/libaccel.a $(LIBDIR)/pkgconfig/libaccel.pc
INST_INC := $(INCDIR)/accel/accel.h $(INCDIR)/accel/dsa_hw.h $(INCDIR)/accel.h \
	$(INCDIR)/accel/accel_small_copy.h
INST_MAN := $(patsubst man/man3/%,$(MANDIR)/man3/%,$(MAN3))
INST_FILES := $(INST_LIB) $(INST_INC) $(INST_MAN)

.PHONY: install-lib uninstall uninstall-lib
install: install-lib $(INSTALL_TARGETS)
install-lib: lib
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCDIR)/accel \
		$(DESTDIR)$(MANDIR)/man3
	install -m 644 $(SOLIB) $(DESTDIR)$(LIBDIR)/
	ln -sf $(SOFILE) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libaccel.so
	install -m 644 $(B)/libaccel.a $(DESTDIR)$(LIBDIR)/
	$(PC_SED) libaccel/libaccel.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/libaccel.pc
	chmod 644 $(DESTDIR)$(LIBDIR)/pkgconfig/libaccel.pc
	install -m 644 include/accel.h include/dsa_hw.h $(DESTDIR)$(INCDIR)/accel/
	install -m 644 include/accel_small_copy.h $(DESTDIR)$(INCDIR)/accel/
	install -m 644 libaccel/compat/accel.h $(DESTDIR)$(INCDIR)/accel.h
	install -m 644 $(MAN3) $(DESTDIR)$(MANDIR)/man3/

uninstall: uninstall-lib $(UNINSTALL_TARGETS)
uninstall-lib:
	rm -f $(addprefix $(DESTDIR),$(INST_FILES))
	-rmdir $(DESTDIR)$(INCDIR)/accel 2>/dev/null

clean:
	rm -rf $(B)
	-$(MAKE) -C kernel clean 2>/dev/null
