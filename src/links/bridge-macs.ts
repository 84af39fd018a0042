/**
 * Which MAC each bridge held ({@link BridgeMacRecord}), from a complete feed of a host's link
 * messages: a timed `ip monitor` log read in file order, or live rtnetlink from its snapshot on.
 * Each sighting of a bridge with another MAC, or its deletion, closes the bridge's span; open spans
 * end where the feed is known to have run to (the log's last time, or now for a live feed). Every
 * link seen on the way is kept with its MACs: they tie the record to a host, and a link with the
 * MAC in question is reason enough not to rule anything out.
 */
import type { Mac } from '../net/mac.js';
import { compareTs, type Timestamp } from '../time.js';
import type { BridgeMacHeld, BridgeMacRecord, RecordedLinkMac } from './types.js';

/** A span still open: the MAC, since when, and the line that first showed it. */
type OpenSpan = Pick<BridgeMacHeld, 'mac' | 'since' | 'line'>;

/** Builds a {@link BridgeMacRecord} from sightings fed in time order. */
export class BridgeMacSpans {
  private readonly open = new Map<string, OpenSpan>();
  private readonly done: BridgeMacHeld[] = [];
  private readonly links = new Map<string, RecordedLinkMac>();
  /** Set when a record had no time: the log cannot bound any span. */
  private untimed = false;
  /** When the feed broke (null while it runs): later sightings may have gaps before them, so none is taken. */
  private stoppedAt: Timestamp | null = null;

  /** @param path the log's path, or `rtnetlink` for a live feed (named in the evidence). */
  constructor(private readonly path: string) {}

  /** Bridge `bridge` shown with `mac` at `time` (at 1-based line `line` of a log; null live). */
  seen(bridge: string, mac: Mac, time: Timestamp | null, line: number | null): void {
    if (this.stoppedAt !== null) return;
    if (time === null) { this.untimed = true; return; }
    const span = this.open.get(bridge);
    if (span && span.mac === mac) return;
    if (span) this.close(bridge, span, time);
    this.open.set(bridge, { mac, since: time, line });
  }

  /**
   * Any link (bridge, port or other) shown with `mac` at `time`. `printedFirst`: this is the
   * record's first sighting of the link, printed because something about it changed, so its MAC
   * just before is unknown (false for a live snapshot, a new link, or a reported change).
   */
  link(ifname: string, mac: Mac, time: Timestamp | null, printedFirst: boolean): void {
    if (this.stoppedAt !== null) return;
    const key = `${ifname} ${mac}`;
    if (!this.links.has(key)) this.links.set(key, { ifname, mac, firstPrinted: printedFirst ? time : null });
  }

  /** The feed broke at `time` (a live socket failed): open spans end there, nothing later counts. */
  stop(time: Timestamp): void {
    if (this.stoppedAt !== null) return;
    for (const [bridge, span] of this.open) this.close(bridge, span, time);
    this.open.clear();
    this.stoppedAt = time;
  }

  /** The bridge was deleted at `time`. */
  deleted(bridge: string, time: Timestamp | null): void {
    const span = this.open.get(bridge);
    if (!span) return;
    if (time === null) { this.untimed = true; return; }
    this.close(bridge, span, time);
    this.open.delete(bridge);
  }

  /**
   * The record from `first` to `last` (or to where the feed broke), open spans ending there; null
   * when a sighting had no time or the span is unknown. Nothing is changed: a live feed goes on.
   */
  record(first: Timestamp | null, last: Timestamp | null): BridgeMacRecord | null {
    if (this.untimed || first === null || last === null) return null;
    const until = this.stoppedAt !== null && compareTs(this.stoppedAt, last) < 0 ? this.stoppedAt : last;
    const spans = [...this.done];
    for (const [bridge, span] of this.open) {
      const held = this.span(bridge, span, until);
      if (held) spans.push(held);
    }
    return { source: this.path, first, last: until, spans, links: [...this.links.values()] };
  }

  private close(bridge: string, span: OpenSpan, until: Timestamp): void {
    const held = this.span(bridge, span, until);
    if (held) this.done.push(held);
  }

  private span(bridge: string, span: OpenSpan, until: Timestamp): BridgeMacHeld | null {
    if (compareTs(until, span.since) < 0) return null; // times going backwards (clock stepped): no span
    return { bridge, ...span, until, path: this.path };
  }
}
