#!/usr/bin/env bash
# Records `ip -o -ts monitor link` (one line per record) and `ip -d -ts monitor link` (details:
# `bridge_slave state …` continuation lines) on this kernel into real-ip-oneline.log and
# real-ip-details.log: bridge lkd<rnd> with STP on (forward_delay 2 s) and uplink (b4:99:ba:11:22:33);
# port vnet<rnd> (00:18:51:00:00:01) joins, walks listening -> learning -> forwarding, is deleted.
# Run as root; namespaces are removed on exit, even on failure.
set -euo pipefail
out=${1:-$(dirname "$0")}
r=$((RANDOM % 9000 + 1000))
ns=bwlk-$$-dt; br=lkd$r; up=lke$r; p=vnet$r
pids=()
cleanup() { for x in "${pids[@]}"; do kill "$x" 2>/dev/null || true; done; ip netns del "$ns" 2>/dev/null || true; }
trap cleanup EXIT
ip netns add "$ns"
n() { ip netns exec "$ns" "$@"; }
n ip link add "$br" type bridge stp_state 1 forward_delay 200
n ip link add "$up" address b4:99:ba:11:22:33 type veth peer name "${up}p"
n ip link set "$up" master "$br"; n ip link set "$up" up; n ip link set "${up}p" up; n ip link set "$br" up
sleep 4.5
n ip -o -ts monitor link >"$out/real-ip-oneline.log" 2>&1 & pids+=($!)
n ip -d -ts monitor link >"$out/real-ip-details.log" 2>&1 & pids+=($!)
sleep 0.5
n ip link add "$p" address 00:18:51:00:00:01 type veth peer name "${p}p"
n ip link set "$p" master "$br"; n ip link set "$p" up; n ip link set "${p}p" up
sleep 5
n ip link del "$p"
sleep 0.5
echo "recorded: br=$br uplink=$up port=$p"
