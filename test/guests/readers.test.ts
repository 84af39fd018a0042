/**
 * One test group per guest-definition reader, on the fixture tree test/fixtures/guests (each file
 * taken from its project's documentation example: see that folder's README.md), plus the whole
 * tree through readGuestInventory with a scripted Docker CLI (the host's docker is never run).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CommandResult, CommandRunner } from '../../src/fixer/host.js';
import { dockerBridgeName, parseDockerNetworks } from '../../src/guests/docker.js';
import { parseLibvirtDomain, parseLibvirtNetwork } from '../../src/guests/libvirt.js';
import { parseLxcConfig } from '../../src/guests/lxc.js';
import { parseOpenvzConfig } from '../../src/guests/openvz.js';
import { parseProxmoxConfig } from '../../src/guests/proxmox.js';
import { readGuestInventory } from '../../src/guests/read.js';

const ROOT = path.resolve(import.meta.dirname, '../fixtures/guests');
const fixture = (p: string): string => readFileSync(path.join(ROOT, p), 'utf8');

describe('libvirt domain XML', () => {
  const networks = new Map([['default', 'virbr0']]);

  it('reads <interface type=bridge>: bridge, guest MAC, tap name, tap MAC = guest MAC with 0xFE, line of the interface', () => {
    const r = parseLibvirtDomain(fixture('etc/libvirt/qemu/demo.xml'), '/etc/libvirt/qemu/demo.xml', networks, false);
    expect(r.problems).toEqual([]);
    // The <interface type='direct'> (macvtap) joins no bridge and is skipped.
    expect(r.ports).toEqual([{
      source: 'libvirt', guest: 'demo', iface: 'interface 0', bridge: 'br0', hostPort: 'vnet7',
      guestMac: '00:16:3e:5d:c7:9e', hostMac: { kind: 'fixed', mac: 'fe:16:3e:5d:c7:9e' },
      file: '/etc/libvirt/qemu/demo.xml', line: 6, running: false,
    }]);
  });

  it('resolves <interface type=network> through the network definition', () => {
    expect(parseLibvirtNetwork(fixture('etc/libvirt/qemu/networks/default.xml'))).toEqual({ name: 'default', bridge: 'virbr0' });
    const r = parseLibvirtDomain(fixture('etc/libvirt/qemu/natguest.xml'), 'natguest.xml', networks, null);
    expect(r.ports.map((p) => [p.bridge, p.hostMac])).toEqual([['virbr0', { kind: 'fixed', mac: 'fe:54:00:6d:90:02' }]]);
  });

  it('a guest MAC starting 0xFE gives a 0xFA tap (virnetdevtap.c), no <mac> gives fe:54:00 + random', () => {
    const xml = `<domain type='kvm'><name>g</name><devices>
      <interface type='bridge'><mac address='FE:54:00:01:02:03'/><source bridge='br0'/></interface>
      <interface type='bridge'><source bridge='br0'/></interface></devices></domain>`;
    const r = parseLibvirtDomain(xml, 'g.xml', networks, null);
    expect(r.ports.map((p) => p.hostMac)).toEqual([{ kind: 'fixed', mac: 'fa:54:00:01:02:03' }, { kind: 'prefix', prefix: 'fe:54:00' }]);
  });

  it('names an unknown network and a file that is not a domain', () => {
    const xml = "<domain><name>x</name><devices><interface type='network'><source network='nope'/></interface></devices></domain>";
    expect(parseLibvirtDomain(xml, 'x.xml', networks, null).problems[0]?.message).toMatch(/x: interface 0 \(network nope\): bridge not found/);
    expect(parseLibvirtDomain('<network/>', 'n.xml', networks, null).problems[0]?.message).toMatch(/not a libvirt domain XML/);
  });
});

describe('LXC container config', () => {
  it('reads lxc.net.N.* (lxc.container.conf(5) example): link, hwaddr, veth.pair; host veth is 0xFE + random', () => {
    const r = parseLxcConfig(fixture('var/lib/lxc/web/config'), '/var/lib/lxc/web/config', 'web');
    expect(r.ports).toEqual([{
      source: 'lxc', guest: 'web', iface: 'eth0', bridge: 'br0', hostPort: 'vethweb0', guestMac: '4a:49:43:49:79:bf',
      hostMac: { kind: 'prefix', prefix: 'fe' }, file: '/var/lib/lxc/web/config', line: 3, running: null,
    }]);
  });

  it('reads the legacy lxc.network.* form, one interface per lxc.network.type, skipping macvlan and x templates', () => {
    const r = parseLxcConfig(fixture('var/lib/lxc/legacy/config'), 'legacy/config', 'legacy');
    expect(r.ports.map((p) => [p.iface, p.bridge, p.guestMac, p.line])).toEqual([['eth0', 'br0', null, 3], ['eth1', 'lxcbr0', null, 8]]);
  });

  it('skips a veth in router mode (no bridge)', () => {
    const r = parseLxcConfig('lxc.net.0.type = veth\nlxc.net.0.veth.mode = router\nlxc.net.0.link = br0\n', 'c', 'c');
    expect(r.ports).toEqual([]);
  });
});

describe('OpenVZ CTID.conf NETIF', () => {
  it('reads host_mac, host_ifname and bridge (OpenVZ wiki veth example)', () => {
    const r = parseOpenvzConfig(fixture('etc/vz/conf/101.conf'), '/etc/vz/conf/101.conf', '101');
    expect(r.problems).toEqual([]);
    expect(r.ports).toEqual([{
      source: 'openvz', guest: '101', iface: 'eth0', bridge: 'vmbr0', hostPort: 'veth101.0', guestMac: '00:18:51:a0:8a:d7',
      hostMac: { kind: 'fixed', mac: '00:18:51:30:1b:2a' }, file: '/etc/vz/conf/101.conf', line: 6, running: null,
    }]);
    expect(parseOpenvzConfig(fixture('etc/vz/conf/102.conf'), '102.conf', '102').ports[0]?.hostMac).toEqual({ kind: 'fixed', mac: 'fe:ff:ff:ff:ff:ff' });
  });

  it('several interfaces; no host_mac = vzctl generates one under 00:18:51; no bridge= and a bad MAC are problems', () => {
    const text = 'NETIF="ifname=eth0,mac=00:18:51:00:00:10,host_ifname=veth103.0,bridge=br0;ifname=eth1,host_mac=zz:00;ifname=eth2"\n';
    const r = parseOpenvzConfig(text, '103.conf', '103');
    expect(r.ports.map((p) => [p.iface, p.bridge, p.hostPort, p.hostMac])).toEqual([
      ['eth0', 'br0', 'veth103.0', { kind: 'prefix', prefix: '00:18:51' }],
      ['eth1', null, 'veth103.1', { kind: 'prefix', prefix: '00:18:51' }],
      ['eth2', null, 'veth103.2', { kind: 'prefix', prefix: '00:18:51' }],
    ]);
    expect(r.problems.map((p) => p.message)).toEqual([
      'CT 103 eth1: no bridge= in NETIF, the bridge its veth joins is not known',
      'CT 103 eth1: host_mac "zz:00" is not a MAC',
      'CT 103 eth2: no bridge= in NETIF, the bridge its veth joins is not known',
    ]);
  });
});

describe('Proxmox VE guest configs', () => {
  it('qemu-server: tap or (firewall=1) fwpr port, random MAC; no bridge = user networking; snapshots ignored', () => {
    const r = parseProxmoxConfig(fixture('etc/pve/qemu-server/100.conf'), '/etc/pve/qemu-server/100.conf', '100', 'qemu');
    expect(r.problems).toEqual([]);
    expect(r.ports.map((p) => [p.iface, p.bridge, p.hostPort, p.guestMac, p.hostMac.kind, p.line])).toEqual([
      ['net0', 'vmbr0', 'fwpr100p0', 'bc:24:11:2d:6b:0e', 'random', 6],
      ['net1', 'vmbr1', 'tap100i1', 'bc:24:11:9a:00:01', 'random', 7],
    ]);
  });

  it('lxc: the container veth vethVMIDiN is LXC\'s (0xFE + random), behind the firewall it is fwprVMIDpN (random)', () => {
    const r = parseProxmoxConfig(fixture('etc/pve/lxc/101.conf'), '/etc/pve/lxc/101.conf', '101', 'lxc');
    expect(r.ports.map((p) => [p.source, p.iface, p.bridge, p.hostPort, p.guestMac, p.hostMac])).toEqual([
      ['proxmox-lxc', 'net0', 'vmbr0', 'veth101i0', 'bc:24:11:5f:2a:01', { kind: 'prefix', prefix: 'fe' }],
    ]);
    const fw = parseProxmoxConfig('net1: name=eth1,bridge=vmbr0,firewall=1,hwaddr=BC:24:11:00:00:01,type=veth\n', 'x', '102', 'lxc');
    expect(fw.ports.map((p) => [p.hostPort, p.hostMac.kind])).toEqual([['fwpr102p1', 'random']]);
  });
});

describe('Docker networks (docker network inspect)', () => {
  it('one port per container endpoint, random host-side MAC; bridge from the option, docker0, or br-<id>', () => {
    const r = parseDockerNetworks(fixture('docker-network-inspect.json'), 'docker network inspect');
    expect(r.ports.map((p) => [p.guest, p.iface, p.bridge, p.guestMac, p.hostMac.kind])).toEqual([
      ['networktest', 'bridge', 'docker0', '02:42:ac:11:00:02', 'random'],
      ['web', 'lan', 'br-0cf6c84ad9b8', '02:42:c0:a8:00:02', 'random'],
    ]);
    expect(dockerBridgeName({ Name: 'bridge' })).toBe('docker0');
  });

  it('bad JSON is a problem, not an exception', () => {
    expect(parseDockerNetworks('{"Name":', 'docker network inspect').problems[0]?.message).toMatch(/^docker network inspect: /);
  });
});

/** A Docker CLI stand-in: answers by the argv it is given and records the calls. */
function dockerCli(answer: (argv: string[]) => CommandResult): { run: CommandRunner; calls: string[][] } {
  const calls: string[][] = [];
  return { calls, run: async (argv) => { calls.push(argv); return answer(argv); } };
}

describe('readGuestInventory on the fixture tree', () => {
  it('reads every hypervisor; running libvirt XML wins over the persistent one; says what it found', async () => {
    const inspect = fixture('docker-network-inspect.json');
    const docker = dockerCli((argv) => (argv[2] === 'ls'
      ? { code: 0, stdout: 'f7ab26d71dbd\n0cf6c84ad9b8\n', stderr: '' }
      : { code: 0, stdout: inspect, stderr: '' }));
    const inv = await readGuestInventory({ root: ROOT, run: docker.run });
    expect(docker.calls).toEqual([
      ['docker', 'network', 'ls', '--quiet', '--filter', 'driver=bridge'],
      ['docker', 'network', 'inspect', 'f7ab26d71dbd', '0cf6c84ad9b8'],
    ]);
    const demo = inv.ports.filter((p) => p.guest === 'demo');
    expect(demo).toHaveLength(1);
    expect(demo[0]).toMatchObject({ running: true, file: '/run/libvirt/qemu/demo.xml' });
    expect(new Set(inv.ports.map((p) => p.source))).toEqual(new Set(['libvirt', 'lxc', 'openvz', 'proxmox-qemu', 'proxmox-lxc', 'docker']));
    expect(inv.sources.map((s) => [s.hypervisor, s.found])).toEqual([['libvirt', 2], ['proxmox', 2], ['lxc', 2], ['openvz', 2], ['docker', 2]]);
    expect(inv.problems).toEqual([]);
  });

  it('without a runner Docker is not queried, and sources says so', async () => {
    const inv = await readGuestInventory({ root: ROOT });
    expect(inv.ports.some((p) => p.source === 'docker')).toBe(false);
    expect(inv.sources.at(-1)).toEqual({ hypervisor: 'docker', found: null, detail: 'not queried (no command runner: --root)' });
  });

  it('no docker CLI, or a daemon that does not answer: a status line, no ports, no exception', async () => {
    const absent = dockerCli(() => ({ code: null, stdout: '', stderr: 'spawn docker ENOENT' }));
    const down = dockerCli(() => ({ code: 1, stdout: '', stderr: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock.\n' }));
    expect((await readGuestInventory({ root: ROOT, run: absent.run })).sources.at(-1)?.detail).toBe('docker CLI not installed');
    const inv = await readGuestInventory({ root: ROOT, run: down.run });
    expect(inv.sources.at(-1)?.detail).toBe('docker network ls failed: Cannot connect to the Docker daemon at unix:///var/run/docker.sock.');
    expect(down.calls).toHaveLength(1);
  });

  it('an empty root: every hypervisor "not installed"', async () => {
    const inv = await readGuestInventory({ root: path.join(ROOT, 'etc/vz') });
    expect(inv.ports).toEqual([]);
    expect(inv.sources.filter((s) => s.hypervisor !== 'docker').every((s) => s.found === 0 && s.detail.startsWith('not installed'))).toBe(true);
  });
});
