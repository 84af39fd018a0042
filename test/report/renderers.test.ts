/**
 * Markdown, HTML and terminal renderers on the SYNTHETIC Analysis fixture (fixtures/synthetic.ts).
 */
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { evidenceComments } from '../../src/report/evidence.js';
import { exitCodeFor, parseFailOn } from '../../src/report/exit.js';
import { renderHtml } from '../../src/report/html.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { ProgressBar, renderProgress } from '../../src/report/progress.js';
import { renderTable, shouldUseColor } from '../../src/report/table.js';
import { HOSTILE_IFNAME, syntheticAnalysis, syntheticPlan } from './fixtures/synthetic.js';

const vendorOf = (mac: number): string | null => (mac === 0x001851000001 ? 'SWsoft' : null);

describe('renderMarkdown', () => {
  const md = renderMarkdown(syntheticAnalysis(), syntheticPlan(), { vendorOf });

  it('has every postmortem section in order', () => {
    const headings = md.split('\n').filter((l) => l.startsWith('## '));
    expect(headings).toEqual(['## Summary', '## Impact', '## Timeline', '## Root cause', '## Evidence', '## Remediation', '## Inputs']);
  });

  it('states impact, cause, evidence filter and fix from the analysis', () => {
    expect(md).toContain('**192.0.2.1** unreachable for **23.06 s**');
    expect(md).toContain('Requesters affected: 192.0.2.254');
    expect(md).toContain('00:18:51:00:00:01 (SWsoft/OpenVZ)');
    expect(md).toContain("Bridge br0 took port vnet0's lower MAC");
    expect(md).toContain('`frame.number in {36, 38, 180, 182, 184, 186, 188, 190, 192, 194, 196, 198, 200, 202, 310..312, 320, 321}`');
    expect(md).toContain('```sh\nip link set dev br0 address b4:99:ba:11:22:33\n```');
    expect(md).toContain('hwaddress ether b4:99:ba:11:22:33');
  });

  it('interleaves findings and link events in time order', () => {
    const rows = md.split('## Timeline')[1]!.split('## Root cause')[0]!.split('\n').filter((l) => /^\| 20/.test(l));
    const times = rows.map((r) => r.slice(2, 28));
    expect(times).toEqual([...times].sort());
    expect(rows.map((r) => r.split(' | ')[1])).toEqual(['capture', 'ip-monitor', 'ip-monitor', 'kernel-log', 'capture', 'ip-monitor', 'ip-monitor', 'capture', 'capture']);
  });

  it('keeps the hostile interface name and log line inert', () => {
    expect(md).not.toContain(HOSTILE_IFNAME);
    expect(md).toContain('br0: port &lt;img src=x onerror=alert(1)> entered blocking state');
  });

  it('rendered by a CommonMark+GFM renderer that passes raw HTML through, no input becomes markup', () => {
    const hostile = syntheticAnalysis();
    const evil = '<img src=x onerror=alert(1)>|`x`[a](javascript:alert(3))*b*';
    hostile.linkEvents[2]!.ifname = evil;
    hostile.incidents[0]!.cause!.summary = `${evil} <script>alert(4)</script>`;
    hostile.linkLogs[0]!.path = `/tmp/${evil}`;
    const html = new MarkdownIt({ html: true }).render(renderMarkdown(hostile, syntheticPlan(), { vendorOf }));
    expect(html).not.toMatch(/<(img|script)\b/i);
    expect(html).not.toMatch(/href="javascript/i);
    // The only raw HTML we emit ourselves is <br> between MACs in the summary table.
    const tags = new Set(Array.from(html.matchAll(/<([a-z0-9]+)/g), (m) => m[1]));
    expect([...tags].sort()).toEqual(['br', 'code', 'h1', 'h2', 'h3', 'h4', 'li', 'p', 'pre', 'strong', 'table', 'tbody', 'td', 'th', 'thead', 'tr', 'ul']);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('renderHtml', () => {
  const html = renderHtml(syntheticAnalysis(), syntheticPlan(), { vendorOf });

  it('is one self-contained document: no script, no external reference, CSP forbids fetches', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<iframe|<img|@import|url\((?!#)/i);
    expect(html).not.toMatch(/(src|href)="(?!#)/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
  });

  it('draws a lane per IP, owners, the outage window and numbered link markers', () => {
    const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>'));
    expect(svg.match(/class="lane-label">[^<]+</g)).toEqual(['class="lane-label">link events<', 'class="lane-label">192.0.2.1<', 'class="lane-label">198.51.100.7 VLAN 20<']);
    expect(svg).toContain('192.0.2.1 at 00:18:51:00:00:01 (SWsoft/OpenVZ) from 09:09:07.536');
    expect(svg.match(/class="outage"/g)).toHaveLength(1);
    expect(svg).toContain('outage 23.06 s');
    expect(svg.match(/class="marker"/g)).toHaveLength(5);
  });

  it('escapes the hostile interface name everywhere, including SVG titles', () => {
    expect(html).not.toContain(HOSTILE_IFNAME);
    expect(html.split('&lt;img src=x onerror=alert(1)&gt;').length - 1).toBeGreaterThanOrEqual(3);
  });
});

describe('renderTable', () => {
  it('plain without colour: table rows per incident and the verdict last', () => {
    const out = renderTable(syntheticAnalysis(), { vendorOf });
    expect(out).not.toContain('\u001b[');
    expect(out).toMatch(/│ I1 +│ 2026-11-21 09:09:07\.200000 │ bridge-mac-flip/);
    expect(out).toContain('00:18:51:00:00:01 (SWsoft/OpenVZ)');
    // Issue #14 item 8: only the IP whose incident had an outage is unreachable; the ARP storm's IP
    // (no outage) is only affected. Main said "192.0.2.1, 198.51.100.7 unreachable".
    expect(out.trimEnd().split('\n').pop()).toBe('2 incidents (1 critical, 1 warning); 192.0.2.1 unreachable for 23.06 s in total; also affects 198.51.100.7; cause: bridge-lowest-mac.');
  });

  it('colours severities only when asked', () => {
    expect(renderTable(syntheticAnalysis(), { color: true })).toContain('\u001b[31m');
  });

  it('no incidents: only the verdict, after the link log\'s skipped lines (file:line)', () => {
    const a = syntheticAnalysis();
    a.incidents = [];
    expect(renderTable(a)).toBe('samples/synthetic/kernel.log: 1 unparsed line skipped\n' +
      '  samples/synthetic/kernel.log:2: not a link event: <script>alert(2)</script>\n' +
      'No incidents in 400 packets.\n');
    a.linkLogs = [];
    expect(renderTable(a)).toBe('No incidents in 400 packets.\n');
  });

  it('shouldUseColor: TTY only, never with a non-empty NO_COLOR', () => {
    expect(shouldUseColor({ isTTY: true }, {})).toBe(true);
    expect(shouldUseColor({ isTTY: false }, {})).toBe(false);
    expect(shouldUseColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(shouldUseColor({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
  });
});

describe('exit codes', () => {
  it('1 when an incident reaches --fail-on, else 0', () => {
    const a = syntheticAnalysis(); // one critical, one warning
    expect(exitCodeFor(a)).toBe(1);
    expect(exitCodeFor(a, 'critical')).toBe(1);
    expect(exitCodeFor(a, 'never')).toBe(0);
    a.incidents = a.incidents.filter((i) => i.severity === 'warning');
    expect(exitCodeFor(a, 'critical')).toBe(0);
    expect(exitCodeFor(a, 'warning')).toBe(1);
    expect(exitCodeFor({ incidents: [] }, 'info')).toBe(0);
    expect(() => parseFailOn('loud')).toThrow(/--fail-on: expected one of/);
  });
});

describe('evidence comments', () => {
  it('comment exactly the evidence frames, outage start/end in words', () => {
    const comments = evidenceComments(syntheticAnalysis());
    const a = syntheticAnalysis();
    const evidence = new Set(a.findings.flatMap((f) => f.frames.map((r) => `${r.fileIndex}:${r.frame}`)));
    expect(new Set(comments.keys())).toEqual(evidence);
    expect(comments.get('0:180')).toEqual(['bridgewatch: 192.0.2.1 outage begins, frames to 00:18:51:00:00:01 unanswered [I1]']);
    expect(comments.get('0:321')).toEqual(['bridgewatch: 192.0.2.1 outage ends after 23.06 s, answered by b4:99:ba:11:22:33 [I1]']);
  });
});

describe('progress', () => {
  it('draws only on a TTY without CI, throttled, with bytes, packets and rate, and clears its line', () => {
    const writes: string[] = [];
    let now = 0;
    const stream = { isTTY: true, columns: 120, write: (s: string) => writes.push(s) };
    const bar = new ProgressBar('reading', { stream, env: {}, now: () => now, delayMs: 500, intervalMs: 100 });
    bar.bytes(10_000, 100_000); // before the delay: nothing
    now = 600; bar.bytes(50_000, 100_000);
    now = 650; bar.packet(); // throttled
    now = 660; for (let i = 0; i < 98; i++) bar.packet(); // throttled
    now = 1000; bar.packet();
    bar.done();
    expect(writes).toHaveLength(3);
    expect(writes[0]).toMatch(/^\rreading \[#+-+\] {2}50% 50\.0 \/ 100\.0 kB, 0 packets, 0 packets\/s/);
    // Issue #14 item 10: main showed bytes only, with no packet count or rate.
    expect(writes[1]).toContain('50.0 / 100.0 kB, 100 packets, 100 packets/s');
    expect(writes[2]).toBe('\r\u001b[K');
    const ci = new ProgressBar('reading', { stream, env: { CI: 'true' } });
    const pipe = new ProgressBar('reading', { stream: { isTTY: false, write: () => { throw new Error('must not write'); } }, env: {} });
    const off = new ProgressBar('reading', { stream, env: { BRIDGEWATCH_PROGRESS: '0' } });
    const forced = new ProgressBar('reading', { stream: { isTTY: false, write: () => true }, env: { CI: 'true', BRIDGEWATCH_PROGRESS: '1' } });
    expect([ci.enabled, pipe.enabled, off.enabled, forced.enabled]).toEqual([false, false, false, true]);
  });

  it('without a known total (stdin) there is no bar and no percentage', () => {
    const line = renderProgress('r', { bytes: 2_500_000, bytesTotal: null, packets: 12_345, elapsedMs: 2000 }, 120);
    expect(line).toBe('r 2.5 MB, 12,345 packets, 6,173 packets/s');
  });
});

describe('edge cases', () => {
  it('an empty capture that ended on an error: every renderer says so and nothing throws', () => {
    const a = syntheticAnalysis();
    a.incidents = [];
    a.findings = [];
    a.linkEvents = [];
    a.linkLogs = [];
    a.captures[0] = { ...a.captures[0]!, packets: 0, first: null, last: null, error: { code: 'CAPTURE_TRUNCATED', message: 'x.pcap, byte 24: record header cut short', offset: 24 } };
    const md = renderMarkdown(a, null, { vendorOf });
    const html = renderHtml(a, null, { vendorOf });
    const table = renderTable(a, { vendorOf });
    const verdict = 'No incidents in 0 packets. (1 capture ended early on an error; results cover what was read)';
    expect(table).toBe(`${verdict}\n`);
    expect(md).toContain(`**Verdict:** ${verdict}`);
    expect(md).toContain('Reading stopped early: `CAPTURE_TRUNCATED`: x.pcap, byte 24: record header cut short');
    expect(md).toContain('No remediation plan was computed.');
    expect(html).toContain('<p>Nothing to show.</p>');
    expect(html).not.toContain('<svg');
  });
});

describe('times a Date cannot hold (a damaged pcapng can claim year 30 million)', () => {
  it('renderers print them raw instead of throwing', () => {
    const a = syntheticAnalysis();
    const far = { sec: 1e15, nsec: 5 };
    a.incidents[1]!.start = far;
    a.findings[2]!.start = far;
    a.captures[0]!.last = far;
    expect(renderTable(a, { vendorOf })).toContain('@1000000000000000.000000005');
    expect(renderMarkdown(a, null, { vendorOf })).toContain('@1000000000000000.000000005');
    expect(renderHtml(a, null, { vendorOf })).toContain('<svg');
  });
});

describe('SVG axis at extreme times', () => {
  it('a 1 ms span at a far epoch terminates with a bounded number of ticks', () => {
    const a = syntheticAnalysis();
    const far = { sec: 1e15, nsec: 0 };
    a.captures[0] = { ...a.captures[0]!, first: far, last: { sec: 1e15, nsec: 1_000_000 } };
    a.findings = [];
    a.incidents = [];
    a.linkEvents = [{ ...a.linkEvents[0]!, time: { sec: 1e15, nsec: 500_000 } }];
    const html = renderHtml(a, null, { vendorOf });
    expect(html).toContain('<svg');
    expect((html.match(/class="tick"/g) ?? []).length).toBeLessThanOrEqual(13);
  });
});

describe('many IPs', () => {
  it('the SVG draws at most 40 lanes, incident IPs first, and says how many were left out', () => {
    const a = syntheticAnalysis();
    const storm = a.findings[2]!;
    for (let i = 0; i < 100; i++) a.findings.push({ ...storm, ip: `198.51.100.${i + 100}` });
    const html = renderHtml(a, null, { vendorOf });
    const overview = html.slice(html.indexOf('<svg'), html.indexOf('</svg>'));
    const labels = overview.match(/class="lane-label">[^<]+</g)!;
    expect(labels).toHaveLength(41); // "link events" + 40 lanes
    expect(labels.slice(1, 3)).toEqual(['class="lane-label">192.0.2.1<', 'class="lane-label">198.51.100.7 VLAN 20<']);
    expect(html).toContain('62 more IPs with findings not drawn');
  });
});
