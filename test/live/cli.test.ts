/**
 * `bridgewatch live` failure modes through the built CLI, each in a private namespace: one line on
 * stderr with a stable meaning and exit 2; an interface deleted mid-capture still writes the
 * report of what was seen; table mode prints rows and drop counters. Needs root (runs in CI).
 */
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { locateCap } from '../../src/live/capture.js';
import { hex, namespaceSkipReason, useVethNamespace, VethNamespace, waitFor, writePcap } from './helpers.js';

const skip = namespaceSkipReason('test/live/cli');
const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/bridgewatch.js');

// ARP request from 02:00:00:00:00:01 (192.0.2.1) for 192.0.2.254, hand-written per RFC 826.
const ARP_A = hex(`ffffffffffff 020000000001 0806 0001 0800 06 04 0001 020000000001 c0000201 000000000000 c00002fe`);

describe('locateCap', () => {
  it('names the system package and the rebuild when cap cannot load', async () => {
    const error = await locateCap('bridgewatch-no-such-cap-module').then(() => null, (e: unknown) => e);
    expect((error as { code?: string }).code).toBe('LIVE_CAP_MISSING');
    expect((error as Error).message).toMatch(/apt-get install libpcap-dev.*npm rebuild cap.*--capture tcpdump/);
    expect((error as Error).message).not.toContain('\n');
  });
});

describe.skipIf(skip !== null)('bridgewatch live (CLI)', () => {
  const lab = useVethNamespace('bwlv-cli-');

  function live(args: string[], wrap: string[] = []): { code: number | null; stdout: string; stderr: string } {
    const r = spawnSync('ip', ['netns', 'exec', lab.ns.name, ...wrap, process.execPath, BIN, 'live', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  it('exits 2 with one line for a missing interface', () => {
    expect(existsSync(join(ROOT, 'dist/cli/main.js')), 'dist/ missing: run `npm run build` first').toBe(true);
    const r = live(['-i', 'bwlvnosuch0', '--duration', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('bridgewatch: bwlvnosuch0: no such network interface in this network namespace\n');
  });

  it('exits 2 and says how to grant the capability when not permitted', () => {
    // An unprivileged user without capabilities (nobody), as an operator forgetting sudo would be.
    const r = live(['-i', lab.ns.b, '--duration', '1'], ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all']);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n').filter((l) => l.startsWith('bridgewatch: ') && !l.includes('warning'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^bridgewatch: lvB: cannot capture: permission denied .*setcap cap_net_raw,cap_net_admin\+eip/);
  });

  it('rejects bad options as usage errors', () => {
    expect(live(['-i', lab.ns.b, '--format', 'xml']).code).toBe(2);
    expect(live(['-i', lab.ns.b, '--duration', '-3']).stderr).toBe('bridgewatch: --duration must be a positive number, got "-3"\n');
  });

  it('writes the report of what was seen when the interface is deleted, then exits 2', async () => {
    const local = VethNamespace.create();
    try {
      const reportDir = join(lab.dir, 'gone');
      const c = spawn('ip', ['netns', 'exec', local.name, process.execPath, BIN, 'live', '-i', local.b, '--all', '--report', reportDir],
        { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      let stdout = '';
      c.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
      c.stdout.on('data', (b: Buffer) => { stdout += b.toString(); });
      const exit = new Promise<number | null>((r) => c.on('exit', (code) => r(code)));
      expect(await waitFor(() => stderr.includes('bridgewatch: live on'), 15_000)).toBe(true);
      const pcap = join(lab.dir, 'three.pcap');
      writePcap(pcap, [ARP_A, ARP_A, ARP_A]);
      local.exec('tcpreplay', ['-q', '-i', local.a, pcap]);
      await new Promise((r) => setTimeout(r, 500));
      local.exec('ip', ['link', 'del', local.a]);
      expect(await exit).toBe(2);
      expect(stderr).toMatch(/bridgewatch: lvB: interface was deleted during the capture \(3 frames captured before\)\n$/);
      const report = JSON.parse(readFileSync(join(reportDir, 'live-lvB.json'), 'utf8')) as { live: { stoppedBy: string; stats: { received: number } } };
      expect(report.live.stoppedBy).toBe('interface-gone');
      expect(report.live.stats.received).toBe(3);
      expect(stdout).not.toContain('internal error');
    } finally {
      local.destroy();
    }
  });
});
