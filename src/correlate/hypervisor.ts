/**
 * Guessing the hypervisor behind a bridge port, from the port's name and MAC. Naming conventions:
 * libvirt `vnetN` (src/util/virnetdevtap.c), QEMU `tapN` (qemu-ifup), Proxmox `tapVMIDiN` and the
 * firewall bridge pair `fwprVMIDpN`/`fwlnVMIDiN`, Xen `vifDOMID.N`, OpenVZ `vethCTID.N`,
 * LXC/Docker `vethXXXXXX` (random suffix); MACs: OpenVZ 00:18:51, QEMU 52:54:00, Xen 00:16:3e.
 */
import type { Mac } from '../net/mac.js';
import { macConvention } from '../net/oui.js';
import type { Hypervisor } from './types.js';

/** The likely hypervisor for a port name (and its MAC, which disambiguates `veth`). */
export function hypervisorOf(port: string | null | undefined, mac?: Mac | null): Hypervisor {
  const conv = mac === null || mac === undefined ? null : macConvention(mac);
  if (port) {
    // libvirt gives its vnetN taps the guest MAC with first byte 0xfe: a vnet port carrying
    // OpenVZ's host-side OUI was made by OpenVZ tooling (vzctl), whatever its name.
    if (/^vnet\d+$/.test(port)) return conv === 'openvz' ? 'openvz' : 'kvm-libvirt';
    if (/^(tap\d+i\d+|fwpr\d+p\d+|fwln\d+i\d+|fwbr\d+i\d+)$/.test(port)) return 'proxmox';
    if (/^tap/.test(port)) return 'qemu';
    if (/^vif\d+\.\d+/.test(port)) return 'xen';
    if (/^veth\d+\.\d+$/.test(port)) return 'openvz';
    if (/^veth/.test(port)) return conv === 'openvz' ? 'openvz' : 'lxc';
    if (/^(docker|br-[0-9a-f]{12})/.test(port)) return 'docker';
  }
  if (conv === 'openvz') return 'openvz';
  if (conv === 'qemu') return 'qemu';
  if (conv === 'xen') return 'xen';
  return 'unknown';
}

/** Words for a hypervisor in a summary. */
export function hypervisorWords(h: Hypervisor): string {
  switch (h) {
    case 'kvm-libvirt': return 'a KVM/libvirt guest';
    case 'qemu': return 'a QEMU guest';
    case 'lxc': return 'an LXC container';
    case 'openvz': return 'an OpenVZ container';
    case 'xen': return 'a Xen guest';
    case 'proxmox': return 'a Proxmox guest';
    case 'docker': return 'a Docker container';
    case 'unknown': return 'a guest';
  }
}
