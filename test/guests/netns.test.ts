/**
 * The guest audit's prediction against the kernel, in a real network namespace (root; run in CI):
 * `vmbr0` with uplink eth0 b4:99:ba:11:22:33 (REFERENCE.md section 1), the guest fixture tree
 * test/fixtures/guests (OpenVZ CT 101 host_mac 00:18:51:30:1b:2a and CT 102 FE:FF:FF:FF:FF:FF,
 * Proxmox VM 100 behind the firewall: random fwpr100p0, all on vmbr0). `audit --root` reads the
 * fixture configs and, through sys/proc symlinks, the namespace's own sysfs and /proc. Then each
 * guest's host-side port is really added to the bridge and the bridge MAC read back.
 * Names: bwgu-<pid>-hv; the namespace and the temp root are removed in afterAll even on failure.
 */
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMac } from '../../src/net/mac.js';
import { buildCli, canUseNamespaces, cliIn, run } from '../fixer/cli-build.js';

const enabled = canUseNamespaces('guest audit netns');
const NS = `bwgu-${process.pid}-hv`;
const UPLINK = 'b4:99:ba:11:22:33';
const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/guests');
let runner = '';
let root = '';

async function sh(...argv: string[]): Promise<string> {
  const r = await run(['ip', 'netns', 'exec', NS, ...argv]);
  if (r.code !== 0) throw new Error(`${argv.join(' ')} in ${NS}: ${r.stderr.trim()}`);
  return r.stdout.trim();
}
const bridgeMac = (): Promise<string> => sh('cat', '/sys/class/net/vmbr0/address');

/** Adds a veth (optionally with a MAC) to vmbr0, like a hypervisor starting a guest; returns the port's MAC. */
async function startPort(name: string, mac?: string): Promise<string> {
  await sh('ip', 'link', 'add', name, ...(mac ? ['address', mac] : []), 'type', 'veth', 'peer', 'name', `${name}p`);
  await sh('ip', 'link', 'set', name, 'master', 'vmbr0');
  return sh('cat', `/sys/class/net/${name}/address`);
}

interface GuestDoc {
  port: { source: string; guest: string; hostPort: string | null; hostMac: { kind: string; mac?: string } };
  chance: number | null;
}
interface AuditDoc {
  audits: Array<{ risks: Array<{ id: string; severity: string; ports: string[] }> }>;
  guests: { bridges: Array<{ bridge: string; referenceMac: string; referenceFrom: string; guests: GuestDoc[] }> };
}

describe.runIf(enabled)('guest audit in a network namespace', () => {
  let doc: AuditDoc;
  const guest = (source: string, id: string): GuestDoc =>
    doc.guests.bridges[0]!.guests.find((g) => g.port.source === source && g.port.guest === id)!;

  beforeAll(async () => {
    runner = await buildCli();
    root = mkdtempSync(path.join(tmpdir(), 'bwgu-root-'));
    for (const dir of ['etc', 'run', 'var']) symlinkSync(path.join(FIXTURES, dir), path.join(root, dir));
    // Inside `ip netns exec`, /sys is the namespace's sysfs and /proc/sys/net its sysctls.
    for (const dir of ['sys', 'proc']) symlinkSync(`/${dir}`, path.join(root, dir));
    await run(['ip', 'netns', 'del', NS]); // a leftover of a killed run with the same pid
    const add = await run(['ip', 'netns', 'add', NS]);
    if (add.code !== 0) throw new Error(add.stderr);
    for (const cmd of [
      'ip link add vmbr0 type bridge',
      `ip link add eth0 address ${UPLINK} type veth peer name eth0p`,
      'ip link set eth0 master vmbr0',
      'ip addr add 192.0.2.1/24 dev vmbr0',
      'ip link set vmbr0 up', 'ip link set eth0 up', 'ip link set eth0p up',
    ]) await sh(...cmd.split(' '));
  });

  afterAll(async () => {
    await run(['ip', 'netns', 'del', NS]);
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('audit lists OpenVZ CT 101 as always taking vmbr0\'s MAC, CT 102 never, the firewalled VM 100 at 45/64 (exit 1)', async () => {
    expect(await bridgeMac()).toBe(UPLINK);
    const r = await cliIn(runner, NS, ['audit', 'vmbr0', '--root', root, '--uplink', 'eth0', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    doc = JSON.parse(r.stdout) as AuditDoc;
    expect(doc.guests.bridges.map((b) => [b.bridge, b.referenceMac, b.referenceFrom])).toEqual([['vmbr0', UPLINK, 'uplink eth0']]);
    expect(guest('openvz', '101')).toMatchObject({ chance: 1, port: { hostPort: 'veth101.0', hostMac: { kind: 'fixed', mac: '00:18:51:30:1b:2a' } } });
    expect(guest('openvz', '102')).toMatchObject({ chance: 0, port: { hostPort: 'veth102.0', hostMac: { kind: 'fixed', mac: 'fe:ff:ff:ff:ff:ff' } } });
    expect(guest('proxmox-qemu', '100')).toMatchObject({ chance: 45 / 64, port: { hostPort: 'fwpr100p0', hostMac: { kind: 'random' } } });
    expect(doc.audits[0]!.risks.find((x) => x.id === 'guest-takes-bridge-mac')).toMatchObject({ severity: 'critical' });
    expect(doc.audits[0]!.risks.find((x) => x.id === 'guest-takes-bridge-mac')?.ports).toContain('veth101.0');

    const check = await cliIn(runner, NS, ['audit', 'vmbr0', '--check', '--root', root, '--uplink', 'eth0']);
    expect(check.code).toBe(2);
    expect(check.stdout).toMatch(/^BRIDGEWATCH CRITICAL - vmbr0: .*guest-takes-bridge-mac/);
  });

  it('starting CT 101\'s veth with its host_mac really moves the bridge MAC; stopping it moves it back', async () => {
    const predicted = guest('openvz', '101').port.hostMac.mac!;
    expect(await startPort('veth101.0', predicted)).toBe(predicted);
    expect(await bridgeMac()).toBe(predicted);
    await sh('ip', 'link', 'del', 'veth101.0');
    expect(await bridgeMac()).toBe(UPLINK);
  });

  it('starting CT 102\'s veth (host_mac FE:FF:FF:FF:FF:FF) leaves the bridge MAC alone, as predicted', async () => {
    await startPort('veth102.0', guest('openvz', '102').port.hostMac.mac!);
    expect(await bridgeMac()).toBe(UPLINK);
    await sh('ip', 'link', 'del', 'veth102.0');
  });

  it('kernel-random ports (like fwpr100p0) take the bridge exactly when their MAC is below the uplink\'s', async () => {
    let took = 0;
    const starts = 24;
    for (let i = 0; i < starts; i++) {
      const mac = await startPort(`fwpr100p${i}`);
      const below = parseMac(mac)! < parseMac(UPLINK)!;
      expect(await bridgeMac(), `start ${i}: ${mac}`).toBe(below ? mac : UPLINK);
      // eth_random_addr: unicast, locally administered.
      expect(parseInt(mac.slice(0, 2), 16) & 0x03).toBe(0x02);
      if (below) took++;
      await sh('ip', 'link', 'del', `fwpr100p${i}`);
    }
    process.stdout.write(`[guest audit netns] ${took}/${starts} random starts took vmbr0's MAC (predicted 45/64 = 70.3%)\n`);
  });
});
