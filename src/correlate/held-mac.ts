/**
 * Evidence against a bridge flip that only the capture suggests. The capture-only rule calls an
 * address moving silently to a lower, virtual MAC (or falling back from one) a bridge adopting a
 * port's MAC. When a timed `ip monitor` log from the host shows its bridge holding the higher MAC
 * right across that move, the bridge did not flip: the kernel prints every MAC change of a bridge
 * (REFERENCE.md §3). The lower MAC is then another station answering for the host's address.
 */
import type { BridgeMacHeld } from '../links/types.js';
import { formatMac, type Mac } from '../net/mac.js';
import { diffMs, type Timestamp } from '../time.js';
import type { Cause } from './types.js';
import { macPair, type IncidentFacts } from './facts.js';
import { macWords } from './infer.js';
import { clockWords, outageWords } from './words.js';

/** A moment the bridge would have changed its MAC if the move were a bridge flip: between `from` and `to`. */
interface FlipMoment {
  from: Timestamp;
  to: Timestamp;
}

/** A held span that covers a flip moment, with the moment. */
interface HeldAcross {
  held: BridgeMacHeld;
  moment: FlipMoment;
}

/**
 * The first span in which a bridge held `high` from at least `alignMs` before a flip moment to at
 * least `alignMs` after it (clock skew between the capture and the host), or null. Flip moments:
 * each change between the pair (between the old MAC's last frame and the new one's first claim),
 * and the start of a gap in which requests went to the lower MAC until the higher answered.
 */
function heldAcrossFlip(
  facts: IncidentFacts, high: Mac, low: Mac, held: readonly BridgeMacHeld[], alignMs: number,
): HeldAcross | null {
  const moments: FlipMoment[] = facts.changes
    .filter((c) => (c.fromMac === high && c.toMac === low) || (c.fromMac === low && c.toMac === high))
    .map((c) => ({ from: c.since, to: c.time }));
  const gap = facts.gap;
  if (gap && gap.staleMac === low && gap.answeredBy === high) moments.push({ from: gap.start, to: gap.start });
  for (const h of held) {
    if (h.mac !== high) continue;
    for (const m of moments) {
      if (diffMs(h.since, m.from) >= alignMs && diffMs(m.to, h.until) >= alignMs) return { held: h, moment: m };
    }
  }
  return null;
}

/**
 * `cause` itself, unless it is a capture-only `bridge-lowest-mac` that the bridges' MACs in the
 * link logs contradict: then a duplicate address, naming the span that rules the flip out.
 */
export function unlessBridgeHeldMac(cause: Cause, facts: IncidentFacts, held: readonly BridgeMacHeld[], alignMs: number): Cause {
  if (cause.code !== 'bridge-lowest-mac' || cause.linkEvents.length > 0 || held.length === 0) return cause;
  const pair = macPair(facts);
  if (!pair) return cause;
  const across = heldAcrossFlip(facts, pair.high, pair.low, held, alignMs);
  if (!across) return cause;
  const { held: h } = across;
  const back = facts.changes.some((c) => c.toMac === pair.high);
  const moved = back
    ? `went back and forth between ${macWords(pair.high)} and ${macWords(pair.low)}`
    : `moved from ${macWords(pair.high)} to ${macWords(pair.low)}`;
  const outage = facts.gap ? `; ${outageWords(facts.gap.durationMs, facts.gap.ongoing)}` : '';
  return {
    code: 'duplicate-address',
    confidence: 0.7,
    summary: `${facts.ip} ${moved} without announcing it, but ${h.bridge} kept ${formatMac(pair.high)} all the while, so the bridge ` +
      `did not take a port's MAC: another station, ${formatMac(pair.low)}, answers for ${facts.ip} at times (two stations use one address)${outage}.`,
    linkEvents: [],
    inferences: [
      `${h.line === null ? h.path : `${h.path} line ${h.line}`} shows ${h.bridge} with ${formatMac(h.mac)} at ${clockWords(h.since)}, ` +
        `and no other MAC for it up to ${clockWords(h.until)}; the kernel announces every MAC change of a bridge, and ${h.bridge} ` +
        `would have changed at ${clockWords(across.moment.to)}`,
      'the two MACs never answered together, so the capture shows moves, not a clash',
    ],
    toConfirm: [
      `find the station with ${formatMac(pair.low)} (\`bridge fdb show | grep -i ${formatMac(pair.low)}\`, the switch MAC table) and check its address configuration`,
      `\`arping -D -I ${h.bridge} ${facts.ip}\` from the host answers when another station holds the address`,
    ],
    bridge: h.bridge,
  };
}
