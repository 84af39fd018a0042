/**
 * Causes proven by link events: each function looks for one pattern in the link timeline around an
 * incident and returns a {@link Cause} naming bridge, port, MACs and times, or null.
 */
import { formatMac, type Mac } from '../net/mac.js';
import { compareTs, diffMs, type Timestamp } from '../time.js';
import type {
  BridgeMacRecord, LinkEvent, MacChangeEvent, OperStateEvent, OwnAddressEvent, PortJoinEvent, PortLeaveEvent, StpState, StpStateEvent,
} from '../links/types.js';
import type { Cause } from './types.js';
import { macPair, type IncidentFacts } from './facts.js';
import { hypervisorOf, hypervisorWords } from './hypervisor.js';
import { macWords } from './infer.js';
import { macConvention } from '../net/oui.js';
import { clockWords, durationWords, outageWords } from './words.js';

/** Time tolerances for lining events up (documented defaults in {@link DEFAULT_CORRELATE_OPTIONS}). */
export interface CorrelateOptions {
  /**
   * A link event explains an incident only when it lies within this many ms before the incident's
   * first finding or after its last one (docs/schema.md `correlationWindowMs`). Events outside may
   * still be quoted as context (the join of a guest whose leave, inside the window, caused the
   * outage), never as the only evidence.
   */
  correlationWindowMs: number;
  /**
   * Tolerance when aligning a capture moment with a link event, ms: covers clock skew between the
   * capturing machine and the host, and the ping interval before an outage is visible.
   */
  alignMs: number;
  /** A non-forwarding STP state must overlap an outage this long to explain it, ms. */
  minStpOverlapMs: number;
  /** STP BPDUs were seen in the captures (a hint for capture-only inference). */
  stpBpdusSeen?: boolean;
  /**
   * Link logs were given even if none of their events is passed (all set aside because their
   * times do not match the capture): capture-only causes then say to check the logs' coverage.
   */
  linkLogsGiven?: boolean;
  /**
   * Complete records of the host's bridge MACs: timed `ip monitor` logs (set-aside ones excluded)
   * and live rtnetlink. Evidence against a bridge flip inferred from the capture alone.
   */
  bridgeMacs?: readonly BridgeMacRecord[];
}

export const DEFAULT_CORRELATE_OPTIONS: CorrelateOptions = {
  correlationWindowMs: 60_000,
  alignMs: 3_000,
  minStpOverlapMs: 1_000,
};

/** Context passed to every matcher. */
export interface MatchContext {
  facts: IncidentFacts;
  /** Link events near the incident (untimed events included: they can still match by MAC). */
  near: LinkEvent[];
  /** The whole timeline (a join can be hours before the leave that hurt). */
  all: LinkEvent[];
  start: Timestamp;
  end: Timestamp;
  options: CorrelateOptions;
}

/** True when `t` lies within the correlation window around the incident (untimed events: true). */
export function inWindow(ctx: Pick<MatchContext, 'start' | 'end' | 'options'>, t: Timestamp | null): boolean {
  return t === null ||
    (diffMs(ctx.start, t) >= -ctx.options.correlationWindowMs && diffMs(ctx.end, t) <= ctx.options.correlationWindowMs);
}

const NOT_FORWARDING: ReadonlySet<StpState> = new Set(['listening', 'learning', 'blocking']);

function before(a: Timestamp | null, b: Timestamp): boolean {
  return a === null || compareTs(a, b) <= 0;
}

function withinMs(a: Timestamp | null, b: Timestamp, ms: number): boolean {
  return a !== null && Math.abs(diffMs(a, b)) <= ms;
}

/** `bridge-lowest-mac`: the host's MAC moved with a port whose MAC the bridge adopted/dropped. */
export function matchBridgeLowestMac(ctx: MatchContext): Cause | null {
  const { facts, near, all, options } = ctx;
  const pair = macPair(facts);
  const bridgeChanges = near.filter((e): e is MacChangeEvent =>
    e.type === 'mac-change' && e.isBridge && (facts.macs.has(e.newMac) || (e.oldMac !== null && facts.macs.has(e.oldMac))));
  const low: Mac | null = pair?.low ?? bridgeChanges.find((e) => e.oldMac !== null && e.newMac < e.oldMac)?.newMac ?? null;
  const portWithMac = (e: LinkEvent): e is PortJoinEvent | PortLeaveEvent =>
    (e.type === 'port-join' || e.type === 'port-leave') && e.mac !== null && e.mac === low;
  // Two MACs answering at once is two stations, not a bridge flip, unless the log shows the
  // bridge itself taking one of them.
  if ((facts.clashMacs.length > 1 || facts.oldMacStillAnswers) && bridgeChanges.length === 0) return null;
  let join = lastOf(all.filter((e): e is PortJoinEvent => portWithMac(e) && e.type === 'port-join' && before(e.time, ctx.end)));
  let leave = all.find((e): e is PortLeaveEvent =>
    portWithMac(e) && e.type === 'port-leave' && (join === null || join.time === null || e.time === null || compareTs(e.time, join.time) >= 0)) ?? null;
  // A leave after the window cannot have caused the incident; a join before it is only context
  // for a leave or bridge change inside it; a port's first line (maybe a refresh, not a join)
  // counts only when the bridge's MAC is seen changing.
  if (leave && !inWindow(ctx, leave.time)) leave = null;
  if (join?.firstSeen && bridgeChanges.length === 0) join = null;
  if (join && !inWindow(ctx, join.time) && !leave && bridgeChanges.length === 0) join = null;
  let timedOnly = false;
  if (!join && !leave && bridgeChanges.length === 0) {
    // Kernel logs carry no MACs: line up a join (promiscuous mode entered) with a change to the
    // lower MAC, and a leave (left / unregistering) with the change back or the outage start.
    // Only for the lowest-MAC pattern: a guest-side MAC below the host's own, one at a time.
    if (!pair || GUEST_SIDE.has(macConvention(pair.high)) || (facts.clashMacs.length > 1 && facts.fromMac === null)) return null;
    const downMoments = facts.changes.filter((c) => c.down).map((c) => c.time);
    const upMoments = [...facts.changes.filter((c) => !c.down).map((c) => c.time), ...(facts.gap ? [facts.gap.start] : [])];
    // Only events that do not contradict the pattern: a port's first line already in its bridge may
    // be a refresh (a periodic carrier/state line), not a join, and a port whose MAC the log shows
    // is not the lower MAC cannot have given it to the bridge.
    const unnamed = (e: LinkEvent): boolean => (e.type !== 'port-join' && e.type !== 'port-leave') || e.mac === null || e.mac === pair.low;
    const isJoin = (e: LinkEvent): boolean => ((e.type === 'port-join' && !e.firstSeen) || (e.type === 'promisc' && e.entered)) && unnamed(e);
    const isLeave = (e: LinkEvent): boolean => (e.type === 'port-leave' || (e.type === 'promisc' && !e.entered)) && unnamed(e);
    const joinHit = nearest(near, downMoments, options.alignMs, isJoin);
    const leaveHit = nearest(near, upMoments, options.alignMs, (e) => isLeave(e) && (joinHit === null || e.ifname === joinHit.ifname))
      ?? (joinHit === null ? null : nearest(near, upMoments, options.alignMs, isLeave));
    if (!joinHit && !leaveHit) return null;
    timedOnly = true;
    if (joinHit) join = joinHit.type === 'port-join' ? joinHit : asJoin(joinHit, bridgeOfPort(all, joinHit.ifname));
    if (leaveHit) leave = leaveHit.type === 'port-leave' ? leaveHit : asLeave(leaveHit, bridgeOfPort(all, leaveHit.ifname));
  }
  if (!join && !leave && bridgeChanges.length === 0) return null;

  const port = join?.ifname ?? leave?.ifname ?? null;
  const bridge = join?.bridge ?? leave?.bridge ?? bridgeChanges[0]?.ifname ?? null;
  const high = pair?.high ?? bridgeChanges.find((e) => e.newMac === low)?.oldMac ?? null;
  const uplink = high === null ? null : lastOf(all.filter((e): e is PortJoinEvent => e.type === 'port-join' && e.mac === high))?.ifname ?? null;
  const hypervisor = hypervisorOf(port, low);
  const evidence = uniqueInTimeOrder([
    ...(join ? [join] : []),
    ...all.filter((e): e is MacChangeEvent => e.type === 'mac-change' && e.isBridge && low !== null &&
      (e.newMac === low || e.oldMac === low) && (bridge === null || e.ifname === bridge) &&
      (inWindow(ctx, e.time) || (join !== null && leave !== null && !before(e.time, join.time!) && before(e.time, leave.time!)))),
    ...(leave ? [leave] : []),
  ]);
  const outage = facts.gap ? outageWords(facts.gap.durationMs, facts.gap.ongoing) : null;
  const lowText = low !== null ? macWords(low) : 'unknown';
  const highText = high !== null ? formatMac(high) : 'its previous MAC';
  const bridgeName = bridge ?? 'the bridge';
  const portName = port ?? 'a port';
  let summary: string;
  if (join) {
    summary = `${portName} joined ${bridgeName} at ${clockWords(join.time)} with a MAC, ${lowText}, lower than ` +
      `${uplink ? `${uplink}'s` : `${bridgeName}'s`} ${highText}; ${bridgeName} took it`;
    if (leave) {
      summary += `, and when ${hypervisorWords(hypervisor).replace(/^an? /, 'the ')} stopped (${portName} left at ${clockWords(leave.time)}) ` +
        (outage ?? `${facts.ip} moved back to ${highText}`);
    } else if (outage) summary += `; ${outage}`;
  } else if (leave) {
    summary = `${portName} (${lowText}) left ${bridgeName} at ${clockWords(leave.time)}; ${bridgeName} had been using its MAC and fell back to ${highText}` +
      (outage ? `, and ${outage}` : '');
  } else {
    const change = bridgeChanges[0]!;
    summary = `${bridgeName} changed its MAC from ${change.oldMac === null ? '?' : formatMac(change.oldMac)} to ${formatMac(change.newMac)} at ${clockWords(change.time)} (the lowest port MAC rule)` +
      (outage ? `; ${outage}` : '');
  }
  if (facts.announced) summary += ' (the change was announced, so neighbours updated at once)';
  summary += '.';
  const proven = bridgeChanges.length > 0 || evidence.some((e) => e.type === 'mac-change');
  return {
    code: 'bridge-lowest-mac',
    confidence: timedOnly ? 0.8 : proven && (join || leave) ? 0.95 : 0.9,
    summary,
    linkEvents: evidence,
    inferences: timedOnly ? ['the kernel log shows the port joining/leaving at the moment the capture shows the MAC change (no MACs in kernel logs)'] : [],
    toConfirm: timedOnly ? ['record `ip -ts monitor link` next time: it shows the bridge\'s MAC itself'] : [],
    ...(bridge ? { bridge } : {}),
    ...(port ? { port } : {}),
    hypervisor,
  };
}

/** `stp-loop`: the bridge saw its own address or a port stayed blocking with topology changes. */
export function matchStpLoop(ctx: MatchContext): Cause | null {
  const own = ctx.near.filter((e): e is OwnAddressEvent => e.type === 'own-address');
  const topology = ctx.near.filter((e) => e.type === 'topology-change');
  const stuck = stuckBlocking(ctx.near, ctx.all, 2000);
  if (own.length === 0 && !(stuck.length > 0 && (topology.length > 0 || ctx.facts.storm))) return null;
  const bridge = own[0]?.bridge ?? stuck[0]?.bridge ?? topology[0]?.ifname ?? null;
  const ports = [...new Set([...own.map((e) => e.port).filter((p) => p !== ''), ...stuck.map((e) => e.port)])];
  const taps = ports.filter((p) => /^tap/.test(p));
  let summary = `${bridge ?? 'A bridge'} saw a layer-2 loop`;
  if (own[0]) summary += `: it received its own address${own[0].port ? ` on ${own[0].port}` : ''} at ${clockWords(own[0].time)}`;
  if (stuck.length > 0) summary += `${own[0] ? ' and' : ':'} STP put ${stuck.map((e) => e.port).join(', ')} in blocking`;
  if (ctx.facts.gap) summary += `; ${outageWords(ctx.facts.gap.durationMs, ctx.facts.gap.ongoing)}`;
  if (taps.length >= 2) summary += `; ${taps.join(' and ')} are taps of one QEMU hub (-net nic -net tap without separate -netdev) forming the loop`;
  return {
    code: 'stp-loop', confidence: own.length > 0 ? 0.9 : 0.75, summary: `${summary}.`,
    linkEvents: uniqueInTimeOrder([...own, ...stuck, ...topology]), inferences: [], toConfirm: [],
    ...(bridge ? { bridge } : {}), ...(ports[0] ? { port: ports[0], hypervisor: hypervisorOf(ports[0]) } : {}),
  };
}

/** `stp-port-not-forwarding`: an outage while the IP's port was listening/learning/blocking. */
export function matchStpNotForwarding(ctx: MatchContext): Cause | null {
  const gap = ctx.facts.gap;
  if (!gap) return null;
  const byPort = new Map<string, StpStateEvent[]>();
  for (const e of ctx.all) {
    if (e.type !== 'stp-state' || e.time === null) continue;
    const list = byPort.get(e.port) ?? [];
    list.push(e);
    byPort.set(e.port, list);
  }
  let best: { port: string; events: StpStateEvent[]; overlap: number; forwardAt: Timestamp | null; macMatch: boolean } | null = null;
  for (const [port, events] of byPort) {
    let overlap = 0;
    const involved: StpStateEvent[] = [];
    let forwardAt: Timestamp | null = null;
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      const next = events[i + 1];
      if (!NOT_FORWARDING.has(e.state)) continue;
      const from = e.time!;
      const to = next?.time ?? gap.end;
      const o = Math.min(diffMs(gap.start, gap.end), diffMs(gap.start, to)) - Math.max(0, diffMs(gap.start, from));
      if (o > 0 && diffMs(from, to) >= ctx.options.minStpOverlapMs) {
        overlap += o;
        involved.push(e);
        if (next && next.state === 'forwarding') { involved.push(next); forwardAt = next.time; }
      }
    }
    if (overlap < Math.min(ctx.options.minStpOverlapMs, gap.durationMs / 2)) continue;
    const macMatch = ctx.all.some((e) => e.type === 'port-join' && e.ifname === port && e.mac !== null && portServes(e.mac, ctx.facts.macs));
    if (!best || (macMatch && !best.macMatch) || (macMatch === best.macMatch && overlap > best.overlap)) {
      best = { port, events: involved, overlap, forwardAt, macMatch };
    }
  }
  if (!best) return null;
  const first = best.events[0]!;
  const states = [...new Set(best.events.filter((e) => e.state !== 'forwarding').map((e) => e.state))].join('/');
  const summary = `${best.port} on ${first.bridge ?? 'the bridge'} was in STP ${states} from ${clockWords(first.time)}` +
    (best.forwardAt ? ` until ${clockWords(best.forwardAt)} (${durationWords(diffMs(first.time!, best.forwardAt))}, forward_delay per state)` : ' and never reached forwarding') +
    `; ${ctx.facts.ip} behind it was unreachable for ${durationWords(gap.durationMs)}.`;
  return {
    code: 'stp-port-not-forwarding', confidence: best.macMatch ? 0.9 : 0.8, summary,
    linkEvents: best.events, inferences: [], toConfirm: best.macMatch ? [] : [`check that ${ctx.facts.ip} is behind ${best.port} (bridge fdb show br ${first.bridge ?? 'BRIDGE'})`],
    ...(first.bridge ? { bridge: first.bridge } : {}), port: best.port, hypervisor: hypervisorOf(best.port),
  };
}

/** `link-down`: the outage begins when a link (bridge, uplink or port) loses carrier. */
export function matchLinkDown(ctx: MatchContext): Cause | null {
  const gap = ctx.facts.gap;
  if (!gap) return null;
  const { alignMs } = ctx.options;
  const downs = ctx.near.filter((e): e is OperStateEvent =>
    e.type === 'oper-state' && (e.state === 'down' || e.state === 'lowerlayerdown') && e.time !== null &&
    diffMs(gap.start, e.time) >= -alignMs && diffMs(gap.start, e.time) <= alignMs + 1000 &&
    // a port going down because it is being deleted is a leave, not a carrier loss
    !ctx.all.some((d) => (d.type === 'link-del' || d.type === 'port-leave') && d.ifname === e.ifname && withinMs(d.time, e.time!, 2000)));
  const down = downs[0];
  if (!down) return null;
  const up = ctx.all.find((e): e is OperStateEvent => e.type === 'oper-state' && e.ifname === down.ifname && e.state === 'up' &&
    e.time !== null && compareTs(e.time, down.time!) > 0);
  const upNearEnd = up !== undefined && withinMs(up.time, gap.end, alignMs + 1000);
  return {
    code: 'link-down', confidence: upNearEnd ? 0.9 : 0.85,
    summary: `${down.ifname} went ${down.state} at ${clockWords(down.time)}${up ? ` and came back up at ${clockWords(up.time)}` : ''}; ` +
      `${outageWords(gap.durationMs, gap.ongoing)}.`,
    linkEvents: up ? [down, up] : [down], inferences: [], toConfirm: [],
  };
}

/**
 * True when a port with MAC `portMac` carries one of `macs`: the same MAC, or libvirt's tap
 * convention (guest MAC with the first octet replaced by 0xfe, src/util/virnetdevtap.c).
 */
function portServes(portMac: Mac, macs: Set<Mac>): boolean {
  if (macs.has(portMac)) return true;
  if (Math.floor(portMac / 2 ** 40) !== 0xfe) return false;
  const low40 = portMac % 2 ** 40;
  for (const m of macs) if (m % 2 ** 40 === low40) return true;
  return false;
}

/** Host-side and guest-NIC conventions: never the host's own uplink MAC. */
const GUEST_SIDE: ReadonlySet<string> = new Set(['openvz', 'qemu', 'xen', 'host-side-fe']);

/** The event matching `want` closest in time to any of `moments` (within `maxMs`). */
function nearest(events: LinkEvent[], moments: Timestamp[], maxMs: number, want: (e: LinkEvent) => boolean): LinkEvent | null {
  let best: LinkEvent | null = null;
  let bestMs = Infinity;
  for (const e of events) {
    if (e.time === null || !want(e)) continue;
    for (const m of moments) {
      const d = Math.abs(diffMs(m, e.time));
      if (d <= maxMs && d < bestMs) { best = e; bestMs = d; }
    }
  }
  return best;
}

/** A kernel-log sign of a join (promiscuous mode entered) as a join event. */
function asJoin(e: LinkEvent, bridge: string | null): PortJoinEvent {
  return { time: e.time, source: e.source, ifname: e.ifname, ifindex: e.ifindex, line: e.line, raw: e.raw, type: 'port-join', bridge: bridge ?? '?', mac: null };
}

/** A kernel-log sign of a leave (promiscuous mode left while unregistering) as a leave event. */
function asLeave(e: LinkEvent, bridge: string | null): PortLeaveEvent {
  return { time: e.time, source: e.source, ifname: e.ifname, ifindex: e.ifindex, line: e.line, raw: e.raw, type: 'port-leave', bridge, mac: null, deleted: /unregistering/.test(e.raw) };
}

/**
 * `duplicate-address` with evidence: the clashing MACs are guests behind ports of the recorded
 * host's bridge (port MAC = guest MAC, or libvirt's fe: form of it), and nothing else explains it.
 */
export function matchDuplicateBehindPorts(ctx: MatchContext): Cause | null {
  const { facts } = ctx;
  if (facts.clashMacs.length < 2 || facts.fromMac !== null) return null;
  const macs = [...new Set(facts.clashMacs)];
  const joins: PortJoinEvent[] = [];
  const words: string[] = [];
  for (const m of macs) {
    const join = lastOf(ctx.all.filter((e): e is PortJoinEvent =>
      e.type === 'port-join' && e.mac !== null && portServes(e.mac, new Set([m])) && before(e.time, ctx.end)));
    if (join) joins.push(join);
    words.push(join ? `${macWords(m)} (behind ${join.ifname} on ${join.bridge})` : macWords(m));
  }
  if (joins.length === 0) return null;
  const bridge = joins[0]!.bridge;
  return {
    code: 'duplicate-address', confidence: 0.9,
    summary: `${facts.ip} is claimed by ${words.join(' and ')} at the same time: ` +
      `${joins.length > 1 ? 'two guests on this host are' : 'a guest on this host is'} configured with the same address; the host's own MAC did not change.`,
    linkEvents: uniqueInTimeOrder(joins), inferences: [],
    toConfirm: joins.length < macs.length ? ['find the other owner (switch MAC table)'] : [],
    bridge, port: joins[0]!.ifname, hypervisor: hypervisorOf(joins[0]!.ifname, joins[0]!.mac),
  };
}

/** The bridge a port last joined, from the timeline. */
function bridgeOfPort(all: LinkEvent[], port: string): string | null {
  for (let i = all.length - 1; i >= 0; i--) {
    const e = all[i]!;
    if (e.type === 'port-join' && e.ifname === port) return e.bridge;
    if (e.type === 'stp-state' && e.port === port && e.bridge) return e.bridge;
  }
  return null;
}

/** Ports that entered blocking in `near` and stayed there at least `minMs`. */
function stuckBlocking(near: LinkEvent[], all: LinkEvent[], minMs: number): StpStateEvent[] {
  const out: StpStateEvent[] = [];
  for (const e of near) {
    if (e.type !== 'stp-state' || e.state !== 'blocking' || e.time === null) continue;
    const next = all.find((n) => n.type === 'stp-state' && n.port === e.port && n.time !== null && compareTs(n.time, e.time!) > 0);
    if (!next || diffMs(e.time, next.time!) >= minMs) out.push(e);
  }
  return out;
}

function lastOf<T>(list: T[]): T | null {
  return list.length > 0 ? list[list.length - 1]! : null;
}

function uniqueInTimeOrder(events: LinkEvent[]): LinkEvent[] {
  const seen = new Set<LinkEvent>();
  const out = events.filter((e) => (seen.has(e) ? false : (seen.add(e), true)));
  return out.sort((a, b) => (a.time && b.time ? compareTs(a.time, b.time) : 0));
}
