/** Human-readable forms of link events, for the `links` command and cause summaries. */
import { formatMac } from '../net/mac.js';
import { toIso } from '../time.js';
import type { LinkEvent } from './types.js';

/** One phrase saying what happened, e.g. `vnet0 joined br0 (00:18:51:00:00:01)`. */
export function describeLinkEvent(ev: LinkEvent): string {
  const mac = (m: number | null): string => (m === null ? '' : ` (${formatMac(m)})`);
  switch (ev.type) {
    case 'port-join': return `${ev.ifname} joined ${ev.bridge}${mac(ev.mac)}`;
    case 'port-leave':
      return `${ev.ifname} left ${ev.bridge ?? 'its bridge'}${mac(ev.mac)}${ev.deleted ? ' (deleted)' : ''}`;
    case 'mac-change':
      return `${ev.isBridge ? 'bridge ' : ''}${ev.ifname} MAC ${ev.oldMac === null ? '?' : formatMac(ev.oldMac)} -> ${formatMac(ev.newMac)}`;
    case 'oper-state': return `${ev.ifname} is ${ev.state}`;
    case 'stp-state': return `${ev.bridge ?? '?'} port ${ev.port} ${ev.state}`;
    case 'own-address':
      return `${ev.bridge} received its own address${ev.port ? ` on ${ev.port}` : ''}${mac(ev.mac)}${ev.vlan !== null ? ` vlan ${ev.vlan}` : ''}`;
    case 'topology-change': return `${ev.bridge} topology change`;
    case 'link-add': return `${ev.ifname} created${mac(ev.mac)}`;
    case 'link-del': return `${ev.ifname} deleted${mac(ev.mac)}`;
    case 'promisc': return `${ev.ifname} ${ev.entered ? 'entered' : 'left'} ${ev.mode} mode`;
  }
}

/** `2026-11-21T09:33:24.435314000Z  port-join  vnet0 joined br0 (…)` style row fields. */
export function formatLinkEvent(ev: LinkEvent): { time: string; type: string; source: string; what: string; line: string } {
  return {
    time: ev.time ? toIso(ev.time) : '-',
    type: ev.type,
    source: ev.source,
    what: describeLinkEvent(ev),
    line: ev.line === null ? '' : String(ev.line),
  };
}
