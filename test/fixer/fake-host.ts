/**
 * A fake sysfs/proc tree for unit tests: the same files the kernel exposes for a bridge
 * (/sys/class/net/BR/{address,addr_assign_type,bridge/*,brif/PORT/*}, /proc/sys/net/ipv4/conf/BR/*),
 * written into a temp dir. Made by copying the names and value formats seen on kernel 6.18 in a
 * namespace (`ls /sys/class/net/br0/brif/vA`, `cat .../forward_delay` prints centiseconds: 1500).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CommandResult, CommandRunner } from '../../src/fixer/host.js';

/** The lab's uplink MAC (br0's own when pinned) and an OpenVZ host-side MAC (lower: it takes br0). */
export const UPLINK = 'b4:99:ba:11:22:33';
export const OPENVZ = '00:18:51:00:00:01';

export interface FakePort {
  name: string;
  mac: string;
  /** BR_STATE_*: 0 disabled, 1 listening, 2 learning, 3 forwarding, 4 blocking */
  state?: number;
  learning?: 0 | 1;
  flood?: 0 | 1;
  physical?: boolean;
  operstate?: string;
}

export interface FakeBridge {
  name: string;
  mac: string;
  addrAssignType: number;
  stp?: 0 | 1;
  /** centiseconds, as sysfs shows it */
  forwardDelay?: number;
  ports: FakePort[];
  arpNotify?: 0 | 1;
  ndiscNotify?: 0 | 1;
}

/** Creates a temp root; returns it and a cleanup function. */
export function makeRoot(): { root: string; cleanup: () => void } {
  const root = mkdtempSync(path.join(tmpdir(), 'bwfx-root-'));
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

function put(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${text}\n`);
}

/** Writes a bridge and its ports into the fake tree. */
export function addBridge(root: string, b: FakeBridge): void {
  const net = path.join(root, 'sys/class/net');
  put(path.join(net, b.name, 'address'), b.mac);
  put(path.join(net, b.name, 'addr_assign_type'), String(b.addrAssignType));
  put(path.join(net, b.name, 'operstate'), 'up');
  put(path.join(net, b.name, 'bridge/stp_state'), String(b.stp ?? 0));
  put(path.join(net, b.name, 'bridge/forward_delay'), String(b.forwardDelay ?? 1500));
  mkdirSync(path.join(net, b.name, 'brif'), { recursive: true });
  for (const p of b.ports) {
    put(path.join(net, p.name, 'address'), p.mac);
    put(path.join(net, p.name, 'operstate'), p.operstate ?? 'up');
    if (p.physical) mkdirSync(path.join(net, p.name, 'device'), { recursive: true });
    const brif = path.join(net, b.name, 'brif', p.name);
    put(path.join(brif, 'state'), String(p.state ?? 3));
    put(path.join(brif, 'learning'), String(p.learning ?? 1));
    put(path.join(brif, 'unicast_flood'), String(p.flood ?? 1));
  }
  put(path.join(root, 'proc/sys/net/ipv4/conf', b.name, 'arp_notify'), String(b.arpNotify ?? 0));
  put(path.join(root, 'proc/sys/net/ipv6/conf', b.name, 'ndisc_notify'), String(b.ndiscNotify ?? 0));
}

/** A plain (non-bridge) interface. */
export function addInterface(root: string, name: string, mac: string): void {
  put(path.join(root, 'sys/class/net', name, 'address'), mac);
}

/** Writes a config file under the root (path like `/etc/network/interfaces`). */
export function addFile(root: string, file: string, text: string): void {
  put(path.join(root, file), text.replace(/\n$/, ''));
}


/**
 * A scripted runner: answers `ip -j addr show dev BR` with `addresses`, `ip -j -d link` with the
 * kinds given, `ethtool -P` with permanent MACs; records every argv. Anything else fails (code 1)
 * unless `onOther` handles it.
 */
export function fakeRunner(options: {
  addresses?: Record<string, string[]>;
  kinds?: Record<string, string>;
  permanent?: Record<string, string>;
  onOther?: (argv: string[]) => CommandResult | null;
}): { run: CommandRunner; calls: string[][] } {
  const calls: string[][] = [];
  const run: CommandRunner = async (argv) => {
    calls.push(argv);
    const [cmd, ...rest] = argv;
    if (cmd === 'ip' && rest[0] === '-j' && rest[1] === 'addr') {
      const dev = rest[4]!;
      const addrs = (options.addresses?.[dev] ?? []).map((a) => {
        const [local, prefix] = a.split('/');
        return { local, prefixlen: Number(prefix) };
      });
      return { code: 0, stdout: JSON.stringify([{ ifname: dev, addr_info: addrs }]), stderr: '' };
    }
    if (cmd === 'ip' && rest[0] === '-j' && rest[1] === '-d') {
      const dev = rest[5]!;
      const kind = options.kinds?.[dev];
      return { code: 0, stdout: JSON.stringify([{ ifname: dev, ...(kind ? { linkinfo: { info_kind: kind } } : {}) }]), stderr: '' };
    }
    if (cmd === 'ethtool' && rest[0] === '-P') {
      const perm = options.permanent?.[rest[1]!];
      return { code: 0, stdout: `Permanent address: ${perm ?? 'not set'}\n`, stderr: '' };
    }
    return options.onOther?.(argv) ?? { code: 1, stdout: '', stderr: `unexpected command ${argv.join(' ')}` };
  };
  return { run, calls };
}
