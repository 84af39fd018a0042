/**
 * Test helpers for the report tests: hand-assembled frames, a classic pcap builder, tshark.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CapturePacket } from '../../src/capture/types.js';
import { classicPcapFile } from '../pcap-file.js';

/** Hex (whitespace and `#` comments allowed) to bytes. */
export function hex(text: string): Uint8Array {
  const clean = text.replace(/#[^\n]*/g, '').replace(/\s+/g, '');
  return Uint8Array.from(clean.match(/../g)!.map((b) => Number.parseInt(b, 16)));
}

/**
 * ARP request, hand-assembled per RFC 826 (REFERENCE.md section 1's first line): tshark decodes it
 * as "Who has 192.0.2.254? Tell 192.0.2.1" from 00:18:51:00:00:01 (checked in pcapng-writer.test).
 */
export const ARP_WHO_HAS = hex(`
  ff ff ff ff ff ff   00 18 51 00 00 01   08 06   # broadcast <- 00:18:51:00:00:01, ARP
  00 01 08 00 06 04 00 01                         # Ethernet/IPv4, hlen 6, plen 4, op 1 (request)
  00 18 51 00 00 01   c0 00 02 01                 # sender 00:18:51:00:00:01 192.0.2.1
  00 00 00 00 00 00   c0 00 02 fe                 # target ?, 192.0.2.254
`);

/** A CapturePacket for `data` at 2026-11-21T09:09:00Z + `offsetSec`. */
export function packet(frame: number, data: Uint8Array, offsetSec: number, fileIndex = 0): CapturePacket {
  const t = Date.UTC(2026, 10, 21, 9, 9, 0) / 1000 + offsetSec;
  const sec = Math.floor(t);
  return {
    frame, fileIndex, tsSec: sec, tsNsec: Math.round((t - sec) * 1e9), interfaceId: 0, linkType: 1,
    capturedLength: data.length, originalLength: data.length, data,
  };
}

/** Classic little-endian µs pcap (LINKTYPE_ETHERNET) holding `frames` at 0.2 s spacing from 09:09:00Z. */
export function classicPcap(frames: Uint8Array[]): Buffer {
  return classicPcapFile(frames, { startSec: Date.UTC(2026, 10, 21, 9, 9, 0) / 1000, spacingUs: 200_000 });
}

/** A temporary folder removed by the returned cleanup. */
export function tempDir(prefix = 'bwrp-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes `data` to `dir/name` and returns the path. */
export function writeTemp(dir: string, name: string, data: string | Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
}

/** True when tshark is installed (CI installs it; see .ci/run). */
export function haveTshark(): boolean {
  return spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Runs tshark and returns stdout lines (stderr's "Running as root" chatter ignored). */
export function tshark(args: string[]): string[] {
  const out = execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return out.split('\n').filter((l) => l !== '');
}

/**
 * True when a test needing `tool` must be skipped: the tool is missing AND `CI` is unset (CI
 * installs every tool, so there a missing tool fails the test instead). Prints the reason.
 */
export function skipWithout(tool: string, available: boolean): boolean {
  if (available || process.env['CI']) return false;
  console.warn(`skipping ${tool} test: ${tool} is not installed (CI installs it; see .ci/run)`);
  return true;
}
