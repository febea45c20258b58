#!/bin/sh
# In the QEMU guest: run-time reconfiguration of dsa_pci's simulated
# devices (sim=1,2: a DSA 1.0 and a 2.0) through its sysfs attributes and
# dsactl.  Reconfigures queues (dedicated <-> shared, sizes, groups,
# limits), checks each refusal and its reason, a node appearing and
# disappearing (with a file open on it), and a descriptor run on every
# reconfigured queue; then reloads with sim_pasid=0 for the PASID
# refusals.  Prints "dsa-cfg: N passed, M failed".
S=/sys/class/dsa_pci
U=/sys/class/uacce
passed=0
failed=0

pass() { passed=$((passed + 1)); echo "dsa-cfg: ok: $*"; }
fail() { failed=$((failed + 1)); echo "dsa-cfg: FAIL: $*"; }

# check DESC CMD...: the command succeeds.
check() {
	d=$1
	shift
	if "$@" > /tmp/cfg.out 2>&1; then pass "$d"; else fail "$d"; cat /tmp/cfg.out; fi
}

# refused DESC TEXT CMD...: the command fails and says TEXT.
refused() {
	d=$1
	t=$2
	shift 2
	if "$@" > /tmp/cfg.out 2>&1; then
		fail "$d (accepted)"
	elif grep -q -- "$t" /tmp/cfg.out; then
		pass "$d"
	else
		fail "$d (no '$t' in the message)"
	fi
	cat /tmp/cfg.out
}

# wr OBJ ATTR VALUE: a raw sysfs write, no tool in between.
wr() { (echo "$3" > "$S/$1/$2") 2>&1; }

# sysrefused DESC DEV TEXT OBJ ATTR VALUE: the driver refuses a raw
# write and its last_error says TEXT.
sysrefused() {
	if wr "$4" "$5" "$6" > /tmp/cfg.wr; then
		fail "$1 (accepted)"
	elif grep -q -- "$3" "$S/$2/last_error"; then
		pass "$1"
	else
		fail "$1 (last_error: $(cat "$S/$2/last_error"))"
	fi
	echo "  $(cat /tmp/cfg.wr) / last_error: $(cat "$S/$2/last_error")"
}

# is OBJ ATTR VALUE
is() {
	v=$(cat "$S/$1/$2" 2>/dev/null)
	if [ "$v" = "$3" ]; then pass "$1/$2 is '$3'"; else fail "$1/$2 is '$v', expected '$3'"; fi
}

node() { cat "$S/$1/uacce"; }

# has_node OBJ: its node exists in the class and in /dev.
has_node() {
	n=$(node "$1")
	if [ -n "$n" ] && [ -e "$U/$n" ] && [ -e "/dev/$n" ]; then
		pass "$1 has node $n"
	else
		fail "$1 has no node ('$n')"
	fi
}

run() { check "descriptor on $1 ($(cat $S/$1/mode))" /bin/cfg_submit run "$(node "$1")"; }

if ! insmod /bin/dsa_pci.ko sim=1,2; then
	echo "dsa-cfg: 0 passed, 1 failed"
	exit 1
fi
v1= v2=
for d in "$S"/dsa*; do
	case "$(cat "$d/version")" in
	0x100) v1=${d##*/} ;;
	0x200) v2=${d##*/} ;;
	esac
done
[ -n "$v1" ] && [ -n "$v2" ] && pass "two devices: $v1 (1.0), $v2 (2.0)" || fail "devices: '$v1' '$v2'"
a=${v1#dsa}
b=${v2#dsa}
check "dsactl list" /bin/dsactl list
cat /tmp/cfg.out

# ---- the default configuration ----
is "$v2" state enabled
is "wq$b.0" mode dedicated
is "wq$b.1" mode shared
is "wq$b.1" threshold 32
has_node "wq$b.0"
has_node "wq$b.1"
has_node "wq$a.1"
is "group$b.0" work_queues "wq$b.0 wq$b.1"

# ---- an enabled queue takes no change ----
refused "mode of an enabled queue" "is enabled: disable it before changing mode" \
	/bin/dsactl set "wq$b.1" mode=dedicated
grep -q "busy" /tmp/cfg.out && pass "as EBUSY" || fail "not EBUSY"
sysrefused "raw write to an enabled queue" "$v2" "is enabled" "wq$b.0" priority 3

# ---- dedicated -> shared on 2.0: the node goes and comes back ----
old=$(node "wq$b.0")
check "disable wq$b.0" /bin/dsactl disable "wq$b.0"
is "wq$b.0" state disabled
[ ! -e "$U/$old" ] && [ ! -e "/dev/$old" ] && pass "node $old gone" || fail "node $old still there"
is "wq$b.0" uacce ""
sysrefused "size while the device is enabled" "$v2" "only while $v2 is disabled" "wq$b.0" size 8
sysrefused "group while the device is enabled" "$v2" "only while $v2 is disabled" "wq$b.0" group_id 1
sysrefused "threshold on a dedicated queue" "$v2" "shared queues only" "wq$b.0" threshold 4
sysrefused "unknown mode" "$v2" "neither dedicated nor shared" "wq$b.0" mode turbo
sysrefused "priority 0" "$v2" "priority 0: must be 1 to 15" "wq$b.0" priority 0
sysrefused "max_transfer_size above GENCAP" "$v2" "above the device's 2147483648" \
	"wq$b.0" max_transfer_size 4294967296
sysrefused "max_batch_size above GENCAP" "$v2" "above the device's 1024" \
	"wq$b.0" max_batch_size 2048
check "set wq$b.0 shared" /bin/dsactl set "wq$b.0" mode=shared
refused "shared with threshold 0" "threshold 0 takes nothing" /bin/dsactl enable "wq$b.0"
sysrefused "threshold above size" "$v2" "threshold 17: must be 1 to the size (16)" "wq$b.0" threshold 17
check "set threshold, priority, limits" /bin/dsactl set "wq$b.0" threshold=12 priority=7 \
	max_transfer_size=65536 max_batch_size=100
is "wq$b.0" max_batch_size 128
check "enable wq$b.0 shared" /bin/dsactl enable "wq$b.0"
has_node "wq$b.0"
is "wq$b.0" mode shared
run "wq$b.0"

# ---- shared -> dedicated on 2.0 ----
check "disable wq$b.1" /bin/dsactl disable "wq$b.1"
check "set wq$b.1 dedicated" /bin/dsactl set "wq$b.1" mode=dedicated
is "wq$b.1" threshold 0
check "enable wq$b.1 dedicated" /bin/dsactl enable "wq$b.1"
has_node "wq$b.1"
run "wq$b.1"

# ---- DSA 1.0: shared threshold changed; dedicated has no way in ----
check "disable wq$a.1" /bin/dsactl disable "wq$a.1"
check "wq$a.1 threshold 8" /bin/dsactl set "wq$a.1" threshold=8
check "enable wq$a.1" /bin/dsactl enable "wq$a.1"
run "wq$a.1"
check "disable wq$a.1 again" /bin/dsactl disable "wq$a.1"
check "wq$a.1 dedicated" /bin/dsactl set "wq$a.1" mode=dedicated
refused "1.0 dedicated without a portal" "no way in" /bin/dsactl enable "wq$a.1"

# ---- a file open across disable ----
busybox rm -f /tmp/ready /tmp/go
n=$(node "wq$b.1")
/bin/cfg_submit hold "$n" /tmp/ready /tmp/go > /tmp/hold.out 2>&1 &
hp=$!
i=0
while [ ! -e /tmp/ready ] && [ $i -lt 30 ]; do sleep 1; i=$((i + 1)); done
is "wq$b.1" clients 1
check "disable wq$b.1 with a file open" /bin/dsactl disable "wq$b.1"
[ ! -e "/dev/$n" ] && pass "node $n gone with a file open" || fail "node $n still there"
: > /tmp/go
wait $hp && pass "the open file got ENODEV and closed" || fail "the open file: $(cat /tmp/hold.out)"
cat /tmp/hold.out

# ---- sizes and groups, by the tool's checks (with line numbers) ----
cat > /tmp/bad.conf <<EOF
[wq$b.2]
mode = shared
size = 200
threshold = 300
colour = blue
[wq$b.99]
[dsa$b]
enable = 2
EOF
refused "file: size above the device's total" "bad.conf:3: \[wq$b.2\]: size 200 above" /bin/dsactl check /tmp/bad.conf
grep -q "bad.conf:4: \[wq$b.2\]: threshold 300 above size 200" /tmp/cfg.out && pass "file: threshold above size, line 4" || fail "file: threshold line"
grep -q "bad.conf:5: unknown key 'colour'" /tmp/cfg.out && pass "file: unknown key, line 5" || fail "file: unknown key line"
grep -q "bad.conf:6: \[wq$b.99\]: dsa$b has queues 0 to 7" /tmp/cfg.out && pass "file: no such queue, line 6" || fail "file: queue range line"
grep -q "bad.conf:8: enable 2: out of range" /tmp/cfg.out && pass "file: enable out of range, line 8" || fail "file: enable range line"

# ---- sizes and groups, applied from a file ----
cat > /tmp/cfg.conf <<EOF
# two groups of two engines: a dedicated queue alone, two shared together
[dsa$b]
enable = 1
[engine$b.0]
group_id = 0
[engine$b.1]
group_id = 0
[engine$b.2]
group_id = 1
[engine$b.3]
group_id = 1
[wq$b.0]
mode = dedicated
size = 32
group_id = 0
enable = 1
[wq$b.1]
mode = shared
size = 48
threshold = 40
priority = 5
group_id = 1
enable = 1
[wq$b.2]
mode = shared
size = 16
threshold = 16
group_id = 1
max_transfer_size = 1m
enable = 1
EOF
check "apply a file" /bin/dsactl apply /tmp/cfg.conf
cat /tmp/cfg.out
is "wq$b.1" size 48
is "wq$b.1" group_id 1
is "wq$b.2" max_transfer_size 1048576
is "group$b.1" work_queues "wq$b.1 wq$b.2"
is "group$b.1" engines "engine$b.2 engine$b.3"
for q in 0 1 2; do has_node "wq$b.$q"; run "wq$b.$q"; done
/bin/dsactl list
n0=$(node "wq$b.0")
/bin/dsactl dump > /tmp/dump.conf
check "re-apply the dump" /bin/dsactl apply /tmp/dump.conf
[ "$(node "wq$b.0")" = "$n0" ] && pass "re-applying the same configuration changed nothing" || fail "the queue was cycled"

# ---- refusals at enable time, by the driver (raw writes) ----
check "disable $v2" /bin/dsactl disable "$v2"
is "$v2" state disabled
for q in 0 1 2; do is "wq$b.$q" uacce ""; done
sysrefused "size above WQCAP total" "$v2" "the queues would hold 208 entries, WQCAP allows 128" "wq$b.3" size 112
check "wq$b.1 size below its threshold" wr "wq$b.1" size 20
check "wq$b.3 sized, in no group" wr "wq$b.3" size 8
check "enable $v2" /bin/dsactl enable "$v2"
refused "queue enabled with threshold above size" "threshold 40 above size 20" /bin/dsactl enable "wq$b.1"
refused "queue in no group" "wq$b.3 is in no group" /bin/dsactl enable "wq$b.3"
check "disable $v2" /bin/dsactl disable "$v2"
check "wq$b.3 into group 2" wr "wq$b.3" group_id 2
refused "group without engines" "group 2 has queues (wq$b.3) but no engine" /bin/dsactl enable "$v2"
check "wq$b.3 out again" wr "wq$b.3" group_id -1
refused "a queue of a disabled device" "enable the device first" /bin/dsactl enable "wq$b.0"
sysrefused "an engine's group out of range" "$v2" "group 9: the device has groups 0 to 3" "engine$b.0" group_id 9
check "apply the file again" /bin/dsactl apply /tmp/cfg.conf
is "$v2" state enabled

# ---- no PASID support: no shared queue ----
rmmod dsa_pci && pass "rmmod" || fail "rmmod"
[ -e "$S/$v2" ] && fail "objects left after rmmod" || pass "objects gone after rmmod"
if insmod /bin/dsa_pci.ko sim=2 sim_pasid=0; then
	pass "insmod sim_pasid=0"
	d=$(ls -d $S/dsa* | head -1)
	d=${d##*/}
	c=${d#dsa}
	is "$d" pasid_enabled 0
	is "wq$c.1" state disabled
	refused "shared queue without PASID" "needs PASID support, which $d lacks" /bin/dsactl enable "wq$c.1"
	printf '[wq%s.1]\nmode = shared\nenable = 1\n' "$c" > /tmp/pasid.conf
	refused "file: shared queue without PASID" "pasid.conf:3: \[wq$c.1\]: a shared queue needs PASID" \
		/bin/dsactl check /tmp/pasid.conf
	rmmod dsa_pci && pass "rmmod" || fail "rmmod"
else
	fail "insmod sim_pasid=0"
fi
echo "dsa-cfg: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
