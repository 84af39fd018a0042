/**
 * Helpers for the live tests: privilege gate, private network namespaces with a veth pair, and a
 * classic-pcap writer for frames to replay with tcpreplay.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { randomBytes } from 'node:crypto';
import { classicPcapFile } from '../pcap-file.js';

/**
 * Namespaces need root. Skip only when not root AND not in CI (CI runs as root and must run them);
 * the reason is printed.
 */
export function namespaceSkipReason(area: string): string | null {
  const root = process.getuid?.() === 0;
  if (root) return null;
  if (process.env['CI']) return null; // let it fail loudly in CI
  const reason = `${area}: skipped, needs root for network namespaces (run as root or with CI=true)`;
  process.stderr.write(`${reason}\n`);
  return reason;
}

export function sh(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A network namespace `bwlv-<pid>-<rand>` holding veth pair `lvA` <-> `lvB`, IPv6 off (quiet). */
export class VethNamespace {
  readonly name: string;
  readonly a = 'lvA';
  readonly b = 'lvB';

  private constructor(name: string) {
    this.name = name;
  }

  static create(): VethNamespace {
    const ns = new VethNamespace(`bwlv-${process.pid}-${randomBytes(3).toString('hex')}`);
    sh('ip', ['netns', 'add', ns.name]);
    try {
      ns.exec('ip', ['link', 'add', ns.a, 'type', 'veth', 'peer', 'name', ns.b]);
      for (const dev of [ns.a, ns.b]) {
        // No IPv6 on the pair: otherwise the kernel's own MLD/DAD frames join what we count.
        ns.exec('sysctl', ['-q', '-w', `net.ipv6.conf.${dev}.disable_ipv6=1`]);
        ns.exec('ip', ['link', 'set', dev, 'up']);
      }
    } catch (e) {
      ns.destroy();
      throw e;
    }
    return ns;
  }

  exec(cmd: string, args: string[]): string {
    return sh('ip', ['netns', 'exec', this.name, cmd, ...args]);
  }

  destroy(): void {
    try { sh('ip', ['netns', 'del', this.name]); } catch { /* already gone */ }
  }
}

/** Writes frames as a classic little-endian µs pcap (LINKTYPE_ETHERNET), 1 ms apart. */
export function writePcap(path: string, frames: Uint8Array[]): void {
  writeFileSync(path, classicPcapFile(frames, { startSec: 1_700_000_000, spacingUs: 1000 }));
}

/** Hex (spaces and newlines ignored) to bytes. */
export function hex(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
}

/** Polls `cond` every 20 ms until true or `timeoutMs` passed; resolves to the last value. */
export async function waitFor(cond: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return cond();
}

/**
 * A veth namespace and a temporary directory (named `prefix` + random) for the enclosing describe
 * block, both removed after it, also when a test fails. Read the fields in tests (set in beforeAll).
 */
export function useVethNamespace(prefix: string): { ns: VethNamespace; dir: string } {
  const held = {} as { ns: VethNamespace; dir: string };
  beforeAll(() => {
    held.ns = VethNamespace.create();
    held.dir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterAll(() => {
    held.ns?.destroy();
    if (held.dir) rmSync(held.dir, { recursive: true, force: true });
  });
  return held;
}
