/**
 * A fuzz campaign: case `i` of seed `S` is a pure function of (S, i) — which sample, which donor,
 * which mutations — so any case replays alone. {@link runCampaign} runs cases in this process and
 * checks each against a time and memory bound (the vitest pass uses it); the `npm run fuzz` CLI
 * (cli.ts) runs the same cases in a worker thread it can kill, to also catch true hangs.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Corpus } from './corpus.js';
import { randomLogOptions, runCaptureCase, runLogCase, type CaseOutcome } from './case.js';
import { mutateCapture } from './mutate-capture.js';
import { mutateLog } from './mutate-log.js';
import { Rng } from './rng.js';

/** A generated case: its input and how it was made. */
export interface FuzzCase {
  index: number;
  kind: 'capture' | 'log';
  sample: string;
  donor: string;
  steps: string[];
  input: Uint8Array;
}

/** Builds case `index` of campaign `seed` (a quarter of the cases are link logs). */
export function makeCase(corpus: Corpus, seed: number, index: number): { fuzzCase: FuzzCase; rng: Rng } {
  const rng = Rng.forCase(seed, index);
  if (corpus.logs.length > 0 && (corpus.captures.length === 0 || rng.chance(0.25))) {
    const sample = rng.pick(corpus.logs);
    const donor = rng.pick(corpus.logs);
    const m = mutateLog(sample.data, donor.data, rng);
    return { fuzzCase: { index, kind: 'log', sample: sample.name, donor: donor.name, steps: m.steps, input: Buffer.from(m.text, 'utf8') }, rng };
  }
  const sample = rng.pick(corpus.captures);
  const donor = rng.pick(corpus.captures);
  const m = mutateCapture(sample.data, donor.data, rng);
  return { fuzzCase: { index, kind: 'capture', sample: sample.name, donor: donor.name, steps: m.steps, input: m.bytes }, rng };
}

/** Runs one generated case. */
export async function runCase(c: FuzzCase, rng: Rng): Promise<CaseOutcome> {
  return c.kind === 'log' ? runLogCase(Buffer.from(c.input).toString('utf8'), 'fuzz.log', randomLogOptions(rng)) : runCaptureCase(c.input, rng);
}

/** A contract violation found by a campaign. */
export interface FuzzFailure {
  seed: number;
  index: number;
  kind: FuzzCase['kind'];
  /** `crash` (see {@link CaseOutcome}), `slow` (over the per-case bound), `hang` (killed), `memory`. */
  failure: 'crash' | 'slow' | 'hang' | 'memory';
  code: string;
  detail: string;
  sample: string;
  steps: string[];
  /** Where the input was saved, if it was. */
  fixture?: string;
}

export interface CampaignOptions {
  seed: number;
  cases: number;
  /** First case index (default 0), to resume or shard. */
  start?: number;
  /**
   * A case using more CPU time than this is a `slow` failure (default 2000 ms). CPU time, not wall
   * time, so a machine shared with other jobs does not make healthy cases fail.
   */
  caseTimeBoundMs?: number;
  /** RSS above this after a case is a `memory` failure (default 1024 MiB). */
  rssBoundMiB?: number;
  /** Save failing inputs here (test/regressions/); nothing is written when unset. */
  saveDir?: string;
  /** Called every 1000 cases. */
  onProgress?: (done: number, stats: CampaignStats) => void;
}

export interface CampaignStats {
  seed: number;
  cases: number;
  ok: number;
  /** Cases rejected with a BridgewatchError, by code (expected for damaged input). */
  rejected: Record<string, number>;
  failures: FuzzFailure[];
  /** Slowest case, ms of CPU time. */
  slowestMs: number;
  slowestIndex: number;
  peakRssMiB: number;
  elapsedMs: number;
}

/** Saves a failing input as `<dir>/<kind>-<sha1[0..12]>.bin` with a `.json` that says how it was made. */
export function saveFixture(dir: string, c: FuzzCase, failure: Omit<FuzzFailure, 'fixture'>): string {
  mkdirSync(dir, { recursive: true });
  const hash = createHash('sha1').update(c.input).digest('hex').slice(0, 12);
  const base = join(dir, `${c.kind}-${hash}`);
  writeFileSync(`${base}.bin`, c.input);
  writeFileSync(`${base}.json`, `${JSON.stringify({
    made: `npm run fuzz -- --seed ${failure.seed} --start ${c.index} --cases 1`,
    kind: c.kind, sample: c.sample, donor: c.donor, steps: c.steps,
    found: { failure: failure.failure, code: failure.code, detail: failure.detail.split('\n')[0] },
  }, null, 2)}\n`);
  return `${base}.bin`;
}

/** Runs cases in this process; see the module comment. */
export async function runCampaign(corpus: Corpus, options: CampaignOptions): Promise<CampaignStats> {
  const timeBound = options.caseTimeBoundMs ?? 2000;
  const rssBound = options.rssBoundMiB ?? 1024;
  const start = options.start ?? 0;
  const stats: CampaignStats = {
    seed: options.seed, cases: 0, ok: 0, rejected: {}, failures: [], slowestMs: 0, slowestIndex: -1, peakRssMiB: 0, elapsedMs: 0,
  };
  const t0 = performance.now();
  for (let i = start; i < start + options.cases; i++) {
    const { fuzzCase, rng } = makeCase(corpus, options.seed, i);
    const before = process.cpuUsage();
    const outcome = await runCase(fuzzCase, rng);
    const used = process.cpuUsage(before);
    const ms = (used.user + used.system) / 1000;
    stats.cases++;
    if (ms > stats.slowestMs) {
      stats.slowestMs = ms;
      stats.slowestIndex = i;
    }
    let failure: Omit<FuzzFailure, 'fixture'> | null = null;
    const base = { seed: options.seed, index: i, kind: fuzzCase.kind, sample: fuzzCase.sample, steps: fuzzCase.steps };
    if (outcome.status === 'crash') failure = { ...base, failure: 'crash', code: outcome.code ?? 'CRASH', detail: outcome.detail ?? '' };
    else if (ms > timeBound) failure = { ...base, failure: 'slow', code: 'SLOW', detail: `${ms.toFixed(0)} ms > ${timeBound} ms bound` };
    else if (outcome.status === 'rejected') stats.rejected[outcome.code ?? '?'] = (stats.rejected[outcome.code ?? '?'] ?? 0) + 1;
    else stats.ok++;
    if ((i & 255) === 0 || failure !== null) {
      const rss = process.memoryUsage.rss() / 2 ** 20;
      stats.peakRssMiB = Math.max(stats.peakRssMiB, rss);
      if (failure === null && rss > rssBound) failure = { ...base, failure: 'memory', code: 'MEMORY', detail: `RSS ${rss.toFixed(0)} MiB > ${rssBound} MiB` };
    }
    if (failure !== null) {
      const fixture = options.saveDir !== undefined ? { fixture: saveFixture(options.saveDir, fuzzCase, failure) } : {};
      stats.failures.push({ ...failure, ...fixture });
    }
    if ((stats.cases % 1000) === 0) options.onProgress?.(stats.cases, stats);
  }
  stats.elapsedMs = performance.now() - t0;
  return stats;
}
