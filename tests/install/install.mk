# check-install: install into a scratch DESTDIR as a Debian user would
# (no kernel headers: KDIR points nowhere), build programs from what was
# installed, check names, links, man pages and the .pc, uninstall and
# find nothing left; and "make run" as a user who does not own the tree.
.PHONY: check-install
check-install: lib bench
	sh tests/install/check.sh "$(MAKE)" "$(CURDIR)/$(B)/install-test"
CHECK_TARGETS += check-install
