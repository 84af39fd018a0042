/**
 * Reads every hypervisor's guest definitions under a filesystem root (`/` on a host, a fixture
 * tree in tests) and, when a command runner is given, Docker's networks through its CLI. Missing
 * directories mean "not this hypervisor"; unreadable or odd files become problems, never errors.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { CommandRunner } from '../fixer/host.js';
import { parseDockerNetworks } from './docker.js';
import { parseLibvirtDomain, parseLibvirtNetwork } from './libvirt.js';
import { parseLxcConfig } from './lxc.js';
import { parseOpenvzConfig } from './openvz.js';
import { parseProxmoxConfig } from './proxmox.js';
import type { GuestInventory, GuestPort, GuestReadProblem } from './types.js';

/** Where to read. */
export interface GuestReadOptions {
  /** Filesystem root (default `/`). */
  root?: string;
  /** Runs `docker network ...`; absent: Docker is not read. */
  run?: CommandRunner;
}

async function list(dir: string, suffix: string): Promise<string[]> {
  try {
    return (await fs.readdir(dir)).filter((n) => n.endsWith(suffix)).sort();
  } catch {
    return [];
  }
}

async function read(file: string, problems: GuestReadProblem[], shown: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') problems.push({ file: shown, line: null, message: `cannot read: ${code ?? (e as Error).message}` });
    return null;
  }
}

/** Reads all guest definitions. */
export async function readGuestInventory(options: GuestReadOptions = {}): Promise<GuestInventory> {
  const root = options.root ?? '/';
  const at = (p: string): string => path.join(root, p);
  const ports: GuestPort[] = [];
  const problems: GuestReadProblem[] = [];
  const add = (r: { ports: GuestPort[]; problems: GuestReadProblem[] }): void => { ports.push(...r.ports); problems.push(...r.problems); };

  // libvirt: networks first (name -> bridge), running definitions win over persistent ones.
  const networks = new Map<string, string>();
  for (const dir of ['/etc/libvirt/qemu/networks', '/run/libvirt/network']) {
    for (const name of await list(at(dir), '.xml')) {
      const text = await read(at(`${dir}/${name}`), problems, `${dir}/${name}`);
      const net = text === null ? null : parseLibvirtNetwork(text);
      if (net) networks.set(net.name, net.bridge);
    }
  }
  const running = new Set<string>();
  for (const name of await list(at('/run/libvirt/qemu'), '.xml')) {
    const file = `/run/libvirt/qemu/${name}`;
    const text = await read(at(file), problems, file);
    if (text === null) continue;
    const r = parseLibvirtDomain(text, file, networks, true);
    for (const p of r.ports) running.add(p.guest);
    if (r.ports.length === 0 && r.problems.length === 0) running.add(name.replace(/\.xml$/, ''));
    add(r);
  }
  for (const name of await list(at('/etc/libvirt/qemu'), '.xml')) {
    const file = `/etc/libvirt/qemu/${name}`;
    const text = await read(at(file), problems, file);
    if (text === null) continue;
    const r = parseLibvirtDomain(text, file, networks, false);
    if (r.ports.some((p) => running.has(p.guest))) continue;
    add(r);
  }

  // Proxmox (before LXC: Proxmox writes /var/lib/lxc/VMID/config for its containers too).
  const proxmoxCts = new Set<string>();
  for (const [dir, kind] of [['/etc/pve/qemu-server', 'qemu'], ['/etc/pve/lxc', 'lxc']] as const) {
    for (const name of await list(at(dir), '.conf')) {
      const vmid = name.replace(/\.conf$/, '');
      if (!/^\d+$/.test(vmid)) continue;
      const file = `${dir}/${name}`;
      const text = await read(at(file), problems, file);
      if (text === null) continue;
      if (kind === 'lxc') proxmoxCts.add(vmid);
      add(parseProxmoxConfig(text, file, vmid, kind));
    }
  }

  let containers: string[] = [];
  try { containers = (await fs.readdir(at('/var/lib/lxc'))).sort(); } catch { /* no LXC */ }
  for (const name of containers) {
    if (proxmoxCts.has(name)) continue;
    const file = `/var/lib/lxc/${name}/config`;
    const text = await read(at(file), problems, file);
    if (text !== null) add(parseLxcConfig(text, file, name));
  }

  for (const name of await list(at('/etc/vz/conf'), '.conf')) {
    const ctid = name.replace(/\.conf$/, '');
    if (!/^\d+$/.test(ctid) || ctid === '0') continue;
    const file = `/etc/vz/conf/${name}`;
    const text = await read(at(file), problems, file);
    if (text !== null) add(parseOpenvzConfig(text, file, ctid));
  }

  if (options.run) {
    const ls = await options.run(['docker', 'network', 'ls', '--quiet', '--filter', 'driver=bridge']);
    const ids = ls.code === 0 ? ls.stdout.split('\n').map((s) => s.trim()).filter((s) => s !== '') : [];
    if (ids.length > 0) {
      const inspect = await options.run(['docker', 'network', 'inspect', ...ids]);
      if (inspect.code === 0) add(parseDockerNetworks(inspect.stdout, 'docker network inspect'));
      else problems.push({ file: 'docker network inspect', line: null, message: inspect.stderr.trim().split('\n')[0] ?? `exit ${inspect.code}` });
    }
  }
  return { ports, problems };
}
