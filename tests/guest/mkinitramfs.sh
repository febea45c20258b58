#!/bin/sh
# Build the guest's initramfs: busybox, the modules, the test programs and
# every shared library they load (as ldd lists them, same paths), the init
# script and the manifest.
# Usage: mkinitramfs.sh OUT.cpio.gz MANIFEST "MODULES" PROGRAM...
set -eu
out=$1
manifest=$2
modules=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

mkdir -p "$root/bin" "$root/sbin" "$root/proc" "$root/sys" "$root/dev" \
	"$root/tmp" "$root/mods" "$root/etc"
cp /bin/busybox "$root/bin/busybox"
for a in sh mount umount insmod rmmod lsmod dmesg sleep cat ls echo mkdir \
	dd printf grep sed tail head timeout poweroff sync env true false \
	uname free kill ps; do
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
cp "$here/init.sh" "$root/init"
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$out"
