/**
 * `bridgewatch analyze -` (as in `tcpdump -w - | bridgewatch analyze -`), through the real CLI in a
 * child process fed on stdin: a lab capture gives the same analysis as the file itself, a gzip
 * stream is inflated, and a stream cut mid-record exits 2 with one stderr line naming `-` and the
 * byte offset while the JSON still covers every packet before the cut.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../..');
const sample = path.join(repo, 'samples/guest-start-stop-kernel-timers/neighbour.pcap');
let runner = '';
const outDir = path.join(repo, 'node_modules/.cache', `bwhs-cli-${process.pid}`);

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

beforeAll(async () => {
  // Compile src/ once (tsc emits even when other teams' files have type errors; checked below).
  await promisify(execFile)('npx', ['tsc', '-p', path.join(repo, 'tsconfig.json'), '--outDir', outDir, '--declaration', 'false', '--sourceMap', 'false'], { cwd: repo })
    .catch(() => undefined);
  if (!existsSync(path.join(outDir, 'cli/main.js'))) throw new Error(`tsc did not emit ${outDir}/cli/main.js`);
  runner = path.join(outDir, 'bwhs-run.mjs');
  writeFileSync(runner, "import { main } from './cli/main.js';\nprocess.exitCode = await main(process.argv.slice(2));\n");
}, 180_000);

function cli(args: string[], stdin: Uint8Array): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [runner, ...args], { cwd: repo });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.on('error', () => undefined); // the CLI may stop reading early on a fault
    child.stdin.end(stdin);
  });
}

interface Doc {
  captures: Array<{ path: string; packets: number; gzip: boolean; error?: { code: string; offset?: number } }>;
  findings: unknown[];
  incidents: Array<{ kind: string }>;
}

describe('analyze - (stdin)', () => {
  it('reads a capture from stdin exactly as from the file', async () => {
    const bytes = readFileSync(sample);
    const viaFile = await cli(['analyze', sample, '--format', 'json'], new Uint8Array(0));
    const viaStdin = await cli(['analyze', '-', '--format', 'json'], bytes);
    expect(viaStdin.code).toBe(viaFile.code);
    const a = JSON.parse(viaFile.stdout) as Doc;
    const b = JSON.parse(viaStdin.stdout) as Doc;
    expect(b.captures[0]?.path).toBe('-');
    expect(b.captures[0]?.packets).toBe(a.captures[0]?.packets);
    expect(a.captures[0]?.packets).toBeGreaterThan(100);
    expect(b.findings).toEqual(a.findings);
    expect(b.incidents.map((i) => i.kind)).toEqual(a.incidents.map((i) => i.kind));
  });

  it('inflates a gzip stream on stdin', async () => {
    const r = await cli(['analyze', '-', '--format', 'json'], gzipSync(readFileSync(sample)));
    const doc = JSON.parse(r.stdout) as Doc;
    expect(doc.captures[0]?.gzip).toBe(true);
    expect(doc.captures[0]?.packets).toBeGreaterThan(100);
  });

  it('a stream cut mid-record: exit 2, one line naming - and the byte offset, earlier packets analysed', async () => {
    const bytes = readFileSync(sample);
    const cut = bytes.subarray(0, Math.floor(bytes.length * 0.6));
    const r = await cli(['analyze', '-', '--format', 'json'], cut);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n').filter((l) => l.startsWith('bridgewatch:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^bridgewatch: -, byte \d+: truncated/);
    const doc = JSON.parse(r.stdout) as Doc;
    expect(doc.captures[0]?.error?.code).toBe('CAPTURE_TRUNCATED');
    expect(doc.captures[0]?.packets).toBeGreaterThan(50);
  });
});
