# accel-bench: the microbenchmark CLI (links libaccel statically).
BENCH_SRCS := $(wildcard bench/*.c)
BENCH_BIN := $(B)/accel-bench

$(BENCH_BIN): $(BENCH_SRCS) bench/bench.h $(B)/libaccel.a
	$(CC) $(ALL_CFLAGS) -Ibench -DBENCH_VERSION=\"$(VERSION)\" -o $@ $(BENCH_SRCS) $(B)/libaccel.a \
		-lnuma -luring -lpthread -lm

.PHONY: bench check-bench install-bench
bench: $(BENCH_BIN)
ALL_TARGETS += bench
USER_TARGETS += bench
INSTALL_TARGETS += install-bench
UNINSTALL_TARGETS += uninstall-bench

# The main job: a short sweep on the default device, the table on stdout.
RUN_ARGS ?= --op memcpy --sweep 64:64M --duration 0.1
RUN_CMD = $(BENCH_BIN) $(RUN_ARGS)

install-bench: $(BENCH_BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(BENCH_BIN) $(DESTDIR)$(BINDIR)/
	install -m 644 bench/accel-bench.1 $(DESTDIR)$(MANDIR)/man1/
.PHONY: uninstall-bench
uninstall-bench:
	rm -f $(DESTDIR)$(BINDIR)/accel-bench $(DESTDIR)$(MANDIR)/man1/accel-bench.1

# Test builds: the fast CRC baseline against the byte table, and a bench
# whose library calls return wrong results (for the --verify test).
$(B)/tests/crc_baseline_test: tests/bench/crc_baseline_test.c bench/baseline_crc.c bench/bench.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Ibench -o $@ tests/bench/crc_baseline_test.c bench/baseline_crc.c -lpthread
$(B)/tests/crc16_baseline_test: tests/bench/crc16_baseline_test.c bench/baseline_crc16.c bench/bench.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Ibench -o $@ tests/bench/crc16_baseline_test.c bench/baseline_crc16.c
BENCH_WRAP := accel_crc32c accel_fill accel_memcpy accel_wait
$(B)/tests/accel-bench-corrupt: $(BENCH_SRCS) bench/bench.h tests/bench/corrupt_wrap.c $(B)/libaccel.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Ibench -DBENCH_VERSION=\"$(VERSION)\" -o $@ $(BENCH_SRCS) \
		tests/bench/corrupt_wrap.c $(B)/libaccel.a $(patsubst %,-Wl$(comma)--wrap=%,$(BENCH_WRAP)) \
		-lnuma -luring -lpthread -lm
comma := ,

check-bench: $(BENCH_BIN) $(B)/tests/crc_baseline_test $(B)/tests/accel-bench-corrupt \
	$(B)/tests/crc16_baseline_test
	sh tests/bench/cli_test.sh $(BENCH_BIN)
CHECK_TARGETS += check-bench
