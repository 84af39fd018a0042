/**
 * Synthetic DecodedEvents for detection tests: a tiny builder that numbers frames and stamps times
 * (seconds after a fixed epoch), so each test reads like the capture it imitates. The events are
 * exactly what src/decode/ emits for such frames (see src/decode/events.ts); no bytes involved.
 */
import type { ArpEvent, DecodedEvent, FrameInfo, IpEvent, NdpEvent } from '../../src/decode/events.js';
import { isGroupOrUnspecifiedIp } from '../../src/detect/classify.js';
import { Detector } from '../../src/detect/detector.js';
import type { DetectOptions } from '../../src/detect/options.js';
import { BROADCAST_MAC, parseMac, type Mac } from '../../src/net/mac.js';
import type { DetectedIncident, Finding } from '../../src/detect/types.js';
import { ipv4Number } from '../../src/net/ipv4.js';

/** 2026-11-21T09:00:00Z: all synthetic times are offsets from here. */
export const EPOCH = 1_795_251_600;

export function mac(text: string): Mac {
  const m = parseMac(text);
  if (m === null) throw new Error(`bad MAC ${text}`);
  return m;
}

export interface Station { ip: string; mac: Mac }

export interface FrameOpts {
  vlan?: number | null;
  /** SLL packet type (marks an `-i any` capture); Ethernet when undefined. */
  packetType?: number;
  interfaceId?: number;
}

export class Trace {
  readonly events: DecodedEvent[] = [];
  private frame = 0;

  constructor(private readonly defaults: FrameOpts = {}) {}

  info(t: number, srcMac: Mac | null, dstMac: Mac | null, o: FrameOpts = {}): FrameInfo {
    const opts = { ...this.defaults, ...o };
    const whole = Math.floor(t);
    const sll = opts.packetType !== undefined;
    const vlan = opts.vlan ?? null;
    return {
      frame: ++this.frame, fileIndex: 0, tsSec: EPOCH + whole, tsNsec: Math.round((t - whole) * 1e9),
      interfaceId: opts.interfaceId ?? 0, srcMac, dstMac: sll ? null : dstMac, vlan,
      vlans: vlan === null ? [] : [vlan], packetType: sll ? opts.packetType! : null, ifIndex: null, wireLength: 60,
    };
  }

  arp(t: number, op: number, sender: Station, targetIp: string, targetMac: Mac, dstMac: Mac, o?: FrameOpts): ArpEvent {
    const ev: ArpEvent = {
      kind: 'arp', info: this.info(t, sender.mac, dstMac, o), op,
      senderMac: sender.mac, senderIp: sender.ip, senderIpv4: ipv4Number(sender.ip), targetMac, targetIp, targetIpv4: ipv4Number(targetIp),
    };
    this.events.push(ev);
    return ev;
  }

  /** Broadcast who-has `targetIp` tell `sender` (or unicast to `dstMac`: a revalidation probe). */
  whoHas(t: number, sender: Station, targetIp: string, dstMac: Mac = BROADCAST_MAC, o?: FrameOpts): ArpEvent {
    return this.arp(t, 1, sender, targetIp, 0, dstMac, o);
  }

  /** `sender` is-at, unicast to `to`. */
  isAt(t: number, sender: Station, to: Station, o?: FrameOpts): ArpEvent {
    return this.arp(t, 2, sender, to.ip, to.mac, to.mac, o);
  }

  /** Gratuitous ARP reply (sender IP = target IP), broadcast. */
  garp(t: number, s: Station, o?: FrameOpts): ArpEvent {
    return this.arp(t, 2, s, s.ip, BROADCAST_MAC, BROADCAST_MAC, o);
  }

  /** RFC 5227 probe for `ip` from `probeMac` (sender IP 0.0.0.0). */
  probe(t: number, probeMac: Mac, ip: string, o?: FrameOpts): ArpEvent {
    return this.arp(t, 1, { ip: '0.0.0.0', mac: probeMac }, ip, 0, BROADCAST_MAC, o);
  }

  ip(t: number, from: Station, to: Station, echo: IpEvent['echo'], o?: FrameOpts, dstMac?: Mac): IpEvent {
    const ev: IpEvent = {
      kind: 'ip', info: this.info(t, from.mac, dstMac ?? to.mac, o), version: from.ip.includes(':') ? 6 : 4,
      srcIp: from.ip, dstIp: to.ip, srcIpv4: ipv4Number(from.ip), dstIpv4: ipv4Number(to.ip), srcGroup: isGroupOrUnspecifiedIp(from.ip), dstGroup: isGroupOrUnspecifiedIp(to.ip), protocol: from.ip.includes(':') ? 58 : 1, echo, tcp: null,
    };
    this.events.push(ev);
    return ev;
  }

  /** A TCP segment `from` -> `to` with `flags` (0x10 ACK, 0x18 PSH|ACK, 0x02 SYN...) and `payloadBytes` of data. */
  tcp(t: number, from: Station, to: Station, flags: number, payloadBytes: number, o?: FrameOpts): IpEvent {
    const ev = this.ip(t, from, to, null, o);
    ev.protocol = 6;
    ev.tcp = { flags, payloadBytes };
    return ev;
  }

  /** Echo request `from` -> `to` sent to MAC `toMac` (defaults to `to.mac`), then optionally the reply. */
  ping(t: number, from: Station, to: Station, reply: boolean, toMac: Mac = to.mac, o?: FrameOpts): void {
    const seq = Math.round(t * 1000) % 65536;
    this.ip(t, from, to, { type: 'request', id: 1, seq }, o, toMac);
    if (reply) this.ip(t + 0.0005, to, from, { type: 'reply', id: 1, seq }, o);
  }

  ndp(t: number, fields: Partial<NdpEvent> & Pick<NdpEvent, 'type' | 'srcIp' | 'dstIp'>, srcMac: Mac, dstMac: Mac, o?: FrameOpts): NdpEvent {
    const ev: NdpEvent = {
      kind: 'ndp', info: this.info(t, srcMac, dstMac, o), targetIp: null, sourceLinkAddr: null,
      targetLinkAddr: null, router: false, solicited: false, override: false, ...fields,
    };
    this.events.push(ev);
    return ev;
  }

  /** NS from `from` for `targetIp` (multicast to the solicited-node group unless `dstMac` given). */
  ns(t: number, from: Station, targetIp: string, dstMac: Mac = mac('33:33:ff:00:00:01'), o?: FrameOpts): NdpEvent {
    return this.ndp(t, { type: 'ns', srcIp: from.ip, dstIp: 'ff02::1:ff00:1', targetIp, sourceLinkAddr: from.mac }, from.mac, dstMac, o);
  }

  /** Solicited NA from `from` to `to`. */
  na(t: number, from: Station, to: Station, o?: FrameOpts): NdpEvent {
    return this.ndp(t, { type: 'na', srcIp: from.ip, dstIp: to.ip, targetIp: from.ip, targetLinkAddr: from.mac, solicited: true, override: true }, from.mac, to.mac, o);
  }

  /** Unsolicited NA with override to all-nodes (what ndisc_notify sends). */
  unsolicitedNa(t: number, from: Station, o?: FrameOpts): NdpEvent {
    return this.ndp(t, { type: 'na', srcIp: from.ip, dstIp: 'ff02::1', targetIp: from.ip, targetLinkAddr: from.mac, solicited: false, override: true }, from.mac, mac('33:33:00:00:00:01'), o);
  }

  /** DAD probe: NS from :: for `ip`. */
  dad(t: number, probeMac: Mac, ip: string, o?: FrameOpts): NdpEvent {
    return this.ndp(t, { type: 'ns', srcIp: '::', dstIp: 'ff02::1:ff00:1', targetIp: ip }, probeMac, mac('33:33:ff:00:00:01'), o);
  }

  /** Events sorted by time (builders may interleave), as a reader would deliver them. */
  sorted(): DecodedEvent[] {
    return [...this.events].sort((a, b) => a.info.tsSec - b.info.tsSec || a.info.tsNsec - b.info.tsNsec || a.info.frame - b.info.frame);
  }
}

export interface DetectRun {
  findings: Finding[];
  incidents: DetectedIncident[];
  detector: Detector;
  /** Incident ids announced through onIncident before finish(). */
  announcedEarly: string[];
}

export function detect(events: DecodedEvent[], options: Partial<DetectOptions> = {}): DetectRun {
  const detector = new Detector(options);
  const announcedEarly: string[] = [];
  detector.onIncident = (i) => { announcedEarly.push(`${i.kind}@${i.ip}`); };
  for (const ev of events) detector.push(ev);
  const { findings, incidents } = detector.finish();
  return { findings, incidents, detector, announcedEarly };
}

/** Seconds after {@link EPOCH} of a finding/incident timestamp. */
export function rel(t: { sec: number; nsec: number }): number {
  return t.sec - EPOCH + t.nsec / 1e9;
}

/** The REFERENCE.md section 1 incident as seen at the neighbour (times in seconds). */
export const HOST_OLD: Station = { ip: '192.0.2.1', mac: mac('b4:99:ba:11:22:33') };
export const HOST_NEW: Station = { ip: '192.0.2.1', mac: mac('00:18:51:00:00:01') };
export const NEIGHBOUR: Station = { ip: '192.0.2.254', mac: mac('00:25:90:aa:bb:cc') };

/**
 * Builds the bridge MAC flip: pings every 200 ms; at 7.536 the host re-resolves from the new MAC;
 * the port leaves at 17.5 (pings then go to the stale MAC unanswered); unicast ARP probes at 37.27,
 * 38.30, 39.32; broadcast at 40.400 answered from the old MAC at 40.401.
 */
export function bridgeFlip(tr: Trace, old: Station = HOST_OLD, neu: Station = HOST_NEW, nb: Station = NEIGHBOUR, o?: FrameOpts): void {
  const stopAt = 17.5;
  for (let t = 0.2; t < 45; t += 0.2) {
    const tt = Math.round(t * 1000) / 1000;
    if (tt > 40.4) tr.ping(tt, nb, old, true, old.mac, o);
    else if (tt >= 7.6 && tt < stopAt) tr.ping(tt, nb, neu, true, neu.mac, o);
    else if (tt < 7.536) tr.ping(tt, nb, old, true, old.mac, o);
    else if (tt >= stopAt) tr.ping(tt, nb, neu, false, neu.mac, o); // to the stale MAC, unanswered
  }
  tr.whoHas(7.536, neu, nb.ip, BROADCAST_MAC, o);
  tr.isAt(7.5365, nb, neu, o);
  for (const t of [37.27, 38.3, 39.32]) tr.whoHas(t, nb, old.ip, neu.mac, o);
  tr.whoHas(40.4, nb, old.ip, BROADCAST_MAC, o);
  tr.isAt(40.401, old, nb, o);
}

/**
 * One multi-homed host (two NICs, arp_ignore=0) answering for 192.0.2.20 and .21 on both NICs
 * within microseconds, in alternating order, four rounds 5 s apart from t = 1 s: ARP flux.
 */
export function arpFlux(tr: Trace): void {
  const NIC1 = mac('52:54:00:00:01:01');
  const NIC2 = mac('52:54:00:00:01:02');
  for (let round = 0; round < 4; round++) {
    ['192.0.2.20', '192.0.2.21'].forEach((ip, k) => {
      const t = 1 + round * 5 + k;
      tr.whoHas(t, NEIGHBOUR, ip);
      tr.isAt(t + 0.00001, { ip, mac: round % 2 ? NIC2 : NIC1 }, NEIGHBOUR);
      tr.isAt(t + 0.00003, { ip, mac: round % 2 ? NIC1 : NIC2 }, NEIGHBOUR);
    });
  }
}
