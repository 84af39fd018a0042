/**
 * Stack detection and --write-config on temporary config roots (never the real /etc). The config
 * files are small hand-written examples in each stack's documented syntax.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectStacks, hostAccess, writeConfig } from '../../src/fixer/index.js';
import { unifiedDiff } from '../../src/fixer/diff.js';
import { editIni, editInterfaces } from '../../src/fixer/write-config.js';
import type { RemediationPlan } from '../../src/fixer/types.js';
import { type BridgewatchError } from '../../src/errors.js';
import { addFile, makeRoot } from './fake-host.js';

let root: string;
let cleanup: () => void;
beforeEach(() => ({ root, cleanup } = makeRoot()));
afterEach(() => cleanup());

const MAC = 'b4:99:ba:11:22:33';
const plan = (bridge: string | null = 'br0', pinMac: string | null = MAC): RemediationPlan => ({ bridge, pinMac, stacks: [], steps: [], notes: [] });
const host = () => hostAccess({ configRoot: root });
const read = (f: string) => readFileSync(path.join(root, f), 'utf8');

const INTERFACES = `auto lo
iface lo inet loopback

auto br0
iface br0 inet static
    address 192.0.2.1/24
    bridge_ports eth0
    bridge_stp off

# guests
auto eth1
iface eth1 inet manual
`;

describe('detectStacks', () => {
  it('finds ifupdown and the file defining the bridge in interfaces.d', async () => {
    addFile(root, '/etc/network/interfaces', 'source /etc/network/interfaces.d/*\n');
    addFile(root, '/etc/network/interfaces.d/br0', INTERFACES);
    const found = await detectStacks(host(), 'br0');
    expect(found).toEqual([{ stack: 'ifupdown', evidence: ['/etc/network/interfaces', '/etc/network/interfaces.d/br0'], bridgeFile: '/etc/network/interfaces.d/br0' }]);
  });

  it('tells ifupdown2 and Proxmox (vmbr stanza or MACAddressPolicy link file) apart', async () => {
    addFile(root, '/etc/network/interfaces', 'auto vmbr0\niface vmbr0 inet manual\n    bridge-ports eno1\n');
    addFile(root, '/etc/network/ifupdown2/ifupdown2.conf', 'template_engine=mako\n');
    expect((await detectStacks(host(), 'vmbr0'))[0]).toMatchObject({ stack: 'proxmox', bridgeFile: '/etc/network/interfaces' });
    addFile(root, '/etc/network/interfaces', 'auto br0\niface br0\n    bridge-ports eno1\n');
    expect((await detectStacks(host(), 'br0'))[0]?.stack).toBe('ifupdown2');
    addFile(root, '/usr/lib/systemd/network/99-default.link.d/proxmox-mac-address-policy.conf', '[Link]\nMACAddressPolicy=none\n');
    expect((await detectStacks(host(), 'br0'))[0]?.stack).toBe('proxmox');
  });

  it('finds networkd, NetworkManager, netplan, ifcfg and hypervisors', async () => {
    addFile(root, '/etc/systemd/network/25-br0.netdev', '[NetDev]\nName=br0\nKind=bridge\n');
    addFile(root, '/etc/NetworkManager/system-connections/br0.nmconnection', '[connection]\nid=br0\ntype=bridge\ninterface-name=br0\n');
    addFile(root, '/etc/netplan/01-net.yaml', 'network:\n  version: 2\n  bridges:\n    br0:\n      interfaces: [eth0]\n');
    addFile(root, '/etc/sysconfig/network-scripts/ifcfg-br0', 'DEVICE=br0\nTYPE=Bridge\n');
    addFile(root, '/etc/vz/vz.conf', 'VE_ROOT=/vz/root/$VEID\n');
    addFile(root, '/etc/libvirt/qemu/vm1.xml', '<domain/>\n');
    addFile(root, '/var/lib/lxc/c1/config', 'lxc.net.0.type = veth\n');
    addFile(root, '/etc/xen/xl.conf', '#\n');
    const found = await detectStacks(host(), 'br0');
    expect(found.map((f) => f.stack)).toEqual(['systemd-networkd', 'networkmanager', 'netplan', 'rhel-ifcfg', 'libvirt', 'lxc', 'openvz', 'xen']);
    expect(found.filter((f) => f.bridgeFile).map((f) => f.bridgeFile)).toEqual([
      '/etc/systemd/network/25-br0.netdev', '/etc/NetworkManager/system-connections/br0.nmconnection', '/etc/netplan/01-net.yaml', '/etc/sysconfig/network-scripts/ifcfg-br0',
    ]);
  });

  it('finds nothing on an empty root', async () => {
    expect(await detectStacks(host(), 'br0')).toEqual([]);
  });
});

describe('writeConfig', () => {
  it('inserts hwaddress into the br0 stanza only, backs up the original and returns the diff', async () => {
    addFile(root, '/etc/network/interfaces', INTERFACES);
    const result = await writeConfig(plan(), { configRoot: root });
    expect(result).toMatchObject({ stack: 'ifupdown', file: '/etc/network/interfaces', backup: '/etc/network/interfaces.bridgewatch.bak', changed: true });
    expect(read('/etc/network/interfaces.bridgewatch.bak')).toBe(INTERFACES);
    const after = read('/etc/network/interfaces');
    expect(after).toContain(`    bridge_stp off\n    hwaddress ether ${MAC}\n\n# guests`);
    expect(after.match(/hwaddress/g)).toHaveLength(1);
    expect(result.diff).toContain(`+    hwaddress ether ${MAC}`);
    expect(result.diff).toMatch(/^--- a\/etc\/network\/interfaces\n\+\+\+ b\/etc\/network\/interfaces\n@@ /);
  });

  it('is idempotent: a second run writes nothing and keeps the first backup', async () => {
    addFile(root, '/etc/network/interfaces', INTERFACES);
    await writeConfig(plan(), { configRoot: root });
    const second = await writeConfig(plan(), { configRoot: root });
    expect(second.changed).toBe(false);
    expect(second.diff).toBe('');
    expect(read('/etc/network/interfaces.bridgewatch.bak')).toBe(INTERFACES);
  });

  it('replaces an existing hwaddress line instead of adding a second', () => {
    const edited = editInterfaces('iface br0 inet manual\n\thwaddress ether 00:00:00:00:00:01\n\tbridge_ports eth0\n', 'br0', `hwaddress ether ${MAC}`);
    expect(edited).toBe(`iface br0 inet manual\n\thwaddress ether ${MAC}\n\tbridge_ports eth0\n`);
  });

  it('sets MACAddress= in the [NetDev] section of the networkd file', async () => {
    addFile(root, '/etc/systemd/network/br0.netdev', '[NetDev]\nName=br0\nKind=bridge\n\n[Bridge]\nSTP=no\n');
    const r = await writeConfig(plan(), { configRoot: root });
    expect(read(r.file)).toBe(`[NetDev]\nName=br0\nKind=bridge\nMACAddress=${MAC}\n\n[Bridge]\nSTP=no\n`);
  });

  it('adds an [ethernet] section to a NetworkManager keyfile', () => {
    expect(editIni('[connection]\nid=br0\n', 'ethernet', `cloned-mac-address=${MAC}`)).toBe(`[connection]\nid=br0\n\n[ethernet]\ncloned-mac-address=${MAC}\n`);
  });

  it('writes a separate netplan file (mode 0600) and leaves the user YAML alone', async () => {
    const yaml = 'network:\n  version: 2\n  bridges:\n    br0:\n      interfaces: [eth0]\n';
    addFile(root, '/etc/netplan/01-net.yaml', yaml);
    const r = await writeConfig(plan(), { configRoot: root });
    expect(r).toMatchObject({ stack: 'netplan', file: '/etc/netplan/90-bridgewatch-br0.yaml', backup: null });
    expect(read(r.file)).toContain(`macaddress: "${MAC}"`);
    expect(statSync(path.join(root, r.file)).mode & 0o777).toBe(0o600);
    expect(read('/etc/netplan/01-net.yaml')).toBe(yaml.replace(/\n$/, '\n'));
  });

  it('sets MACADDR= in ifcfg-br0', async () => {
    addFile(root, '/etc/sysconfig/network-scripts/ifcfg-br0', 'DEVICE=br0\nTYPE=Bridge\nMACADDR=00:00:00:00:00:01\n');
    const r = await writeConfig(plan(), { configRoot: root });
    expect(read(r.file)).toBe(`DEVICE=br0\nTYPE=Bridge\nMACADDR=${MAC}\n`);
  });

  it('refuses without a bridge name, and when no file defines the bridge', async () => {
    const code = (p: Promise<unknown>) => p.then(() => 'none', (e: unknown) => (e as BridgewatchError).code);
    expect(await code(writeConfig(plan(null), { configRoot: root }))).toBe('FIX_NEEDS_BRIDGE_NAME');
    addFile(root, '/etc/network/interfaces', 'auto lo\niface lo inet loopback\n');
    expect(await code(writeConfig(plan(), { configRoot: root }))).toBe('FIX_CONFIG_NOT_FOUND');
    expect(existsSync(path.join(root, '/etc/network/interfaces.bridgewatch.bak'))).toBe(false);
  });
});

describe('unifiedDiff', () => {
  it('is empty for equal texts and marks removed and added lines', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\n', 'x', 'y')).toBe('');
    const d = unifiedDiff('a\nb\nc\n', 'a\nB\nc\n', 'x', 'y');
    expect(d).toBe('--- x\n+++ y\n@@ -1,4 +1,4 @@\n a\n-b\n+B\n c\n \n');
  });
});

describe('bridgewatch fix --write-config (CLI on a temp --root)', () => {
  it('writes the pin for the detected stack, prints the diff, and refuses --apply with --root', async () => {
    const { cli: main } = await import('./in-process-cli.js');
    const { addBridge } = await import('./fake-host.js');
    const { vi } = await import('vitest');
    addBridge(root, { name: 'br0', mac: '00:18:51:00:00:01', addrAssignType: 1, ports: [{ name: 'eth0', mac: MAC, physical: true }, { name: 'veth101.0', mac: '00:18:51:00:00:01' }] });
    addFile(root, '/etc/network/interfaces', INTERFACES);
    let out = '';
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => { out += String(s); return true; });
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await main(['fix', 'br0', '--write-config', '--root', root])).toBe(0);
      expect(out).toContain('wrote /etc/network/interfaces (ifupdown; backup /etc/network/interfaces.bridgewatch.bak)');
      expect(out).toContain(`+    hwaddress ether ${MAC}`);
      expect(read('/etc/network/interfaces')).toContain(`hwaddress ether ${MAC}`);
      expect(await main(['fix', 'br0', '--apply', '--root', root])).toBe(2);
      expect(String(err.mock.calls.at(-1)?.[0])).toMatch(/--apply cannot be combined with --root/);
    } finally {
      spy.mockRestore();
      err.mockRestore();
    }
  });
});
