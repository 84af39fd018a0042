/**
 * Root cause for each incident: line the capture's findings up with link events (port joins and
 * leaves, bridge MAC changes, STP states, carrier) and name what happened in plain words. Without
 * link events the cause is inferred from the capture alone, with lower confidence and a
 * `toConfirm` list.
 *
 * Matchers run most specific first: bridge lowest-MAC (MACs match exactly), STP loop, STP port not
 * forwarding, link down; then announced moves and duplicates; then capture-only inference.
 */
import type { DetectedIncident, Finding } from '../detect/types.js';
import type { LinkEvent } from '../links/types.js';
import type { Cause } from './types.js';
import { incidentFacts, macPair } from './facts.js';
import { inferCause, macWords } from './infer.js';
import { stationCause } from './station.js';
import { unlessBridgeRecordRulesOut } from './held-mac.js';
import {
  DEFAULT_CORRELATE_OPTIONS, inWindow, matchBridgeLowestMac, matchDuplicateBehindPorts, matchLinkDown, matchStpLoop, matchStpNotForwarding,
  type CorrelateOptions, type MatchContext,
} from './linked.js';

export { DEFAULT_CORRELATE_OPTIONS, type CorrelateOptions } from './linked.js';
export { hypervisorOf } from './hypervisor.js';
export { captureSpan, checkLinkTiming } from './timing.js';

/**
 * The cause of every incident, in the order of `incidents` (which are left as they are: whoever
 * assembles the analysis attaches the causes). `links` is the merged link timeline in time order
 * (may be empty: then every cause is inferred from the capture alone).
 */
export function correlate(
  incidents: readonly DetectedIncident[],
  findings: Finding[],
  links: LinkEvent[],
  options: Partial<CorrelateOptions> = {},
): Cause[] {
  const opts = { ...DEFAULT_CORRELATE_OPTIONS, ...options };
  return incidents.map((incident) => explainIncident(incident, findings, links, opts));
}

/** The cause of one incident (pure). */
export function explainIncident(
  incident: DetectedIncident,
  findings: Finding[],
  links: LinkEvent[],
  options: CorrelateOptions = DEFAULT_CORRELATE_OPTIONS,
): Cause {
  const facts = incidentFacts(incident, findings);
  const hints = { stpBpdusSeen: options.stpBpdusSeen ?? false };
  // Spoofing and ARP flux are stations' doings: no bridge or link event explains them.
  const station = stationCause(facts);
  if (station) return station;
  // A capture-only bridge flip stands only if no log shows the bridge keeping its MAC across it.
  const unlessHeld = (cause: Cause): Cause => unlessBridgeRecordRulesOut(cause, facts, options.bridgeMacs ?? [], options.alignMs);
  if (links.length === 0) return unlessHeld(inferCause(facts, options.linkLogsGiven ?? false, hints));
  const window = { start: incident.start, end: incident.end, options };
  const near = links.filter((e) => inWindow(window, e.time));
  const ctx: MatchContext = { facts, near, all: links, start: incident.start, end: incident.end, options };
  const linked = matchBridgeLowestMac(ctx) ?? matchStpLoop(ctx) ?? matchStpNotForwarding(ctx) ?? matchLinkDown(ctx) ??
    matchDuplicateBehindPorts(ctx);
  if (linked) return linked;

  const pair = macPair(facts);
  if (facts.announced && pair && facts.fromMac !== null && facts.toMac !== null) {
    return {
      code: 'announced-move', confidence: 0.85,
      summary: `${facts.ip} moved from ${macWords(facts.fromMac)} to ${macWords(facts.toMac)} and announced it at once ` +
        '(gratuitous ARP/unsolicited NA), and no bridge on the recorded host changed: a failover, not an outage.',
      linkEvents: [], inferences: ['the link logs show no port or bridge MAC change at that time'], toConfirm: [],
    };
  }
  if (facts.clashMacs.length > 1) {
    if (inferCause(facts, true, hints).code !== 'bridge-lowest-mac') {
      return {
        code: 'duplicate-address', confidence: 0.8,
        summary: `${facts.ip} is claimed by ${[...new Set(facts.clashMacs)].map(macWords).join(' and ')} at the same time, ` +
          'and no link event on the recorded host explains it: two stations use one address.',
        linkEvents: [], inferences: ['no port join/leave or bridge MAC change lines up with the clash'],
        toConfirm: ['find the second owner (switch MAC table, `arping -D`)'],
      };
    }
  }
  const inferred = inferCause(facts, true, hints);
  return unlessHeld({ ...inferred, confidence: Math.min(inferred.confidence, 0.6) });
}
