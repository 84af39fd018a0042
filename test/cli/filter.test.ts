/**
 * The display filter `analyze --ip/--vlan/--mac` (tshark's habit): reports narrowed to the
 * incidents and findings involving those addresses, VLANs or MACs, on shipped samples merged
 * into one analysis (a bridge MAC flip on 192.0.2.1, a clash on 192.0.2.20, an address reuse of
 * 192.0.2.60 that is a finding without incident).
 */
import { describe, expect, it } from 'vitest';
import { analyzeCaptures } from '../../src/analyze.js';
import { filterAnalysis, incidentLineMatches, normalizeFilter } from '../../src/filter.js';
import { incidentRecord } from '../../src/live/print.js';
import { runCli } from './run-cli.js';
import { schemaValidator } from './schema-validator.js';

const FLIP = 'samples/guest-start-stop/neighbour.pcap';
const CLASH = 'samples/duplicate-ip/neighbour.pcap';
const REUSE = 'samples/address-reuse/neighbour.pcap';
const VLAN = 'samples/guest-start-stop-vlan100/neighbour.pcap';

interface Doc {
  incidents: { id: string; ip: string; kind: string; findings: number[] }[];
  findings: { kind: string; ip: string }[];
  filter?: { ips: string[]; vlans: number[]; macs: string[] };
}

async function analyze(args: string[]): Promise<Doc> {
  const r = await runCli(['analyze', FLIP, CLASH, REUSE, '--format', 'json', '--fail-on', 'never', ...args]);
  expect(r.err).toBe('');
  const doc = JSON.parse(r.out) as Doc;
  expect(schemaValidator('analysis')(doc)).toEqual([]);
  return doc;
}

describe('analyze --ip / --vlan / --mac', () => {
  it('without a filter: both incidents and the reuse finding', async () => {
    const doc = await analyze([]);
    expect(doc.incidents.map((i) => i.ip).sort()).toEqual(['192.0.2.1', '192.0.2.20']);
    expect(doc.findings.some((f) => f.ip === '192.0.2.60')).toBe(true);
    expect(doc.filter).toBeUndefined();
  });

  it('--ip keeps that address only, incident findings renumbered into the kept findings', async () => {
    const doc = await analyze(['--ip', '192.0.2.20']);
    expect(doc.incidents.map((i) => [i.ip, i.kind])).toEqual([['192.0.2.20', 'ip-clash']]);
    expect(doc.findings.every((f) => f.ip === '192.0.2.20')).toBe(true);
    expect(doc.incidents[0]!.findings.every((n) => doc.findings[n]?.ip === '192.0.2.20')).toBe(true);
    expect(doc.filter).toEqual({ ips: ['192.0.2.20'], vlans: [], macs: [] });
  });

  it('--ip repeated: either address', async () => {
    const doc = await analyze(['--ip', '192.0.2.20', '--ip', '192.0.2.1']);
    expect(doc.incidents).toHaveLength(2);
    expect(doc.findings.some((f) => f.ip === '192.0.2.60')).toBe(false);
  });

  it('--mac keeps what names the MAC (any spelling): the clash it takes part in and the reuse finding', async () => {
    // Both samples' guests use 52:54:00:00:02:01 (one claims .20 against .01:01, one takes .60 over).
    const doc = await analyze(['--mac', '52-54-00-00-02-01']);
    expect(doc.incidents.map((i) => [i.ip, i.kind])).toEqual([['192.0.2.20', 'ip-clash']]);
    expect(doc.findings.map((f) => [f.kind, f.ip])).toEqual([['ip-clash', '192.0.2.20'], ['mac-change', '192.0.2.60']]);
    expect(doc.filter?.macs).toEqual(['52:54:00:00:02:01']);
  });

  it('--mac of the flip port keeps the flip incident with all its findings (the outage too)', async () => {
    const doc = await analyze(['--mac', '00:18:51:00:00:01']);
    expect(doc.incidents.map((i) => i.kind)).toEqual(['bridge-mac-flip']);
    expect(doc.findings.map((f) => f.kind).sort()).toEqual(['mac-change', 'reply-gap']);
  });

  it('--vlan: 100 keeps the tagged flip, 0 (untagged) drops it; different kinds must all match', async () => {
    const tagged = JSON.parse((await runCli(['analyze', VLAN, '--format', 'json', '--vlan', '100'])).out) as Doc;
    expect(tagged.incidents).toHaveLength(1);
    const untagged = JSON.parse((await runCli(['analyze', VLAN, '--format', 'json', '--vlan', '0'])).out) as Doc;
    expect(untagged.incidents).toEqual([]);
    const both = JSON.parse((await runCli(['analyze', VLAN, '--format', 'json', '--vlan', '100', '--ip', '192.0.2.99'])).out) as Doc;
    expect(both.incidents).toEqual([]);
  });

  it('the table and the exit code follow the filter', async () => {
    const all = await runCli(['analyze', FLIP, CLASH]);
    expect(all.code).toBe(1);
    const none = await runCli(['analyze', FLIP, CLASH, '--ip', '192.0.2.99']);
    expect(none.code).toBe(0);
    expect(none.out).toMatch(/No incidents/);
    expect(none.err).toBe('bridgewatch: display filter ip 192.0.2.99: 0 of 2 incident(s) shown\n');
  });

  it('bad values are one-line usage errors naming the option', async () => {
    expect((await runCli(['analyze', FLIP, '--ip', '192.0.2.300'])).err).toBe('bridgewatch: --ip: expected an IPv4 or IPv6 address, got "192.0.2.300"\n');
    expect((await runCli(['analyze', FLIP, '--vlan', 'x'])).err).toMatch(/^bridgewatch: --vlan: expected a VLAN id 0-4094/);
    expect((await runCli(['analyze', FLIP, '--mac', 'zz'])).code).toBe(2);
  });

  it('IPv6 addresses match in any spelling; the input analysis is left unchanged', async () => {
    const analysis = await analyzeCaptures(['samples/guest-start-stop-v6/neighbour.pcap']);
    const ip = analysis.incidents[0]!.ip;
    expect(ip).toContain(':');
    const shouted = filterAnalysis(analysis, { ips: [ip.toUpperCase().replace('::', ':0::')] });
    expect(shouted.incidents).toHaveLength(analysis.incidents.length);
    const other = filterAnalysis(analysis, { ips: ['2001:db8::ffff'] });
    expect(other.incidents).toEqual([]);
    expect(analysis.filter).toBeUndefined();
  });

  it('live: incident lines are kept by the same rules (address, VLAN, MAC of the line)', async () => {
    const analysis = await analyzeCaptures([VLAN]);
    const line = incidentRecord(analysis.incidents[0]!, analysis.findings, 'open');
    expect(incidentLineMatches(line, normalizeFilter({ vlans: [100] }))).toBe(true);
    expect(incidentLineMatches(line, normalizeFilter({ vlans: [0] }))).toBe(false);
    expect(incidentLineMatches(line, normalizeFilter({ macs: ['00.18.51.00.00.01'.replaceAll('.', ':')] }))).toBe(true);
    expect(incidentLineMatches(line, normalizeFilter({ macs: ['52:54:00:99:99:99'] }))).toBe(false);
    expect(incidentLineMatches(line, normalizeFilter({ ips: ['192.0.2.1'], vlans: [100] }))).toBe(true);
  });

  it('live rejects a bad filter value before capturing', async () => {
    const r = await runCli(['live', '-i', 'lo', '--ip', 'nope']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('bridgewatch: --ip: expected an IPv4 or IPv6 address, got "nope"\n');
  });
});
