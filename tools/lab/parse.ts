/**
 * Small parsers for what the lab records: the bridge's MAC lines in `ip -ts monitor link` output and
 * the neighbour's `ping -D` output. They are deliberately minimal (the full link-log parser lives in
 * src/links/); the lab and its tests use them to derive and check the truth.
 */
import { fromIso, diffMs, type Timestamp } from '../../src/time.js';

/** The lab's wall clock, ns resolution as far as the platform gives it (performance.now is µs-ish). */
export function labNow(): Timestamp {
  const ms = performance.timeOrigin + performance.now();
  const sec = Math.floor(ms / 1000);
  return { sec, nsec: Math.min(999_999_999, Math.round((ms - sec * 1000) * 1e6)) };
}

/** One line of `ip -ts monitor link` that shows the bridge with a MAC. */
export interface BridgeMacLine {
  /** From the `[YYYY-MM-DDTHH:MM:SS.uuuuuu]` prefix, read as UTC (the lab runs `ip` with TZ=UTC). */
  t: Timestamp;
  /** Lower-case colon MAC from `link/ether`. */
  mac: string;
  /** 1-based line number of the header line. */
  line: number;
}

/** A change of the bridge MAC seen in the ip monitor log. */
export interface BridgeMacChange {
  t: Timestamp;
  fromMac: string;
  toMac: string;
  line: number;
}

const IP_TS_HEADER = /^\[(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?)\]\s+(Deleted\s+)?\d+:\s+([^:@\s]+)(?:@[^:\s]*)?:/;
const LINK_ETHER = /^\s+link\/ether\s+([0-9a-f]{2}(?::[0-9a-f]{2}){5})/;

/**
 * The bridge's own lines (not its ports') with their MAC, in file order. `ip` prints the header and
 * the `link/ether` line separately; the MAC belongs to the header before it.
 */
export function bridgeMacLines(text: string, bridge: string): BridgeMacLine[] {
  const out: BridgeMacLine[] = [];
  const lines = text.split('\n');
  let pending: { t: Timestamp; line: number } | null = null;
  lines.forEach((raw, i) => {
    const header = IP_TS_HEADER.exec(raw);
    if (header) {
      const t = fromIso(header[1]!);
      pending = header[3] === bridge && !header[2] && t ? { t, line: i + 1 } : null;
      return;
    }
    const ether = LINK_ETHER.exec(raw);
    if (ether && pending) {
      out.push({ t: pending.t, mac: ether[1]!, line: pending.line });
      pending = null;
    }
  });
  return out;
}

/** MAC changes of the bridge: each line whose MAC differs from the previous one (or `initialMac`). */
export function bridgeMacChanges(text: string, bridge: string, initialMac?: string): BridgeMacChange[] {
  const changes: BridgeMacChange[] = [];
  let current = initialMac?.toLowerCase();
  for (const l of bridgeMacLines(text, bridge)) {
    if (current !== undefined && l.mac !== current) changes.push({ t: l.t, fromMac: current, toMac: l.mac, line: l.line });
    current = l.mac;
  }
  return changes;
}

/** One echo reply line of `ping -D`. */
export interface PingReply {
  /** The `[seconds.micros]` receive timestamp ping printed (UTC epoch). */
  t: Timestamp;
  seq: number;
  from: string;
}

const PING_REPLY = /^\[(\d+)\.(\d{1,9})\]\s+\d+ bytes from ([0-9a-fA-F.:]+): icmp_seq=(\d+)/;

/** Echo replies from `ping -D` output, in order (other lines ignored). */
export function parsePingReplies(text: string): PingReply[] {
  const out: PingReply[] = [];
  for (const raw of text.split('\n')) {
    const m = PING_REPLY.exec(raw);
    if (!m) continue;
    out.push({
      t: { sec: Number(m[1]), nsec: Number(m[2]!.padEnd(9, '0')) },
      seq: Number(m[4]),
      from: m[3]!,
    });
  }
  return out;
}

/** A gap in replies: `start` is the last reply before it, `end` the first reply after it. */
export interface ReplyGap {
  start: Timestamp;
  end: Timestamp;
  durationMs: number;
}

/** Gaps between consecutive replies longer than `minGapMs` (duplicates, `DUP!`, count once). */
export function replyGaps(replies: readonly PingReply[], minGapMs: number): ReplyGap[] {
  const gaps: ReplyGap[] = [];
  for (let i = 1; i < replies.length; i++) {
    const a = replies[i - 1]!.t;
    const b = replies[i]!.t;
    const d = diffMs(a, b);
    if (d > minGapMs) gaps.push({ start: a, end: b, durationMs: d });
  }
  return gaps;
}
