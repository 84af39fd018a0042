/**
 * LXC container config (lxc.container.conf(5)): `lxc.net.N.type = veth`, `lxc.net.N.link = BR`,
 * `lxc.net.N.hwaddr` (guest side; `x` digits are randomised), `lxc.net.N.veth.pair` (host name),
 * `lxc.net.N.veth.mode` (`bridge`, default, or `router`: no bridge). LXC 2.x wrote
 * `lxc.network.*`, where each `lxc.network.type` starts the next interface. The host-side veth:
 * LXC sets byte 0 of its random MAC to 0xFE (`setup_private_host_hw_addr`, src/lxc/network.c).
 */
import { normMac } from './parse-util.js';
import type { GuestPort, GuestReadProblem } from './types.js';

interface Net { key: string; line: number; values: Map<string, string> }

/** The bridged veths of one container config. */
export function parseLxcConfig(text: string, file: string, container: string): { ports: GuestPort[]; problems: GuestReadProblem[] } {
  const nets = new Map<string, Net>();
  let legacy = 0;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    if (eq < 0) return;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    let id: string;
    let field: string;
    const modern = /^lxc\.net\.(\d+)\.(.+)$/.exec(key);
    if (modern) {
      id = modern[1]!;
      field = modern[2]!;
    } else if (key.startsWith('lxc.network.')) {
      field = key.slice('lxc.network.'.length);
      if (field === 'type') legacy++;
      id = `legacy${Math.max(legacy - 1, 0)}`;
    } else {
      return;
    }
    const net = nets.get(id) ?? { key: id.startsWith('legacy') ? String(Number(id.slice(6))) : id, line: i + 1, values: new Map<string, string>() };
    net.values.set(field, value);
    nets.set(id, net);
  });
  const ports: GuestPort[] = [];
  for (const net of nets.values()) {
    const v = net.values;
    if (v.get('type') !== 'veth' || (v.get('veth.mode') ?? 'bridge') !== 'bridge') continue;
    ports.push({
      source: 'lxc', guest: container, iface: v.get('name') ?? `net.${net.key}`, bridge: v.get('link') ?? null,
      hostPort: v.get('veth.pair') ?? null, guestMac: normMac(v.get('hwaddr')),
      hostMac: { kind: 'prefix', prefix: 'fe' }, file, line: net.line, running: null,
    });
  }
  return { ports, problems: [] };
}
