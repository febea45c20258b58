# Criterion suites: the conformance suite (every backend in
# $ACCEL_TEST_BACKENDS) and the unit suites, each built two ways:
#   plain (against build/libaccel.a; also what the QEMU guest runs),
#   ASan+UBSan (library compiled in with the sanitizers).
# Criterion itself cannot run under TSan (its IPC arena crashes there), so
# the threaded stress programs in tests/tsan/ are plain programs that print
# "N passed, M failed", built with TSan.

TEST_CFLAGS := $(BASE_CFLAGS) -Itests/common -O1 -g
TEST_LIBS := -lcriterion -lpthread -lnuma -luring
TEST_COMMON := tests/common/tcommon.c
CONF_SRCS := $(wildcard tests/conformance/*.c)
UNIT_SRCS := $(wildcard tests/unit/*.c)
TSAN_SRCS := $(wildcard tests/tsan/*.c)
TEST_HDRS := $(wildcard tests/common/*.h) $(LIB_HDRS)

ASAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
TSAN_FLAGS := -fsanitize=thread -fno-omit-frame-pointer

$(B)/tests/conformance: $(CONF_SRCS) $(TEST_COMMON) $(TEST_HDRS) $(B)/libaccel.a
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -o $@ $(CONF_SRCS) $(TEST_COMMON) $(B)/libaccel.a $(TEST_LIBS)
$(B)/tests/unit: $(UNIT_SRCS) $(TEST_COMMON) $(TEST_HDRS) $(B)/libaccel.a
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -o $@ $(UNIT_SRCS) $(TEST_COMMON) $(B)/libaccel.a $(TEST_LIBS)
$(B)/tests/conformance-asan: $(CONF_SRCS) $(TEST_COMMON) $(LIB_SRCS) $(TEST_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) $(ASAN_FLAGS) -o $@ $(CONF_SRCS) $(TEST_COMMON) $(LIB_SRCS) $(TEST_LIBS)
$(B)/tests/unit-asan: $(UNIT_SRCS) $(TEST_COMMON) $(LIB_SRCS) $(TEST_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) $(ASAN_FLAGS) -o $@ $(UNIT_SRCS) $(TEST_COMMON) $(LIB_SRCS) $(TEST_LIBS)
$(B)/tests/stress-tsan: $(TSAN_SRCS) $(LIB_SRCS) $(TEST_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) $(TSAN_FLAGS) -o $@ $(TSAN_SRCS) $(LIB_SRCS) -lpthread -lnuma -luring

TEST_BINS := $(B)/tests/conformance $(B)/tests/unit $(B)/tests/conformance-asan \
	$(B)/tests/unit-asan $(B)/tests/stress-tsan
.PHONY: tests check-unit check-tsan check-valgrind check-symbols check-clang
tests: $(TEST_BINS)
ALL_TARGETS += tests

# Criterion forks a process per test; -j2 matches the CI machine.
CRITERION_RUN := --jobs 2 --timeout 120

# The plain build too: it runs the fork case that ASan cannot (see
# tests/conformance/conf_fork.c).
check-unit: $(B)/tests/conformance-asan $(B)/tests/unit-asan $(B)/tests/conformance
	$(B)/tests/conformance $(CRITERION_RUN)
	ASAN_OPTIONS=detect_leaks=1 $(B)/tests/conformance-asan $(CRITERION_RUN)
	ASAN_OPTIONS=detect_leaks=1 $(B)/tests/unit-asan $(CRITERION_RUN)

# TSan wants ASLR off on newer kernels (high-entropy mmap): setarch -R.
check-tsan: $(B)/tests/stress-tsan
	TSAN_OPTIONS="halt_on_error=1 exitcode=66" setarch -R $(B)/tests/stress-tsan

# Valgrind over the plain conformance build on the inline cpu backend:
# uninitialised reads and invalid accesses in the model itself.
check-valgrind: $(B)/tests/conformance
	ACCEL_TEST_BACKENDS=cpu valgrind -q --error-exitcode=1 \
		--trace-children=yes --child-silent-after-fork=no \
		$(B)/tests/conformance --jobs 1 --timeout 600

# Only the public API may be exported from the shared library.
check-symbols: $(SOLIB)
	@bad=$$(nm -D --defined-only $(SOLIB) | awk '{print $$3}' | grep -v '^accel_' | grep -v '^LIBACCEL_' || true); \
	if [ -n "$$bad" ]; then echo "unexpected exports: $$bad"; exit 1; fi; \
	echo "check-symbols: only accel_* exported ($$(nm -D --defined-only $(SOLIB) | grep -c ' T accel_') functions)"

# The same sources must build warning-free with clang.
check-clang:
	$(MAKE) --no-print-directory CC=clang B=$(B)/clang lib

CHECK_TARGETS += check-symbols check-clang check-unit check-tsan check-valgrind

# Kernel tests: built here, run in the QEMU guest against /dev/uacce
# (tests/guest/).  kt_abi is a Criterion suite; kt_robust prints campaign
# counts and "robust: N passed, M failed".
KT_COMMON := tests/kernel/kt_util.c
KT_HDRS := tests/kernel/kt_util.h include/uacce_abi.h include/dsa_hw.h libaccel/portal.h
$(B)/tests/kt_abi: tests/kernel/kt_abi.c $(KT_COMMON) $(KT_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -Itests/kernel -o $@ tests/kernel/kt_abi.c $(KT_COMMON) -lcriterion
$(B)/tests/kt_robust: tests/kernel/kt_robust.c $(KT_COMMON) $(KT_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -Itests/kernel -o $@ tests/kernel/kt_robust.c $(KT_COMMON)
tests: $(B)/tests/kt_abi $(B)/tests/kt_robust
# Liveness and isolation against hostile programs (issue 9's defects);
# prints "liveness: N passed, M failed".
$(B)/tests/kt_liveness: tests/kernel/kt_liveness.c $(KT_COMMON) $(KT_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -Itests/kernel -o $@ tests/kernel/kt_liveness.c $(KT_COMMON) -lpthread
tests: $(B)/tests/kt_liveness
# The same stress program without TSan, for the guest's uacce backend.
$(B)/tests/stress: $(TSAN_SRCS) $(B)/libaccel.a $(TEST_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -o $@ $(TSAN_SRCS) $(B)/libaccel.a -lpthread -lnuma -luring
tests: $(B)/tests/stress

# check-install: tests/install/install.mk
# The upstream-client test (tests/kernel/kt_upstream.c): plain C, from
# upstream uacce's documented ABI; prints "upstream: N passed, M failed".
$(B)/tests/kt_upstream: tests/kernel/kt_upstream.c include/dsa_hw.h
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -o $@ tests/kernel/kt_upstream.c
tests: $(B)/tests/kt_upstream
