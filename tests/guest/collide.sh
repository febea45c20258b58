#!/bin/sh
# uaccel.ko beside the kernel's own uacce: with a stand-in for it loaded
# (tests/kernel/stub: module "uacce", class "uacce", export uacce_alloc),
# loading uaccel.ko must fail with a message that says why, and work again
# once the other is gone.  Leaves uaccel and dsa_soft loaded.  First, with
# dsa_soft unloaded under a polled queue, the poller must wake (POLLERR).
# Ends with "collide: N passed, M failed".
pass=0
fail=0
check() { # what command...
	what=$1
	shift
	if "$@"; then
		pass=$((pass + 1))
		echo "PASS $what"
	else
		fail=$((fail + 1))
		echo "FAIL $what"
	fi
}
not() { ! "$@"; }

check "the test driver unloads" rmmod uacce_testdev
# Unloads dsa_soft under an open queue that is being polled.
check "a poller learns of the removal" /bin/kt_upstream --poll-removal
check "uaccel unloads" rmmod uaccel
check "the stand-in uacce loads" insmod /mods/test/uacce.ko
check "uaccel refuses to load beside it" not insmod /mods/uaccel.ko
check "and says why" sh -c "dmesg | grep -q \"uaccel: the kernel's own uacce (CONFIG_UACCE) is loaded\""
check "the stand-in unloads" rmmod uacce
check "uaccel loads again" insmod /mods/uaccel.ko
check "dsa_soft loads again" insmod /mods/dsa_soft.ko
check "nodes get the rule's group and mode" /bin/udev-apply.sh /etc/uaccel.rules
echo "collide: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
