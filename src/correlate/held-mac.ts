/**
 * Evidence against a bridge flip that only the capture suggests. The capture-only rule calls an
 * address moving silently to a lower, virtual MAC (or falling back from one) a bridge adopting a
 * port's MAC. A bridge that changes its MAC makes the kernel send a link message with the new MAC
 * (NETDEV_CHANGEADDR -> RTM_NEWLINK, REFERENCE.md §3), which `ip monitor` prints and rtnetlink
 * reports. So when a record of the host ran across the move and shows no bridge with the lower MAC,
 * no bridge took it: the lower MAC is another station answering for the host's address.
 *
 * A bridge shown with the lower MAC near a move keeps the flip. Otherwise the flip is ruled out by
 * a bridge shown holding the higher MAC (the host's) from before a move to after it; or, when no
 * record shows that, by a record of this host (a link with the higher MAC) that covers a move and
 * shows no link at all with the lower MAC (an Open vSwitch internal port or a bond may flip too)
 * nor a link first printed with the higher MAC near a move (its MAC before is unknown: the line
 * may be the change back).
 */
import { addNs } from '../links/clock.js';
import type { BridgeMacHeld, BridgeMacRecord, RecordedLinkMac } from '../links/types.js';
import { formatMac, type Mac } from '../net/mac.js';
import { compareTs, type Timestamp } from '../time.js';
import type { Cause } from './types.js';
import { macPair, type IncidentFacts } from './facts.js';
import { macWords } from './infer.js';
import { clockWords, outageWords } from './words.js';

/**
 * When a bridge would have changed its MAC if a move were a bridge flip (`at`: the new MAC's first
 * claim), widened on both sides by the clock skew allowed between capture and host.
 */
interface FlipWindow {
  from: Timestamp;
  to: Timestamp;
  at: Timestamp;
}

/** A record of the host that ran across a flip window without showing a link with the lower MAC. */
interface Ruling {
  record: BridgeMacRecord;
  window: FlipWindow;
  /** A bridge shown holding the higher MAC right across the window, when the record has one. */
  kept: BridgeMacHeld | null;
  /** Otherwise the link with the higher MAC that ties the record to the host. */
  host: RecordedLinkMac | null;
}

/**
 * Flip windows: each change between the pair (between the old MAC's last frame and the new one's
 * first claim), and the start of a gap in which requests went to the lower MAC until the higher
 * one answered; `alignMs` added on each side.
 */
function flipWindows(facts: IncidentFacts, high: Mac, low: Mac, alignMs: number): FlipWindow[] {
  const moments = facts.changes
    .filter((c) => (c.fromMac === high && c.toMac === low) || (c.fromMac === low && c.toMac === high))
    .map((c) => ({ from: c.since, to: c.time }));
  const gap = facts.gap;
  if (gap && gap.staleMac === low && gap.answeredBy === high) moments.push({ from: gap.start, to: gap.start });
  return moments.map((m) => ({ from: addNs(m.from, -alignMs * 1e6), to: addNs(m.to, alignMs * 1e6), at: m.to }));
}

const within = (t: Timestamp, w: FlipWindow): boolean => compareTs(w.from, t) <= 0 && compareTs(t, w.to) <= 0;
const overlaps = (h: BridgeMacHeld, w: FlipWindow): boolean => compareTs(h.since, w.to) <= 0 && compareTs(h.until, w.from) >= 0;
const covers = (h: Pick<BridgeMacHeld, 'since' | 'until'>, w: FlipWindow): boolean =>
  compareTs(h.since, w.from) <= 0 && compareTs(h.until, w.to) >= 0;

/** A link with the lower MAC, or one first printed with the higher MAC in a window (maybe the change back). */
function showsPossibleFlip(record: BridgeMacRecord, high: Mac, low: Mac, windows: readonly FlipWindow[]): boolean {
  return record.links.some((l) => l.mac === low ||
    (l.mac === high && l.firstPrinted !== null && windows.some((w) => within(l.firstPrinted!, w))));
}

/** The evidence that rules the flip out, or null (see the file comment). */
function ruleOutFlip(facts: IncidentFacts, high: Mac, low: Mac, records: readonly BridgeMacRecord[], alignMs: number): Ruling | null {
  const windows = flipWindows(facts, high, low, alignMs);
  if (records.some((r) => r.spans.some((h) => h.mac === low && windows.some((w) => overlaps(h, w))))) return null;
  for (const record of records) {
    for (const window of windows) {
      const kept = record.spans.find((h) => h.mac === high && covers(h, window));
      if (kept) return { record, window, kept, host: null };
    }
  }
  if (records.some((r) => showsPossibleFlip(r, high, low, windows))) return null;
  for (const record of records) {
    const host = record.links.find((l) => l.mac === high);
    if (host === undefined) continue; // another host's record
    const window = windows.find((w) => covers({ since: record.first, until: record.last }, w));
    if (window) return { record, window, kept: null, host };
  }
  return null;
}

/**
 * `cause` itself, unless it is a capture-only `bridge-lowest-mac` that a record of the host's
 * bridge MACs rules out: then a duplicate address, naming the record and what it shows.
 */
export function unlessBridgeRecordRulesOut(
  cause: Cause, facts: IncidentFacts, records: readonly BridgeMacRecord[], alignMs: number,
): Cause {
  if (cause.code !== 'bridge-lowest-mac' || cause.linkEvents.length > 0 || records.length === 0) return cause;
  const pair = macPair(facts);
  if (!pair) return cause;
  const ruling = ruleOutFlip(facts, pair.high, pair.low, records, alignMs);
  if (!ruling) return cause;
  const { record, window, kept, host } = ruling;
  const high = formatMac(pair.high);
  const low = formatMac(pair.low);
  const back = facts.changes.some((c) => c.toMac === pair.high);
  const moved = back ? `went back and forth between ${macWords(pair.high)} and ${macWords(pair.low)}` : `moved from ${macWords(pair.high)} to ${macWords(pair.low)}`;
  const bridgeWords = kept ? `${kept.bridge} kept ${high} all the while` : `${record.source} covers the move and shows no bridge taking ${low}`;
  const evidence = kept
    ? `${kept.line === null ? record.source : `${record.source} line ${kept.line}`} shows ${kept.bridge} with ${high} at ${clockWords(kept.since)}, ` +
      `and no other MAC for it up to ${clockWords(kept.until)}`
    : `${record.source} shows ${host!.ifname} with ${high} (the host's MAC), runs from ${clockWords(record.first)} ` +
      `to ${clockWords(record.last)} and shows no link with ${low}`;
  const outage = facts.gap ? `; ${outageWords(facts.gap.durationMs, facts.gap.ongoing)}` : '';
  const bridge = kept?.bridge;
  return {
    code: 'duplicate-address',
    confidence: 0.7,
    summary: `${facts.ip} ${moved} without announcing it, but ${bridgeWords}: no bridge adopted a port's MAC. ` +
      `Another station, ${low}, answers for ${facts.ip} at times: two stations use one address${outage}.`,
    linkEvents: [],
    inferences: [
      `${evidence}; the kernel announces every MAC change of a bridge, and a bridge would have changed at ${clockWords(window.at)}`,
      'the two MACs never answered together, so the capture shows moves, not a clash',
    ],
    toConfirm: [
      `find the station with ${low} (\`bridge fdb show | grep -i ${low}\`, the switch MAC table) and check its address configuration`,
      `\`arping -D -I ${bridge ?? 'BRIDGE'} ${facts.ip}\` on the host gets an answer only while another station holds the address`,
    ],
    ...(bridge !== undefined ? { bridge } : {}),
  };
}
