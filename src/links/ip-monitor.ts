/**
 * `ip monitor` in its three timestamp forms: `ip -ts monitor [link]` (`[ISO] ` prefix, local time),
 * `ip -t monitor` (a `Timestamp: <ctime> N usec` line before each record) and plain `ip monitor`
 * (no time at all: events get `time: null`). Records are multi-line: the header, then a
 * `link/ether MAC` continuation. Other objects (addresses, routes, neighbours) are skipped.
 *
 * The kernel sends two kinds of link messages (REFERENCE.md §3): AF_UNSPEC ones for the whole link
 * (printed with `qdisc`/`group`) and AF_BRIDGE ones for bridge ports (no qdisc, `master` always).
 * Bridge MAC changes are never announced as such: they are derived by comparing a bridge's new
 * `link/ether` with the previous one. `ip -o` (one line per record, continuation after ` \`) and
 * `ip -d` are read too; `ip -d` prints a port's `bridge_slave state` only on whole-link messages,
 * so its STP states are samples (a state is stamped when next printed, not when entered): prefer
 * `bridge -timestamp monitor link` or the kernel log for STP timing.
 */
import { parseMac, type Mac } from '../net/mac.js';
import type { Timestamp } from '../time.js';
import { parseCtime, parseIsoLike, type LinkLogOptions } from './clock.js';
import { BridgeMacSpans } from './bridge-macs.js';
import { Collector, splitLines, type ParsedText } from './collect.js';
import {
  ISO_PREFIX, LABEL_PREFIX, LINK_ADDRESS, OTHER_OBJECT, TIMESTAMP_LINE, asStpState, parseLinkHeader, type LinkHeader,
} from './link-line.js';
import type { LinkEvent, OperStateEvent, PortJoinEvent, PortLeaveEvent, StpState } from './types.js';

/** One link record: header plus continuation. */
export interface LinkRecord {
  header: LinkHeader;
  mac: Mac | null;
  /** `ip -d`: `bridge_slave state forwarding …` on a continuation line. */
  stp: StpState | null;
  time: Timestamp | null;
  line: number;
  raw: string;
}

/** How close (ms) a whole-link `Deleted` must follow a port `Deleted` to mark the leave as a deletion. */
const DELETE_PAIRING_MS = 2000;

const OPER_STATES: ReadonlySet<string> = new Set(['up', 'down', 'lowerlayerdown', 'unknown', 'dormant']);

/**
 * Reads the lines of a timestamped or plain `ip`/`bridge` monitor log into link records, calling
 * `other` for non-link lines it must classify itself (returns false when the line is unparsed).
 */
export function readMonitorRecords(
  text: string,
  out: Collector,
  options: LinkLogOptions,
  other: (line: string) => boolean,
): LinkRecord[] {
  const records: LinkRecord[] = [];
  let pendingTime: Timestamp | null = null;
  let current: LinkRecord | 'other' | null = null;
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    let line = lines[i]!;
    if (line.trim() === '') continue;
    const ts = TIMESTAMP_LINE.exec(line);
    if (ts) {
      const usec = Number(ts[2]);
      pendingTime = usec < 1e6 ? parseCtime(ts[1]!, usec * 1000, options) : null;
      if (!pendingTime) out.bad(lineNo, line, 'unreadable Timestamp line');
      current = null;
      continue;
    }
    if (/^\s/.test(line)) {
      if (current === null) out.bad(lineNo, line, 'continuation line without a record');
      else if (current !== 'other') {
        readContinuation(current, line);
        current.raw += `\n${line}`;
      }
      continue;
    }
    let time = pendingTime;
    const iso = ISO_PREFIX.exec(line);
    if (iso) {
      time = parseIsoLike(iso[1]!, options);
      if (!time) { out.bad(lineNo, line, 'unreadable [timestamp] prefix'); current = null; continue; }
      line = iso[2]!;
    }
    out.noteTime(time);
    const label = LABEL_PREFIX.exec(line);
    if (label) {
      if (label[1] !== 'LINK') { current = 'other'; continue; }
      line = label[2]!;
    }
    // `ip -o monitor` puts the continuation on the same line after a backslash.
    const [head, ...folded] = line.split(/ \\(?=\s)/);
    const header = parseLinkHeader(head!);
    if (header) {
      current = { header, mac: null, stp: null, time, line: lineNo, raw: lines[i]! };
      for (const part of folded) readContinuation(current, part);
      records.push(current);
    } else if (other(line) || OTHER_OBJECT.test(line)) {
      current = 'other';
    } else {
      out.bad(lineNo, lines[i]!, 'not a link record');
      current = null;
    }
  }
  return records;
}

const BRIDGE_SLAVE_STATE = /\bbridge_slave state (\w+)/;

function readContinuation(record: LinkRecord, line: string): void {
  const mac = LINK_ADDRESS.exec(line);
  if (mac && record.mac === null) record.mac = parseMac(mac[1]!);
  const stp = BRIDGE_SLAVE_STATE.exec(line);
  if (stp) record.stp = asStpState(stp[1]);
}

/** Names mentioned as `master X` anywhere: those are bridges (or bonds/VRFs acting as masters). */
export function masterNames(records: LinkRecord[]): Set<string> {
  const names = new Set<string>();
  for (const r of records) if (r.header.master) names.add(r.header.master);
  return names;
}

interface LinkState {
  master: string | null | undefined;
  mac: Mac | undefined;
  oper: string | undefined;
  stp: StpState | null;
  /** An AF_BRIDGE delete was seen: whole-link lines still naming the master are stale until a port message. */
  leaving: boolean;
}

/** Parses `ip monitor` output (any of the three forms). */
export function parseIpMonitor(text: string, file: string, options: LinkLogOptions = {}): ParsedText {
  const out = new Collector(file);
  const records = readMonitorRecords(text, out, options, () => false);
  const bridges = masterNames(records);
  const state = new Map<string, LinkState>();
  /** MACs of ports seen joining each bridge, to recognise a bridge adopting one on first sighting. */
  const joinedMacs = new Map<string, Set<Mac>>();
  const bridgeMacs = new BridgeMacSpans(file);
  let lastLeave: PortLeaveEvent | null = null;

  for (const r of records) {
    const h = r.header;
    const base = { time: r.time, source: 'ip-monitor' as const, ifname: h.ifname, ifindex: h.ifindex, line: r.line, raw: r.raw };
    let s = state.get(h.ifname);
    const firstSighting = s === undefined;
    if (!s) { s = { master: undefined, mac: undefined, oper: undefined, stp: null, leaving: false }; state.set(h.ifname, s); }
    const emit = (ev: LinkEvent): void => out.push(ev);

    if (h.deleted) {
      if (!h.wholeLink) {
        // AF_BRIDGE delete: the port left its bridge (nomaster or the link is going away).
        lastLeave = { ...base, type: 'port-leave', bridge: h.master ?? (s.master ?? null), mac: r.mac ?? s.mac ?? null, deleted: false };
        emit(lastLeave);
        s.master = null;
        s.leaving = true;
      } else {
        if (lastLeave && lastLeave.ifname === h.ifname && closeInTime(lastLeave.time, r.time)) lastLeave.deleted = true;
        else if (s.master) emit({ ...base, type: 'port-leave', bridge: s.master, mac: r.mac ?? s.mac ?? null, deleted: true });
        emit({ ...base, type: 'link-del', mac: r.mac ?? s.mac ?? null, master: h.master });
        state.delete(h.ifname);
        if (bridges.has(h.ifname)) bridgeMacs.deleted(h.ifname, r.time);
      }
      continue;
    }

    if (firstSighting && h.wholeLink && !h.master && /qdisc noop/.test(r.raw) && !/ event [A-Z]/.test(r.raw)) {
      // A link whose qdisc is still noop was just created (ip link add).
      emit({ ...base, type: 'link-add', mac: r.mac, master: null });
    }
    if (!h.wholeLink) s.leaving = false;
    if (h.master && s.master !== h.master && !s.leaving) {
      const join: PortJoinEvent = { ...base, type: 'port-join', bridge: h.master, mac: r.mac ?? s.mac ?? null };
      // Seen first already in its bridge: a join, or a refresh line of a port that joined before
      // the log began (a real join follows the port's own line without master).
      if (firstSighting) join.firstSeen = true;
      emit(join);
      if (join.mac !== null) {
        const set = joinedMacs.get(h.master) ?? new Set<Mac>();
        set.add(join.mac);
        joinedMacs.set(h.master, set);
      }
    } else if (!h.master && h.wholeLink && s.master) {
      emit({ ...base, type: 'port-leave', bridge: s.master, mac: r.mac ?? s.mac ?? null, deleted: false });
    }
    if ((h.master || h.wholeLink) && !s.leaving) s.master = h.master;

    if (r.mac !== null) {
      const isBridge = bridges.has(h.ifname);
      if (s.mac !== undefined && s.mac !== r.mac) {
        emit({ ...base, type: 'mac-change', oldMac: s.mac, newMac: r.mac, isBridge });
      } else if (s.mac === undefined && isBridge && joinedMacs.get(h.ifname)?.has(r.mac)) {
        // First sighting of a bridge already carrying a port's MAC: it just adopted it.
        emit({ ...base, type: 'mac-change', oldMac: null, newMac: r.mac, isBridge });
      }
      bridgeMacs.link(h.ifname, r.mac, r.time, s.mac === undefined);
      s.mac = r.mac;
      if (isBridge && h.wholeLink) bridgeMacs.seen(h.ifname, r.mac, r.time, r.line);
    }

    if (r.stp !== null && r.stp !== s.stp) {
      emit({ ...base, type: 'stp-state', bridge: h.master ?? s.master ?? null, port: h.ifname, state: r.stp });
      s.stp = r.stp;
    }

    if (h.wholeLink && h.state) {
      const oper = h.state.toLowerCase();
      if (OPER_STATES.has(oper)) {
        if (s.oper !== undefined && s.oper !== oper) {
          emit({ ...base, type: 'oper-state', state: oper as OperStateEvent['state'] });
        }
        s.oper = oper;
      }
    }
  }
  const record = bridgeMacs.record(out.first, out.last);
  if (record) out.bridgeMacs = record;
  return out;
}

function closeInTime(a: Timestamp | null, b: Timestamp | null): boolean {
  if (a === null || b === null) return true; // plain `ip monitor`: adjacency is all we have
  return Math.abs((b.sec - a.sec) * 1000 + (b.nsec - a.nsec) / 1e6) <= DELETE_PAIRING_MS;
}
