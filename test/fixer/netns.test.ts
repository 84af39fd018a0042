/**
 * Real network namespaces (root; run in CI): the incident's setup from REFERENCE.md section 1,
 * i.e. br0 192.0.2.1/24 with uplink eth0 b4:99:ba:11:22:33 and an OpenVZ-style veth vnet0
 * 00:18:51:00:00:01. audit -> fix --apply -> second --apply -> port leaves, and the error paths.
 * Names: bwfx-<pid>-<n>; every namespace is deleted in afterAll even on failure.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, canUseNamespaces, cliIn, run } from './cli-build.js';
import { UPLINK } from './fake-host.js';

const enabled = canUseNamespaces('fixer netns');
const NS = `bwfx-${process.pid}-hv`;
const LOW = '00:18:51:00:00:01';
let runner = '';
let tmp = '';

async function sh(ns: string, ...argv: string[]): Promise<string> {
  const r = await run(['ip', 'netns', 'exec', ns, ...argv]);
  if (r.code !== 0) throw new Error(`${argv.join(' ')} in ${ns}: ${r.stderr.trim()}`);
  return r.stdout.trim();
}

describe.runIf(enabled)('fixer in a network namespace', () => {
  beforeAll(async () => {
    runner = await buildCli();
    tmp = mkdtempSync(path.join(tmpdir(), 'bwfx-netns-'));
    await run(['ip', 'netns', 'del', NS]); // a leftover of a killed run with the same pid
    const add = await run(['ip', 'netns', 'add', NS]);
    if (add.code !== 0) throw new Error(add.stderr);
    for (const cmd of [
      'ip link add br0 type bridge',
      'ip link add eth0 type veth peer name eth0p',
      `ip link set eth0 address ${UPLINK}`,
      'ip link set eth0 master br0',
      'ip addr add 192.0.2.1/24 dev br0',
      'ip link set br0 up', 'ip link set eth0 up', 'ip link set eth0p up',
      'ip link add vnet0 type veth peer name vnet0p',
      `ip link set vnet0 address ${LOW}`,
      'ip link set vnet0 master br0', 'ip link set vnet0 up', 'ip link set vnet0p up',
    ]) await sh(NS, ...cmd.split(' '));
  });

  afterAll(async () => {
    await run(['ip', 'netns', 'del', NS]);
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('audit reports the unpinned bridge that took the low-MAC port as critical (exit 1)', async () => {
    expect(await sh(NS, 'cat', '/sys/class/net/br0/address')).toBe(LOW); // the kernel rule, before the fix
    const r = await cliIn(runner, NS, ['audit', 'br0', '--format', 'json', '--no-guests']);
    expect(r.code).toBe(1);
    type Risk = { id: string; severity: string; ports: string[] };
    type AuditDoc = { audits: Array<{ uplink: { port: string; mac: string }; risks: Risk[] }> };
    const audit = (JSON.parse(r.stdout) as AuditDoc).audits[0]!;
    expect(audit.uplink).toMatchObject({ port: 'eth0', mac: UPLINK });
    expect(audit.risks.find((x) => x.id === 'mac-not-pinned')).toMatchObject({ severity: 'critical', ports: ['vnet0'] });
  });

  it('fix --apply --announce pins br0 to the uplink MAC and verifies it', async () => {
    const r = await cliIn(runner, NS, ['fix', 'br0', '--apply', '--announce']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/changed {3}pin-bridge-mac: pinned br0 to b4:99:ba:11:22:33/);
    expect(await sh(NS, 'cat', '/sys/class/net/br0/address')).toBe(UPLINK);
    expect(await sh(NS, 'cat', '/sys/class/net/br0/addr_assign_type')).toBe('3');
    expect(await sh(NS, 'sysctl', '-n', 'net.ipv4.conf.br0.arp_notify')).toBe('1');
  });

  it('a second --apply changes nothing and says so', async () => {
    const r = await cliIn(runner, NS, ['fix', 'br0', '--apply', '--announce', '--format', 'json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { applied: { changed: boolean; steps: Array<{ changed: boolean }> } };
    expect(out.applied.changed).toBe(false);
    expect(out.applied.steps.length).toBeGreaterThan(0);
    expect(out.applied.steps.every((s) => !s.changed)).toBe(true);
  });

  it('the pinned bridge keeps its MAC when the low-MAC port leaves and when a lower one joins', async () => {
    await sh(NS, 'ip', 'link', 'del', 'vnet0');
    expect(await sh(NS, 'cat', '/sys/class/net/br0/address')).toBe(UPLINK);
    await sh(NS, 'ip', 'link', 'add', 'vnet1', 'type', 'veth', 'peer', 'name', 'vnet1p');
    await sh(NS, 'ip', 'link', 'set', 'vnet1', 'address', '00:00:00:00:00:01');
    await sh(NS, 'ip', 'link', 'set', 'vnet1', 'master', 'br0');
    expect(await sh(NS, 'cat', '/sys/class/net/br0/address')).toBe(UPLINK);
    const r = await cliIn(runner, NS, ['audit', 'br0', '--format', 'json', '--fail-on', 'critical', '--no-guests']);
    expect(r.stdout).not.toContain('mac-not-pinned');
  });

  it('the sysctl.d snippet of the plan is accepted by sysctl -p in the namespace', async () => {
    const r = await cliIn(runner, NS, ['fix', 'br0', '--format', 'json']);
    const plan = (JSON.parse(r.stdout) as { plan: { steps: Array<{ id: string; config: { text: string } | null }> } }).plan;
    const file = path.join(tmp, '90-bridgewatch-br0.conf');
    writeFileSync(file, plan.steps.find((s) => s.id === 'announce-sysctl-conf')!.config!.text);
    await sh(NS, 'sysctl', '-w', 'net.ipv4.conf.br0.arp_notify=0');
    const applied = await run(['ip', 'netns', 'exec', NS, 'sysctl', '-p', file]);
    expect(applied.code).toBe(0);
    expect(await sh(NS, 'sysctl', '-n', 'net.ipv4.conf.br0.arp_notify')).toBe('1');
  });

  it('refuses a non-bridge, a missing bridge and no bridge name with one line and exit 2', async () => {
    for (const [args, message] of [
      [['fix', 'eth0p', '--apply'], /^bridgewatch: eth0p: is not a bridge/],
      [['fix', 'nope0', '--apply'], /^bridgewatch: nope0: no such interface/],
      [['fix', '--apply'], /^bridgewatch: fix needs an explicit bridge name/],
      [['audit', 'eth0p'], /^bridgewatch: eth0p: is not a bridge/],
    ] as Array<[string[], RegExp]>) {
      const r = await cliIn(runner, NS, args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('refuses --apply without root (exit 2, one line) and leaves the bridge alone', async () => {
    const r = await cliIn(runner, NS, ['fix', 'br0', '--apply'], ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^bridgewatch: br0: changing a bridge needs root/);
    const dry = await cliIn(runner, NS, ['fix', 'br0'], ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups']);
    expect(dry.code).toBe(0); // the dry run needs no privileges
  });

  it('reports a read-only sysfs clearly (exit 2) instead of failing half-way', async () => {
    const r = await cliIn(runner, NS, ['fix', 'br0', '--apply'], ['unshare', '--mount', '--propagation', 'private', 'sh', '-c', 'mount -o remount,ro /sys && exec "$0" "$@"']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^bridgewatch: .*forward_delay: \/sys is mounted read-only/);
  });
});
