# The idxd backend's tests (tests/idxd/): discovery against fake sysfs
# trees, submission through the test double of the idxd character device,
# and the whole conformance suite run through that double in three
# configurations.  "make check" prints "idxd: N passed, M failed".
IDXD_TOOLS := tests/idxd/idxd_double.c tests/idxd/fake_sysfs.c
IDXD_HDRS := $(wildcard tests/idxd/*.h) $(TEST_HDRS)
IDXD_CFLAGS := $(TEST_CFLAGS) -Itests/idxd

$(B)/tests/idxd-unit: tests/idxd/idxd_discovery.c tests/idxd/idxd_submit.c $(IDXD_TOOLS) $(TEST_COMMON) $(IDXD_HDRS) $(B)/libaccel.a
	@mkdir -p $(dir $@)
	$(CC) $(IDXD_CFLAGS) -o $@ tests/idxd/idxd_discovery.c tests/idxd/idxd_submit.c $(IDXD_TOOLS) $(TEST_COMMON) $(B)/libaccel.a $(TEST_LIBS)
$(B)/tests/conformance-idxd: $(CONF_SRCS) $(IDXD_TOOLS) $(TEST_COMMON) $(IDXD_HDRS) $(B)/libaccel.a
	@mkdir -p $(dir $@)
	$(CC) $(IDXD_CFLAGS) -o $@ $(CONF_SRCS) $(IDXD_TOOLS) $(TEST_COMMON) $(B)/libaccel.a $(TEST_LIBS)

# accel-bench on the double: --backend idxd end to end.
$(B)/tests/accel-bench-idxd: $(BENCH_SRCS) $(wildcard bench/*.h) $(IDXD_TOOLS) $(IDXD_HDRS) $(B)/libaccel.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Ibench -Itests/idxd -DBENCH_VERSION=\"$(VERSION)\" -o $@ $(BENCH_SRCS) $(IDXD_TOOLS) $(B)/libaccel.a \
		-lnuma -luring -lpthread -lm

IDXD_TEST_BINS := $(B)/tests/idxd-unit $(B)/tests/conformance-idxd $(B)/tests/accel-bench-idxd
tests: $(IDXD_TEST_BINS)
.PHONY: check-idxd
check-idxd: $(IDXD_TEST_BINS)
	@sh tests/idxd/run.sh $(B)/tests "$(CRITERION_RUN)"
CHECK_TARGETS += check-idxd
