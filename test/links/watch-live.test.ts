/**
 * Live rtnetlink in a network namespace we create (bwlk-<pid>-lv): a child `node` runs
 * watchLinks() under `ip netns exec`, then a port with a MAC lower than the uplink's joins the
 * bridge and is deleted. Expected (REFERENCE.md §3): port-join, bridge mac-change to the port's
 * MAC, port-leave (deleted), bridge mac-change back, in that order, with increasing timestamps.
 * Needs root; skipped with a printed reason only when not root and CI is unset.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMac } from '../../src/net/mac.js';
import type { LinkEvent } from '../../src/links/types.js';
import { compareTs } from '../../src/time.js';
import { transpileTree } from './helpers/transpile.js';

const isRoot = process.getuid?.() === 0;
const canRun = isRoot || process.env['CI'] !== undefined;
if (!canRun) console.log('watch-live: skipped: needs root for network namespaces (run as root or with CI=true)');

const tag = `${process.pid % 10000}`;
const ns = `bwlk-${process.pid}-lv`;
const bridge = `lkb${tag}`;
const uplink = `lke${tag}`;
const port = `vnet${tag}`;
const UPLINK_MAC = 'b4:99:ba:11:22:33';
const LOW_MAC = '00:18:51:00:00:01';

function ip(...args: string[]): void {
  execFileSync('ip', ['netns', 'exec', ns, 'ip', ...args], { stdio: 'pipe' });
}

describe.skipIf(!canRun)('watchLinks in a namespace', () => {
  let built: ReturnType<typeof transpileTree> | null = null;
  let child: ChildProcess | null = null;

  beforeAll(() => {
    built = transpileTree(['src/links/watch.ts'], 'lkwatch');
    execFileSync('ip', ['netns', 'add', ns]);
    ip('link', 'add', bridge, 'type', 'bridge');
    ip('link', 'add', uplink, 'address', UPLINK_MAC, 'type', 'veth', 'peer', 'name', `${uplink}p`);
    ip('link', 'set', uplink, 'master', bridge);
    ip('link', 'set', uplink, 'up');
    ip('link', 'set', bridge, 'up');
  });

  afterAll(() => {
    child?.kill('SIGTERM');
    try { execFileSync('ip', ['netns', 'del', ns], { stdio: 'pipe' }); } catch { /* already gone */ }
    built?.cleanup();
  });

  it('reports join, bridge MAC change and leave in order, with timestamps', async () => {
    const lines: string[] = [];
    let buffer = '';
    child = spawn('ip', ['netns', 'exec', ns, process.execPath, resolve(import.meta.dirname, 'helpers/watch-child.mjs'), built!.dir], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const ready = new Promise<string>((resolveReady, reject) => {
      child!.stdout!.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        let nl;
        while ((nl = buffer.indexOf('\n')) !== -1) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          lines.push(line);
          if (line.startsWith('READY ')) resolveReady(line.slice(6));
        }
      });
      child!.on('exit', (code) => reject(new Error(`watch child exited early (${code})`)));
    });
    const snapshot = JSON.parse(await ready) as { ifname: string; mac: number | null; isBridge: boolean }[];
    // The snapshot knows the bridge and its MAC before anything changes.
    const br = snapshot.find((l) => l.ifname === bridge);
    expect(br?.mac).toBe(parseMac(UPLINK_MAC));
    expect(br?.isBridge).toBe(true);

    ip('link', 'add', port, 'address', LOW_MAC, 'type', 'veth', 'peer', 'name', `${port}p`);
    ip('link', 'set', port, 'master', bridge);
    ip('link', 'set', port, 'up');
    ip('link', 'set', `${port}p`, 'up'); // carrier: the port can go forwarding
    await new Promise((r) => setTimeout(r, 300));
    ip('link', 'del', port);
    await new Promise((r) => setTimeout(r, 500));
    const exited = new Promise<void>((r) => child!.on('exit', () => r()));
    child.stdin!.end();
    await exited;

    const events = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as LinkEvent);
    const low = parseMac(LOW_MAC)!;
    const join = events.findIndex((e) => e.type === 'port-join' && e.ifname === port && e.bridge === bridge);
    const change = events.findIndex((e) => e.type === 'mac-change' && e.ifname === bridge && e.isBridge && e.newMac === low);
    const leave = events.findIndex((e) => e.type === 'port-leave' && e.ifname === port && e.bridge === bridge);
    const back = events.findIndex((e) => e.type === 'mac-change' && e.ifname === bridge && e.oldMac === low && e.newMac === parseMac(UPLINK_MAC));
    expect(join).toBeGreaterThanOrEqual(0);
    expect(change).toBeGreaterThan(join);
    expect(leave).toBeGreaterThan(change);
    expect(back).toBeGreaterThan(leave);
    const joinEv = events[join]!;
    expect(joinEv.type === 'port-join' && joinEv.mac).toBe(low);
    const changeEv = events[change]!;
    expect(changeEv.type === 'mac-change' && changeEv.oldMac).toBe(parseMac(UPLINK_MAC));
    const picked = [join, change, leave, back].map((i) => events[i]!);
    for (const e of picked) {
      expect(e.time).not.toBeNull();
      expect(e.source).toBe('rtnetlink');
    }
    for (let i = 1; i < picked.length; i++) expect(compareTs(picked[i - 1]!.time!, picked[i]!.time!)).toBeLessThanOrEqual(0);
    // The leave came from a deletion, and the join time is close to now (wall clock anchored).
    expect(events[leave]!.type === 'port-leave' && (events[leave] as { deleted: boolean }).deleted).toBe(true);
    expect(Math.abs(joinEv.time!.sec - Date.now() / 1000)).toBeLessThan(60);
    // IFLA_BRPORT_STATE: the port went forwarding (no STP on this bridge) before it left
    const forwarding = events.findIndex((e) => e.type === 'stp-state' && e.port === port && e.state === 'forwarding');
    expect(forwarding).toBeGreaterThan(join);
    expect(forwarding).toBeLessThan(leave);
    expect(lines).toContain('MALFORMED 0');
  });
});
