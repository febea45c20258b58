#!/bin/sh
# Build the guest's initramfs: busybox, the modules, the test programs and
# every shared library they load (as ldd lists them, same paths), the init
# script and the manifest, the users of the non-root tests and the udev
# rule they are given the devices by.
# Usage: mkinitramfs.sh OUT.cpio.gz MANIFEST "MODULES" PROGRAM...
# Environment: GUEST_TEST_MODULES, modules copied to /mods/test/ and not
# loaded at boot.
set -eu
out=$1
manifest=$2
modules=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
# mktemp made it 0700, which would lock every user but root out of the
# whole guest.
chmod 755 "$root"

mkdir -p "$root/bin" "$root/sbin" "$root/proc" "$root/sys" "$root/dev" \
	"$root/tmp" "$root/mods/test" "$root/etc"
chmod 1777 "$root/tmp"
cp /bin/busybox "$root/bin/busybox"
for a in sh mount umount insmod rmmod lsmod dmesg sleep cat ls echo mkdir \
	dd printf grep sed tail head timeout poweroff sync env true false \
	uname free kill ps chmod chgrp ln id stat; do
	ln -s busybox "$root/bin/$a"
done

copy_libs() {
	# ldd prints "name => /path (addr)" or "/path (addr)".
	for lib in $(ldd "$1" 2>/dev/null | grep -o '/[^ ]*' || true); do
		[ -e "$root$lib" ] && continue
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}

: > "$root/etc/modules"
for m in $modules; do
	cp "$m" "$root/mods/"
	echo "/mods/$(basename "$m")" >> "$root/etc/modules"
done
for p in "$@"; do
	cp "$p" "$root/bin/"
	copy_libs "$p"
done
grep -v '^[[:space:]]*\(#\|$\)' "$manifest" > "$root/etc/manifest" || true
for m in ${GUEST_TEST_MODULES:-}; do
	cp "$m" "$root/mods/test/"
done
# The non-root tests' users: a member of the device group and an outsider.
cat > "$root/etc/passwd" <<EOP
root:x:0:0:root:/:/bin/sh
tester:x:1000:1000:member of uaccel:/tmp:/bin/sh
outsider:x:1001:1001:not in uaccel:/tmp:/bin/sh
EOP
cat > "$root/etc/group" <<EOG
root:x:0:
uaccel:x:990:tester
tester:x:1000:
outsider:x:1001:
EOG
cp "$here/../../kernel/udev/70-uaccel.rules" "$root/etc/uaccel.rules"
cp "$here/udev-apply.sh" "$here/collide.sh" "$root/bin/"
cp "$here/init.sh" "$root/init"
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$out"
