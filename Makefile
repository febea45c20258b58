# uaccel top-level build.  Plain make; outputs go to build/.
#   make            libaccel (.so, .a, .pc), accel-bench, kernel modules
#   make run        the main job: the benchmark sweep on the default device
#   make check      every test (unit, conformance, sanitizers, guest)
#   make install    PREFIX=/usr/local DESTDIR=

PREFIX ?= /usr/local
DESTDIR ?=
LIBDIR ?= $(PREFIX)/lib
INCDIR ?= $(PREFIX)/include
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man

CC ?= gcc
B := build
VERSION := 0.1.0
SOMAJOR := 1

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
SOLIB := $(B)/libaccel.so.$(VERSION)

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
	ln -sf libaccel.so.$(VERSION) $(B)/$(SONAME)
	ln -sf $(SONAME) $@
$(B)/libaccel.a: $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^
# Rewritten on every run (kept when unchanged) so that the PREFIX given to
# "make install" is the one the installed .pc names.
$(B)/libaccel.pc: libaccel/libaccel.pc.in FORCE
	@mkdir -p $(B)
	@sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCDIR@|$(INCDIR)|' -e 's|@VERSION@|$(VERSION)|' $< > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi
.PHONY: FORCE
FORCE:

# Component fragments: each owns its targets and adds to these lists.
ALL_TARGETS :=
CHECK_TARGETS :=
INSTALL_TARGETS :=
-include tests/tests.mk
-include tests/hw/hw.mk
-include bench/bench.mk
-include kernel/kernel.mk
-include tests/guest/guest.mk

all: $(ALL_TARGETS)

run: deps-build
	$(MAKE) all-user
	$(RUN_CMD)

check: deps-check
	$(MAKE) all
	$(MAKE) check-all

.PHONY: all-user check-all
all-user: lib $(USER_TARGETS)
check-all: $(CHECK_TARGETS)
	@echo "check: all suites passed"

install: all $(INSTALL_TARGETS)
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCDIR)
	install -m 644 $(SOLIB) $(DESTDIR)$(LIBDIR)/
	ln -sf libaccel.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libaccel.so
	install -m 644 $(B)/libaccel.a $(DESTDIR)$(LIBDIR)/
	install -m 644 $(B)/libaccel.pc $(DESTDIR)$(LIBDIR)/pkgconfig/
	install -m 644 include/accel.h include/dsa_hw.h $(DESTDIR)$(INCDIR)/

clean:
	rm -rf $(B)
	-$(MAKE) -C kernel clean 2>/dev/null
