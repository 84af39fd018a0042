/**
 * Proxmox VE guest configs (qm.conf(5), pct.conf(5)): `netN: MODEL=MAC,bridge=vmbr0,firewall=1`
 * for VMs, `netN: name=eth0,bridge=vmbr0,hwaddr=MAC,firewall=1,type=veth` for containers. Only
 * the current config counts (the part before the first `[snapshot]`/`[PENDING]` section).
 * Host side on the bridge: a VM's tap `tapVMIDiN`, or with firewall=1 the veth `fwprVMIDpN`: both
 * random MACs (Proxmox sets none); a container's veth `vethVMIDiN` is LXC's (first byte 0xFE),
 * but with firewall=1 the port on the bridge is again the random `fwprVMIDpN`.
 */
import { commaPairs, normMac } from './parse-util.js';
import type { GuestPort, GuestReadProblem, HostMac } from './types.js';

const QEMU_MODELS = new Set(['virtio', 'e1000', 'e1000e', 'e1000-82540em', 'e1000-82544gc', 'e1000-82545em', 'i82551', 'i82557b', 'i82559er', 'ne2k_isa', 'ne2k_pci', 'pcnet', 'rtl8139', 'vmxnet3']);

function currentSection(text: string): string[] {
  const lines = text.split('\n');
  const end = lines.findIndex((l) => /^\s*\[/.test(l));
  return end < 0 ? lines : lines.slice(0, end);
}

/** The bridged NICs of one Proxmox guest config; `kind` from its directory (qemu-server or lxc). */
export function parseProxmoxConfig(text: string, file: string, vmid: string, kind: 'qemu' | 'lxc'): { ports: GuestPort[]; problems: GuestReadProblem[] } {
  const ports: GuestPort[] = [];
  const problems: GuestReadProblem[] = [];
  currentSection(text).forEach((raw, i) => {
    const m = /^\s*net(\d+)\s*:\s*(.+)$/.exec(raw);
    if (!m) return;
    const n = m[1]!;
    const kv = commaPairs(m[2]!);
    const bridge = kv.get('bridge');
    if (bridge === undefined) return; // qemu user-mode networking: no bridge
    const firewall = kv.get('firewall') === '1';
    let guestMacText: string | undefined;
    if (kind === 'qemu') {
      guestMacText = kv.get('macaddr');
      for (const [k, v] of kv) if (QEMU_MODELS.has(k)) guestMacText = v;
    } else {
      guestMacText = kv.get('hwaddr');
    }
    const guestMac = normMac(guestMacText);
    if (guestMacText !== undefined && guestMac === null) problems.push({ file, line: i + 1, message: `${vmid} net${n}: "${guestMacText}" is not a MAC` });
    const hostPort = firewall ? `fwpr${vmid}p${n}` : kind === 'qemu' ? `tap${vmid}i${n}` : `veth${vmid}i${n}`;
    const hostMac: HostMac = kind === 'lxc' && !firewall ? { kind: 'prefix', prefix: 'fe' } : { kind: 'random' };
    ports.push({
      source: kind === 'qemu' ? 'proxmox-qemu' : 'proxmox-lxc', guest: vmid, iface: `net${n}`, bridge, hostPort, guestMac, hostMac,
      file, line: i + 1, running: null,
    });
  });
  return { ports, problems };
}
