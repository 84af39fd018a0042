/** Small helpers shared by the guest config readers. */
import { formatMac, parseMac } from '../net/mac.js';

/** Lower-case colon form of a MAC, or null when it is not one (e.g. `00:16:3e:xx:xx:xx` templates). */
export function normMac(text: string | undefined): string | null {
  if (text === undefined) return null;
  const mac = parseMac(text.trim());
  return mac === null ? null : formatMac(mac);
}

/**
 * libvirt's tap MAC for a guest MAC (src/util/virnetdevtap.c, `virNetDevTapCreateInBridgePort`):
 * the guest MAC with its first octet replaced by 0xFE, or by 0xFA when the guest's already is 0xFE
 * (the tap must differ from the guest, or the kernel logs "received packet on vnetX with own
 * address as source address").
 */
export function libvirtTapMac(guestMac: string): string {
  return `${guestMac.startsWith('fe:') ? 'fa' : 'fe'}${guestMac.slice(2)}`;
}

/** 1-based line of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** `key=value,key=value` (Proxmox netN, OpenVZ NETIF entries) to a map; keys lower-cased. */
export function commaPairs(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    out.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  return out;
}
