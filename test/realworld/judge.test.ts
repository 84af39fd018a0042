/** The corpus judge (scripts/realworld-judge.mjs) on small hand-written analysis documents. */
import { describe, expect, it } from 'vitest';
import { describe as describeDoc, judge, type JudgedDocument } from '../../scripts/realworld-judge.mjs';

const quiet: JudgedDocument = { captures: [{}], incidents: [], findings: [] };
const spoof: JudgedDocument = {
  captures: [{}],
  findings: [{ kind: 'arp-spoof', ip: '172.16.0.1', spooferMac: '00:25:B3:BF:91:EE', victims: ['172.16.0.107'] }],
  incidents: [{ kind: 'arp-spoof', ip: '172.16.0.1', severity: 'critical', findings: [0] }],
};
const outage: JudgedDocument = {
  captures: [{}],
  findings: [{ kind: 'reply-gap', ip: '10.0.2.15' }, { kind: 'reply-gap', ip: '10.0.2.15' }],
  incidents: [{ kind: 'outage', ip: '10.0.2.15', severity: 'critical', findings: [0, 1], cause: { code: 'unknown' } }],
};

describe('realworld judge', () => {
  it('accepts a quiet capture expected quiet', () => {
    expect(judge(quiet, { maxIncidents: 0, forbidden: ['reply-gap'] })).toEqual({ right: true, reasons: [] });
  });

  it('counts incidents and names forbidden kinds found as finding or incident', () => {
    const v = judge(outage, { maxIncidents: 0, forbidden: ['reply-gap', 'outage'] });
    expect(v.right).toBe(false);
    expect(v.reasons).toEqual([
      '1 incident(s), at most 0 expected',
      'forbidden reply-gap: 2 finding(s)',
      'forbidden outage: 1 incident(s)',
    ]);
  });

  it('finds a required kind by the address and MACs it mentions in any field, case-insensitively', () => {
    const want = { kind: 'arp-spoof', ip: '172.16.0.1', macs: ['00:25:b3:bf:91:ee'] };
    expect(judge(spoof, { required: [want] }).right).toBe(true);
    expect(judge(spoof, { required: [{ ...want, macs: ['00:26:0b:31:07:33'] }] }).reasons).toEqual([
      'missing arp-spoof naming 172.16.0.1, 00:26:0b:31:07:33',
    ]);
    expect(judge(quiet, { required: [want] }).right).toBe(false);
  });

  it('caps severity', () => {
    expect(judge(outage, { maxSeverity: 'warning' }).reasons).toEqual(['outage 10.0.2.15 is critical, at most warning expected']);
    expect(judge(spoof, { maxSeverity: 'critical' }).right).toBe(true);
  });

  it('reports a read error as wrong', () => {
    expect(judge({ ...quiet, captures: [{ error: { message: 'truncated at byte 24' } }] }, {}).reasons).toEqual(['read error: truncated at byte 24']);
  });

  it('describes what bridgewatch said in one line', () => {
    expect(describeDoc(quiet)).toBe('no incident');
    expect(describeDoc(outage)).toBe('outage 10.0.2.15 (critical, cause unknown; reply-gap x2)');
  });
});
