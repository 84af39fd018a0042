/**
 * Issue 14, items 4, 5 and 6: one `--fail-on` vocabulary, options that cannot swallow captures,
 * and errors that say what is wrong. Each `describe` fails on the main branch before this change:
 * `analyze --fail-on none` and `audit --fail-on never` were rejected; `--links LOG CAPTURE` said
 * "missing required argument 'capture'"; an unreadable capture still printed "No incidents in 0
 * packets."; `analyze - -` read stdin twice; `--set gapThresholdMs=-5` listed every option name.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFailOn } from '../../src/report/exit.js';
import { parseSettings } from '../../src/cli/settings.js';
import { addBridge, makeRoot, OPENVZ, UPLINK } from '../fixer/fake-host.js';
import { runCli } from './run-cli.js';

const FLIP = 'samples/guest-start-stop/neighbour.pcap';
const IP_MONITOR = 'samples/guest-start-stop/ip-monitor.log';
const KERNEL_LOG = 'samples/guest-start-stop/kernel.log';

describe('item 4: one --fail-on vocabulary (never, with none as its synonym) on analyze, audit and live', () => {
  let root: string;
  let cleanup: () => void;
  beforeEach(() => ({ root, cleanup } = makeRoot()));
  afterEach(() => cleanup());

  it('one parser: none and never are the same, anything else names the allowed values', () => {
    expect(parseFailOn('none')).toBe('never');
    expect(parseFailOn('never')).toBe('never');
    expect(parseFailOn('critical')).toBe('critical');
    expect(() => parseFailOn('loud')).toThrow('--fail-on: expected one of info, warning, critical, never (or none), got "loud"');
  });

  it('analyze accepts none and never (exit 0 on a warning incident); warning gives 1', async () => {
    expect((await runCli(['analyze', FLIP, '--fail-on', 'none'])).code).toBe(0);
    expect((await runCli(['analyze', FLIP, '--fail-on', 'never'])).code).toBe(0);
    expect((await runCli(['analyze', FLIP, '--fail-on', 'warning'])).code).toBe(1);
  });

  it('audit accepts never and none; a bad value is one line, exit 2', async () => {
    addBridge(root, { name: 'br0', mac: OPENVZ, addrAssignType: 1, ports: [{ name: 'eth0', mac: UPLINK, physical: true }, { name: 'veth101.0', mac: OPENVZ }] });
    expect((await runCli(['audit', '--root', root, '--fail-on', 'never'])).code).toBe(0);
    expect((await runCli(['audit', '--root', root, '--fail-on', 'none'])).code).toBe(0);
    expect((await runCli(['audit', '--root', root, '--fail-on', 'critical'])).code).toBe(1);
    const bad = await runCli(['audit', '--root', root, '--fail-on', 'loud']);
    expect(bad.code).toBe(2);
    expect(bad.err).toBe('bridgewatch: --fail-on: expected one of info, warning, critical, never (or none), got "loud"\n');
  });

  it('live rejects a bad value with the same message before capturing', async () => {
    const bad = await runCli(['live', '-i', 'lo', '--fail-on', 'loud']);
    expect(bad.code).toBe(2);
    expect(bad.err).toBe('bridgewatch: --fail-on: expected one of info, warning, critical, never (or none), got "loud"\n');
  });
});

describe('item 5: repeatable options take one value each and never eat the captures', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'bw-cli-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('analyze --links LOG CAPTURE reads LOG as a link log and CAPTURE as the capture', async () => {
    const r = await runCli(['analyze', '--links', IP_MONITOR, FLIP, '--format', 'json']);
    expect(r.err).toBe('');
    type Doc = { captures: { path: string }[]; linkLogs: { path: string }[]; incidents: { cause?: { code: string } }[] };
    const doc = JSON.parse(r.out) as Doc;
    expect(doc.captures.map((c) => c.path)).toEqual([FLIP]);
    expect(doc.linkLogs.map((l) => l.path)).toEqual([IP_MONITOR]);
    expect(doc.incidents[0]!.cause?.code).toBe('bridge-lowest-mac');
  });

  it('--links repeated collects every log; --set repeated collects every setting', async () => {
    const r = await runCli(['analyze', '--links', IP_MONITOR, '--links', KERNEL_LOG, '--set', 'gapThresholdMs=10000',
      '--set', 'flipWindowMs=60000', FLIP, '--format', 'json']);
    const doc = JSON.parse(r.out) as { linkLogs: { path: string }[]; options: Record<string, number> };
    expect(doc.linkLogs.map((l) => l.path)).toEqual([IP_MONITOR, KERNEL_LOG]);
    expect(doc.options.gapThresholdMs).toBe(10000);
    expect(doc.options.flipWindowMs).toBe(60000);
  });

  it('the old spelling CAPTURE --links A B still works (B is text, not a capture), with a note', async () => {
    const r = await runCli(['analyze', FLIP, '--links', IP_MONITOR, KERNEL_LOG, '--format', 'json']);
    const doc = JSON.parse(r.out) as { captures: { path: string }[]; linkLogs: { path: string }[] };
    expect(doc.captures.map((c) => c.path)).toEqual([FLIP]);
    expect(doc.linkLogs.map((l) => l.path)).toEqual([IP_MONITOR, KERNEL_LOG]);
    expect(r.err).toBe(`bridgewatch: note: ${KERNEL_LOG} read as link log(s); give each with its own --links\n`);
  });

  it('a capture after --links LOG stays a capture even when another capture precedes it', async () => {
    const second = 'samples/duplicate-ip/neighbour.pcap';
    const r = await runCli(['analyze', FLIP, '--links', IP_MONITOR, second, '--format', 'json']);
    const doc = JSON.parse(r.out) as { captures: { path: string }[] };
    expect(doc.captures.map((c) => c.path)).toEqual([FLIP, second]);
  });

  it('--report before a capture keeps the capture and writes to the default folder; --report=DIR and --report DIR still work', async () => {
    const cwd = process.cwd();
    const abs = join(cwd, FLIP);
    process.chdir(dir);
    try {
      const r = await runCli(['analyze', '--report', abs, '--fail-on', 'never']);
      expect(r.code).toBe(0);
      expect(readdirSync(join(dir, 'reports')).sort()).toEqual(['guest-start-stop-neighbour.html', 'guest-start-stop-neighbour.json', 'guest-start-stop-neighbour.md']);
      expect((await runCli(['analyze', abs, '--report=eq', '--fail-on', 'never'])).code).toBe(0);
      expect(readdirSync(join(dir, 'eq'))).toHaveLength(3);
      expect((await runCli(['analyze', abs, '--report', 'spaced', '--fail-on', 'never'])).code).toBe(0);
      expect(readdirSync(join(dir, 'spaced'))).toHaveLength(3);
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('item 6: errors that say what is wrong, and no verdict on nothing', () => {
  it('an unreadable capture: the error alone, nothing on stdout, exit 2', async () => {
    const r = await runCli(['analyze', '/nonexistent/x.pcap']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe('bridgewatch: /nonexistent/x.pcap: cannot read capture: no such file\n');
  });

  it('one of two captures unreadable: the report of the other, and which failed', async () => {
    const r = await runCli(['analyze', FLIP, '/nonexistent/x.pcap', '--fail-on', 'never']);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/1 incident/);
    expect(r.err).toContain(`results cover only what was read: ${FLIP} (580 packets); failed: /nonexistent/x.pcap`);
  });

  it('analyze - - is a one-line usage error', async () => {
    const r = await runCli(['analyze', '-', '-']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('bridgewatch: analyze: stdin (-) can be read only once; give it a single time\n');
  });

  it('--set names the option, the value and the allowed range', async () => {
    const neg = await runCli(['analyze', FLIP, '--set', 'gapThresholdMs=-5']);
    expect(neg.code).toBe(2);
    expect(neg.out).toBe('');
    expect(neg.err).toBe('bridgewatch: --set gapThresholdMs: expected a positive number of milliseconds, got -5\n');
    expect(() => parseSettings(['gapThresholdMs=abc'])).toThrow('--set gapThresholdMs: expected a positive number of milliseconds, got abc');
    expect(() => parseSettings(['maxFindings=2.5'])).toThrow('--set maxFindings: expected a positive integer, got 2.5');
    expect(() => parseSettings(['correlationWindowMs=-1'])).toThrow('--set correlationWindowMs: expected a number of milliseconds, 0 or more, got -1');
    expect(parseSettings(['claimFloodMinChanges=0', 'correlationWindowMs=500'])).toEqual({ detect: { claimFloodMinChanges: 0 }, correlate: { correlationWindowMs: 500 } });
  });

  it('--set with an unknown name suggests the closest one', () => {
    expect(() => parseSettings(['gapTreshold=5'])).toThrow('--set: unknown option "gapTreshold"; did you mean gapThresholdMs?');
    expect(() => parseSettings(['correlationWindow=5'])).toThrow('did you mean correlationWindowMs?');
    expect(() => parseSettings(['zzz=5'])).toThrow(/^--set: unknown option "zzz" \(docs/);
  });
});
