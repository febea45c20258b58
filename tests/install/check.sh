#!/bin/sh
# Installation as a Debian user expects it (issue 11).  Usage:
#   tests/install/check.sh MAKE SCRATCH_DIR
# Prints PASS/FAIL lines and "check-install: N passed, M failed".
MAKE=${1:-make}
D=${2:-build/install-test}
P=/opt/uaccel
R="$D$P"
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "PASS $1"; }
ko() { fail=$((fail + 1)); echo "FAIL $1"; }
NOKERNEL="KDIR=/nonexistent/kernel-headers KVER=0.0.0-none"

rm -rf "$D"
mkdir -p "$D"

# 1. What install would do from a clean tree: the library and the bench,
#    nothing of the kernel, the tests or QEMU.
# shellcheck disable=SC2086
$MAKE -n --no-print-directory install B="$D/fresh-build" DESTDIR="$D/dry" \
	PREFIX=$P $NOKERNEL >"$D/dry.txt" 2>&1
if grep -Eq -- '-C kernel|\.ko\b|Kbuild|criterion|qemu|tests/' "$D/dry.txt"; then
	ko "install builds only what it installs: $(grep -Em3 -- '-C kernel|\.ko\b|Kbuild|criterion|qemu|tests/' "$D/dry.txt")"
else
	ok "install builds only what it installs (no kernel, tests or QEMU)"
fi

# 2. The real install, with no kernel headers to be found.
# shellcheck disable=SC2086
if $MAKE --no-print-directory install DESTDIR="$D" PREFIX=$P $NOKERNEL >"$D/install.log" 2>&1; then
	ok "install without kernel headers"
else
	ko "install without kernel headers: $(tail -5 "$D/install.log")"
fi

# Exactly these files: the library (real file named after the soname,
# two links), the archive, the .pc, the headers in their own directory and
# the forwarding header, the section-3 pages, accel-bench and its page.
# (That every function has its page is checked below, through man.)
hdr=include/accel.h
funcs=$(sed -n 's/^[a-z_ ]*[ *]\(accel_[a-z0-9_]*\)(.*/\1/p' $hdr | sort -u)
{
	for f in lib/libaccel.so.1.0.0 lib/libaccel.so.1 lib/libaccel.so lib/libaccel.a \
		lib/pkgconfig/libaccel.pc include/accel.h include/accel/accel.h \
		include/accel/dsa_hw.h include/accel/accel_small_copy.h bin/accel-bench share/man/man1/accel-bench.1 \
		bin/dsactl share/man/man8/dsactl.8 lib/libaccel-preload.so; do
		echo "$f"
	done
	for f in man/man3/*.3; do echo "share/$f"; done
} | sort >"$D/want.txt"
(cd "$R" 2>/dev/null && find . ! -type d | sed 's|^\./||' | sort) >"$D/got.txt"
if cmp -s "$D/want.txt" "$D/got.txt"; then
	ok "installed files are exactly the expected $(wc -l <"$D/want.txt")"
else
	ko "installed files differ (< wanted, > installed): $(diff "$D/want.txt" "$D/got.txt" | grep '^[<>]' | head -8 | tr '\n' ' ')"
fi
[ "$(find "$D" -path "$D/dry" -prune -o -path "$D/fresh-build" -prune -o ! -path "$R*" ! -path "$D" ! -path "$D/opt" ! -name '*.txt' ! -name '*.log' -print | head -1)" = "" ] ||
	ko "install wrote outside PREFIX"

# Soname and file name agree: libaccel.so.1 -> libaccel.so.1.0.0.
soname=$(readelf -d "$R/lib/libaccel.so.1.0.0" 2>/dev/null | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')
if [ "$soname" = libaccel.so.1 ] && [ -f "$R/lib/libaccel.so.1.0.0" ] && [ ! -L "$R/lib/libaccel.so.1.0.0" ] &&
	[ "$(readlink "$R/lib/libaccel.so.1")" = libaccel.so.1.0.0 ] &&
	[ "$(readlink "$R/lib/libaccel.so")" = libaccel.so.1 ]; then
	ok "library file follows its soname ($soname -> libaccel.so.1.0.0)"
else
	ko "library file follows its soname (soname '$soname')"
fi

# 3. Programs built from what was installed: new and old include paths,
#    C11 and C++, inline memcpy or not, shared and static.
pc="$R/lib/pkgconfig"
flags=$(PKG_CONFIG_PATH=$pc PKG_CONFIG_SYSROOT_DIR=$D pkg-config --cflags --libs libaccel)
sflags=$(PKG_CONFIG_PATH=$pc PKG_CONFIG_SYSROOT_DIR=$D pkg-config --static --libs libaccel)
for v in "cc -std=c11 -pedantic -x c" "cc -std=c11 -pedantic -DACCEL_NO_INLINE -x c" \
	"cc -std=c11 -pedantic -DCONSUMER_NEW_PATH -x c" "c++ -std=c++11 -x c++"; do
	# shellcheck disable=SC2086
	if $v -Wall -Wextra -Werror tests/install/consumer.c -x none $flags -o "$D/consumer" 2>"$D/cc.log" &&
		LD_LIBRARY_PATH=$R/lib "$D/consumer" >/dev/null &&
		LD_LIBRARY_PATH=$R/lib ldd "$D/consumer" | grep -q "$R/lib/libaccel.so.1 "; then
		ok "consumer: $v"
	else
		ko "consumer: $v: $(head -c 300 "$D/cc.log")"
	fi
done
# Static: the .pc's Requires.private/Libs.private must be enough.
# shellcheck disable=SC2086
if cc -std=c11 -DCONSUMER_NEW_PATH tests/install/consumer.c \
	$(PKG_CONFIG_PATH=$pc PKG_CONFIG_SYSROOT_DIR=$D pkg-config --cflags libaccel) \
	-Wl,-Bstatic -L"$R/lib" -laccel -Wl,-Bdynamic $(echo "$sflags" | sed 's/-laccel//') \
	-o "$D/consumer-static" 2>"$D/cc.log" && "$D/consumer-static" >/dev/null &&
	! ldd "$D/consumer-static" | grep -q libaccel; then
	ok "static link with pkg-config --static"
else
	ko "static link with pkg-config --static ($sflags): $(head -c 300 "$D/cc.log")"
fi
case " $sflags " in
*" -luring "*) case " $sflags " in *" -lnuma "*) ok "Libs.private/Requires.private name liburing and libnuma" ;;
	*) ko "static libs lack -lnuma: $sflags" ;; esac ;;
*) ko "static libs lack -luring: $sflags" ;;
esac
PKG_CONFIG_PATH=$pc pkg-config --print-requires-private libaccel | grep -q liburing &&
	ok "liburing is a private requirement" || ko "liburing is not in Requires.private"

# 4. Man pages: each public function's page is found by man and renders
#    cleanly; accel-bench's too.
bad=""
command -v man >/dev/null || { ko "man (man-db) is needed to check the pages"; funcs=""; }
for f in $funcs; do
	page=$(man -M "$R/share/man" -w 3 "$f" 2>/dev/null) || { bad="$bad $f"; continue; }
	man -M "$R/share/man" 3 "$f" 2>&1 >/dev/null | grep -q . && bad="$bad $f(warnings)"
done
[ -z "$bad" ] && ok "man 3 page for every function of accel.h ($(echo $funcs | wc -w))" || ko "man pages:$bad"
if MANWIDTH=80 man -M "$R/share/man" 8 dsactl 2>/dev/null | grep -q -- "last_error"; then
	ok "man dsactl"
else
	ko "man dsactl"
fi
if MANWIDTH=80 man -M "$R/share/man" 1 accel-bench 2>/dev/null | grep -q -- "--verify"; then
	ok "man accel-bench"
else
	ko "man accel-bench"
fi
[ "$("$R/bin/accel-bench" --version 2>/dev/null)" = "accel-bench $(sed -n 's/^VERSION := //p' Makefile)" ] &&
	ok "installed accel-bench runs" || ko "installed accel-bench runs"

# 5. Uninstall removes exactly what install put there.
# shellcheck disable=SC2086
$MAKE --no-print-directory uninstall DESTDIR="$D" PREFIX=$P $NOKERNEL >"$D/uninstall.log" 2>&1 ||
	ko "uninstall: $(tail -3 "$D/uninstall.log")"
left=$(cd "$D" && find ./opt ! -type d 2>/dev/null | head -5)
if [ -z "$left" ] && [ ! -d "$R/include/accel" ]; then
	ok "uninstall leaves no file behind"
else
	ko "uninstall left: $left"
fi
# A file of someone else's next to ours survives.
mkdir -p "$R/lib"
echo keep >"$R/lib/other.so"
# shellcheck disable=SC2086
$MAKE --no-print-directory install DESTDIR="$D" PREFIX=$P $NOKERNEL >/dev/null 2>&1
# shellcheck disable=SC2086
$MAKE --no-print-directory uninstall DESTDIR="$D" PREFIX=$P $NOKERNEL >/dev/null 2>&1
[ -f "$R/lib/other.so" ] && ok "uninstall removes only its own files" || ko "uninstall removed a file it did not install"

# 6. A built tree is not rewritten by make (libaccel.pc used to be), so
#    "make run" works for a user who cannot write it.
if $MAKE -q --no-print-directory all-user 2>/dev/null; then
	ok "a built tree is up to date (nothing to rewrite)"
else
	ko "make all-user would rewrite the built tree: $($MAKE -n --no-print-directory all-user 2>&1 | head -3 | tr '\n' ' ')"
fi
if [ "$(id -u)" -eq 0 ] && command -v runuser >/dev/null && runuser -u nobody -- test -r Makefile; then
	runuser -u nobody -- $MAKE --no-print-directory run \
		RUN_ARGS="--backend emul --sweep 4K:8K --iters 50" >"$D/run.txt" 2>&1
	rc=$?
	if [ $rc -eq 0 ] && grep -q "^ *4K " "$D/run.txt" && grep -q "^# size:" "$D/run.txt" &&
		! grep -Eq '(^| )(cc|gcc|clang|ar) ' "$D/run.txt"; then
		ok "make run as a user who does not own the tree: the table alone"
	else
		ko "make run as nobody (exit $rc): $(head -c 400 "$D/run.txt")"
	fi
else
	echo "SKIP make run as another user: needs root and runuser"
fi

echo "check-install: $pass passed, $fail failed"
[ $fail -eq 0 ]
