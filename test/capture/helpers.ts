/** Test helpers: read a capture into plain copies, and ask tshark (the oracle) about a file. */
import { execFileSync } from 'node:child_process';
import { readCaptures, type CaptureInput, type CaptureReadResult } from '../../src/capture/index.js';
import type { CapturePacket } from '../../src/capture/types.js';
import { decodePacket } from '../../src/decode/index.js';
import type { DecodedEvent } from '../../src/decode/events.js';

export interface ReadPacket extends CapturePacket {
  event: DecodedEvent | null;
}

/** Reads inputs, copying each packet (the reader reuses its object) and decoding it. */
export async function readAll(inputs: CaptureInput[]): Promise<{ packets: ReadPacket[]; results: CaptureReadResult[] }> {
  const packets: ReadPacket[] = [];
  const results = await readCaptures(inputs, (p) => {
    packets.push({ ...p, data: p.data.slice(), event: decodePacket(p) });
  });
  return { packets, results };
}

export function hasTool(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A tool is required in CI; locally its absence skips the tests using it, with a printed reason. */
export function toolOrSkip(name: string): boolean {
  if (hasTool(name)) return true;
  if (process.env.CI) throw new Error(`${name} is required in CI (see .ci/run)`);
  console.log(`skipping ${name} tests: ${name} not installed and CI unset`);
  return false;
}

/** tshark is required in CI; locally its absence skips oracle tests with a printed reason. */
export function tsharkOrSkip(): boolean {
  return toolOrSkip('tshark');
}

/** One row per frame of `tshark -T fields`, each field a string ('' when absent). */
export function tshark(file: string, fields: string[]): string[][] {
  const args = ['-r', file, '-T', 'fields', '-E', 'separator=|', '-E', 'occurrence=a', '-E', 'aggregator=,'];
  for (const f of fields) args.push('-e', f);
  const out = execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return out.split('\n').filter((l) => l.length > 0).map((l) => l.split('|'));
}

/** `sec.nnnnnnnnn` as tshark prints frame.time_epoch. */
export function epoch(p: { tsSec: number; tsNsec: number }): string {
  return `${p.tsSec}.${String(p.tsNsec).padStart(9, '0')}`;
}

/** Number of frames matching a tshark display filter. */
export function tsharkCount(file: string, displayFilter: string): number {
  const out = execFileSync('tshark', ['-r', file, '-Y', displayFilter, '-T', 'fields', '-e', 'frame.number'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return out.split('\n').filter((l) => l.length > 0).length;
}
