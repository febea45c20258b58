# check-threads: N threads x M operations on every backend of
# $ACCEL_TEST_BACKENDS, dedicated and shared queues, every result checked
# (tests/threads/threads_test.c); the same program under TSan; the NUMA
# queue choice on a fake three-node topology (tests/threads/numa_test.c);
# signals sent to the process never run on the emul engine
# (tests/threads/engine_signals.c).
$(B)/tests/threads_test: tests/threads/threads_test.c $(B)/libaccel.a $(LIB_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -o $@ $< $(B)/libaccel.a $(LIB_LIBS)
$(B)/tests/threads_test-tsan: tests/threads/threads_test.c $(LIB_SRCS) $(LIB_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) $(TSAN_FLAGS) -o $@ $< $(LIB_SRCS) $(LIB_LIBS)

$(B)/tests/numa_test: tests/threads/numa_test.c tests/threads/fake_topo.h tests/idxd/fake_sysfs.c $(B)/libaccel.a $(LIB_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -Itests/idxd -o $@ $< tests/idxd/fake_sysfs.c $(B)/libaccel.a $(LIB_LIBS)

$(B)/tests/engine_signals: tests/threads/engine_signals.c $(B)/libaccel.a $(LIB_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -o $@ $< $(B)/libaccel.a $(LIB_LIBS)

.PHONY: check-threads
tests: $(B)/tests/threads_test $(B)/tests/numa_test $(B)/tests/engine_signals
check-threads: $(B)/tests/threads_test $(B)/tests/threads_test-tsan $(B)/tests/numa_test \
		$(B)/tests/engine_signals $(B)/tests/numa_uacce_test
	$(B)/tests/numa_test
	$(B)/tests/numa_uacce_test
	$(B)/tests/engine_signals
	$(B)/tests/threads_test 8 120
	$(call RUN_TSAN,threads) $(B)/tests/threads_test-tsan 4 48
CHECK_TARGETS += check-threads

# The uacce backend's per-thread device choice by node, on fake devices
# (FIFOs, a fake sysfs tree and this program's ioctl()).
$(B)/tests/numa_uacce_test: tests/threads/numa_uacce_test.c tests/threads/fake_topo.h $(B)/libaccel.a $(LIB_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -o $@ $< $(B)/libaccel.a $(LIB_LIBS)
tests: $(B)/tests/numa_uacce_test
