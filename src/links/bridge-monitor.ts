/**
 * `bridge -timestamp monitor [link]` and plain `bridge monitor` (iproute2 `bridge/monitor.c`).
 * Port lines print the STP state (`master br0 state forwarding priority 32 cost 2`) but no MAC
 * (REFERENCE.md §3); `bridge monitor` (all) also prints fdb lines, and a port's `permanent` fdb
 * entry (`00:18:51:00:00:01 dev vnet0 master br0 permanent`) carries the port's own MAC, which we
 * use to fill in the join event. mdb/vlan lines are skipped.
 */
import { parseMac, type Mac } from '../net/mac.js';
import type { LinkLogOptions } from './clock.js';
import { Collector, type ParsedText } from './collect.js';
import { asStpState } from './link-line.js';
import { readMonitorRecords } from './ip-monitor.js';
import type { PortJoinEvent, PortLeaveEvent, StpState } from './types.js';

const FDB = /^(?:Deleted )?((?:[0-9a-f]{2}:){5}[0-9a-f]{2}) dev (\S+)(?: vlan \d+)?(?: master (\S+))?(.*)$/;

interface PortState {
  master: string | null;
  stp: StpState | null;
  mac: Mac | null;
}

/** Parses `bridge monitor` output, with or without `-timestamp`. */
export function parseBridgeMonitor(text: string, file: string, options: LinkLogOptions = {}): ParsedText {
  const out = new Collector(file);
  // fdb lines are interleaved with link records; remember permanent (local) entries by line.
  const localMacs: { port: string; mac: Mac }[] = [];
  const records = readMonitorRecords(text, out, options, (line) => {
    const fdb = FDB.exec(line);
    if (!fdb) return false;
    const mac = parseMac(fdb[1]!);
    if (mac !== null && !line.startsWith('Deleted') && / permanent\b/.test(fdb[4] ?? '') && fdb[2] !== fdb[3]) {
      localMacs.push({ port: fdb[2]!, mac });
    }
    return true;
  });
  const ports = new Map<string, PortState>();
  let lastLeave: PortLeaveEvent | null = null;

  for (const r of records) {
    const h = r.header;
    const base = { time: r.time, source: 'bridge-monitor' as const, ifname: h.ifname, ifindex: h.ifindex, line: r.line, raw: r.raw };
    const known = ports.get(h.ifname);
    const p = known ?? { master: null, stp: null, mac: null };
    ports.set(h.ifname, p);
    if (h.deleted) {
      if (h.master) {
        lastLeave = { ...base, type: 'port-leave', bridge: h.master, mac: p.mac, deleted: false };
        out.push(lastLeave);
        p.master = null;
        p.stp = null;
      } else if (lastLeave && lastLeave.ifname === h.ifname) {
        lastLeave.deleted = true;
        out.push({ ...base, type: 'link-del', mac: p.mac, master: null });
        ports.delete(h.ifname);
      } else {
        out.push({ ...base, type: 'link-del', mac: p.mac, master: null });
        ports.delete(h.ifname);
      }
      continue;
    }
    if (h.master && p.master !== h.master) {
      const join: PortJoinEvent = { ...base, type: 'port-join', bridge: h.master, mac: p.mac };
      // Seen first already in a bridge: maybe a refresh line of a port that joined earlier.
      if (!known) join.firstSeen = true;
      out.push(join);
      p.master = h.master;
    }
    const stp = asStpState(h.state);
    if (h.master && stp && stp !== p.stp) {
      out.push({ ...base, type: 'stp-state', bridge: h.master, port: h.ifname, state: stp });
      p.stp = stp;
    }
  }
  fillJoinMacs(out, localMacs);
  return out;
}

/** Fills join events that preceded their port's permanent fdb line. */
function fillJoinMacs(out: Collector, localMacs: { port: string; mac: Mac }[]): void {
  const byPort = new Map<string, Mac>();
  for (const { port, mac } of localMacs) byPort.set(port, mac);
  for (const ev of out.events) {
    if ((ev.type === 'port-join' || ev.type === 'port-leave' || ev.type === 'link-del') && ev.mac === null) {
      ev.mac = byPort.get(ev.ifname) ?? null;
    }
  }
}
