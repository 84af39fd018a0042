/**
 * A progress line on stderr for long captures: rewritten in place (`\r`), at most a few times a
 * second, only on a TTY and never when CI is set (logs would fill with carriage returns).
 */

import { createReadStream, statSync } from 'node:fs';
import { Transform } from 'node:stream';
import type { CaptureInput } from '../capture/index.js';

/** Where progress goes: a writable with TTY information (process.stderr in the CLI). */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

/** Options of {@link ProgressBar}. */
export interface ProgressOptions {
  stream?: ProgressStream;
  env?: NodeJS.ProcessEnv;
  /** Minimum interval between redraws, ms. Default 100. */
  intervalMs?: number;
  /** Clock, ms (for tests). Default Date.now. */
  now?: () => number;
  /** Only start drawing after this long, ms, so short runs print nothing. Default 500. */
  delayMs?: number;
}

/** True when a progress line may be drawn on `stream`. */
export function progressEnabled(stream: ProgressStream, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && (env['CI'] === undefined || env['CI'] === '' || env['CI'] === 'false');
}

/** Progress of a long read: call {@link update} often (it throttles) and {@link done} at the end. */
export class ProgressBar {
  readonly enabled: boolean;
  private readonly stream: ProgressStream;
  private readonly interval: number;
  private readonly now: () => number;
  private readonly startedAt: number;
  private readonly delay: number;
  private lastDraw = -Infinity;
  private drawn = false;

  constructor(private readonly label: string, options: ProgressOptions = {}) {
    this.stream = options.stream ?? process.stderr;
    this.enabled = progressEnabled(this.stream, options.env ?? process.env);
    this.interval = options.intervalMs ?? 100;
    this.now = options.now ?? Date.now;
    this.delay = options.delayMs ?? 500;
    this.startedAt = this.now();
  }

  /** `done` of `total` units (bytes or packets); `total` null when unknown (shows a count only). */
  update(done: number, total: number | null = null, unit = 'packets'): void {
    if (!this.enabled) return;
    const t = this.now();
    if (t - this.startedAt < this.delay || t - this.lastDraw < this.interval) return;
    this.lastDraw = t;
    this.drawn = true;
    this.stream.write(`\r${renderProgress(this.label, done, total, unit, this.stream.columns ?? 80)}\u001b[K`);
  }

  /** Clears the line (if anything was drawn). */
  done(): void {
    if (this.drawn) this.stream.write('\r\u001b[K');
    this.drawn = false;
  }
}

/** One progress line without control characters, at most `columns - 1` wide. */
export function renderProgress(label: string, done: number, total: number | null, unit: string, columns: number): string {
  const n = (v: number): string => (unit === 'bytes' ? (v / 1e6).toFixed(1) : v.toLocaleString('en-US'));
  const count = `${n(done)}${total === null ? '' : ` / ${n(total)}`} ${unit === 'bytes' ? 'MB' : unit}`;
  if (total === null || total <= 0) return `${label} ${count}`.slice(0, columns - 1);
  const fraction = Math.min(Math.max(done / total, 0), 1);
  const pct = `${Math.floor(fraction * 100)}%`.padStart(4);
  const barWidth = Math.max(10, Math.min(40, columns - label.length - count.length - 12));
  const filled = Math.round(fraction * barWidth);
  return `${label} [${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}] ${pct} ${count}`.slice(0, columns - 1);
}

/**
 * Wraps capture paths in byte-counting streams that drive `bar` (percent of the summed file
 * sizes, as read from disk, so gzip files count compressed bytes). `-` and anything that is not a
 * regular file is passed through untouched (and not counted). Use only when `bar.enabled`: the
 * reader then sees streams, not paths.
 */
export function trackedInputs(paths: readonly string[], bar: ProgressBar): CaptureInput[] {
  const sizes = paths.map((p) => {
    if (p === '-') return null;
    try {
      const st = statSync(p);
      return st.isFile() ? st.size : null;
    } catch {
      return null; // the reader reports it, with its own error code
    }
  });
  const total = sizes.reduce<number>((sum, s) => sum + (s ?? 0), 0);
  let done = 0;
  return paths.map((path, i) => {
    if (sizes[i] === null) return path;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        done += chunk.length;
        bar.update(done, total, 'bytes');
        callback(null, chunk);
      },
    });
    const file = createReadStream(path, { highWaterMark: 1 << 20 });
    file.on('error', (e) => counter.destroy(e));
    return { path, stream: file.pipe(counter) };
  });
}
