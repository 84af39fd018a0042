#!/usr/bin/env bash
# Regenerates the format samples from real traffic between two throwaway network namespaces.
# Usage: make.sh [OUT_DIR]  (default: this folder). Needs root, iproute2, tcpdump, dumpcap/editcap/
# mergecap (wireshark-common), tcprewrite (tcpreplay) and gzip; python3 for the big-endian copies
# (skipped without it). Traffic uses documentation addresses only and never leaves the namespaces,
# whose names (and the interfaces') carry this run's pid; everything is removed on exit.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here}"
mkdir -p "$out"; cd "$out"
tag="bwcap-$$"
nsa="$tag-a"; nsb="$tag-b"
ifa="bwc$$a"; ifb="bwc$$b"; br="bwc$$br"   # at most 13 characters (pid <= 7 digits)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  ip netns del "$nsa" 2>/dev/null || true
  ip netns del "$nsb" 2>/dev/null || true
}
trap cleanup EXIT
ip netns add "$nsa"; ip netns add "$nsb"
# The veth pair is created directly inside the namespaces: nothing appears in the root namespace.
ip link add "$ifa" netns "$nsa" address 00:00:5e:00:53:01 type veth peer name "$ifb" netns "$nsb" address 00:00:5e:00:53:02
A="ip netns exec $nsa"; B="ip netns exec $nsb"
$A ip link set lo up; $B ip link set lo up
# B is an STP bridge (2 s forward delay, the minimum) so BPDUs reach A.
$B ip link add "$br" address 00:00:5e:00:53:10 type bridge stp_state 1 forward_delay 200 hello_time 100
$B ip link set "$ifb" master "$br"
$A ip addr add 192.0.2.1/24 dev "$ifa"; $A ip addr add 2001:db8::1/64 dev "$ifa" nodad
$B ip addr add 192.0.2.2/24 dev "$br";  $B ip addr add 2001:db8::2/64 dev "$br" nodad
$A ip link set "$ifa" up; $B ip link set "$ifb" up; $B ip link set "$br" up

$A tcpdump -q -U -i "$ifa" -w eth-us.pcap 2>/dev/null & pids+=($!)
$A tcpdump -q -U -i "$ifa" --time-stamp-precision=nano -w eth-ns.pcap 2>/dev/null & pids+=($!)
$A dumpcap -q -i "$ifa" -w eth.pcapng 2>/dev/null & pids+=($!)
$A tcpdump -q -U -i any -y LINUX_SLL -w sll.pcap 2>/dev/null & pids+=($!)
$A tcpdump -q -U -i any -y LINUX_SLL2 -w sll2.pcap 2>/dev/null & pids+=($!)
sleep 6   # capture start-up, then listening + learning with a 2 s forward delay; BPDUs every second meanwhile
$A ping -q -c 3 -i 0.2 192.0.2.2 >/dev/null
$A ping -q -6 -c 3 -i 0.2 2001:db8::2 >/dev/null
$A ip neigh flush dev "$ifa"
$A ping -q -c 1 192.0.2.2 >/dev/null
sleep 1
for p in "${pids[@]}"; do kill -INT "$p"; done
wait "${pids[@]}" 2>/dev/null || true
pids=()

# Derived formats.
if command -v python3 >/dev/null; then
  python3 "$here/swap-endian.py" eth-us.pcap eth-us-be.pcap
  python3 "$here/swap-endian.py" eth-ns.pcap eth-ns-be.pcap
  python3 "$here/swap-endian.py" eth.pcapng eth-be.pcapng   # drops the interface statistics block
fi
editcap -F pcapng eth-us.pcap eth-us.pcapng            # pcapng with the default µs resolution
cat eth.pcapng eth-us.pcapng > two-sections.pcapng     # concatenated pcapng = two sections
mergecap -F pcapng -w merged.pcapng eth-ns.pcap sll2.pcap  # one file, two interfaces, two link types
tcprewrite --enet-vlan=add --enet-vlan-tag=100 --enet-vlan-pri=0 --enet-vlan-cfi=0 -i eth-us.pcap -o vlan.pcap
tcprewrite --enet-vlan=add --enet-vlan-tag=200 --enet-vlan-pri=0 --enet-vlan-cfi=0 --enet-vlan-proto=802.1ad -i vlan.pcap -o qinq.pcap
gzip -n -c eth-us.pcap > eth-us.pcap.gz
gzip -n -c eth.pcapng > eth.pcapng.gz
rm -f eth-us.pcapng
chmod 644 ./*.pcap ./*.pcapng ./*.gz
