import { describe, expect, it } from 'vitest';
import { frameFilter } from '../../src/report/evidence.js';
import { escapeHtml, escapeMarkdown, formatDuration, markdownCode, markdownProse, shellQuote } from '../../src/report/format.js';
import { ARP_WHO_HAS, classicPcap, haveTshark, skipWithout, tempDir, tshark, writeTemp } from './helpers.js';

describe('escaping', () => {
  const hostile = '<img src=x onerror=alert(1)>';

  it('HTML: no tag, attribute or entity survives', () => {
    expect(escapeHtml(hostile)).toBe('&lt;img src=x onerror=alert(1)&gt;');
    expect(escapeHtml(`a"b'c&d`)).toBe('a&quot;b&#39;c&amp;d');
  });

  it('Markdown: no inline HTML, link, emphasis, code or table break can form', () => {
    // `<` is an entity, so no tag can open and the `>` left as it is stays plain text.
    expect(escapeMarkdown(hostile)).toBe('&lt;img src=x onerror=alert(1)>');
    expect(escapeMarkdown('> quote')).toBe('\\> quote');
    expect(escapeMarkdown('&lt; &amp; & a&b')).toBe('&amp;lt; &amp;amp; & a&b');
    expect(escapeMarkdown('[x](javascript:alert(1)) *a* _b_ `c` |d| ~e~')).toBe('\\[x\\](javascript:alert(1)) \\*a\\* \\_b\\_ \\`c\\` \\|d\\| \\~e\\~');
    expect(escapeMarkdown('# title')).toBe('\\# title');
    expect(escapeMarkdown('1. item')).toBe('1\\. item');
    expect(escapeMarkdown('line\nbreak')).toBe('line break');
    // Addresses stay readable.
    expect(escapeMarkdown('192.0.2.1 (VLAN 20)')).toBe('192.0.2.1 (VLAN 20)');
  });

  it('Markdown reads well raw (issue #14 item 9; main wrote `-&gt;` and `addr\\_assign\\_type`)', () => {
    expect(escapeMarkdown('vnet0 MAC 00:18:51:00:00:01 -> b4:99:ba:11:22:33')).toBe('vnet0 MAC 00:18:51:00:00:01 -> b4:99:ba:11:22:33');
    expect(escapeMarkdown('(addr_assign_type 3)')).toBe('(addr_assign_type 3)');
    expect(markdownProse('Pinning keeps it (addr_assign_type 3); set net.ipv4.conf.all.arp_ignore=1.'))
      .toBe('Pinning keeps it (`addr_assign_type` 3); set `net.ipv4.conf.all.arp_ignore=1`.');
    expect(markdownProse('--set maxEvidenceFrames=N keeps more')).toBe('`--set maxEvidenceFrames=N` keeps more');
    // A file path or a MAC is not cut into code spans.
    expect(markdownProse('see /etc/network/if_up.d and x_y')).toBe('see /etc/network/if_up.d and `x_y`');
  });

  it('Markdown code spans: the fence outgrows backtick runs; pipes escaped in tables', () => {
    expect(markdownCode('a`b')).toBe('``a`b``');
    expect(markdownCode('`x`')).toBe('`` `x` ``');
    expect(markdownCode('a|b', true)).toBe('`a\\|b`');
  });

  it('shellQuote quotes only what a shell would split or expand', () => {
    expect(shellQuote(['ip', 'link', 'set', 'dev', 'br0', 'address', 'b4:99:ba:11:22:33'])).toBe('ip link set dev br0 address b4:99:ba:11:22:33');
    expect(shellQuote(['echo', "it's $HOME"])).toBe(`echo 'it'\\''s $HOME'`);
  });

  it('formatDuration picks units', () => {
    expect([850, 23_057, 185_000, 7_380_000].map(formatDuration)).toEqual(['850 ms', '23.06 s', '3 min 05 s', '2 h 03 min']);
  });
});

describe('frameFilter', () => {
  it('lists single frames, pairs and collapses runs of 3+ into ranges', () => {
    expect(frameFilter([57])).toBe('frame.number == 57');
    expect(frameFilter([12, 13, 57])).toBe('frame.number in {12, 13, 57}');
    expect(frameFilter([1, 2, 3, 4, 9, 11, 12, 13])).toBe('frame.number in {1..4, 9, 11..13}');
  });

  it.skipIf(skipWithout('tshark', haveTshark()))('tshark accepts the filter and it matches exactly the listed frames', () => {
    const { dir, cleanup } = tempDir();
    try {
      // 20 copies of the hand-assembled ARP request (helpers.ts), 0.2 s apart.
      const pcap = writeTemp(dir, 'twenty.pcap', classicPcap(Array.from({ length: 20 }, () => ARP_WHO_HAS)));
      const wanted = [2, 3, 5, 6, 7, 8, 13, 20];
      const got = tshark(['-r', pcap, '-Y', frameFilter(wanted), '-T', 'fields', '-e', 'frame.number']).map(Number);
      expect(got).toEqual(wanted);
    } finally {
      cleanup();
    }
  });
});
