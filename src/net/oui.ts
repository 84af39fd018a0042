/**
 * MAC vendor lookup from the IEEE OUI registry (npm `oui-data`, a JSON map "001851" -> "SWsoft\n…").
 * The 5.6 MB JSON is loaded lazily on first use, once per process. Conventions that are not IEEE
 * assignments (QEMU's 52:54:00, the `fe:` host-side prefix of libvirt/LXC/Xen, kernel random
 * MACs) are told apart by {@link macConvention}.
 */
import { createRequire } from 'node:module';
import { firstOctet, formatMac, isLocallyAdministered, isMulticast, oui, type Mac } from './mac.js';

let registry: Record<string, string> | null = null;

function loadRegistry(): Record<string, string> {
  if (registry === null) {
    const require = createRequire(import.meta.url);
    registry = require('oui-data') as Record<string, string>;
  }
  return registry;
}

/** Well-known prefixes that are not (or not only) IEEE assignments, checked before the registry. */
const KNOWN_PREFIXES: ReadonlyMap<number, string> = new Map([
  [0x525400, 'QEMU/KVM'],
]);

/**
 * Vendor (organisation name, first line of the registry entry) of a MAC's OUI, e.g.
 * `SWsoft` for 00:18:51, `Xensource, Inc.` for 00:16:3e; null for locally administered or
 * unregistered prefixes (except QEMU's 52:54:00, named anyway).
 */
export function vendorOf(mac: Mac): string | null {
  const prefix = oui(mac);
  const known = KNOWN_PREFIXES.get(prefix);
  if (known) return known;
  if (isLocallyAdministered(mac) || isMulticast(mac)) return null;
  const key = prefix.toString(16).toUpperCase().padStart(6, '0');
  const entry = loadRegistry()[key];
  return entry ? entry.split('\n')[0]!.trim() : null;
}

/** What a MAC's prefix says about who made it, for cause inference. */
export type MacConvention =
  | 'openvz' // 00:18:51 SWsoft: vzctl's default host veth MAC
  | 'qemu' // 52:54:00: QEMU/libvirt guest NICs
  | 'xen' // 00:16:3e Xensource: Xen guest NICs
  | 'host-side-fe' // fe:…: libvirt taps, LXC host veths, Xen vifs (kept high on purpose)
  | 'random' // other locally administered: kernel eth_random_addr (random veth/tap/bridge)
  | 'vendor'; // a registered NIC vendor

/** Classifies a MAC by the conventions hypervisors use (REFERENCE.md §2, §5). */
export function macConvention(mac: Mac): MacConvention {
  const prefix = oui(mac);
  if (prefix === 0x001851) return 'openvz';
  if (prefix === 0x525400) return 'qemu';
  if (prefix === 0x00163e) return 'xen';
  if (firstOctet(mac) === 0xfe) return 'host-side-fe';
  if (isLocallyAdministered(mac)) return 'random';
  return 'vendor';
}

/** Names of the hypervisor conventions, as {@link macVendorName} prints them. */
const CONVENTION_NAMES: Partial<Record<MacConvention, string>> = {
  openvz: 'SWsoft/OpenVZ',
  qemu: 'QEMU/KVM',
  xen: 'Xensource/Xen',
  'host-side-fe': 'fe: host side',
  random: 'locally administered',
};

/**
 * The one vendor name bridgewatch prints after a MAC, in every output (table, reports, causes,
 * remediation): a hypervisor convention by its product (`SWsoft/OpenVZ`, `QEMU/KVM`,
 * `Xensource/Xen`), other locally administered MACs as such, else the registry's organisation
 * from `lookup` (default {@link vendorOf}); null when nothing is known.
 */
export function macVendorName(mac: Mac, lookup: (mac: Mac) => string | null = vendorOf): string | null {
  return CONVENTION_NAMES[macConvention(mac)] ?? lookup(mac);
}

/** `00:18:51:00:00:01 (SWsoft/OpenVZ)`, or the bare MAC when {@link macVendorName} knows nothing. */
export function macWithVendor(mac: Mac, lookup?: (mac: Mac) => string | null): string {
  const name = macVendorName(mac, lookup);
  return name ? `${formatMac(mac)} (${name})` : formatMac(mac);
}
