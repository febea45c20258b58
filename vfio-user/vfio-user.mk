# The guest path (issue 14): libvfu-dsa (a virtual DSA over vfio-user, on
# the register twin and a host libaccel queue), the accel-vfio-user
# server, vfu-bench, the VMM-playing tests and the libFuzzer fuzzers.
VFU_LIB_SRCS := $(filter-out vfio-user/accel_vfio_user.c vfio-user/vfu_bench.c,\
	$(wildcard vfio-user/*.c))
VFU_TWIN_SRCS := $(wildcard twin/*.c)
VFU_HDRS := $(wildcard vfio-user/*.h twin/*.h) $(LIB_HDRS) include/dsa_regs.h
VFU_CFLAGS = $(BASE_CFLAGS) -Itwin -Ivfio-user $(CFLAGS)
VFU_LIB_OBJS := $(patsubst %.c,$(B)/vfu/%.o,$(VFU_LIB_SRCS) $(VFU_TWIN_SRCS))
VFU_TEST_SRCS := $(wildcard tests/vfio-user/vt_*.c)
VFU_TEST_HDRS := $(wildcard tests/vfio-user/*.h)
VFU_LIBS := -lpthread -lnuma -luring

$(B)/vfu/%.o: %.c $(VFU_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(VFU_CFLAGS) -c $< -o $@
$(B)/libvfu-dsa.a: $(VFU_LIB_OBJS)
	rm -f $@
	ar rcs $@ $^
$(B)/accel-vfio-user: vfio-user/accel_vfio_user.c $(B)/libvfu-dsa.a $(B)/libaccel.a
	$(CC) $(VFU_CFLAGS) -o $@ $< $(B)/libvfu-dsa.a $(B)/libaccel.a $(VFU_LIBS)
$(B)/vfu-bench: vfio-user/vfu_bench.c $(B)/libvfu-dsa.a $(B)/libaccel.a
	$(CC) $(VFU_CFLAGS) -o $@ $< $(B)/libvfu-dsa.a $(B)/libaccel.a $(VFU_LIBS)

VFU_TEST_CFLAGS = $(BASE_CFLAGS) -Itwin -Ivfio-user -Itests/vfio-user -O1 -g
$(B)/tests/vfio-user: $(VFU_TEST_SRCS) $(VFU_TEST_HDRS) $(B)/libvfu-dsa.a $(B)/libaccel.a
	@mkdir -p $(dir $@)
	$(CC) $(VFU_TEST_CFLAGS) -o $@ $(VFU_TEST_SRCS) $(B)/libvfu-dsa.a \
		$(B)/libaccel.a $(VFU_LIBS)
# Everything compiled in with the sanitizers: library, twin, libaccel.
$(B)/tests/vfio-user-asan: $(VFU_TEST_SRCS) $(VFU_TEST_HDRS) $(VFU_LIB_SRCS) \
		$(VFU_TWIN_SRCS) $(LIB_SRCS) $(VFU_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(VFU_TEST_CFLAGS) $(ASAN_FLAGS) -o $@ $(VFU_TEST_SRCS) \
		$(VFU_LIB_SRCS) $(VFU_TWIN_SRCS) $(LIB_SRCS) $(VFU_LIBS)

# libFuzzer (clang): the message decoder and the register file.  A finding
# (crash, sanitizer report, leak) stops the fuzzer with a non-zero status.
FUZZ_SECONDS ?= 12
VFU_FUZZ_FLAGS := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
VFU_FUZZERS := msg regs
$(B)/fuzz/vfu-fuzz-%: tests/vfio-user/fuzz_%.c $(VFU_LIB_SRCS) $(VFU_TWIN_SRCS) \
		$(LIB_SRCS) $(VFU_HDRS)
	@mkdir -p $(dir $@)
	clang $(BASE_CFLAGS) -Itwin -Ivfio-user -O1 -g $(VFU_FUZZ_FLAGS) -o $@ $< \
		$(VFU_LIB_SRCS) $(VFU_TWIN_SRCS) $(LIB_SRCS) $(VFU_LIBS)

.PHONY: vfio-user check-vfio-user fuzz-vfio-user bench-vfio-user
vfio-user: $(B)/libvfu-dsa.a $(B)/accel-vfio-user $(B)/vfu-bench
ALL_TARGETS += vfio-user

fuzz-vfio-user: $(addprefix $(B)/fuzz/vfu-fuzz-,$(VFU_FUZZERS))
	@for f in $(VFU_FUZZERS); do \
		mkdir -p $(B)/fuzz/corpus-$$f; \
		echo "fuzz $$f: $(FUZZ_SECONDS) s"; \
		ASAN_OPTIONS=detect_leaks=1 $(B)/fuzz/vfu-fuzz-$$f \
			-max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=1024 \
			-max_len=8192 -artifact_prefix=$(B)/fuzz/$$f- \
			-print_final_stats=1 $(B)/fuzz/corpus-$$f \
			tests/vfio-user/seeds-$$f >$(B)/fuzz/$$f.log 2>&1 \
			|| { tail -40 $(B)/fuzz/$$f.log; echo "fuzz $$f: FINDING"; exit 1; }; \
		grep -E "stat::number_of_executed_units" $(B)/fuzz/$$f.log; \
	done

check-vfio-user: $(B)/tests/vfio-user $(B)/tests/vfio-user-asan $(B)/accel-vfio-user \
		fuzz-vfio-user
	VT_SERVER=$(B)/accel-vfio-user $(B)/tests/vfio-user
	VT_SERVER=$(B)/accel-vfio-user $(call RUN_ASAN,vfio-user) $(B)/tests/vfio-user-asan
CHECK_TARGETS += check-vfio-user

bench-vfio-user: $(B)/vfu-bench
	$(B)/vfu-bench
