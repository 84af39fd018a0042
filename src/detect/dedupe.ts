/**
 * Drops copies of one frame seen on several interfaces: `tcpdump -i any` on a bridge host records
 * a guest's frame on the tap, on the bridge and (as OUTGOING) on the uplink, microseconds apart;
 * a pcapng file with several interfaces can do the same. Counting each copy would double requests
 * and evidence. A copy is an event with the same content (addresses, operation, echo id/seq) within
 * `windowMs`. Frames carry no IP id here, so two genuinely identical frames sent within the window
 * (a tight storm) are also merged: the window is kept small (default 5 ms) for that reason.
 *
 * Copies need a second vantage: another input file, another pcapng interface, or a cooked (SLL/SLL2)
 * capture, which records a frame once per interface it crosses. Until an event shows one, nothing is
 * recorded: a single-interface Ethernet capture (the common case, and every flood) pays nothing, and
 * its genuinely repeated frames are all counted. The cost of arming late: a copy of a frame seen in
 * the `windowMs` before the second vantage first appeared is not recognised.
 */
import type { DecodedEvent } from '../decode/events.js';

export class FrameDeduper {
  /** content key -> capture time (s) last seen. Pruned by age, and capped. */
  private readonly seen = new Map<string, number>();
  private lastPrune = 0;
  /** Copies dropped so far. */
  dropped = 0;
  /** Set once a second vantage (or a cooked capture) was seen. */
  private armed = false;
  private firstFile = -1;
  private firstInterface = -1;

  constructor(private readonly windowMs: number, private readonly cap: number) {}

  /** True when `ev` repeats a frame seen within the window (the caller then ignores it). */
  isDuplicate(ev: DecodedEvent, t: number): boolean {
    if (this.windowMs <= 0) return false;
    if (!this.armed && !this.arm(ev)) return false;
    const key = contentKey(ev);
    if (key === null) return false;
    const windowS = this.windowMs / 1000;
    const prev = this.seen.get(key);
    // A copy is within the window of the frame it copies: measured from the first sighting, which a
    // copy must not refresh (else a storm of identical requests 1 ms apart would all be "copies").
    if (prev !== undefined && t - prev <= windowS && t >= prev) {
      this.dropped++;
      return true;
    }
    // Delete first so the Map's order stays time order (pruning walks from the oldest).
    this.seen.delete(key);
    this.seen.set(key, t);
    if (t - this.lastPrune > windowS || this.seen.size > this.cap) this.prune(t, windowS);
    return false;
  }

  /** True when `ev` shows that copies are possible (and from then on). */
  private arm(ev: DecodedEvent): boolean {
    const i = ev.info;
    if (this.firstFile < 0) {
      this.firstFile = i.fileIndex;
      this.firstInterface = i.interfaceId;
    }
    this.armed = i.packetType !== null || i.fileIndex !== this.firstFile || i.interfaceId !== this.firstInterface;
    return this.armed;
  }

  get size(): number {
    return this.seen.size;
  }

  private prune(t: number, windowS: number): void {
    this.lastPrune = t;
    for (const [key, seenAt] of this.seen) {
      if (t - seenAt <= windowS && this.seen.size <= this.cap) break;
      this.seen.delete(key);
    }
  }
}

function contentKey(ev: DecodedEvent): string | null {
  const i = ev.info;
  const head = `${i.vlan ?? ''}|${i.srcMac ?? ''}`;
  switch (ev.kind) {
    case 'arp':
      return `a|${head}|${ev.op}|${ev.senderMac}|${ev.senderIp}|${ev.targetMac}|${ev.targetIp}`;
    case 'ndp':
      return `n|${head}|${ev.type}|${ev.srcIp}|${ev.dstIp}|${ev.targetIp ?? ''}|${ev.solicited}|${ev.override}`;
    case 'ip':
      return `i|${head}|${ev.srcIp}|${ev.dstIp}|${ev.protocol}|${ev.echo ? `${ev.echo.type}${ev.echo.id}.${ev.echo.seq}` : ''}|` +
        (ev.tcp ? `${ev.tcp.flags}.${ev.tcp.payloadBytes}` : '');
    default:
      return null;
  }
}
