# check-preload: real programs run with and without libaccel-preload.so,
# outputs compared, the preload's statistics read to prove that the large
# calls went through libaccel (tests/preload/run.sh).
PL_TEST_CFLAGS := $(BASE_CFLAGS) -O2 -g
PL_PROGS := $(B)/tests/preload/pl_threads $(B)/tests/preload/pl_signal \
	$(B)/tests/preload/pl_forkexec $(B)/tests/preload/pl_dlopen \
	$(B)/tests/preload/pl_dlopen_lib.so $(B)/tests/preload/pl_measure \
	$(B)/tests/preload/pl_small $(B)/tests/preload/pl_vfork \
	$(B)/tests/preload/pl_exec

$(B)/tests/preload/%: tests/preload/%.c tests/preload/pl_check.h
	@mkdir -p $(dir $@)
	$(CC) $(PL_TEST_CFLAGS) -o $@ $< -lpthread -ldl
$(B)/tests/preload/pl_dlopen_lib.so: tests/preload/pl_dlopen_lib.c
	@mkdir -p $(dir $@)
	$(CC) $(PL_TEST_CFLAGS) -fPIC -shared -o $@ $<
# How the default thresholds were measured (docs/preload.md).
$(B)/tests/preload/pl_measure: tests/preload/pl_measure.c $(B)/libaccel.a
	@mkdir -p $(dir $@)
	$(CC) $(PL_TEST_CFLAGS) -o $@ $< $(B)/libaccel.a $(LIB_LIBS)

.PHONY: check-preload
tests: $(PL_PROGS)
check-preload: $(PRELOAD_SO) $(PL_PROGS)
	sh tests/preload/run.sh $(B)
CHECK_TARGETS += check-preload
