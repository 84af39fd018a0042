/**
 * Which MAC each bridge held ({@link BridgeMacHeld}), from a complete feed of a host's link
 * messages: a timed monitor log read in file order, or live rtnetlink from its snapshot on. Each
 * sighting of a bridge with another MAC, or its deletion, closes the bridge's span; open spans end
 * where the feed is known to have run to (the log's last time, or now for a live feed).
 */
import type { Mac } from '../net/mac.js';
import { compareTs, type Timestamp } from '../time.js';
import type { BridgeMacHeld } from './types.js';

interface OpenSpan {
  mac: Mac;
  since: Timestamp;
  line: number | null;
}

export class BridgeMacSpans {
  private readonly open = new Map<string, OpenSpan>();
  private readonly done: BridgeMacHeld[] = [];
  /** Set when a record had no time: the log cannot bound any span. */
  private untimed = false;
  /** Set when the feed broke: later sightings may have gaps before them, so none is taken. */
  private stopped = false;

  /** @param path the log's path, or `rtnetlink` for a live feed (named in the evidence). */
  constructor(private readonly path: string) {}

  /** Bridge `bridge` shown with `mac` at `time` (at 1-based line `line` of a log; null live). */
  seen(bridge: string, mac: Mac, time: Timestamp | null, line: number | null): void {
    if (this.stopped) return;
    if (time === null) { this.untimed = true; return; }
    const span = this.open.get(bridge);
    if (span && span.mac === mac) return;
    if (span) this.close(bridge, span, time);
    this.open.set(bridge, { mac, since: time, line });
  }

  /** The feed broke at `time` (a live socket failed): open spans end there, nothing later counts. */
  stop(time: Timestamp): void {
    if (this.stopped) return;
    for (const [bridge, span] of this.open) this.close(bridge, span, time);
    this.open.clear();
    this.stopped = true;
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
   * Every span so far, the open ones ending at `until` (the feed ran at least that long; null: they
   * are left out). None when a sighting had no time. Nothing is changed: a live feed goes on.
   */
  spans(until: Timestamp | null): BridgeMacHeld[] {
    if (this.untimed) return [];
    const out = [...this.done];
    if (until !== null) {
      for (const [bridge, span] of this.open) {
        const held = this.span(bridge, span, until);
        if (held) out.push(held);
      }
    }
    return out;
  }

  private close(bridge: string, span: OpenSpan, until: Timestamp): void {
    const held = this.span(bridge, span, until);
    if (held) this.done.push(held);
  }

  private span(bridge: string, span: OpenSpan, until: Timestamp): BridgeMacHeld | null {
    if (compareTs(until, span.since) < 0) return null; // times going backwards (clock stepped): no span
    return { bridge, mac: span.mac, since: span.since, until, path: this.path, line: span.line };
  }
}
