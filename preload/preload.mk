# libaccel-preload.so: LD_PRELOAD it to send an unmodified program's large
# memcpy, memmove, memset and memcmp through libaccel (docs/preload.md).
#
# libaccel is linked in whole (one relocatable object of its PIC objects),
# with its own calls to the functions the preload takes over renamed to the
# C library's (preload/real.c, signals.c, lib_threads.c): libaccel and its
# engine thread then never come back into the preload.  The version script
# exports the taken-over functions only.
PRELOAD_SRCS := $(wildcard preload/*.c)
PRELOAD_OBJS := $(patsubst %.c,$(B)/pic/%.o,$(PRELOAD_SRCS))
PRELOAD_SO := $(B)/libaccel-preload.so
PRELOAD_LIBACCEL := $(B)/preload/libaccel-in.o
PRELOAD_RENAME := memcpy memmove memset memcmp sigaction pthread_create
# The preload's own loops must never be turned back into calls to memcpy.
PRELOAD_CFLAGS := -fvisibility=hidden -fno-builtin \
	$(if $(findstring clang,$(CC)),,-fno-tree-loop-distribute-patterns)

$(B)/pic/preload/%.o: preload/%.c preload/preload.h $(LIB_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(PRELOAD_CFLAGS) -fPIC -c $< -o $@

$(PRELOAD_LIBACCEL): $(LIB_PIC_OBJS) preload/preload.mk
	@mkdir -p $(dir $@)
	$(LD) -r -o $@.tmp $(LIB_PIC_OBJS)
	objcopy $(foreach s,$(PRELOAD_RENAME),--redefine-sym $(s)=pl_libc_$(s)) $@.tmp $@
	rm -f $@.tmp

$(PRELOAD_SO): $(PRELOAD_OBJS) $(PRELOAD_LIBACCEL) preload/preload.map
	$(CC) -shared -Wl,--version-script=preload/preload.map -Wl,-z,defs \
		-o $@ $(PRELOAD_OBJS) $(PRELOAD_LIBACCEL) $(LIB_LIBS) -ldl

.PHONY: preload install-preload uninstall-preload
preload: $(PRELOAD_SO)
ALL_TARGETS += preload
USER_TARGETS += preload
INSTALL_TARGETS += install-preload
UNINSTALL_TARGETS += uninstall-preload

install-preload: $(PRELOAD_SO)
	install -d $(DESTDIR)$(LIBDIR)
	install -m 644 $(PRELOAD_SO) $(DESTDIR)$(LIBDIR)/
uninstall-preload:
	rm -f $(DESTDIR)$(LIBDIR)/libaccel-preload.so
