/**
 * Worker thread of `npm run fuzz` (cli.ts): runs the cases the main thread sends, one at a time,
 * and answers each with its outcome. The main thread owns the watchdog: it terminates this worker
 * when a case does not answer in time (a hang) and the heap limit it set ends it on runaway memory.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadCorpus } from './corpus.js';
import { makeCase, runCase } from './campaign.js';
import type { CaseOutcome } from './case.js';

/** main -> worker: run case `index`. */
export interface CaseRequest {
  index: number;
}

/** worker -> main: the outcome of case `index`. */
export interface CaseReply {
  index: number;
  outcome: CaseOutcome;
  /** CPU time of the case, ms. */
  cpuMs: number;
  /** Worker process RSS after the case, MiB (sampled every 256 cases, else 0). */
  rssMiB: number;
}

const { seed } = workerData as { seed: number };
const corpus = loadCorpus();
const port = parentPort;
if (port === null) throw new Error('fuzz worker started outside a worker thread');

/** Watchdog self-test: FUZZ_SELFTEST_HANG=K makes case K spin forever (it must be reported as a hang). */
const selfTestHang = Number(process.env.FUZZ_SELFTEST_HANG ?? -1);

port.on('message', (req: CaseRequest) => {
  void (async () => {
    if (req.index === selfTestHang) for (;;);
    const { fuzzCase, rng } = makeCase(corpus, seed, req.index);
    const before = process.cpuUsage();
    const outcome = await runCase(fuzzCase, rng);
    const used = process.cpuUsage(before);
    const reply: CaseReply = {
      index: req.index, outcome, cpuMs: (used.user + used.system) / 1000,
      rssMiB: (req.index & 255) === 0 ? process.memoryUsage.rss() / 2 ** 20 : 0,
    };
    port.postMessage(reply);
  })();
});
port.postMessage('ready');
