/**
 * The seed corpus: every shipped capture (samples/**: lab runs and samples/formats) and every link
 * log (samples/linklogs and the lab runs' monitor and kernel logs). Compressed samples are inflated
 * so mutations see the structure; the mutator re-compresses some cases itself.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { scanLayout } from './layout.js';

/** One seed input. */
export interface Sample<T> {
  /** Path relative to the repository root. */
  name: string;
  data: T;
}

export interface Corpus {
  captures: Sample<Uint8Array>[];
  logs: Sample<string>[];
}

/** Repository root: the nearest folder above this file with a package.json (tools/fuzz/ from source, build/tools/fuzz/ built). */
export const REPO_ROOT = findRepoRoot(dirname(fileURLToPath(import.meta.url)));

function findRepoRoot(dir: string): string {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json'))) return d;
    if (dirname(d) === d) return dir;
  }
}

/**
 * Seeds are cut to about this many bytes (at a record boundary) so a case stays a few ms: the
 * parsers' state does not depend on how far into a file a record is, only on what precedes it.
 */
export const MAX_SEED_BYTES = 24 * 1024;

const CAPTURE_RE = /\.(pcap|pcapng)(\.gz)?$/;
const LOG_NAMES = new Set(['ip-monitor.log', 'bridge-monitor.log', 'kernel.log']);
const LOG_RE = /\.(log|json|txt)$/;

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else out.push(path);
  }
}

/** Cuts a capture to at most `max` bytes at the last whole record (the file stays well-formed). */
export function trimCapture(bytes: Uint8Array, max: number): Uint8Array {
  if (bytes.length <= max) return bytes;
  const layout = scanLayout(bytes);
  let end = 0;
  for (const r of layout.records) {
    if (r.end > max) break;
    end = r.end;
  }
  return end > 0 ? bytes.subarray(0, end) : bytes.subarray(0, max);
}

/**
 * Loads the corpus from `samplesDir` (default: `$FUZZ_SAMPLES_DIR`, else the repository's
 * samples/; the variable lets a build compiled elsewhere, e.g. by the CI test, find them).
 */
export function loadCorpus(samplesDir = process.env.FUZZ_SAMPLES_DIR ?? join(REPO_ROOT, 'samples')): Corpus {
  const files: string[] = [];
  walk(samplesDir, files);
  const captures: Sample<Uint8Array>[] = [];
  const logs: Sample<string>[] = [];
  for (const path of files) {
    const name = relative(REPO_ROOT, path);
    const base = path.slice(path.lastIndexOf('/') + 1);
    if (CAPTURE_RE.test(base)) {
      const raw = readFileSync(path);
      // A plain Uint8Array copy: Buffer#slice returns a view, and mutations must never write the seed.
      const bytes = new Uint8Array(base.endsWith('.gz') ? gunzipSync(raw) : raw);
      captures.push({ name, data: trimCapture(bytes, MAX_SEED_BYTES).slice() });
    } else if ((path.includes('/linklogs/') && LOG_RE.test(base)) || LOG_NAMES.has(base)) {
      logs.push({ name, data: readFileSync(path, 'utf8') });
    }
  }
  return { captures, logs };
}
