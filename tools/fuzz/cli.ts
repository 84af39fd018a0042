/**
 * `npm run fuzz -- --seed S --cases N [--start K] [--hang-ms 10000] [--slow-ms 2000]
 *  [--heap-mib 512] [--rss-mib 1024] [--no-save]`
 * Runs cases S/K .. S/K+N-1 in a worker thread with a watchdog: a case that does not answer within
 * --hang-ms is a hang (the worker is killed and restarted after it), one over --slow-ms of CPU is
 * slow, a worker killed by its --heap-mib heap limit or a sample over --rss-mib is a memory failure.
 * Failing inputs are saved under test/regressions/ (replayed by test/regressions/replay.test.ts).
 * Prints one summary line; exit 0 when there were no failures, 1 otherwise, 2 on bad arguments.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { loadCorpus, REPO_ROOT } from './corpus.js';
import { makeCase, saveFixture, type FuzzFailure } from './campaign.js';
import type { CaseReply } from './worker.js';

interface CliOptions {
  seed: number;
  cases: number;
  start: number;
  hangMs: number;
  slowMs: number;
  heapMiB: number;
  rssMiB: number;
  save: boolean;
}

function parseArgs(argv: string[]): CliOptions {
  const o: CliOptions = { seed: 1, cases: 10_000, start: 0, hangMs: 10_000, slowMs: 2000, heapMiB: 512, rssMiB: 1024, save: true };
  const numeric: Record<string, keyof CliOptions> = {
    '--seed': 'seed', '--cases': 'cases', '--start': 'start', '--hang-ms': 'hangMs', '--slow-ms': 'slowMs',
    '--heap-mib': 'heapMiB', '--rss-mib': 'rssMiB',
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--no-save') { o.save = false; continue; }
    const key = numeric[arg];
    const value = Number(argv[i + 1]);
    if (key === undefined || !Number.isInteger(value) || value < 0) {
      process.stderr.write(`fuzz: bad argument ${arg} ${argv[i + 1] ?? ''} (see tools/fuzz/cli.ts)\n`);
      process.exit(2);
    }
    (o as unknown as Record<string, number>)[key] = value;
    i++;
  }
  return o;
}

const opts = parseArgs(process.argv.slice(2));
const saveDir = process.env.FUZZ_SAVE_DIR ?? join(REPO_ROOT, 'test', 'regressions');
const corpus = loadCorpus();
const failures: FuzzFailure[] = [];
const rejected: Record<string, number> = {};
let ok = 0;
let done = 0;
let slowestMs = 0;
let slowestIndex = -1;
let peakRssMiB = 0;
let restarts = 0;
const t0 = Date.now();
const end = opts.start + opts.cases;

function record(index: number, failure: FuzzFailure['failure'], code: string, detail: string): void {
  const { fuzzCase } = makeCase(corpus, opts.seed, index);
  const f: Omit<FuzzFailure, 'fixture'> = { seed: opts.seed, index, kind: fuzzCase.kind, failure, code, detail, sample: fuzzCase.sample, steps: fuzzCase.steps };
  const saved: FuzzFailure = opts.save ? { ...f, fixture: saveFixture(saveDir, fuzzCase, f) } : f;
  failures.push(saved);
  process.stderr.write(`fuzz: ${failure} ${code} at case ${index} (${fuzzCase.kind} ${fuzzCase.sample} ${fuzzCase.steps.join(' ')}): ` +
    `${detail.split('\n')[0]}${saved.fixture ? ` -> ${saved.fixture}` : ''}\n`);
}

/** Runs cases from `from` in a fresh worker; resolves with the index to resume at (end when finished). */
function runWorker(from: number): Promise<number> {
  return new Promise((resolve) => {
    const worker = new Worker(new URL('./worker.js', import.meta.url), {
      workerData: { seed: opts.seed },
      resourceLimits: { maxOldGenerationSizeMb: opts.heapMiB },
    });
    let current = from;
    let timer: NodeJS.Timeout | null = null;
    let settled = false;
    const finish = (next: number): void => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      void worker.terminate();
      resolve(next);
    };
    const send = (): void => {
      if (current >= end) return finish(end);
      // The first case after a (re)start also pays for loading the corpus: allow for it.
      timer = setTimeout(() => {
        record(current, 'hang', 'HANG', `no answer within ${opts.hangMs} ms`);
        finish(current + 1);
      }, opts.hangMs);
      worker.postMessage({ index: current });
    };
    worker.on('message', (msg: CaseReply | 'ready') => {
      if (msg === 'ready') return send();
      if (timer) clearTimeout(timer);
      done++;
      const { outcome, cpuMs, index } = msg;
      if (cpuMs > slowestMs) { slowestMs = cpuMs; slowestIndex = index; }
      peakRssMiB = Math.max(peakRssMiB, msg.rssMiB);
      if (outcome.status === 'crash') record(index, 'crash', outcome.code ?? 'CRASH', outcome.detail ?? '');
      else if (cpuMs > opts.slowMs) record(index, 'slow', 'SLOW', `${cpuMs.toFixed(0)} ms of CPU > ${opts.slowMs} ms`);
      else if (msg.rssMiB > opts.rssMiB) record(index, 'memory', 'MEMORY', `RSS ${msg.rssMiB.toFixed(0)} MiB > ${opts.rssMiB} MiB`);
      else if (outcome.status === 'rejected') rejected[outcome.code ?? '?'] = (rejected[outcome.code ?? '?'] ?? 0) + 1;
      else ok++;
      if (done % 10_000 === 0) {
        process.stderr.write(`fuzz: ${done}/${opts.cases} cases, ${failures.length} failures, ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
      }
      current = index + 1;
      send();
    });
    worker.on('error', (e: Error & { code?: string }) => {
      const oom = e.code === 'ERR_WORKER_OUT_OF_MEMORY';
      record(current, oom ? 'memory' : 'crash', oom ? 'HEAP_LIMIT' : 'WORKER_ERROR', `${e.message}`);
      done++;
      finish(current + 1);
    });
    worker.on('exit', () => finish(current));
  });
}

let next = opts.start;
while (next < end) {
  const resumeAt = await runWorker(next);
  if (resumeAt < end) restarts++;
  // A worker that exited without answering its case would loop forever here: count it as a crash.
  if (resumeAt === next) {
    record(next, 'crash', 'WORKER_EXIT', 'worker exited without answering');
    next++;
  } else next = resumeAt;
}
const seconds = (Date.now() - t0) / 1000;
const rejectedTotal = Object.values(rejected).reduce((a, b) => a + b, 0);
const summary = {
  seed: opts.seed, start: opts.start, cases: opts.cases, ok, rejected: rejectedTotal, rejectedByCode: rejected,
  crashes: failures.filter((f) => f.failure === 'crash').length, hangs: failures.filter((f) => f.failure === 'hang').length,
  slow: failures.filter((f) => f.failure === 'slow').length, memory: failures.filter((f) => f.failure === 'memory').length,
  slowestCpuMs: Math.round(slowestMs), slowestIndex, peakWorkerRssMiB: Math.round(peakRssMiB), workerRestarts: restarts,
  seconds: Math.round(seconds), node: process.version,
};
process.stdout.write(`${JSON.stringify(summary)}\n`);
process.stdout.write(`fuzz seed ${opts.seed}: ${opts.cases} cases, ${summary.crashes} crashes, ${summary.hangs} hangs, ` +
  `${summary.slow} slow, ${summary.memory} memory; ${ok} ok, ${rejectedTotal} rejected with a code; ${seconds.toFixed(0)} s\n`);
process.exitCode = failures.length > 0 ? 1 : 0;
