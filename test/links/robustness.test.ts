/**
 * Hostile input: arbitrary text (fast-check) through every parser never throws; each non-blank
 * line is either an event source, skipped, or counted as unparsed with a valid line number.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseLinkText } from '../../src/links/index.js';
import type { LinkLogOptions } from '../../src/links/clock.js';

const FORMATS: NonNullable<LinkLogOptions['format']>[] = [
  'ip-monitor', 'bridge-monitor', 'dmesg', 'dmesg-T', 'journalctl', 'journalctl-json', 'syslog',
];

// Lines built from fragments of real records, so the generator reaches deep into the parsers.
const fragment = fc.constantFrom(
  '[2026-11-21T09:09:49.132165] ', 'Timestamp: Sat Nov 21 09:09:49 2026 132311 usec', 'Deleted ', '6: vnet5@vnet5p: ',
  '<BROADCAST,MULTICAST> ', 'mtu 1500 ', 'master br0 ', 'state DOWN ', 'qdisc noop ', '    link/ether 00:18:51:00:00:01',
  '[  338.304899] ', 'br0: port 2(vnet5) entered forwarding state', 'Nov 21 09:33:24 hv kernel: ', '<6>1 ', '{"MESSAGE":',
  '"__REALTIME_TIMESTAMP":"1"', '}', ' \\    ', 'received packet on ', '(addr:', 'ff', '\t', '',
);
const line = fc.oneof(fc.array(fragment, { maxLength: 6 }).map((a) => a.join('')), fc.string({ maxLength: 40 }));
const text = fc.array(line, { maxLength: 30 }).map((a) => a.join('\n'));

describe('parsers on arbitrary text', () => {
  it.each(FORMATS)('%s never throws and reports sane line numbers', (format) => {
    fc.assert(fc.property(text, (t) => {
      const log = parseLinkText(t, 'fuzz', { format, bootTime: { sec: 1_795_000_000, nsec: 0 } });
      const lines = t.split(/\r?\n/).length;
      for (const u of log.unparsed) {
        expect(u.line).toBeGreaterThanOrEqual(1);
        expect(u.line).toBeLessThanOrEqual(lines);
      }
      for (const e of log.events) if (e.line !== null) expect(e.line).toBeLessThanOrEqual(lines);
      expect(log.events.length + log.unparsed.length).toBeLessThanOrEqual(lines * 4);
    }), { numRuns: 300 });
  });
});
