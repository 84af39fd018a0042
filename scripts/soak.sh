#!/usr/bin/env bash
# Live soak (HARDEN team, issue 9): `bridgewatch live` on a bridge for SECONDS (default 660) under
# mixed load while guests start and stop every few seconds; records what was injected and what
# live reported. Needs root (network namespaces). Not a CI test: run it by hand, numbers go to
# docs/hardening.md.
#   sudo scripts/soak.sh [SECONDS] [OUT_DIR]     (OUT_DIR default bench/out/soak-<UTC time>)
# Topology (all inside namespaces this script creates and always deletes; documentation addresses):
#   ns bwhs-PID-hv: bridge bwhsPIDb 192.0.2.1/24, unpinned, uplink veth bwhsPIDu b4:99:ba:11:22:33
#   ns bwhs-PID-nb: neighbour 192.0.2.254 (00:25:90:aa:bb:cc) pinging the host every 200 ms (the
#       outage probe), plus a 20/s ping with 1000-byte payloads and unanswered ARP for 192.0.2.50-59
#   ns bwhs-PID-gK: guest K, host-side veth bwhsPIDgK with an OpenVZ-style MAC 00:18:51:..., so each
#       join makes the unpinned bridge take the guest's MAC and each leave reverts it (2 flips).
# Outputs in OUT_DIR: live.ndjson, live.err, flips.tsv (every bridge MAC change the script saw,
# from `ip link`), rss.tsv (live + capture child RSS every 10 s), ping.log, summary.txt.
set -uo pipefail
DUR=${1:-660}
cd "$(dirname "$0")/.."
OUT=${2:-bench/out/soak-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT"
[ "$(id -u)" = 0 ] || { echo "soak: needs root (network namespaces)"; exit 2; }
ID=$(( $$ % 100000 ))
HV=bwhs-$ID-hv; NB=bwhs-$ID-nb; BR=bwhs${ID}b; UP=bwhs${ID}u
PIDS=()
GUESTS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  for g in "${GUESTS[@]}"; do ip netns del "$g" 2>/dev/null; done
  ip netns del "$HV" 2>/dev/null; ip netns del "$NB" 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ip netns add "$HV" && ip netns add "$NB" || exit 1
ip -n "$HV" link set lo up; ip -n "$NB" link set lo up
ip -n "$HV" link add "$BR" type bridge
ip -n "$HV" link add "$UP" address b4:99:ba:11:22:33 type veth peer name eth0 netns "$NB"
ip -n "$HV" link set "$UP" master "$BR" up
ip -n "$HV" link set "$BR" up
ip -n "$HV" addr add 192.0.2.1/24 dev "$BR"
ip -n "$NB" link set eth0 address 00:25:90:aa:bb:cc up
ip -n "$NB" addr add 192.0.2.254/24 dev eth0
# Short neighbour timers so a stale entry is re-probed within seconds (guests change every few).
ip netns exec "$NB" sysctl -qw net.ipv4.neigh.eth0.base_reachable_time_ms=2000 net.ipv4.neigh.eth0.delay_first_probe_time=1
sleep 1

ip netns exec "$HV" node bin/bridgewatch.js live -i "$BR" --all --format ndjson --duration "$DUR" --stats-interval 10 \
  >"$OUT/live.ndjson" 2>"$OUT/live.err" &
LIVE=$!; PIDS+=("$LIVE")
sleep 3
ip netns exec "$NB" ping -D -i 0.2 192.0.2.1 >"$OUT/ping.log" 2>&1 & PIDS+=($!)
ip netns exec "$NB" ping -q -i 0.05 -s 1000 192.0.2.1 >/dev/null 2>&1 & PIDS+=($!)
( while :; do for i in 50 51 52 53 54 55 56 57 58 59; do ip netns exec "$NB" arping -q -c 1 -w 0.1 -I eth0 192.0.2.$i >/dev/null 2>&1; done; done ) & PIDS+=($!)

rss_of() { awk '/VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
(
  echo -e "elapsed_s\tlive_rss_kib\tchild_rss_kib"
  t0=$(date +%s)
  while kill -0 "$LIVE" 2>/dev/null; do
    child=0
    # live is started through `ip netns exec` (exec'd) so $LIVE is node; its capture child is its child.
    for c in $(pgrep -P "$LIVE" 2>/dev/null); do child=$(( child + $(rss_of "$c") )); done
    echo -e "$(( $(date +%s) - t0 ))\t$(rss_of "$LIVE")\t$child"
    sleep 10
  done
) >"$OUT/rss.tsv" & PIDS+=($!)

brmac() { ip -n "$HV" -br link show "$BR" | awk '{print $3}'; }
echo -e "time\tevent\tguest\tbridge_mac" >"$OUT/flips.tsv"
last=$(brmac)
note() { local now; now=$(brmac); if [ "$now" != "$last" ]; then echo -e "$(date -u +%H:%M:%S.%N)\t$1\t$2\t$now" >>"$OUT/flips.tsv"; last=$now; fi; }
END=$(( $(date +%s) + DUR - 25 ))
k=0
while [ "$(date +%s)" -lt "$END" ] && kill -0 "$LIVE" 2>/dev/null; do
  k=$((k + 1)); n=$((k % 1000))
  G=bwhs-$ID-g$n; V=bwhs${ID}g$n
  mac=$(printf '00:18:51:00:%02x:%02x' $((k / 256 % 256)) $((k % 256)))
  ip netns add "$G" && GUESTS+=("$G")
  ip -n "$HV" link add "$V" address "$mac" type veth peer name eth0 netns "$G"
  ip -n "$HV" link set "$V" master "$BR" up
  ip -n "$G" link set eth0 up; ip -n "$G" link set lo up
  ip -n "$G" addr add 192.0.2.$(( 100 + k % 100 ))/24 dev eth0
  note join "$V"
  ip netns exec "$G" ping -q -c 5 -i 0.2 192.0.2.254 >/dev/null 2>&1 &
  sleep $(( 2 + RANDOM % 4 ))
  ip -n "$HV" link del "$V" 2>/dev/null
  ip netns del "$G"
  note leave "$V"
  sleep $(( 1 + RANDOM % 3 ))
done
echo "soak: $k guests started and stopped; waiting for live to end" >&2
wait "$LIVE"; status=$?

flips=$(( $(wc -l <"$OUT/flips.tsv") - 1 ))
reported=$(grep -c '"event":"bridge-mac-change"' "$OUT/live.ndjson")
node -e '
const fs = require("fs");
const [dir, flips, reported, guests, status] = process.argv.slice(1);
const recs = fs.readFileSync(`${dir}/live.ndjson`, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
const stats = recs.filter((r) => r.type === "stats");
const last = stats[stats.length - 1] ?? {};
const end = recs.find((r) => r.type === "end") ?? {};
const finals = recs.filter((r) => r.type === "incident" && r.phase === "final");
const kinds = {};
for (const r of finals) kinds[r.kind] = (kinds[r.kind] ?? 0) + 1;
const rss = fs.readFileSync(`${dir}/rss.tsv`, "utf8").trim().split("\n").slice(1).map((l) => l.split("\t").map(Number));
const peak = (i) => Math.max(0, ...rss.map((r) => r[i])) / 1024;
const firstHalf = rss.slice(0, Math.ceil(rss.length / 2)), secondHalf = rss.slice(Math.ceil(rss.length / 2));
const peakOf = (rows) => Math.max(0, ...rows.map((r) => r[1])) / 1024;
console.log(`live exit ${status}; stopped by ${end.stoppedBy}; guests ${guests}; bridge MAC flips injected ${flips}, reported as bridge-mac-change ${reported}; ` +
  `final incidents ${finals.length} ${JSON.stringify(kinds)}; frames captured ${last.captured}, queueDrops ${last.queueDrops}, kernelDropsEstimate ${last.kernelDropsEstimate}; ` +
  `peak RSS live ${peak(1).toFixed(0)} MiB (first half ${peakOf(firstHalf).toFixed(0)}, second half ${peakOf(secondHalf).toFixed(0)}), capture child ${peak(2).toFixed(0)} MiB; ${rss.length} samples`);
' "$OUT" "$flips" "$reported" "$k" "$status" | tee "$OUT/summary.txt"
