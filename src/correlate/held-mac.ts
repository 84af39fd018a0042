/**
 * Evidence against a bridge flip that only the capture suggests. The capture-only rule calls an
 * address moving silently to a lower, virtual MAC (or falling back from one) a bridge adopting a
 * port's MAC. A bridge that changes its MAC makes the kernel send a link message with the new MAC
 * (NETDEV_CHANGEADDR -> RTM_NEWLINK, REFERENCE.md §3), which `ip monitor` prints and rtnetlink
 * reports. So when such a record of the host ran across the move and shows no bridge with the
 * lower MAC, no bridge took it: the lower MAC is another station answering for the host's address.
 */
import type { BridgeMacHeld, BridgeMacRecord } from '../links/types.js';
import { formatMac, type Mac } from '../net/mac.js';
import { compareTs, diffMs, type Timestamp } from '../time.js';
import type { Cause } from './types.js';
import { macPair, type IncidentFacts } from './facts.js';
import { macWords } from './infer.js';
import { clockWords, outageWords } from './words.js';

/** When the bridge would have changed its MAC if the move were a bridge flip: between `from` and `to`. */
interface FlipMoment {
  from: Timestamp;
  to: Timestamp;
}

/** A record that ran across a flip moment without showing a bridge with the lower MAC. */
interface Ruling {
  record: BridgeMacRecord;
  moment: FlipMoment;
  /** A bridge shown holding the higher MAC right across the moment, when the record has one. */
  kept: BridgeMacHeld | null;
}

/**
 * Flip moments: each change between the pair (between the old MAC's last frame and the new one's
 * first claim), and the start of a gap in which requests went to the lower MAC until the higher
 * one answered.
 */
function flipMoments(facts: IncidentFacts, high: Mac, low: Mac): FlipMoment[] {
  const moments: FlipMoment[] = facts.changes
    .filter((c) => (c.fromMac === high && c.toMac === low) || (c.fromMac === low && c.toMac === high))
    .map((c) => ({ from: c.since, to: c.time }));
  const gap = facts.gap;
  if (gap && gap.staleMac === low && gap.answeredBy === high) moments.push({ from: gap.start, to: gap.start });
  return moments;
}

/** True when `held` covers `from`..`to` entirely (`whole`) or overlaps it at all. */
function spans(held: BridgeMacHeld, from: Timestamp, to: Timestamp, whole: boolean): boolean {
  return whole
    ? compareTs(held.since, from) <= 0 && compareTs(held.until, to) >= 0
    : compareTs(held.since, to) <= 0 && compareTs(held.until, from) >= 0;
}

/**
 * The first record that ran from at least `alignMs` before a flip moment to at least `alignMs`
 * after it (clock skew between the capture and the host) and shows no bridge with `low` in that
 * window; null when there is none.
 */
function ruleOutFlip(facts: IncidentFacts, high: Mac, low: Mac, records: readonly BridgeMacRecord[], alignMs: number): Ruling | null {
  const moments = flipMoments(facts, high, low);
  for (const record of records) {
    for (const moment of moments) {
      if (diffMs(record.first, moment.from) < alignMs || diffMs(moment.to, record.last) < alignMs) continue;
      const from: Timestamp = { sec: moment.from.sec - Math.ceil(alignMs / 1000), nsec: moment.from.nsec };
      const to: Timestamp = { sec: moment.to.sec + Math.ceil(alignMs / 1000), nsec: moment.to.nsec };
      if (record.spans.some((h) => h.mac === low && spans(h, from, to, false))) continue;
      return { record, moment, kept: record.spans.find((h) => h.mac === high && spans(h, from, to, true)) ?? null };
    }
  }
  return null;
}

/** Where the record comes from, in words: `host.log line 3` / `host.log` / `rtnetlink`. */
function sourceWords(record: BridgeMacRecord, line: number | null): string {
  return line === null ? record.source : `${record.source} line ${line}`;
}

/**
 * `cause` itself, unless it is a capture-only `bridge-lowest-mac` that a record of the host's
 * bridge MACs rules out: then a duplicate address, naming the record and what it shows.
 */
export function unlessBridgeKeptMac(cause: Cause, facts: IncidentFacts, records: readonly BridgeMacRecord[], alignMs: number): Cause {
  if (cause.code !== 'bridge-lowest-mac' || cause.linkEvents.length > 0 || records.length === 0) return cause;
  const pair = macPair(facts);
  if (!pair) return cause;
  const ruling = ruleOutFlip(facts, pair.high, pair.low, records, alignMs);
  if (!ruling) return cause;
  const { record, moment, kept } = ruling;
  const back = facts.changes.some((c) => c.toMac === pair.high);
  const moved = back
    ? `went back and forth between ${macWords(pair.high)} and ${macWords(pair.low)}`
    : `moved from ${macWords(pair.high)} to ${macWords(pair.low)}`;
  const bridgeWords = kept
    ? `${kept.bridge} kept ${formatMac(pair.high)} all the while`
    : `${record.source} covers the move and shows no bridge taking ${formatMac(pair.low)}`;
  const evidence = kept
    ? `${sourceWords(record, kept.line)} shows ${kept.bridge} with ${formatMac(kept.mac)} at ${clockWords(kept.since)}, and no other MAC ` +
      `for it up to ${clockWords(kept.until)}`
    : `${record.source} runs from ${clockWords(record.first)} to ${clockWords(record.last)} and shows no bridge with ${formatMac(pair.low)}`;
  const outage = facts.gap ? `; ${outageWords(facts.gap.durationMs, facts.gap.ongoing)}` : '';
  return {
    code: 'duplicate-address',
    confidence: 0.7,
    summary: `${facts.ip} ${moved} without announcing it, but ${bridgeWords}: no bridge adopted a port's MAC. Another station, ` +
      `${formatMac(pair.low)}, answers for ${facts.ip} at times: two stations use one address${outage}.`,
    linkEvents: [],
    inferences: [
      `${evidence}; the kernel announces every MAC change of a bridge, and a bridge would have changed at ${clockWords(moment.to)}`,
      'the two MACs never answered together, so the capture shows moves, not a clash',
    ],
    toConfirm: [
      `find the station with ${formatMac(pair.low)} (\`bridge fdb show | grep -i ${formatMac(pair.low)}\`, the switch MAC table) and check its address configuration`,
      `\`arping -D -I ${kept?.bridge ?? 'BRIDGE'} ${facts.ip}\` on the host gets an answer only while another station holds the address`,
    ],
    ...(kept ? { bridge: kept.bridge } : {}),
  };
}
