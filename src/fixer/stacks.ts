/**
 * Network-stack and hypervisor detection from configuration files under an injectable root
 * (`configRoot`, default `/`). Detection only reads; it also finds the file that defines a given
 * bridge so `fix --write-config` knows what to edit.
 */
import path from 'node:path';
import { exists, listDir, readText, type HostAccess } from './host.js';
import type { NetworkStack } from './types.js';

/** One detected stack with the files that show it. Paths are absolute host paths (without the root). */
export interface DetectedStack {
  stack: NetworkStack;
  evidence: string[];
  /** The file that defines the bridge asked about, when one does. */
  bridgeFile?: string;
}

/** Every persistent stack the fixer can write config for (used offline, when nothing is detected). */
export const ALL_CONFIG_STACKS: NetworkStack[] = [
  'ifupdown', 'ifupdown2', 'proxmox', 'systemd-networkd', 'networkmanager', 'netplan', 'rhel-ifcfg',
];


async function filesIn(root: string, dir: string, suffix = ''): Promise<string[]> {
  const names = await listDir(path.join(root, dir));
  return names.filter((n) => n.endsWith(suffix)).map((n) => path.posix.join(dir, n));
}

/** Reads a file under the root; null when missing. */
async function readUnder(root: string, file: string): Promise<string | null> {
  return readText(path.join(root, file));
}

/** Does an interfaces(5) text have an `iface BR` stanza? */
export function interfacesDefines(text: string, bridge: string): boolean {
  return new RegExp(`^\\s*iface\\s+${escapeRe(bridge)}\\s`, 'm').test(text);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Detects the network stacks and hypervisors configured under `host.configRoot`.
 * @param bridge when given, the file defining this bridge is looked up per stack.
 */
export async function detectStacks(host: HostAccess, bridge?: string): Promise<DetectedStack[]> {
  const root = host.configRoot;
  const found: DetectedStack[] = [];
  const add = (stack: NetworkStack, evidence: string[], bridgeFile?: string): void => {
    found.push(bridgeFile === undefined ? { stack, evidence } : { stack, evidence, bridgeFile });
  };

  // ifupdown / ifupdown2 / Proxmox share /etc/network/interfaces(.d).
  const ifFiles = [
    ...((await exists(path.join(root, 'etc/network/interfaces'))) ? ['/etc/network/interfaces'] : []),
    ...(await filesIn(root, 'etc/network/interfaces.d')).map((f) => `/${f}`),
  ];
  if (ifFiles.length > 0) {
    let bridgeFile: string | undefined;
    let hasVmbr = false;
    for (const f of ifFiles) {
      const text = (await readUnder(root, f)) ?? '';
      if (/^\s*iface\s+vmbr\d+\s/m.test(text)) hasVmbr = true;
      if (bridge !== undefined && bridgeFile === undefined && interfacesDefines(text, bridge)) bridgeFile = f;
    }
    const isProxmox = hasVmbr || (await exists(path.join(root, 'etc/pve'))) ||
      (await exists(path.join(root, 'usr/lib/systemd/network/99-default.link.d/proxmox-mac-address-policy.conf')));
    const isIfupdown2 = await exists(path.join(root, 'etc/network/ifupdown2/ifupdown2.conf'));
    if (isProxmox) add('proxmox', ifFiles, bridgeFile);
    else if (isIfupdown2) add('ifupdown2', ['/etc/network/ifupdown2/ifupdown2.conf', ...ifFiles], bridgeFile);
    else add('ifupdown', ifFiles, bridgeFile);
  }

  // systemd-networkd: .netdev/.network files.
  const networkd = [
    ...(await filesIn(root, 'etc/systemd/network', '.netdev')),
    ...(await filesIn(root, 'etc/systemd/network', '.network')),
  ].map((f) => `/${f}`);
  if (networkd.length > 0) {
    let bridgeFile: string | undefined;
    for (const f of networkd.filter((n) => n.endsWith('.netdev'))) {
      const text = (await readUnder(root, f)) ?? '';
      if (bridge !== undefined && new RegExp(`^\\s*Name\\s*=\\s*${escapeRe(bridge)}\\s*$`, 'm').test(text)) bridgeFile = f;
    }
    add('systemd-networkd', networkd, bridgeFile);
  }

  // NetworkManager keyfiles.
  const nm = (await filesIn(root, 'etc/NetworkManager/system-connections')).map((f) => `/${f}`);
  if (nm.length > 0 || (await exists(path.join(root, 'etc/NetworkManager/NetworkManager.conf')))) {
    let bridgeFile: string | undefined;
    for (const f of nm) {
      const text = (await readUnder(root, f)) ?? '';
      if (bridge !== undefined && new RegExp(`^\\s*interface-name\\s*=\\s*${escapeRe(bridge)}\\s*$`, 'm').test(text)) bridgeFile = f;
    }
    add('networkmanager', nm.length ? nm : ['/etc/NetworkManager/NetworkManager.conf'], bridgeFile);
  }

  // netplan.
  const netplan = (await filesIn(root, 'etc/netplan', '.yaml')).map((f) => `/${f}`);
  if (netplan.length > 0) {
    let bridgeFile: string | undefined;
    for (const f of netplan) {
      const text = (await readUnder(root, f)) ?? '';
      if (bridge !== undefined && /^\s*bridges\s*:/m.test(text) && new RegExp(`^\\s+${escapeRe(bridge)}\\s*:`, 'm').test(text)) bridgeFile = f;
    }
    add('netplan', netplan, bridgeFile);
  }

  // RHEL ifcfg.
  const ifcfg = (await filesIn(root, 'etc/sysconfig/network-scripts'))
    .filter((f) => path.posix.basename(f).startsWith('ifcfg-'))
    .map((f) => `/${f}`);
  if (ifcfg.length > 0) {
    const own = bridge === undefined ? undefined : ifcfg.find((f) => f.endsWith(`/ifcfg-${bridge}`));
    add('rhel-ifcfg', ifcfg, own);
  }

  // Hypervisors.
  for (const [stack, dirs] of [
    ['libvirt', ['etc/libvirt/qemu', 'etc/libvirt/libvirtd.conf']],
    ['lxc', ['etc/lxc', 'var/lib/lxc']],
    ['openvz', ['etc/vz/vz.conf', 'etc/vz/conf']],
    ['xen', ['etc/xen']],
  ] as Array<[NetworkStack, string[]]>) {
    const evidence: string[] = [];
    for (const d of dirs) if (await exists(path.join(root, d))) evidence.push(`/${d}`);
    if (evidence.length > 0) add(stack, evidence);
  }
  return found;
}


