/**
 * libvirt (formatdomain, formatnetwork): `<interface type='bridge'>` with `<source bridge='BR'/>`,
 * or `type='network'` whose network's `<bridge name='BR'/>` names the bridge; `<mac address=''/>`
 * is the guest's MAC and the host tap gets the same with the first byte 0xFE (0xFA when the guest's
 * is 0xFE; src/util/virnetdevtap.c), `<target dev=''/>` its name (in the live XML under /run/libvirt).
 * Other interface types (direct/macvtap, ethernet, user) join no bridge and are skipped.
 * Persistent XML is in /etc/libvirt/qemu, the running (and transient) domains' in
 * /run/libvirt/qemu (wrapped in `<domstatus>`).
 */
import { libvirtTapMac, lineAt, normMac } from './parse-util.js';
import type { GuestPort, GuestReadProblem } from './types.js';

function attrs(tag: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of tag.matchAll(/([\w:-]+)\s*=\s*(?:'([^']*)'|"([^"]*)")/g)) out.set(m[1]!, m[2] ?? m[3] ?? '');
  return out;
}

function firstTag(body: string, name: string): Map<string, string> | null {
  const m = new RegExp(`<${name}\\b([^>]*)/?>`).exec(body);
  return m ? attrs(m[1]!) : null;
}

/** Bridge of a libvirt network definition (`<network><name>N</name><bridge name='virbr0'/>`). */
export function parseLibvirtNetwork(xml: string): { name: string; bridge: string } | null {
  const name = /<name>\s*([^<\s]+)\s*<\/name>/.exec(xml)?.[1];
  const bridge = firstTag(xml, 'bridge')?.get('name');
  return name && bridge ? { name, bridge } : null;
}

/** The bridged interfaces of one domain XML. */
export function parseLibvirtDomain(
  xml: string, file: string, networks: ReadonlyMap<string, string>, running: boolean | null,
): { ports: GuestPort[]; problems: GuestReadProblem[] } {
  const ports: GuestPort[] = [];
  const problems: GuestReadProblem[] = [];
  const name = /<domain\b[^>]*>[\s\S]*?<name>\s*([^<]+?)\s*<\/name>/.exec(xml)?.[1];
  if (name === undefined) return { ports, problems: [{ file, line: null, message: 'no <domain> with a <name>: not a libvirt domain XML' }] };
  let index = 0;
  for (const m of xml.matchAll(/<interface\b([^>]*)>([\s\S]*?)<\/interface>/g)) {
    const type = attrs(m[1]!).get('type');
    const body = m[2]!;
    const n = index++;
    if (type !== 'bridge' && type !== 'network') continue;
    const source = firstTag(body, 'source');
    let bridge: string | null = null;
    if (type === 'bridge') bridge = source?.get('bridge') ?? null;
    else bridge = source?.get('bridge') ?? networks.get(source?.get('network') ?? '') ?? null;
    const line = lineAt(xml, m.index!);
    if (bridge === null) problems.push({ file, line, message: `${name}: interface ${n} (${type}${type === 'network' ? ` ${source?.get('network') ?? '?'}` : ''}): bridge not found` });
    const guestMac = normMac(firstTag(body, 'mac')?.get('address'));
    ports.push({
      source: 'libvirt', guest: name, iface: `interface ${n}`, bridge,
      hostPort: firstTag(body, 'target')?.get('dev') ?? null,
      guestMac,
      // No <mac>: libvirt generates 52:54:00:xx:xx:xx, so the tap is fe:54:00:xx:xx:xx.
      hostMac: guestMac ? { kind: 'fixed', mac: libvirtTapMac(guestMac) } : { kind: 'prefix', prefix: 'fe:54:00' },
      file, line, running,
    });
  }
  return { ports, problems };
}
