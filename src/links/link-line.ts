/**
 * The one-line link header both `ip monitor` and `bridge monitor` print (iproute2
 * `print_linkinfo`): `[Deleted ]IDX: NAME[@PEER]: <FLAGS> mtu N [qdisc Q] [master BR] [state S] ...`.
 * Shared by the two parsers; parsing only, no interpretation.
 */
import type { StpState } from './types.js';

/** One parsed link header. */
export interface LinkHeader {
  deleted: boolean;
  ifindex: number;
  /** Name without `@peer`. */
  ifname: string;
  /** After `@`: the peer/lower device, `NONE`, or `ifN` when it lives in another namespace. */
  peer: string | null;
  flags: string[];
  /** `master X`, or null when none printed. */
  master: string | null;
  /** The word after `state` (operstate for ip's AF_UNSPEC lines, STP state for bridge's). */
  state: string | null;
  /** True when a qdisc or group is printed: an AF_UNSPEC (whole-link) message, not AF_BRIDGE. */
  wholeLink: boolean;
  /** `link-netnsid N` when printed. */
  netnsid: number | null;
}

const HEADER = /^(Deleted )?(\d+): ([^\s:@]+)(?:@([^\s:]+))?: <([^>]*)>(.*)$/;
/** iproute2 3.x `bridge monitor`: `8: vnet0 state UP : <FLAGS> mtu 1500 master br0 state forwarding …`. */
const OLD_BRIDGE_HEADER = /^(Deleted )?(\d+): ([^\s:@]+)(?:@(\S+))? state \S+ ?: <([^>]*)>(.*)$/;

/** Parses a link header line, or returns null when the line is not one. */
export function parseLinkHeader(line: string): LinkHeader | null {
  const m = HEADER.exec(line) ?? OLD_BRIDGE_HEADER.exec(line);
  if (!m) return null;
  const rest = m[6] ?? '';
  const word = (key: string): string | null => {
    const w = new RegExp(`(?:^| )${key} (\\S+)`).exec(rest);
    return w ? w[1]! : null;
  };
  const nsid = word('link-netnsid');
  return {
    deleted: m[1] !== undefined,
    ifindex: Number(m[2]),
    ifname: m[3]!,
    peer: m[4] ?? null,
    flags: m[5] ? m[5].split(',') : [],
    master: word('master'),
    state: word('state'),
    wholeLink: / qdisc | group /.test(`${rest} `),
    netnsid: nsid !== null && /^\d+$/.test(nsid) ? Number(nsid) : null,
  };
}

const STP_STATES: readonly StpState[] = ['disabled', 'listening', 'learning', 'forwarding', 'blocking'];

/** The STP state word as printed by `bridge monitor` / the kernel log, or null. */
export function asStpState(word: string | null | undefined): StpState | null {
  if (!word) return null;
  const w = word.toLowerCase();
  return (STP_STATES as readonly string[]).includes(w) ? (w as StpState) : null;
}

/** Timestamp line of `ip -t monitor` / `bridge -timestamp monitor`: `Timestamp: <ctime> N usec`. */
export const TIMESTAMP_LINE = /^Timestamp: (.+?) (\d+) usec\s*$/;
/** `ip -ts monitor` line prefix: `[2026-11-21T09:09:49.132165] `. */
export const ISO_PREFIX = /^\[(\d{4}-\d{2}-\d{2}T[\d:.,]+(?:Z|[+-]\d{2}:?\d{2})?)\] ?(.*)$/;
/** `ip monitor label` object prefix: `[LINK]`, `[ROUTE]`, ... */
export const LABEL_PREFIX = /^\[([A-Z]+)\]\s*(.*)$/;
/** A continuation line carrying the link-layer address. */
export const LINK_ADDRESS = /^\s+link\/\S+ ((?:[0-9a-f]{2}:){5}[0-9a-f]{2})\b/;

/**
 * Records of other rtnetlink objects that `ip monitor` (all) interleaves with links: addresses,
 * routes, neighbours, netconf, nsid, nexthops, rules, mdb/fdb/vlan lines of `bridge monitor`.
 * They are recognised and skipped (not counted as unparsed).
 */
export const OTHER_OBJECT =
  /^(?:Deleted )?(?:\d+: \S+\s+(?:inet6?|link) |dev |inet6? |mpls |multicast |local |broadcast |anycast |unreachable |blackhole |prohibit |throw |default |nsid |nexthop |id \d+ |\d+:\s+from |(?:[0-9a-f]{1,4}[.:])+[0-9a-f.:]*(?:\/\d+)? |\S+ (?:dev|via|vlan) |(?:[0-9a-f]{2}:){5}[0-9a-f]{2} )/;
