#!/bin/sh
# The guest has no udev: do what kernel/udev/70-uaccel.rules asks, read
# from the rule itself (its GROUP, MODE and SYMLINK+="uacce/%k"), for every
# uacce class device.  Run after each (re)load of a driver, since devtmpfs
# creates nodes root-only.
# Usage: udev-apply.sh RULES
rules=$1
line=$(grep '^SUBSYSTEM=="uacce"' "$rules")
group=$(echo "$line" | sed -n 's/.*GROUP="\([^"]*\)".*/\1/p')
mode=$(echo "$line" | sed -n 's/.*MODE="\([^"]*\)".*/\1/p')
link=$(echo "$line" | sed -n 's/.*SYMLINK+="\([^"%]*\)%k".*/\1/p')
[ -n "$group" ] && [ -n "$mode" ] || { echo "udev-apply: no GROUP/MODE in $rules" >&2; exit 1; }
for d in /sys/class/uacce/*; do
	[ -e "$d" ] || continue
	n=${d##*/}
	chgrp "$group" "/dev/$n" && chmod "$mode" "/dev/$n" || exit 1
	if [ -n "$link" ]; then
		mkdir -p "/dev/$link"
		ln -sf "../$n" "/dev/$link$n"
	fi
done
