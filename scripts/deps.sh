#!/bin/sh
# Install the Debian packages a make target needs, when they are missing.
# Usage: scripts/deps.sh build|check|run
# As root the missing ones are installed; otherwise the one apt-get line
# that would install them is printed and the script fails.
set -eu

build_pkgs="gcc make pkg-config libnuma-dev liburing-dev"
# Two kernels for the guest and the module builds: Debian 12's 6.1 and
# the 6.12 backport from its security updates; dkms for check-dkms.
check_pkgs="$build_pkgs clang libcriterion-dev valgrind linux-headers-amd64 \
linux-image-amd64 linux-headers-6.12-amd64 linux-image-6.12-amd64 dkms \
qemu-system-x86 busybox-static cpio kmod xz-utils python3"

case "${1:-build}" in
build|run) want=$build_pkgs ;;
check) want=$check_pkgs ;;
*) echo "deps.sh: unknown set '$1' (build, run or check)" >&2; exit 2 ;;
esac

missing=""
for p in $want; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "missing packages; as root run:" >&2
	echo "  apt-get install -y$missing" >&2
	exit 1
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >/dev/null
