#!/usr/bin/env bash
# Records real link-event output from this kernel into samples/linklogs/real-*.
# Builds namespace bwlk-<pid>-hv with bridge lkb<rnd> (uplink veth lke<rnd>, MAC b4:99:ba:11:22:33,
# peer in a second namespace so `link-netnsid` shows), runs every monitor inside it, then:
#   1. a port vnet<rnd> with MAC 00:18:51:00:00:01 (lower than the uplink) joins, stays 2 s, is deleted;
#   2. STP on, a port vnet<rnd+1> joins (listening -> learning -> forwarding, forward_delay 2 s), deleted;
#   3. a veth pair with both ends enslaved (a loop): "own address" / blocking; deleted.
# Run as root. Everything is removed on exit, even on failure.
set -euo pipefail
out=${1:-$(dirname "$0")}
r=$((RANDOM % 9000 + 1000))
ns=bwlk-$$-hv; peer=bwlk-$$-nb
br=lkb$r; up=lke$r; upp=lkn$r; p1=vnet$r; p2=vnet$((r+1)); la=lka$r; lb=lkz$r
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  ip netns del "$ns" 2>/dev/null || true
  ip netns del "$peer" 2>/dev/null || true
}
trap cleanup EXIT
ip netns add "$ns"; ip netns add "$peer"
n() { ip netns exec "$ns" "$@"; }
n ip link set lo up
n ip link add "$br" type bridge
n ip link add "$up" address b4:99:ba:11:22:33 type veth peer name "$upp" netns "$peer"
mark=$(date -u +%s)
n ip -ts monitor link >"$out/real-ip-ts-monitor-link.log" 2>&1 & pids+=($!)
n ip -t monitor >"$out/real-ip-t-monitor.log" 2>&1 & pids+=($!)
n ip monitor >"$out/real-ip-monitor.log" 2>&1 & pids+=($!)
n bridge -timestamp monitor link >"$out/real-bridge-timestamp-monitor-link.log" 2>&1 & pids+=($!)
n bridge monitor >"$out/real-bridge-monitor.log" 2>&1 & pids+=($!)
sleep 0.5
n ip link set "$up" master "$br"
n ip link set "$up" up; n ip link set "$br" up
ip netns exec "$peer" ip link set "$upp" up
sleep 0.5
# 1. low-MAC port joins and leaves
n ip link add "$p1" address 00:18:51:00:00:01 type veth peer name "${p1}p"
n ip link set "$p1" master "$br"; n ip link set "$p1" up; n ip link set "${p1}p" up
sleep 2
n ip link del "$p1"
sleep 0.5
# 2. STP: a port walks listening -> learning -> forwarding
n ip link set "$br" type bridge stp_state 1 forward_delay 200
n ip link add "$p2" type veth peer name "${p2}p"
n ip link set "$p2" master "$br"; n ip link set "$p2" up; n ip link set "${p2}p" up
sleep 5
n ip link del "$p2"
# 3. loop: both ends of one veth pair on the bridge
n ip link add "$la" type veth peer name "$lb"
n ip link set "$la" master "$br"; n ip link set "$lb" master "$br"
n ip link set "$la" up; n ip link set "$lb" up
sleep 6
n ip link del "$la"
sleep 0.5
# kernel log lines for our names only (the kernel log is global)
pat="$br|$up|$p1|$p2|$la|$lb"
dmesg | grep -E "$pat" >"$out/real-dmesg.log" || true
dmesg -T | grep -E "$pat" >"$out/real-dmesg-T.log" || true
awk '/^btime/{print $2}' /proc/stat >"$out/real-dmesg.boot-epoch"
# (journald does not run in this sandbox: derive.mjs builds the journalctl/syslog fixtures)
echo "recorded: br=$br uplink=$up ports=$p1,$p2 loop=$la/$lb"
