/**
 * The rtnetlink link state machine, without a socket: fed RTM_NEWLINK/RTM_DELLINK messages (raw
 * bytes, parsed by the `netlink` package), it keeps a cache of every link and turns differences
 * into {@link LinkEvent}s (REFERENCE.md §3):
 * - AF_BRIDGE RTM_NEWLINK with IFLA_MASTER: a port of that bridge (join when new), and its
 *   IFLA_PROTINFO/IFLA_BRPORT_STATE (STP state change);
 * - AF_BRIDGE RTM_DELLINK: the port left (nomaster, or the link is going away);
 * - AF_UNSPEC RTM_NEWLINK: IFLA_ADDRESS compared with the cache (a bridge MAC change is only
 *   visible this way), IFLA_OPERSTATE changes, new links;
 * - AF_UNSPEC RTM_DELLINK: the link was deleted.
 * Malformed messages are counted and skipped, never thrown.
 */
import type { rt } from 'netlink';
import { readMac, type Mac } from '../net/mac.js';
import type { Timestamp } from '../time.js';
import { asStpState } from './link-line.js';
import type { LinkEvent, OperStateEvent, PortLeaveEvent, StpState } from './types.js';
import { parseLinkMessage } from './netlink.js';

/** RTM_NEWLINK / RTM_DELLINK (linux/rtnetlink.h). */
export const RTM_NEWLINK = 16;
export const RTM_DELLINK = 17;
/** AF_BRIDGE (linux/socket.h). */
export const AF_BRIDGE = 7;
/** IFLA_BRPORT_STATE inside IFLA_PROTINFO (linux/if_link.h). */
const IFLA_BRPORT_STATE = 1;
const BR_STATES: readonly StpState[] = ['disabled', 'listening', 'learning', 'forwarding', 'blocking'];
/** IF_OPER_* (RFC 2863 ifOperStatus as the kernel numbers it). */
const OPER: readonly (OperStateEvent['state'] | null)[] = ['unknown', null, 'down', 'lowerlayerdown', null, 'dormant', 'up'];
/** How soon after a port's AF_BRIDGE delete the link's own delete marks the leave as a deletion, ms. */
const DELETE_PAIRING_MS = 2000;

/** What the tracker knows about one link (also the snapshot row). */
export interface LinkSnapshotEntry {
  ifindex: number;
  ifname: string;
  mac: Mac | null;
  /** Name of the master device (from IFLA_MASTER), null when none. */
  master: string | null;
  /** True when the link is a bridge (IFLA_INFO_KIND `bridge`, or a port names it as master). */
  isBridge: boolean;
  /** Bridge port STP state, null when not a bridge port. */
  stpState: StpState | null;
  operState: OperStateEvent['state'] | null;
}

type ParsedLink = ReturnType<typeof rt.parseLinkMessage>;

interface Entry extends LinkSnapshotEntry {
  /** Bridge ifindex from AF_BRIDGE messages only (joins are decided on these). */
  portOf: number | null;
}

/** Link state machine over rtnetlink link messages. */
export class LinkTracker {
  private readonly links = new Map<number, Entry>();
  private pendingLeave: PortLeaveEvent | null = null;
  private pendingLeaveAt = 0;
  /** Messages that could not be parsed or lacked the mandatory fields. */
  malformed = 0;

  /** Loads the initial state (a GETLINK dump, AF_UNSPEC then AF_BRIDGE); emits nothing. */
  loadSnapshot(links: ParsedLink[], bridgePorts: ParsedLink[]): void {
    for (const l of links) this.update(l);
    for (const p of bridgePorts) {
      const e = this.update(p);
      if (!e) continue;
      const master = p.attrs.master ?? null;
      e.portOf = master;
      e.stpState = stpOf(p);
      const br = master === null ? undefined : this.links.get(master);
      if (br) br.isBridge = true;
    }
  }

  /** The current state, in ifindex order. */
  snapshot(): LinkSnapshotEntry[] {
    return [...this.links.values()].sort((a, b) => a.ifindex - b.ifindex).map(({ portOf: _p, ...rest }) => ({ ...rest }));
  }

  /**
   * Handles one netlink message (type and payload as received). Returns the events it implies, in
   * order; a malformed payload returns [] and counts in {@link malformed}.
   */
  handle(type: number, data: Buffer, time: Timestamp, monotonicMs: number): LinkEvent[] {
    if (type !== RTM_NEWLINK && type !== RTM_DELLINK) return [];
    let msg: ParsedLink;
    try {
      msg = parseLinkMessage(data);
    } catch {
      this.malformed++;
      return [];
    }
    const index = msg.data.index;
    if (typeof index !== 'number' || index <= 0) { this.malformed++; return []; }
    const out: LinkEvent[] = [];
    const known = this.links.get(index);
    const ifname = msg.attrs.ifname ?? known?.ifname ?? `if${index}`;
    const raw = `${type === RTM_DELLINK ? 'RTM_DELLINK' : 'RTM_NEWLINK'} family=${msg.data.family ?? 0} index=${index} ifname=${ifname}` +
      (msg.attrs.master !== undefined ? ` master=${msg.attrs.master}` : '');
    const base = { time, source: 'rtnetlink' as const, ifname, ifindex: index, line: null, raw };
    const mac = macOf(msg);

    if (msg.data.family === AF_BRIDGE) {
      const masterIndex = msg.attrs.master ?? known?.portOf ?? null;
      const bridgeName = masterIndex === null ? null : (this.links.get(masterIndex)?.ifname ?? `if${masterIndex}`);
      const e = known ?? this.create(index, ifname, mac);
      if (type === RTM_DELLINK) {
        const leave: PortLeaveEvent = { ...base, type: 'port-leave', bridge: bridgeName, mac: mac ?? e.mac, deleted: false };
        out.push(leave);
        this.pendingLeave = leave;
        this.pendingLeaveAt = monotonicMs;
        e.portOf = null;
        e.stpState = null;
        return out;
      }
      if (masterIndex !== null && e.portOf !== masterIndex) {
        const br = this.links.get(masterIndex);
        if (br) br.isBridge = true;
        out.push({ ...base, type: 'port-join', bridge: bridgeName ?? `if${masterIndex}`, mac: mac ?? e.mac });
        e.portOf = masterIndex;
        e.master = bridgeName;
      }
      const stp = stpOf(msg);
      if (stp !== null && stp !== e.stpState) {
        out.push({ ...base, type: 'stp-state', bridge: bridgeName, port: ifname, state: stp });
        e.stpState = stp;
      }
      return out;
    }

    if (type === RTM_DELLINK) {
      const leave = this.pendingLeave;
      if (leave && leave.ifindex === index && monotonicMs - this.pendingLeaveAt <= DELETE_PAIRING_MS) leave.deleted = true;
      out.push({ ...base, type: 'link-del', mac: mac ?? known?.mac ?? null, master: known?.master ?? null });
      this.links.delete(index);
      return out;
    }

    if (!known) {
      const e = this.create(index, ifname, mac);
      e.operState = operOf(msg);
      e.isBridge = linkKindOf(msg) === 'bridge';
      e.master = this.nameOf(msg.attrs.master);
      out.push({ ...base, type: 'link-add', mac, master: e.master });
      return out;
    }
    known.ifname = ifname;
    if (linkKindOf(msg) === 'bridge') known.isBridge = true;
    if (mac !== null && known.mac !== null && mac !== known.mac) {
      out.push({ ...base, type: 'mac-change', oldMac: known.mac, newMac: mac, isBridge: known.isBridge });
    }
    if (mac !== null) known.mac = mac;
    const oper = operOf(msg);
    if (oper !== null && oper !== known.operState) {
      if (known.operState !== null) out.push({ ...base, type: 'oper-state', state: oper });
      known.operState = oper;
    }
    known.master = msg.attrs.master !== undefined ? this.nameOf(msg.attrs.master) : null;
    return out;
  }

  private create(index: number, ifname: string, mac: Mac | null): Entry {
    const e: Entry = { ifindex: index, ifname, mac, master: null, isBridge: false, stpState: null, operState: null, portOf: null };
    this.links.set(index, e);
    return e;
  }

  private nameOf(index: number | undefined): string | null {
    if (index === undefined || index === 0) return null;
    return this.links.get(index)?.ifname ?? `if${index}`;
  }

  private update(l: ParsedLink): Entry | null {
    const index = l.data.index;
    if (typeof index !== 'number' || index <= 0) { this.malformed++; return null; }
    const e = this.links.get(index) ?? this.create(index, l.attrs.ifname ?? `if${index}`, macOf(l));
    if (l.attrs.ifname) e.ifname = l.attrs.ifname;
    const mac = macOf(l);
    if (mac !== null) e.mac = mac;
    if (l.data.family !== AF_BRIDGE) {
      e.operState = operOf(l) ?? e.operState;
      e.master = this.nameOf(l.attrs.master);
      if (linkKindOf(l) === 'bridge') e.isBridge = true;
    }
    return e;
  }
}

/** IFLA_INFO_KIND inside IFLA_LINKINFO (`bridge`, `veth`, `tun`, …), or null; bounds-checked. */
export function linkKindOf(l: ParsedLink): string | null {
  const info = l.attrs.linkinfo;
  if (!info) return null;
  let off = 0;
  while (off + 4 <= info.length) {
    const len = info.readUInt16LE(off);
    const type = info.readUInt16LE(off + 2) & 0x3fff; // strip NLA_F_NESTED / NLA_F_NET_BYTEORDER
    if (len < 4 || off + len > info.length) return null;
    if (type === 1) return info.toString('latin1', off + 4, off + len).replace(/\0+$/, '');
    off += (len + 3) & ~3;
  }
  return null;
}

function macOf(l: ParsedLink): Mac | null {
  const a = l.attrs.address;
  return a && a.length === 6 ? readMac(a, 0) : null;
}

function operOf(l: ParsedLink): OperStateEvent['state'] | null {
  const v = l.attrs.operstate;
  return typeof v === 'number' ? (OPER[v] ?? null) : null;
}

function stpOf(l: ParsedLink): StpState | null {
  const v = l.attrs.protinfo?.get(IFLA_BRPORT_STATE);
  return v && v.length >= 1 ? asStpState(BR_STATES[v[0]!]) : null;
}
