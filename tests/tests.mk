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
TEST_HDRS := $(wildcard tests/common/*.h tests/tsan/*.h) $(LIB_HDRS)

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
.PHONY: tests check-unit check-tsan check-valgrind check-symbols check-clang \
	check-harness
tests: $(TEST_BINS)
ALL_TARGETS += tests

# Criterion forks a process per test; -j2 matches the CI machine.
CRITERION_RUN := --jobs 2 --timeout 120

# Every sanitizer and valgrind run goes through tests/sanitize-run.sh: each
# checker logs into files of its own (one per process, Criterion's forked
# test children included) under $(SAN_LOGS)/<run>, and any report there
# fails the run, whatever Criterion's exit status says.
SAN_LOGS := $(B)/san-logs
SAN_RUN := sh tests/sanitize-run.sh
RUN_ASAN = $(SAN_RUN) asan $(SAN_LOGS)/$(1)
RUN_TSAN = $(SAN_RUN) tsan $(SAN_LOGS)/$(1)
RUN_VALGRIND = $(SAN_RUN) valgrind $(SAN_LOGS)/$(1)

# The plain build too: it runs the fork case that ASan cannot (see
# tests/conformance/conf_fork.c).
check-unit: $(B)/tests/conformance-asan $(B)/tests/unit-asan $(B)/tests/conformance
	$(B)/tests/conformance $(CRITERION_RUN)
	$(call RUN_ASAN,conformance) $(B)/tests/conformance-asan $(CRITERION_RUN)
	$(call RUN_ASAN,unit) $(B)/tests/unit-asan $(CRITERION_RUN)

check-tsan: $(B)/tests/stress-tsan
	$(call RUN_TSAN,stress) $(B)/tests/stress-tsan

# Valgrind over the plain conformance build on the inline cpu backend:
# uninitialised reads and invalid accesses in the model itself.
# Two jobs: each Criterion child is its own valgrind process (one core
# each), and sanitize-run.sh keeps one report file per process.
check-valgrind: $(B)/tests/conformance
	ACCEL_TEST_BACKENDS=cpu $(call RUN_VALGRIND,conformance) \
		$(B)/tests/conformance --jobs 2 --timeout 600

# The runs above must FAIL on a planted error of each kind, in the way each
# runs (same runner, binaries and options; Criterion's forked children):
# tests/unit/unit_planted.c and tests/tsan/planted.c, armed by ACCEL_PLANT.
# Several plants pass as far as Criterion or the program's exit status can
# tell: only the report files fail those.  Each kind's run must pass unarmed.
HARNESS_CASES := \
	asan:heap-overflow asan:signed-overflow asan:leak \
	valgrind:guarded-write valgrind:uninit \
	tsan:race tsan:race-in-child
HARNESS_RUN_asan = $(call RUN_ASAN,harness-$(1)) $(B)/tests/unit-asan $(CRITERION_RUN) --filter 'planted/*'
HARNESS_RUN_valgrind = $(call RUN_VALGRIND,harness-$(1)) $(B)/tests/unit --jobs 1 --timeout 600 --filter 'planted/*'
HARNESS_RUN_tsan = $(call RUN_TSAN,harness-$(1)) $(B)/tests/stress-tsan
check-harness: $(B)/tests/unit-asan $(B)/tests/unit $(B)/tests/stress-tsan
	@mkdir -p $(SAN_LOGS)
	@$(call HARNESS_RUN_asan,unarmed) >$(SAN_LOGS)/harness-asan.out 2>&1 || \
		{ echo "check-harness: asan run fails unarmed"; exit 1; }
	@$(call HARNESS_RUN_valgrind,unarmed) >$(SAN_LOGS)/harness-valgrind.out 2>&1 || \
		{ echo "check-harness: valgrind run fails unarmed"; exit 1; }
	@set -e; for c in $(HARNESS_CASES); do \
		kind=$${c%%:*}; plant=$${c#*:}; out=$(SAN_LOGS)/harness-$$kind-$$plant.out; \
		case $$kind in \
		asan) run="$(call HARNESS_RUN_asan,$$kind-$$plant)";; \
		valgrind) run="$(call HARNESS_RUN_valgrind,$$kind-$$plant)";; \
		tsan) run="$(call HARNESS_RUN_tsan,$$kind-$$plant)";; \
		esac; \
		if (export ACCEL_PLANT=$$plant; eval "$$run") >$$out 2>&1; then \
			echo "check-harness: $$kind run PASSED with planted $$plant (see $$out)"; exit 1; fi; \
		echo "check-harness: $$kind run fails on planted $$plant: $$(grep -m1 -o 'ERROR: [A-Za-z]*Sanitizer: [a-z-]*\|runtime error: [a-z ]*\|WARNING: ThreadSanitizer: [a-z ]*\|Invalid [a-z]* of size [0-9]*\|Conditional jump[a-z ]*' $$out || echo '(see log)')"; \
	done; echo "check-harness: every planted error failed its run"

# Only the public API may be exported from the shared library.
check-symbols: $(SOLIB)
	@bad=$$(nm -D --defined-only $(SOLIB) | awk '{print $$3}' | grep -v '^accel_' | grep -v '^LIBACCEL_' || true); \
	if [ -n "$$bad" ]; then echo "unexpected exports: $$bad"; exit 1; fi; \
	echo "check-symbols: only accel_* exported ($$(nm -D --defined-only $(SOLIB) | grep -c ' T accel_') functions)"

# The same sources must build warning-free with clang.
check-clang:
	$(MAKE) --no-print-directory CC=clang B=$(B)/clang lib

CHECK_TARGETS += check-symbols check-clang check-unit check-tsan check-valgrind \
	check-harness

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
# Taking back ring slots the worker has not started, raw and through
# libaccel's split; prints "takeback: N passed, M failed".
$(B)/tests/kt_takeback: tests/kernel/kt_takeback.c $(KT_COMMON) $(KT_HDRS) $(B)/libaccel.a
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -Itests/kernel -o $@ tests/kernel/kt_takeback.c $(KT_COMMON) $(B)/libaccel.a -lpthread -lnuma -luring
tests: $(B)/tests/kt_takeback
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
