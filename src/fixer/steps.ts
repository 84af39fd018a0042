/**
 * Builders for the plan steps shared by live plans (planForBridge) and offline plans
 * (planFromAnalysis), so both give the same advice in the same words.
 */
import type { PlanStep } from './types.js';

/** sysctl key for an interface: dots in interface names become slashes (sysctl.d(5)). */
export function sysctlKey(family: 'ipv4' | 'ipv6', ifname: string, knob: string): string {
  return `net.${family}.conf.${ifname.replace(/\./g, '/')}.${knob}`;
}

/** `ip link set dev BR address MAC`: sets addr_assign_type to 3 so the bridge never follows its ports again. */
export function runtimePinStep(bridge: string, mac: string, why: string): PlanStep {
  return {
    id: 'pin-bridge-mac',
    kind: 'runtime',
    stack: 'runtime',
    title: `Pin ${bridge}'s MAC to ${mac}`,
    why,
    argv: ['ip', 'link', 'set', 'dev', bridge, 'address', mac],
    config: null,
    verify: `cat /sys/class/net/${bridge}/address prints ${mac} and cat /sys/class/net/${bridge}/addr_assign_type prints 3`,
    undo: `a set MAC cannot be un-set at runtime (addr_assign_type stays 3 until ${bridge} is recreated); ip link set dev ${bridge} address OTHER pins another MAC`,
  };
}

/** arp_notify / ndisc_notify: announce a MAC change at once (mitigation, not a fix). */
export function announceSteps(bridge: string, why: string): PlanStep[] {
  const v4 = sysctlKey('ipv4', bridge, 'arp_notify');
  const v6 = sysctlKey('ipv6', bridge, 'ndisc_notify');
  return [
    {
      id: 'arp-notify', kind: 'mitigation', stack: 'runtime',
      title: `Announce ${bridge} MAC changes by gratuitous ARP`,
      why: `${why} with arp_notify=1 the kernel sends a gratuitous ARP when ${bridge}'s MAC changes (net/ipv4/devinet.c), so neighbours update at once instead of after their reachable time and probes.`,
      argv: ['sysctl', '-w', `${v4}=1`], config: null,
      verify: `sysctl -n ${v4} prints 1`, undo: `sysctl -w ${v4}=0`,
    },
    {
      id: 'ndisc-notify', kind: 'mitigation', stack: 'runtime',
      title: `Announce ${bridge} MAC changes by unsolicited NA (IPv6)`,
      why: `The IPv6 twin of arp_notify (net/ipv6/ndisc.c): neighbours update their NDP cache at once.`,
      argv: ['sysctl', '-w', `${v6}=1`], config: null,
      verify: `sysctl -n ${v6} prints 1`, undo: `sysctl -w ${v6}=0`,
    },
    {
      id: 'announce-sysctl-conf', kind: 'persistent', stack: 'runtime',
      title: `Keep arp_notify/ndisc_notify on ${bridge} across reboots`,
      why: 'sysctl -w lasts until reboot; sysctl.d makes it permanent (applied when the bridge exists at boot).',
      argv: null,
      config: { file: `/etc/sysctl.d/90-bridgewatch-${bridge}.conf`, text: `${v4} = 1\n${v6} = 1\n` },
      verify: `sysctl --system prints both keys; sysctl -n ${v4} prints 1 after a reboot`,
      undo: `delete /etc/sysctl.d/90-bridgewatch-${bridge}.conf`,
    },
  ];
}

/** Parses an OpenVZ host veth name `vethCTID.N` into CTID and container interface `ethN`. */
export function openvzVeth(port: string | undefined): { ctid: string; ifname: string } | null {
  const m = port === undefined ? null : /^veth(\d+)\.(\d+)$/.exec(port);
  return m ? { ctid: m[1]!, ifname: `eth${m[2]!}` } : null;
}

/** OpenVZ: host-side veth MACs default to 00:18:51 (SWsoft OUI), lower than most uplinks. */
export function openvzStep(port: string | undefined, evidence: string): PlanStep {
  const ct = openvzVeth(port) ?? { ctid: 'CTID', ifname: 'eth0' };
  return {
    id: 'openvz-host-mac', kind: 'hypervisor', stack: 'openvz',
    title: `OpenVZ: give container ${ct.ctid}'s host-side veth the MAC FE:FF:FF:FF:FF:FF`,
    why: `${evidence} vzctl generates host veth MACs in 00:18:51 (SW_OUI), lower than the uplink, so the bridge adopts them; FE:FF:FF:FF:FF:FF (Xen's convention) is never the lowest.`,
    argv: ['vzctl', 'set', ct.ctid, '--netif_add', `${ct.ifname},,,FE:FF:FF:FF:FF:FF`, '--save'],
    config: { file: `/etc/vz/conf/${ct.ctid}.conf`, text: `# in NETIF="ifname=${ct.ifname},...": set\nhost_mac=FE:FF:FF:FF:FF:FF\n` },
    verify: `after the container restarts: ip -br link show veth${ct.ctid === 'CTID' ? 'CTID' : ct.ctid}.${ct.ifname.slice(3)} shows fe:ff:ff:ff:ff:ff`,
    undo: `vzctl set ${ct.ctid} --netif_add ${ct.ifname} --save (drops the host_mac)`,
  };
}

/** libvirt: taps get fe: + guest MAC (src/util/virnetdevtap.c); anything else was set by hand or a hook. */
export function libvirtStep(bridge: string, evidence: string): PlanStep {
  return {
    id: 'libvirt-host-mac', kind: 'hypervisor', stack: 'libvirt',
    title: 'libvirt: keep the fe: host-side tap MACs',
    why: `${evidence} libvirt gives each tap the guest MAC with the first byte 0xFE, which never undercuts an uplink; taps with other MACs come from hooks or hand-made <interface type='ethernet'> and should follow the same convention.`,
    argv: null,
    config: { file: '/etc/libvirt/qemu/GUEST.xml', text: `<interface type='bridge'>\n  <source bridge='${bridge}'/>\n  <model type='virtio'/>\n</interface>\n` },
    verify: `ip -br link show master ${bridge}: every vnetN starts with fe:`,
    undo: 'restore the previous <interface> element (virsh edit GUEST)',
  };
}

/** LXC: host veths get first byte 0xfe (src/lxc/network.c setup_private_host_hw_addr). */
export function lxcStep(bridge: string, evidence: string): PlanStep {
  return {
    id: 'lxc-host-mac', kind: 'hypervisor', stack: 'lxc',
    title: 'LXC: let LXC create the host veth (fe: MAC) instead of a random one',
    why: `${evidence} LXC sets the host-side veth MAC to fe:xx so it never undercuts the uplink; random veths made by scripts or old versions start anywhere from 02:.`,
    argv: null,
    config: { file: '/var/lib/lxc/NAME/config', text: `lxc.net.0.type = veth\nlxc.net.0.link = ${bridge}\nlxc.net.0.flags = up\n` },
    verify: `ip -br link show master ${bridge}: the container's host veth starts with fe:`,
    undo: 'restore the previous lxc.net.0.* lines',
  };
}

/** Xen: vifs are FE:FF:FF:FF:FF:FF (vif-bridge); a vif with another MAC was changed by a script. */
export function xenStep(bridge: string, evidence: string): PlanStep {
  return {
    id: 'xen-host-mac', kind: 'hypervisor', stack: 'xen',
    title: 'Xen: keep vif host MACs at FE:FF:FF:FF:FF:FF',
    why: `${evidence} Xen's backend vifs default to FE:FF:FF:FF:FF:FF, the highest unicast-looking MAC, so the bridge never adopts them.`,
    argv: null, config: null,
    verify: `ip -br link show master ${bridge}: vifN.M show fe:ff:ff:ff:ff:ff`,
    undo: 'nothing to undo',
  };
}

/** STP: shorten forward delay (centiseconds in ip-link, seconds in config files). */
export function stpForwardDelayStep(bridge: string, currentSec: number | null, evidence: string): PlanStep {
  return {
    id: 'stp-forward-delay', kind: 'mitigation', stack: 'runtime',
    title: `Shorten ${bridge}'s STP forward delay to 2 s (or turn STP off on a single-uplink bridge)`,
    why: `${evidence} Kernel STP keeps a new port listening then learning for forward_delay each${currentSec === null ? '' : ` (${currentSec} s now)`}: a starting guest is unreachable for twice that. With one uplink and no loops, stp off (bridge_stp off / bridge-stp off) is the usual choice.`,
    argv: ['ip', 'link', 'set', 'dev', bridge, 'type', 'bridge', 'forward_delay', '200'],
    config: { file: '/etc/network/interfaces', text: `    bridge_fd 2\n    # systemd-networkd [Bridge] ForwardDelaySec=2; netplan parameters: forward-delay: 2\n` },
    verify: `cat /sys/class/net/${bridge}/bridge/forward_delay prints 200`,
    undo: `ip link set dev ${bridge} type bridge forward_delay ${currentSec === null ? 1500 : Math.round(currentSec * 100)}`,
  };
}

/** qemu: one -netdev per NIC (the old -net hub joins NICs into a loop: seed 003). */
export function qemuNetdevStep(evidence: string): PlanStep {
  return {
    id: 'qemu-netdev-per-nic', kind: 'hypervisor', stack: 'qemu',
    title: 'qemu: give every NIC its own -netdev (no -net hub)',
    why: `${evidence} With the old -net nic -net tap syntax all NICs share hub 0; two taps of one hub on the same L2 domain form a loop and STP blocks one port (QEMU removed vlan= in 3.0).`,
    argv: null,
    config: { file: 'qemu command line', text: '-netdev tap,id=n1,ifname=tap1,script=no -device virtio-net-pci,netdev=n1\n-netdev tap,id=n2,ifname=tap2,script=no -device virtio-net-pci,netdev=n2\n' },
    verify: 'bridge link shows every tap in state forwarding; no "own address as source address" in the kernel log',
    undo: 'restore the previous command line',
  };
}

/** Managed FDB (seed 004): static entries instead of learning; libvirt does it with macTableManager. */
export function managedFdbStep(bridge: string, ports: string[], evidence: string): PlanStep {
  const port = ports[0] ?? 'vnet0';
  return {
    id: 'managed-fdb', kind: 'hypervisor', stack: 'libvirt',
    title: `Let libvirt manage ${bridge}'s FDB (macTableManager='libvirt')`,
    why: `${evidence} With learning and unicast flooding off on a port, a MAC that moves is not re-learned; only static entries forward to it. libvirt keeps them in sync when it manages the table (since 1.2.11, kernel 3.17+).`,
    argv: null,
    config: {
      file: '/etc/libvirt/qemu/networks/NETWORK.xml',
      text: `<bridge name='${bridge}' macTableManager='libvirt'/>\n<!-- by hand: bridge link set dev ${port} learning off flood off; bridge fdb add MAC dev ${port} master static -->\n`,
    },
    verify: `bridge fdb show br ${bridge} lists a static entry per guest MAC on its port`,
    undo: `remove macTableManager, or bridge link set dev ${port} learning on flood on`,
  };
}

/**
 * ARP flux (REFERENCE.md §6): on the multi-homed Linux host whose NICs all answer for each of its
 * addresses. Config for that host, never applied here (it is usually not the host running the fix).
 */
export function arpFluxStep(evidence: string): PlanStep {
  return {
    id: 'arp-flux-sysctl', kind: 'persistent', stack: 'runtime',
    title: 'On the multi-homed host: answer ARP only on the NIC that owns the address (arp_ignore=1, arp_announce=2)',
    why: `${evidence} With arp_ignore=0 (the default) Linux answers ARP for any local address on every interface, so ` +
      'neighbours bind each address to whichever NIC answered first. arp_ignore=1 answers only for addresses on the receiving ' +
      'interface; arp_announce=2 uses the outgoing interface\'s own address as ARP sender. Apply at once with ' +
      '`sysctl -w net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2` (or net.ipv4.conf.all.arp_filter=1 instead).',
    argv: null,
    config: { file: '/etc/sysctl.d/90-arp-flux.conf', text: 'net.ipv4.conf.all.arp_ignore = 1\nnet.ipv4.conf.all.arp_announce = 2\n' },
    verify: '`sysctl net.ipv4.conf.all.arp_ignore net.ipv4.conf.all.arp_announce` prints 1 and 2; `arping -I IFACE ADDRESS` from a neighbour gets one reply per request',
    undo: 'delete /etc/sysctl.d/90-arp-flux.conf and `sysctl -w net.ipv4.conf.all.arp_ignore=0 net.ipv4.conf.all.arp_announce=0`',
  };
}
