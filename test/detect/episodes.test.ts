/**
 * The modules the Detector delegates to, on their own: a MAC change is held for the clash window
 * and then published (src/detect/episodes.ts), a claim flood drops the changes still held on its
 * VLAN, traffic from the replaced MAC marks `oldMacStillAnswers`, and a MAC that claimed
 * `proxyArpMinIps` addresses is a proxy ARP responder (src/detect/proxy-arp.ts).
 */
import { describe, expect, it } from 'vitest';
import { FrameMark, type Binding } from '../../src/detect/binding.js';
import { BindingIncidents } from '../../src/detect/binding-incidents.js';
import { ChangeEpisodes } from '../../src/detect/episodes.js';
import { IncidentBook } from '../../src/detect/incidents.js';
import { detectWindows, resolveDetectOptions } from '../../src/detect/options.js';
import { ClaimedAddresses } from '../../src/detect/proxy-arp.js';
import { EPOCH, mac } from './helpers.js';

const OLD = mac('b4:99:ba:11:22:33');
const NEW = mac('00:18:51:00:00:01');

/** A mark at `t` seconds after EPOCH, frame `frame`. */
function at(t: number, frame: number): FrameMark {
  const m = new FrameMark();
  m.t = EPOCH + t;
  m.sec = EPOCH + Math.floor(t);
  m.nsec = Math.round((t - Math.floor(t)) * 1e9);
  m.frame = frame;
  return m;
}

/** A binding of 192.0.2.1 to OLD, last heard at `lastT` (seconds after EPOCH). */
function binding(vlan: number | null, lastT: number): Binding {
  return {
    key: `${vlan ?? ''}|192.0.2.1`, ip: '192.0.2.1', ipv4: 0xc0000201, vlan, mac: OLD, source: 'arp-reply', onLink: true,
    repliesVisible: true, fhrp: false, lastFrom: at(lastT, 1), lastFromCurrentMac: at(lastT, 1), runs: [],
    lastConcurrentT: -Infinity, episode: null, gap: null, firstRequest: null, clash: null, incident: null, vacated: false,
    closedByClaim: null, closedByClaimT: -Infinity,
  };
}

function setup() {
  const o = resolveDetectOptions({});
  const w = detectWindows(o);
  const book = new IncidentBook(o.criticalOutageMs, () => undefined);
  const episodes = new ChangeEpisodes(o, w, book, new BindingIncidents(book, w.flipWindowS));
  return { o, w, book, episodes };
}

const SILENT = { mac: NEW, source: 'arp-reply', announced: false, quiet: false } as const;

describe('ChangeEpisodes', () => {
  it('holds a change for the clash window, then publishes it and opens an incident (old MAC was active)', () => {
    const { w, book, episodes } = setup();
    const b = binding(null, 10);
    episodes.change(b, SILENT, at(10.5, 2));
    b.mac = NEW;
    episodes.publishDue(EPOCH + 10.5 + w.clashWindowS - 0.001, EPOCH + 11);
    expect(book.findings).toHaveLength(0);
    episodes.publishDue(EPOCH + 10.5 + w.clashWindowS, EPOCH + 20);
    expect(book.findings.map((f) => f.kind)).toEqual(['mac-change']);
    expect(b.episode?.index).toBe(0);
    expect(b.incident?.incident.findings).toEqual([0]);
  });

  it('an announced change is published without an incident', () => {
    const { book, episodes } = setup();
    const b = binding(null, 10);
    episodes.change(b, { ...SILENT, announced: true }, at(10.5, 2));
    episodes.publishDue(EPOCH + 100, EPOCH + 100);
    expect(book.findings).toHaveLength(1);
    expect(b.incident).toBeNull();
  });

  it('a flood on the VLAN drops the changes held there, not those of other VLANs', () => {
    const { book, episodes } = setup();
    const flooded = binding(10, 10);
    const other = binding(20, 10);
    episodes.change(flooded, SILENT, at(10.5, 2));
    episodes.change(other, SILENT, at(10.5, 3));
    episodes.dropHeld(10);
    episodes.publishDue(EPOCH + 100, EPOCH + 100);
    expect(flooded.episode).toBeNull();
    expect(book.findings).toHaveLength(1);
    expect(book.findings[0]!.vlan).toBe(20);
  });

  it('traffic from the replaced MAC marks that the old station still answers', () => {
    const { book, episodes } = setup();
    const b = binding(null, 10);
    episodes.change(b, SILENT, at(10.5, 2));
    b.mac = NEW;
    episodes.trafficFromOtherMac(b, mac('02:00:00:00:00:99'), EPOCH + 10.6);
    expect(b.episode?.finding.oldMacStillAnswers).toBe(false);
    episodes.trafficFromOtherMac(b, OLD, EPOCH + 10.7);
    expect(b.episode?.finding.oldMacStillAnswers).toBe(true);
    expect(book.findings).toHaveLength(0);
  });
});

describe('ClaimedAddresses', () => {
  it('a MAC is a proxy ARP responder once it claimed proxyArpMinIps addresses, per VLAN', () => {
    const claimed = new ClaimedAddresses(100, 3);
    expect(claimed.note(null, NEW, '192.0.2.1')).toBe(false);
    expect(claimed.note(null, NEW, '192.0.2.1')).toBe(false);
    expect(claimed.note(null, NEW, '192.0.2.2')).toBe(false);
    expect(claimed.isProxy(null, NEW)).toBe(false);
    expect(claimed.note(null, NEW, '192.0.2.3')).toBe(true);
    expect(claimed.isProxy(null, NEW)).toBe(true);
    expect(claimed.isProxy(10, NEW)).toBe(false);
    expect([...claimed.of(null, NEW)]).toEqual(['192.0.2.1', '192.0.2.2', '192.0.2.3']);
    expect(claimed.of(null, OLD).size).toBe(0);
  });
});
