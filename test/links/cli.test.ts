/**
 * `bridgewatch links` through the real CLI entry (main): table and JSON output of a recorded
 * fixture (samples/linklogs/reference-6.18.log, the REFERENCE.md §3 lines), unparsed lines listed,
 * exit 2 with one stderr line for an unreadable file after printing the earlier files.
 */
import { resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';

const DIR = resolve(import.meta.dirname, '../../samples/linklogs');

function capture(): { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { out += String(chunk); return true; });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => { err += String(chunk); return true; });
  return { out: () => out, err: () => err };
}

describe('bridgewatch links', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints the timeline as a table', async () => {
    const io = capture();
    const code = await main(['links', `${DIR}/reference-6.18.log`, `${DIR}/damaged-ip-monitor.log`]);
    expect(code).toBe(0);
    expect(io.out()).toContain('vnet5 joined br0 (00:18:51:00:00:01)');
    expect(io.out()).toContain('bridge br0 MAC 00:18:51:00:00:01 -> b4:99:ba:11:22:33');
    expect(io.out()).toMatch(/damaged-ip-monitor\.log: ip-monitor, 4 events, 2 unparsed lines/);
    expect(io.out()).toMatch(/damaged-ip-monitor\.log:3: not a link record/);
  });

  it('prints JSON with string MACs and ISO times; --tz shifts zone-less times', async () => {
    const io = capture();
    const code = await main(['links', '--format', 'json', '--tz', '+01:00', `${DIR}/reference-6.18.log`]);
    expect(code).toBe(0);
    const doc = JSON.parse(io.out()) as { logs: { format: string }[]; events: { type: string; time: string; mac?: string }[] };
    expect(doc.logs[0]!.format).toBe('ip-monitor');
    expect(doc.events[0]).toMatchObject({ type: 'port-join', time: '2026-11-21T08:09:49.132165000Z', mac: '00:18:51:00:00:01' });
  });

  it('an unreadable file: earlier files printed, one line on stderr, exit 2', async () => {
    const io = capture();
    const code = await main(['links', `${DIR}/reference-6.18.log`, `${DIR}/no-such-file.log`]);
    expect(code).toBe(2);
    expect(io.out()).toContain('vnet5 joined br0');
    expect(io.err()).toMatch(/^bridgewatch: .*no-such-file\.log: cannot read link log \(ENOENT\)\n$/);
  });

  it('bad option values are usage errors (exit 2)', async () => {
    const io = capture();
    expect(await main(['links', '--boot-time', 'yesterday', `${DIR}/real-dmesg.log`])).toBe(2);
    expect(io.err()).toMatch(/--boot-time must be/);
  });
});
