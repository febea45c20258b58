# dsactl: the configuration tool of dsa_pci devices (tools/dsactl,
# man/man8/dsactl.8).  Plain C11, no library beyond libc.
DSACTL_SRCS := $(wildcard tools/dsactl/*.c)
DSACTL_BIN := $(B)/dsactl

$(DSACTL_BIN): $(DSACTL_SRCS) tools/dsactl/dsactl.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itools/dsactl -o $@ $(DSACTL_SRCS)

.PHONY: dsactl install-dsactl uninstall-dsactl
dsactl: $(DSACTL_BIN)
ALL_TARGETS += dsactl
USER_TARGETS += dsactl
INSTALL_TARGETS += install-dsactl
UNINSTALL_TARGETS += uninstall-dsactl

install-dsactl: $(DSACTL_BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man8
	install -m 755 $(DSACTL_BIN) $(DESTDIR)$(BINDIR)/
	install -m 644 man/man8/dsactl.8 $(DESTDIR)$(MANDIR)/man8/
uninstall-dsactl:
	rm -f $(DESTDIR)$(BINDIR)/dsactl $(DESTDIR)$(MANDIR)/man8/dsactl.8
