# check-small-copy: accel.h's inline small copy (accel_small_copy.h)
# against memmove, every size 0..1024 and overlap, built each way that
# takes other branches of the header: as users build (AVX found at run
# time), -mavx2 (AVX known at compile time), ACCEL_NO_INLINE_AVX (16-byte
# moves only), and with clang.  About 3 s in all (after the four builds).
SMALL_COPY_SRC := tests/inline/small_copy_test.c
SMALL_COPY_DEPS := $(SMALL_COPY_SRC) include/accel.h include/accel_small_copy.h \
	$(B)/libaccel.a
SMALL_COPY_LIBS := $(B)/libaccel.a -lpthread -lnuma -luring
SMALL_COPY_BINS := $(B)/tests/small_copy $(B)/tests/small_copy-avx2 \
	$(B)/tests/small_copy-sse $(B)/tests/small_copy-clang

$(B)/tests/small_copy: $(SMALL_COPY_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $(SMALL_COPY_SRC) $(SMALL_COPY_LIBS)
$(B)/tests/small_copy-avx2: $(SMALL_COPY_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -mavx2 -o $@ $(SMALL_COPY_SRC) $(SMALL_COPY_LIBS)
$(B)/tests/small_copy-sse: $(SMALL_COPY_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DACCEL_NO_INLINE_AVX -o $@ $(SMALL_COPY_SRC) $(SMALL_COPY_LIBS)
$(B)/tests/small_copy-clang: $(SMALL_COPY_DEPS)
	@mkdir -p $(dir $@)
	clang $(ALL_CFLAGS) -o $@ $(SMALL_COPY_SRC) $(SMALL_COPY_LIBS)

.PHONY: check-small-copy
check-small-copy: $(SMALL_COPY_BINS)
	$(B)/tests/small_copy
	@if grep -qw avx2 /proc/cpuinfo; then $(B)/tests/small_copy-avx2; \
	else echo "small_copy-avx2: skipped, this CPU has no AVX2"; fi
	$(B)/tests/small_copy-sse
	$(B)/tests/small_copy-clang
CHECK_TARGETS += check-small-copy
