#!/bin/sh
# Extract the uncompressed, PVH-bootable vmlinux from a packaged bzImage:
# under TCG, skipping the in-guest decompression roughly halves the boot.
# Usage: extract-vmlinux.sh BZIMAGE OUT
set -eu
img=$1
out=$2

elf_ok() {
	[ "$(head -c 4 "$1" | od -An -tx1 | tr -d ' \n')" = 7f454c46 ]
}

# Offset (in hex digits) of the first byte-aligned occurrence of a
# pattern in the image.
find_magic() {
	od -An -v -tx1 "$img" | tr -d ' \n' | grep -ob "$1" |
		awk -F: '$1 % 2 == 0 { print $1; exit }'
}

try() { # magic-hex decompressor...
	magic=$1
	shift
	hexoff=$(find_magic "$magic" || true)
	[ -n "$hexoff" ] || return 1
	off=$((hexoff / 2 + 1))
	tail -c +"$off" "$img" | "$@" > "$out.tmp" 2>/dev/null || true
	if [ -s "$out.tmp" ] && elf_ok "$out.tmp"; then
		mv "$out.tmp" "$out"
		return 0
	fi
	rm -f "$out.tmp"
	return 1
}

try fd377a585a00 xz -dc --single-stream ||
	try 28b52ffd zstd -dc ||
	try 1f8b0800 gzip -dc ||
	{ echo "extract-vmlinux: no known compressed ELF payload in $img" >&2; exit 1; }
