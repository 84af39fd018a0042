/**
 * Headless Chromium (Debian's `chromium`, driven by playwright-core) renders the HTML report:
 * no console errors, no page errors, no request other than the file itself, visible text as
 * expected, the hostile interface name stays text, and a screenshot is kept in
 * reports/screenshots/ for people to look at. SYNTHETIC Analysis fixture.
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { skipWithoutChromium, useBrowser } from './browser.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { analyzeCaptures } from '../../src/analyze.js';
import { renderHtml } from '../../src/report/html.js';
import { writeReports } from '../../src/report/write.js';
import { sampleInputs, sampleTruth } from './samples.js';
import { HOSTILE_IFNAME, syntheticAnalysis, syntheticPlan } from './fixtures/synthetic.js';
import { writeTemp } from './helpers.js';

const SCREENSHOT = 'reports/screenshots/report-synthetic.png';

interface Visit { page: Page; problems: string[]; requests: string[]; dialogs: string[] }

describe.skipIf(skipWithoutChromium)('HTML report in headless Chromium', () => {
  const held = useBrowser();

  async function visit(html: string, name: string): Promise<Visit> {
    const file = writeTemp(held.tmp.dir, name, html);
    const page = await held.browser.newPage({ viewport: { width: 1100, height: 900 } });
    const v: Visit = { page, problems: [], requests: [], dialogs: [] };
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') v.problems.push(`${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => v.problems.push(`pageerror: ${e.message}`));
    page.on('request', (r) => v.requests.push(r.url()));
    page.on('dialog', (d) => { v.dialogs.push(d.message()); void d.dismiss(); });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    return v;
  }

  it('control: the console watcher does see errors (so "none" below means none)', async () => {
    const v = await visit('<!DOCTYPE html><title>c</title><script>console.error("bw-control")</script>', 'control.html');
    expect(v.problems).toEqual(['error: bw-control']);
    await v.page.close();
  });

  it('renders with no console errors, no fetches, and the expected visible text', async () => {
    const v = await visit(renderHtml(syntheticAnalysis(), syntheticPlan()), 'report.html');
    const text = await v.page.innerText('body');
    expect(v.problems).toEqual([]);
    expect(v.requests).toHaveLength(1); // the report itself
    expect(text).toContain('Verdict: 2 incidents (1 critical, 1 warning); 192.0.2.1 unreachable for 23.06 s in total; also affects 198.51.100.7');
    expect(text).toContain('192.0.2.1 unreachable for 23.06 s');
    expect(text).toContain('Wireshark display filter: frame.number in {250..252}');
    expect(text).toContain('ip link set dev br0 address b4:99:ba:11:22:33');
    // The SVG timeline is laid out: lanes have width, and its labels are rendered text.
    const box = await v.page.locator('svg.timeline.overview').boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(500);
    expect(await v.page.locator('svg.timeline.overview text.lane-label').allTextContents()).toEqual(['link events', '192.0.2.1', '198.51.100.7 VLAN 20']);
    mkdirSync('reports/screenshots', { recursive: true });
    await v.page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(statSync(SCREENSHOT).size).toBeGreaterThan(10_000);
    await v.page.close();
  });

  it('a crafted interface name stays inert text: shown literally, no element, no dialog', async () => {
    const v = await visit(renderHtml(syntheticAnalysis(), syntheticPlan()), 'hostile.html');
    const text = await v.page.innerText('body');
    expect(text).toContain(`br0: port ${HOSTILE_IFNAME} entered blocking state`);
    expect(await v.page.locator('img').count()).toBe(0);
    expect(await v.page.locator('script').count()).toBe(0);
    expect(v.dialogs).toEqual([]);
    expect(v.problems).toEqual([]);
    await v.page.close();
  });

  it('whole pipeline: a port named <img/src=x/onerror=alert(1)> in a recorded ip-monitor log stays inert text', async () => {
    // guest-start-stop's ip-monitor.log with the guest port renamed: the LINKS parser accepts the
    // name (no spaces), so it reaches the cause, the timeline, the markers and the fix commands.
    const crafted = '<img/src=x/onerror=alert(1)>';
    const { capture } = sampleInputs('guest-start-stop');
    const log = join(held.tmp.dir, 'ip-monitor.log');
    const { port } = sampleTruth('guest-start-stop');
    writeFileSync(log, readFileSync('samples/guest-start-stop/ip-monitor.log', 'utf8').replace(new RegExp(`\\b${port}\\b`, 'g'), crafted));
    const analysis = await analyzeCaptures([capture], { linkLogs: [log] });
    expect(analysis.linkEvents.some((e) => e.ifname === crafted)).toBe(true);
    const paths = writeReports(analysis, join(held.tmp.dir, 'r'), { name: 'crafted' });
    const html = readFileSync(paths.html, 'utf8');
    expect(html).not.toContain(crafted);
    const v = await visit(html, 'crafted.html');
    expect(await v.page.innerText('body')).toContain(crafted);
    expect(await v.page.locator('img').count()).toBe(0);
    expect(v.dialogs).toEqual([]);
    expect(v.problems).toEqual([]);
    expect(v.requests).toHaveLength(1);
    await v.page.close();
    const rendered = new MarkdownIt({ html: true }).render(readFileSync(paths.markdown, 'utf8'));
    expect(rendered).not.toMatch(/<img\b/i);
    expect(rendered).toContain('&lt;img/src=x/onerror=alert(1)&gt;');
  });

  it('real run (guest-start-stop with its link logs): no console errors, verdict and fix visible, screenshot kept', async () => {
    const { capture, linkLogs } = sampleInputs('guest-start-stop');
    const analysis = await analyzeCaptures([capture], { linkLogs });
    const paths = writeReports(analysis, join(held.tmp.dir, 'real'), { name: 'guest-start-stop' });
    const v = await visit(readFileSync(paths.html, 'utf8'), 'real.html');
    const text = await v.page.innerText('body');
    expect(v.problems).toEqual([]);
    expect(v.requests).toHaveLength(1);
    expect(text).toMatch(/Verdict: 1 incident \(1 warning\); 192\.0\.2\.1 unreachable for [\d.]+ s in total; cause: bridge-lowest-mac\./);
    const { bridge, uplinkMac } = sampleTruth('guest-start-stop');
    expect(text).toContain(`ip link set dev ${bridge} address ${uplinkMac}`);
    expect(await v.page.locator('svg.timeline.overview rect.outage').count()).toBe(1);
    mkdirSync('reports/screenshots', { recursive: true });
    await v.page.screenshot({ path: 'reports/screenshots/report-guest-start-stop.png', fullPage: false });
    await v.page.close();
  });
});
