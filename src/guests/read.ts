/**
 * Reads every hypervisor's guest definitions under a filesystem root (`/` on a host, a fixture
 * tree in tests) and, when a command runner is given, Docker's networks through its CLI. Missing
 * directories mean "not this hypervisor"; unreadable or odd files become problems, never errors.
 * No hypervisor tool is needed (libvirt's XML is read without virsh); a missing `docker` CLI or a
 * stopped daemon is reported in `sources`, not thrown.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { CommandRunner } from '../fixer/host.js';
import { parseDockerNetworks } from './docker.js';
import { parseLibvirtDomain, parseLibvirtNetwork } from './libvirt.js';
import { parseLxcConfig } from './lxc.js';
import { parseOpenvzConfig } from './openvz.js';
import { parseProxmoxConfig } from './proxmox.js';
import type { GuestInventory, GuestPort, GuestReadProblem, GuestSourceStatus } from './types.js';

/** Where to read. */
export interface GuestReadOptions {
  /** Filesystem root (default `/`). */
  root?: string;
  /** Runs `docker network ...`; absent: Docker is not read (and `sources` says so). */
  run?: CommandRunner;
}

/** Names ending in `suffix` in `dir`, sorted; null when the directory does not exist or cannot be listed. */
async function listOrNull(dir: string, suffix: string): Promise<string[] | null> {
  try {
    return (await fs.readdir(dir)).filter((n) => n.endsWith(suffix)).sort();
  } catch {
    return null;
  }
}

async function list(dir: string, suffix: string): Promise<string[]> {
  return (await listOrNull(dir, suffix)) ?? [];
}

/** A source read from directories: how many definitions, or that none of its directories exists. */
function dirStatus(hypervisor: GuestSourceStatus['hypervisor'], dirs: string[], present: boolean, found: number): GuestSourceStatus {
  return { hypervisor, found, detail: present ? dirs.join(', ') : `not installed (no ${dirs.join(', no ')})` };
}

/** Docker bridge networks through the CLI; never throws (no CLI, no daemon, no permission: a status). */
async function readDocker(run: CommandRunner): Promise<{ ports: GuestPort[]; problems: GuestReadProblem[]; status: GuestSourceStatus }> {
  const none = { ports: [], problems: [] };
  const ls = await run(['docker', 'network', 'ls', '--quiet', '--filter', 'driver=bridge']);
  const why = (r: { code: number | null; stderr: string }): string => r.stderr.trim().split('\n')[0] || `exit ${r.code ?? '?'}`;
  if (ls.code === null) {
    const detail = /ENOENT/.test(ls.stderr) ? 'docker CLI not installed' : `docker not run: ${why(ls)}`;
    return { ...none, status: { hypervisor: 'docker', found: null, detail } };
  }
  if (ls.code !== 0) return { ...none, status: { hypervisor: 'docker', found: null, detail: `docker network ls failed: ${why(ls)}` } };
  const ids = ls.stdout.split('\n').map((s) => s.trim()).filter((s) => s !== '');
  const status: GuestSourceStatus = { hypervisor: 'docker', found: ids.length, detail: 'docker network inspect' };
  if (ids.length === 0) return { ...none, status };
  const inspect = await run(['docker', 'network', 'inspect', ...ids]);
  if (inspect.code !== 0) {
    return { ...none, status: { hypervisor: 'docker', found: null, detail: `docker network inspect failed: ${why(inspect)}` } };
  }
  return { ...parseDockerNetworks(inspect.stdout, 'docker network inspect'), status };
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
  const sources: GuestSourceStatus[] = [];
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
  const liveDomains = await listOrNull(at('/run/libvirt/qemu'), '.xml');
  const savedDomains = await listOrNull(at('/etc/libvirt/qemu'), '.xml');
  const domains = new Set([...(liveDomains ?? []), ...(savedDomains ?? [])]);
  sources.push(dirStatus('libvirt', ['/etc/libvirt/qemu', '/run/libvirt/qemu'], liveDomains !== null || savedDomains !== null, domains.size));
  for (const name of liveDomains ?? []) {
    const file = `/run/libvirt/qemu/${name}`;
    const text = await read(at(file), problems, file);
    if (text === null) continue;
    const r = parseLibvirtDomain(text, file, networks, true);
    for (const p of r.ports) running.add(p.guest);
    if (r.ports.length === 0 && r.problems.length === 0) running.add(name.replace(/\.xml$/, ''));
    add(r);
  }
  for (const name of savedDomains ?? []) {
    const file = `/etc/libvirt/qemu/${name}`;
    const text = await read(at(file), problems, file);
    if (text === null) continue;
    const r = parseLibvirtDomain(text, file, networks, false);
    if (r.ports.some((p) => running.has(p.guest))) continue;
    add(r);
  }

  // Proxmox (before LXC: Proxmox writes /var/lib/lxc/VMID/config for its containers too).
  const proxmoxCts = new Set<string>();
  let proxmoxPresent = false;
  let proxmoxFound = 0;
  for (const [dir, kind] of [['/etc/pve/qemu-server', 'qemu'], ['/etc/pve/lxc', 'lxc']] as const) {
    const names = await listOrNull(at(dir), '.conf');
    if (names !== null) proxmoxPresent = true;
    for (const name of names ?? []) {
      const vmid = name.replace(/\.conf$/, '');
      if (!/^\d+$/.test(vmid)) continue;
      const file = `${dir}/${name}`;
      const text = await read(at(file), problems, file);
      if (text === null) continue;
      if (kind === 'lxc') proxmoxCts.add(vmid);
      proxmoxFound++;
      add(parseProxmoxConfig(text, file, vmid, kind));
    }
  }
  sources.push(dirStatus('proxmox', ['/etc/pve/qemu-server', '/etc/pve/lxc'], proxmoxPresent, proxmoxFound));

  const containers = await listOrNull(at('/var/lib/lxc'), '');
  let lxcFound = 0;
  for (const name of containers ?? []) {
    if (proxmoxCts.has(name)) continue;
    const file = `/var/lib/lxc/${name}/config`;
    const text = await read(at(file), problems, file);
    if (text !== null) { lxcFound++; add(parseLxcConfig(text, file, name)); }
  }
  sources.push(dirStatus('lxc', ['/var/lib/lxc'], containers !== null, lxcFound));

  const openvz = await listOrNull(at('/etc/vz/conf'), '.conf');
  let openvzFound = 0;
  for (const name of openvz ?? []) {
    const ctid = name.replace(/\.conf$/, '');
    if (!/^\d+$/.test(ctid) || ctid === '0') continue;
    const file = `/etc/vz/conf/${name}`;
    const text = await read(at(file), problems, file);
    if (text !== null) { openvzFound++; add(parseOpenvzConfig(text, file, ctid)); }
  }
  sources.push(dirStatus('openvz', ['/etc/vz/conf'], openvz !== null, openvzFound));

  if (options.run) {
    const docker = await readDocker(options.run);
    add(docker);
    sources.push(docker.status);
  } else {
    sources.push({ hypervisor: 'docker', found: null, detail: 'not queried (no command runner: --root)' });
  }
  return { ports, problems, sources };
}
