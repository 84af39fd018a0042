/**
 * OpenVZ container config `/etc/vz/conf/CTID.conf`: `NETIF="ifname=eth0,bridge=vmbr0,
 * mac=..,host_ifname=veth101.0,host_mac=..;ifname=eth1,..."` (vzctl(8) --netif_add). The host veth
 * gets `host_mac`; vzctl generates missing MACs under its SW_OUI 00:18:51 (below nearly every
 * uplink: the classic flip). `bridge=` is read by vznetaddbr; without it the bridge is unknown.
 */
import { commaPairs, lineAt, normMac } from './parse-util.js';
import type { GuestPort, GuestReadProblem } from './types.js';

/** The veths of one CTID.conf. */
export function parseOpenvzConfig(text: string, file: string, ctid: string): { ports: GuestPort[]; problems: GuestReadProblem[] } {
  const ports: GuestPort[] = [];
  const problems: GuestReadProblem[] = [];
  const m = /^\s*NETIF\s*=\s*"([^"]*)"/m.exec(text) ?? /^\s*NETIF\s*=\s*'([^']*)'/m.exec(text);
  if (!m) return { ports, problems };
  const line = lineAt(text, m.index);
  for (const entry of m[1]!.split(';')) {
    if (entry.trim() === '') continue;
    const kv = commaPairs(entry);
    const ifname = kv.get('ifname') ?? '?';
    const hostMacText = kv.get('host_mac');
    const hostMac = normMac(hostMacText);
    if (kv.get('bridge') === undefined) problems.push({ file, line, message: `CT ${ctid} ${ifname}: no bridge= in NETIF, the bridge its veth joins is not known` });
    if (hostMacText !== undefined && hostMac === null) problems.push({ file, line, message: `CT ${ctid} ${ifname}: host_mac "${hostMacText}" is not a MAC` });
    ports.push({
      source: 'openvz', guest: ctid, iface: ifname, bridge: kv.get('bridge') ?? null,
      hostPort: kv.get('host_ifname') ?? `veth${ctid}.${ifname.replace(/^eth/, '')}`,
      guestMac: normMac(kv.get('mac')),
      hostMac: hostMac ? { kind: 'fixed', mac: hostMac } : { kind: 'prefix', prefix: '00:18:51' },
      file, line, running: null,
    });
  }
  return { ports, problems };
}
