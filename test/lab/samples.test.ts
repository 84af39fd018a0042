/**
 * The shipped samples (samples/<run>/, recorded with scripts/lab-samples) against their truth.json:
 * bridge MAC changes as the ip monitor log shows them, outages as the ping log shows them, only
 * documentation addresses in the captures, and each scenario's own claims (see check-run.ts).
 * Needs tshark (a CI package); reads files only, no root.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRun } from './check-run.js';
import { SCENARIO_NAMES } from '../../tools/lab/index.js';
import type { Truth } from '../../tools/lab/truth.js';

const SAMPLES = join(import.meta.dirname, '..', '..', 'samples');
const runs = readdirSync(SAMPLES).filter((d) => existsSync(join(SAMPLES, d, 'truth.json'))).sort();
const truthOf = (d: string): Truth => JSON.parse(readFileSync(join(SAMPLES, d, 'truth.json'), 'utf8')) as Truth;

describe('shipped lab samples', () => {
  it('cover every scenario and the required variants', () => {
    const truths = runs.map(truthOf);
    expect(new Set(truths.map((t) => t.scenario))).toEqual(new Set(SCENARIO_NAMES));
    const gss = truths.filter((t) => t.scenario === 'guest-start-stop');
    expect(gss.some((t) => t.options.fixed)).toBe(true);
    expect(gss.some((t) => t.options.kernelTimers)).toBe(true);
    expect(new Set(gss.map((t) => t.options.neighbourFormat))).toEqual(new Set(['pcap-us', 'pcap-ns', 'pcapng', 'sll2']));
    expect(gss.some((t) => t.options.vlan === 100)).toBe(true);
  });

  it('are listed in samples/README.md with the command that made them', () => {
    const readme = readFileSync(join(SAMPLES, 'README.md'), 'utf8');
    for (const d of runs) expect(readme, d).toContain(`--out samples/${d}`);
  });

  // The checks must be able to fail: a truth that disagrees with its recordings is rejected.
  // A one-frame pcap (hand-made, µs, Ethernet): ARP who-has 10.0.0.2 tell 10.0.0.1, from 02:00:00:00:00:01.
  const PUBLIC_ARP_PCAP = Buffer.from((
    'd4c3b2a1 0200 0400 00000000 00000000 ffff0000 01000000' + // pcap header, LE, v2.4, snaplen 65535, Ethernet
    '00000000 00000000 2a000000 2a000000' + //                     record: ts 0, 42 of 42 bytes
    'ffffffffffff 020000000001 0806' + //                          Ethernet: broadcast <- 02:..:01, ARP
    '0001 0800 06 04 0001 020000000001 0a000001 000000000000 0a000002' // request 10.0.0.1 -> 10.0.0.2
  ).replace(/ /g, ''), 'hex');
  const tampered: Array<[string, (t: Truth, dir: string) => void]> = [
    ['an outage starting at its end', (t) => { t.expected.outages[0]!.start = t.expected.outages[0]!.end; }],
    ['a missing bridge MAC change', (t) => { t.expected.macChanges.pop(); }],
    ['a MAC change at the wrong time', (t) => { t.expected.macChanges[0]!.t = t.events[0]!.t; }],
    ['a capture with a public address', (t, dir) => {
      writeFileSync(join(dir, 'public.pcap'), PUBLIC_ARP_PCAP);
      t.files.neighbourCapture = 'public.pcap';
    }],
  ];
  for (const [what, tamper] of tampered) {
    it(`rejects guest-start-stop with ${what}`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'bwlab-tamper-'));
      try {
        cpSync(join(SAMPLES, 'guest-start-stop'), dir, { recursive: true });
        const truth = truthOf('guest-start-stop');
        tamper(truth, dir);
        writeFileSync(join(dir, 'truth.json'), JSON.stringify(truth));
        expect(() => checkRun(dir)).toThrow();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  for (const d of runs) {
    it(`${d} matches its truth`, () => {
      const truth = checkRun(join(SAMPLES, d));
      expect(truth.host.ns).toMatch(/^bwlab-\d+-\d+-hv$/);
    });
  }
});
