/**
 * CaptureStats and `bridgewatch stats`: counts checked against tshark display filters on the real
 * samples (samples/formats/); the JSON shape; exit 2 with one line after printing what was read;
 * stdin (`-`).
 */
import { describe, expect, it, vi } from 'vitest';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { captureStats, register } from '../../src/cli/stats.js';
import { epoch, toolOrSkip, tshark, tsharkCount } from './helpers.js';

const dir = fileURLToPath(new URL('../../samples/formats/', import.meta.url));

/** Runs `bridgewatch stats ARGS` through its registration; returns stdout, stderr and exit code. */
async function runStats(args: string[]): Promise<{ out: string; err: string; exit: number }> {
  let out = '';
  let err = '';
  let exit = 0;
  const outSpy = vi.spyOn(process.stdout, 'write').mockImplementation((s) => { out += String(s); return true; });
  const errSpy = vi.spyOn(process.stderr, 'write').mockImplementation((s) => { err += String(s); return true; });
  try {
    const program = new Command('bridgewatch').exitOverride();
    register(program, (code) => { exit = Math.max(exit, code); });
    await program.parseAsync(['stats', ...args], { from: 'user' });
  } finally {
    outSpy.mockRestore();
    errSpy.mockRestore();
  }
  return { out, err, exit };
}

describe('CaptureStats', () => {
  it.skipIf(!toolOrSkip('tshark'))('counts packets, bytes, ARP, NDP, STP and VLAN-tagged frames as tshark does', async () => {
    for (const file of ['eth-us.pcap', 'qinq.pcap', 'merged.pcapng', 'sll2.pcap']) {
      const path = dir + file;
      const [s] = await captureStats([path]);
      const rows = tshark(path, ['frame.time_epoch', 'frame.cap_len']);
      expect(s!.packets, file).toBe(rows.length);
      expect(s!.bytes, file).toBe(rows.reduce((sum, r) => sum + Number(r[1]), 0));
      expect(s!.arp, file).toBe(tsharkCount(path, 'arp'));
      expect(s!.ndp, file).toBe(tsharkCount(path, 'icmpv6.type >= 133 && icmpv6.type <= 137'));
      expect(s!.stp, file).toBe(tsharkCount(path, 'stp && !_ws.malformed'));
      expect(s!.vlanTagged, file).toBe(tsharkCount(path, 'vlan || ieee8021ad'));
      const times = rows.map((r) => r[0]!).sort();
      expect(epoch({ tsSec: s!.first!.sec, tsNsec: s!.first!.nsec }), file).toBe(times[0]);
      expect(epoch({ tsSec: s!.last!.sec, tsNsec: s!.last!.nsec }), file).toBe(times[times.length - 1]);
    }
  });
});

describe('bridgewatch stats', () => {
  it('prints {"captures":[...]} with --format json', async () => {
    const { out, exit } = await runStats(['--format', 'json', dir + 'eth.pcapng.gz', dir + 'sll2.pcap']);
    expect(exit).toBe(0);
    const json = JSON.parse(out) as { captures: Array<Record<string, unknown>> };
    expect(json.captures.map((c) => [c.format, c.gzip, c.linkTypes, c.interfaces])).toEqual([
      ['pcapng', true, [1], [expect.stringMatching(/^bwc\d+a$/)]],
      ['pcap', false, [276], []],
    ]);
    expect(Object.keys(json.captures[0]!)).toEqual(expect.arrayContaining(['path', 'packets', 'bytes', 'first', 'last',
      'arp', 'ndp', 'stp', 'ip', 'vlanTagged', 'anomalies', 'anomalyExamples']));
  });

  it('prints a table by default', async () => {
    const { out, exit } = await runStats([dir + 'qinq.pcap']);
    expect(exit).toBe(0);
    expect(out).toContain('qinq.pcap');
    expect(out).toMatch(/STP_BAD_LLC \d+/); // tcprewrite's mangled BPDUs, counted as anomalies
  });

  it('on a fault: prints what was read, then one line on stderr, exit 2', async () => {
    const { out, err, exit } = await runStats(['--format', 'json', '/nonexistent/x.pcap', dir + 'eth-us.pcap']);
    expect(exit).toBe(2);
    const json = JSON.parse(out) as { captures: Array<{ packets: number; error?: { code: string } }> };
    expect(json.captures[0]!.error?.code).toBe('CAPTURE_UNREADABLE');
    expect(json.captures[1]!.packets).toBeGreaterThan(0);
    expect(err).toBe('bridgewatch: /nonexistent/x.pcap: cannot read capture: no such file\n');
  });

  it('rejects an unknown --format as a usage error', async () => {
    await expect(runStats(['--format', 'xml', dir + 'eth-us.pcap'])).rejects.toMatchObject({ code: 'USAGE' });
  });

  it('reads stdin for "-" (gzip too), a pipe read through one reused buffer', async () => {
    // The real CLI in a child: stdin is then a pipe, as in `tcpdump -w - | bridgewatch stats -`.
    const gz = readFileSync(dir + 'eth-us.pcap.gz');
    const bin = fileURLToPath(new URL('../../bin/bridgewatch.js', import.meta.url));
    const r = spawnSync(process.execPath, [bin, 'stats', '--format', 'json', '-'], { input: gz, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    const [c] = (JSON.parse(r.stdout) as { captures: Array<{ path: string; gzip: boolean; packets: number }> }).captures;
    const [direct] = await captureStats([dir + 'eth-us.pcap']);
    expect(direct!.packets).toBeGreaterThan(0);
    expect(c).toMatchObject({ path: '-', gzip: true, packets: direct!.packets });
  });

  it('reads a named pipe (as from `<(zcat f)`) through the pipe path', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'bwcap-'));
    try {
      const fifo = join(tmp, 'pipe');
      execFileSync('mkfifo', [fifo]);
      const writer = spawn('sh', ['-c', 'cat "$0" > "$1"', dir + 'eth-ns.pcap', fifo]);
      const writerDone = new Promise((resolve) => writer.on('exit', resolve));
      const [viaPipe] = await captureStats([fifo]);
      await writerDone;
      const [direct] = await captureStats([dir + 'eth-ns.pcap']);
      expect(viaPipe!.error).toBeUndefined();
      expect({ ...viaPipe, path: '' }).toEqual({ ...direct, path: '' });
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
