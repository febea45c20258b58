# check-uring: libaccel completions in an application's own io_uring, and
# waiting without io_uring (ACCEL_NO_URING=1, a seccomp filter), on every
# backend of $ACCEL_TEST_BACKENDS; then the sample on emul and cpu.
URING_SAMPLE := $(B)/samples/uring_loop
$(B)/tests/uring_test: tests/uring/uring_test.c $(B)/libaccel.a $(LIB_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -o $@ $< $(B)/libaccel.a $(LIB_LIBS)
$(URING_SAMPLE): samples/uring_loop.c $(B)/libaccel.a $(LIB_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(B)/libaccel.a $(LIB_LIBS)
$(B)/tests/uring_test-asan: tests/uring/uring_test.c $(LIB_SRCS) $(LIB_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) $(ASAN_FLAGS) -o $@ $< $(LIB_SRCS) $(LIB_LIBS)

.PHONY: check-uring
tests: $(B)/tests/uring_test $(URING_SAMPLE)
check-uring: $(B)/tests/uring_test $(B)/tests/uring_test-asan $(URING_SAMPLE)
	$(B)/tests/uring_test
	$(call RUN_ASAN,uring) $(B)/tests/uring_test-asan
	ACCEL_BACKEND=emul $(URING_SAMPLE) 64
	ACCEL_BACKEND=cpu $(URING_SAMPLE) 16
	ACCEL_BACKEND=emul ACCEL_NO_URING=1 $(URING_SAMPLE) 16
CHECK_TARGETS += check-uring
