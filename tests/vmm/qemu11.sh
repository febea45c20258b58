#!/bin/sh
# A QEMU with the vfio-user client, without touching the host's packages.
#
# Debian 12 ships QEMU 7.2, which cannot attach a vfio-user device; Debian
# 13's backports ship QEMU 11.1 with `-device vfio-user-pci`.  We keep a
# minimal trixie tree outside the clone (debootstrap --variant=minbase plus
# qemu-system-x86 from trixie-backports) and run its QEMU through the
# tree's own dynamic loader, so host paths (kernels, sockets, initramfs)
# stay valid and nothing is mounted.  The host's apt configuration is never
# changed; debootstrap itself is a bookworm package.
#
# Usage: qemu11.sh prepare          make the tree if missing or broken
#        qemu11.sh run ARGS...      exec its qemu-system-x86_64 ARGS...
#        qemu11.sh path             print the tree's path
# Environment: UACCEL_QEMU11_ROOT (default /var/cache/uaccel/qemu11-trixie),
#              DEBIAN_MIRROR (default http://deb.debian.org/debian).
set -eu
root=${UACCEL_QEMU11_ROOT:-/var/cache/uaccel/qemu11-trixie}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
libs=$root/usr/lib/x86_64-linux-gnu:$root/lib/x86_64-linux-gnu
loader=$root/lib64/ld-linux-x86-64.so.2
qemu=$root/usr/bin/qemu-system-x86_64

works() {
	[ -x "$loader" ] && [ -x "$qemu" ] &&
	# Ask about the one device: "-device help" would load every module,
	# and one this minimal tree lacks would be looked up in the host's
	# QEMU 7.2 module directory, which aborts.
	QEMU_MODULE_DIR=$root/usr/lib/x86_64-linux-gnu/qemu \
	"$loader" --library-path "$libs" "$qemu" -device vfio-user-pci,help \
		2>/dev/null | grep -q 'socket'

}

prepare() {
	works && return 0
	[ "$(id -u)" -eq 0 ] || {
		echo "qemu11: $root is missing; run as root to make it" >&2
		exit 1
	}
	# make check starts a preparation in the background at its start
	# (the download overlaps the build and the first suites); a second
	# one, check-vmm's, waits for it and then finds the tree made.
	mkdir -p "$(dirname "$root")"
	exec 9>"$root.lock"
	flock 9
	works && return 0
	if ! command -v debootstrap >/dev/null; then
		echo "qemu11: installing debootstrap"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends debootstrap >/dev/null
	fi
	# Build beside the final path and rename, so an interrupted run
	# never leaves a half tree that looks finished.
	tmp=$root.new
	rm -rf "$tmp"
	mkdir -p "$(dirname "$root")"
	echo "qemu11: debootstrap trixie into $tmp"
	debootstrap --variant=minbase trixie "$tmp" "$mirror" \
		>"$tmp.log" 2>&1 || {
		echo "qemu11: debootstrap failed, see $tmp.log" >&2
		exit 1
	}
	echo "deb $mirror trixie-backports main" \
		>"$tmp/etc/apt/sources.list.d/backports.list"
	# Inside the chroot only /proc-less apt and dpkg run; they need no
	# mounts for a package without maintainer scripts that probe devices.
	chroot "$tmp" sh -c 'apt-get update -q &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		-t trixie-backports --no-install-recommends qemu-system-x86 &&
		apt-get clean' >>"$tmp.log" 2>&1 || {
		echo "qemu11: installing qemu-system-x86 failed, see $tmp.log" >&2
		exit 1
	}
	rm -rf "$root"
	mv "$tmp" "$root"
	rm -f "$tmp.log"
	works || { echo "qemu11: $qemu has no vfio-user-pci" >&2; exit 1; }
}

case "${1:-}" in
prepare) prepare ;;
path) echo "$root" ;;
run)
	shift
	works || { echo "qemu11: not prepared ($0 prepare)" >&2; exit 1; }
	QEMU_MODULE_DIR=$root/usr/lib/x86_64-linux-gnu/qemu
	export QEMU_MODULE_DIR
	exec "$loader" --library-path "$libs" "$qemu" \
		-L "$root/usr/share/qemu" -L "$root/usr/share/seabios" "$@"
	;;
*) echo "usage: $0 prepare|run ARGS...|path" >&2; exit 2 ;;
esac
