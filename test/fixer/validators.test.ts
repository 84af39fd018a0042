/**
 * The persistent config snippets, checked by Debian's own tools on temporary files/roots (never the
 * real /etc): ifupdown2's parser (`ifup --syntax-check -i FILE`, which validates attribute values)
 * and `ifquery -o json` for interfaces stanzas (ifupdown, ifupdown2, Proxmox); `netplan generate
 * --root-dir`; and the real systemd-networkd creating the bridge from our .netdev inside a
 * throwaway network + mount namespace (tmpfs over /etc/systemd/network and /run/systemd). Each
 * validator also gets a broken snippet, to show it would catch one. docs/fixer-validation.md lists
 * what is and is not validated.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pinConfigStep } from '../../src/fixer/index.js';
import type { NetworkStack } from '../../src/fixer/types.js';
import { canUseNamespaces, run } from './cli-build.js';

const MAC = 'b4:99:ba:11:22:33';
const enabled = canUseNamespaces('fixer validators');
let tmp = '';

function has(bin: string): boolean {
  return ['/usr/sbin', '/usr/bin', '/sbin', '/bin', '/lib/systemd'].some((d) => existsSync(path.join(d, bin)));
}

/** Installs a Debian package when its tool is missing (CI lists them in .ci/run too). */
function ensure(bin: string, pkg: string): boolean {
  if (has(bin)) return true;
  try {
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', pkg], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, timeout: 300_000 });
  } catch {
    // reported below
  }
  if (!has(bin)) process.stdout.write(`[fixer validators] ${bin} (${pkg}) is not installed and could not be installed\n`);
  return has(bin);
}

/**
 * Runs an ifupdown2 command (`ifup`, `ifquery`) in a throwaway network and mount namespace with a
 * private tmpfs on /run. ifupdown2 takes its lock in /run/network; on a machine where ifupdown2 was
 * just installed and no networking service ever ran, that directory does not exist, and ifupdown2
 * reports its failed lock-file open as "Another instance of this program is already running". The
 * private /run creates it without touching the host's, and keeps the host's lock and state out of reach.
 */
function ifupdown2(args: string[]): ReturnType<typeof run> {
  const script = 'mount -t tmpfs -o mode=0755 bridgewatch-test /run && mkdir -p /run/network && exec "$@"';
  return run(['unshare', '--net', '--mount', '--propagation', 'private', 'sh', '-c', script, 'ifupdown2', ...args]);
}

function snippet(stack: NetworkStack, mac = MAC): string {
  return pinConfigStep(stack, { bridge: 'br0', mac, uplink: 'eth0', evidence: 'test.' })!.config!.text;
}

/**
 * ifupdown2's background netlink listener (nlmanager/nllistener.py) logs `error: recv() error: ...`
 * when its socket read fails; under load in a fresh namespace it sometimes gets EINVAL. That line
 * is about the listener thread, not the file being checked, so it is left out of the stderr that
 * must be free of warnings and errors (the exit code and the negative control still decide).
 */
function withoutListenerNoise(stderr: string): string {
  return stderr.split('\n').filter((line) => !/^error: recv\(\) error: /.test(line)).join('\n');
}

describe.runIf(enabled)('config snippets pass Debian validators', () => {
  beforeAll(() => { tmp = mkdtempSync(path.join(tmpdir(), 'bwfx-val-')); });
  afterAll(() => { if (tmp) rmSync(tmp, { recursive: true, force: true }); });

  it.each(['ifupdown', 'ifupdown2', 'proxmox'] as NetworkStack[])('%s stanza: ifupdown2 parses it and reads hwaddress back', async (stack) => {
    expect(ensure('ifup', 'ifupdown2')).toBe(true);
    const file = path.join(tmp, `interfaces-${stack}`);
    writeFileSync(file, snippet(stack));
    const check = await ifupdown2(['ifup', '--syntax-check', '-i', file, '-a']);
    expect(check.code, check.stderr).toBe(0);
    expect(withoutListenerNoise(check.stderr)).not.toMatch(/warning|error/i);
    const query = await ifupdown2(['ifquery', '-i', file, '-o', 'json', 'br0']);
    const parsed = JSON.parse(query.stdout) as Array<{ name: string; config: Record<string, string> }>;
    expect(parsed[0]?.config.hwaddress?.split(' ').pop()).toBe(MAC);
    // negative control: the same validator rejects a bad MAC
    writeFileSync(file, snippet(stack, 'zz:99:ba:11:22:33'));
    expect((await ifupdown2(['ifup', '--syntax-check', '-i', file, '-a'])).code).not.toBe(0);
  });

  it('netplan: netplan generate --root-dir renders MACAddress= for the bridge', async () => {
    expect(ensure('netplan', 'netplan.io')).toBe(true);
    const root = path.join(tmp, 'netplan-root');
    mkdirSync(path.join(root, 'etc/netplan'), { recursive: true });
    const file = path.join(root, 'etc/netplan/90-bridgewatch-br0.yaml');
    writeFileSync(file, snippet('netplan'));
    chmodSync(file, 0o600);
    const gen = await run(['netplan', 'generate', '--root-dir', root]);
    expect(gen.code, gen.stderr).toBe(0);
    const netdev = readFileSync(path.join(root, 'run/systemd/network/10-netplan-br0.netdev'), 'utf8');
    expect(netdev).toContain('Kind=bridge');
    expect(netdev).toContain(`MACAddress=${MAC}`);
    writeFileSync(file, snippet('netplan', 'not-a-mac'));
    expect((await run(['netplan', 'generate', '--root-dir', root])).code).not.toBe(0);
  });

  it('systemd-networkd: the real daemon creates br0 with the pinned MAC (addr_assign_type 3) in a throwaway namespace', async () => {
    const networkd = '/lib/systemd/systemd-networkd';
    expect(existsSync(networkd) && existsSync('/etc/systemd/network')).toBe(true);
    const file = path.join(tmp, '25-br0.netdev');
    writeFileSync(file, snippet('systemd-networkd'));
    const script = [
      'set -e',
      'mount --make-rprivate /',
      'mount -t tmpfs none /etc/systemd/network',
      'cp "$1" /etc/systemd/network/',
      'mount -t tmpfs none /run/systemd',
      'mkdir -p /run/systemd/netif && chown systemd-network: /run/systemd/netif 2>/dev/null || true',
      'mount -t sysfs sysfs /sys',
      `${networkd} >/dev/null 2>&1 & pid=$!`,
      'i=0; while [ ! -e /sys/class/net/br0 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done',
      'sleep 0.2; kill $pid; wait $pid || true',
      'cat /sys/class/net/br0/address /sys/class/net/br0/addr_assign_type',
    ].join('\n');
    const r = await run(['unshare', '--mount', '--net', 'sh', '-c', script, 'sh', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([MAC, '3']);
  });
});
