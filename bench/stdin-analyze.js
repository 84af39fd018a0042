/**
 * Streams a capture, chunk by chunk, into `bridgewatch analyze - --format json` through its stdin
 * (as `tcpdump -w - | bridgewatch analyze -` would), never touching disk, and samples the
 * analyser's RSS (/proc/PID/status VmRSS and VmHWM, MiB) every `sampleMs`. Used by bench/huge.js
 * and bench/rss-scale.js.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function status(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(text)?.[1] ?? NaN);
    return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/**
 * Runs the analyser on `chunks` (an iterable of Buffers, written with backpressure: the generator
 * is paused while the pipe is full, so nothing piles up here). Returns the exit code, seconds,
 * bytes written, the parsed JSON report, the samples ({ s, gib, rss, hwm }) and the peak RSS in MiB:
 * VmHWM is the high-water mark so far, so the last sample, taken when all input is written, holds
 * the peak of the whole read; only building the report after it is not seen.
 */
export async function streamAnalyze(chunks, { sampleMs = 5000, env = process.env } = {}) {
  // No progress line even when the bench runs at a terminal (stderr is inherited): the line wraps
  // stdin in a byte-counting stream, so a terminal run would measure another read path than a pipe.
  const child = spawn(process.execPath, [`${root}bin/bridgewatch.js`, 'analyze', '-', '--format', 'json'],
    { cwd: root, env: { BRIDGEWATCH_PROGRESS: '0', ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (s) => { stdout += s; });

  let written = 0;
  const t0 = Date.now();
  const samples = [];
  const sample = () => {
    const s = status(child.pid);
    if (s) samples.push({ s: (Date.now() - t0) / 1000, gib: written / 2 ** 30, rss: s.rss, hwm: s.hwm });
  };
  const sampler = setInterval(sample, sampleMs);

  const done = new Promise((resolve) => child.on('close', (code) => resolve(code)));
  for (const chunk of chunks) {
    written += chunk.length;
    if (!child.stdin.write(chunk)) await new Promise((r) => child.stdin.once('drain', r));
  }
  // The last sample before end of input: the report is built after it (a few MiB for 0 findings).
  sample();
  child.stdin.end();
  const code = await done;
  clearInterval(sampler);
  const seconds = (Date.now() - t0) / 1000;
  const peakMiB = Math.max(...samples.map((x) => x.hwm));
  return { code, seconds, written, doc: JSON.parse(stdout), samples, peakMiB };
}
