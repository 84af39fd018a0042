/**
 * A progress line on stderr while captures are read (and re-read by `--annotate`): bytes (with a
 * bar and percentage when the total is known: not for stdin), packets and packets per second.
 * Rewritten in place (`\r`), at most a few times a second, only on a TTY and never when CI is set
 * (logs would fill with carriage returns). BRIDGEWATCH_PROGRESS=1 forces it on (one line per redraw
 * when stderr is not a TTY, for tests and the curious), =0 forces it off.
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
  /** Only start drawing after this long, ms, so short runs print nothing. Default 500 (0 when forced). */
  delayMs?: number;
}

/** Environment variable that forces progress on (`1`) or off (`0`) whatever the stream. */
export const PROGRESS_ENV = 'BRIDGEWATCH_PROGRESS';

/** True when the environment forces progress on. */
function forcedOn(env: NodeJS.ProcessEnv): boolean {
  return env[PROGRESS_ENV] === '1' || env[PROGRESS_ENV] === 'always';
}

/** True when a progress line may be drawn on `stream`: a TTY outside CI, or forced by {@link PROGRESS_ENV}. */
export function progressEnabled(stream: ProgressStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (forcedOn(env)) return true;
  if (env[PROGRESS_ENV] === '0' || env[PROGRESS_ENV] === 'never') return false;
  return stream.isTTY === true && (env['CI'] === undefined || env['CI'] === '' || env['CI'] === 'false');
}

/** What a progress line shows. */
export interface ProgressState {
  /** Bytes read so far (as on disk: compressed for gzip files). */
  bytes: number;
  /** Bytes to read in all, or null when unknown (stdin, pipes): then no bar and no percentage. */
  bytesTotal: number | null;
  packets: number;
  /** Time since reading began, ms. */
  elapsedMs: number;
}

/** Progress of a long read: feed it {@link bytes} and {@link packet} (it throttles), then {@link done}. */
export class ProgressBar {
  readonly enabled: boolean;
  private readonly stream: ProgressStream;
  private readonly interval: number;
  private readonly now: () => number;
  private readonly startedAt: number;
  private readonly delay: number;
  private lastDraw = -Infinity;
  private drawn = false;
  private readonly state: ProgressState = { bytes: 0, bytesTotal: null, packets: 0, elapsedMs: 0 };

  constructor(private readonly label: string, options: ProgressOptions = {}) {
    this.stream = options.stream ?? process.stderr;
    const env = options.env ?? process.env;
    this.enabled = progressEnabled(this.stream, env);
    this.interval = options.intervalMs ?? 100;
    this.now = options.now ?? Date.now;
    this.delay = options.delayMs ?? (forcedOn(env) ? 0 : 500);
    this.startedAt = this.now();
  }

  /** Bytes read so far, of `total` (null: unknown). */
  bytes(done: number, total: number | null): void {
    this.state.bytes = done;
    this.state.bytesTotal = total;
    this.draw();
  }

  /** One more packet read. */
  packet(): void {
    this.state.packets++;
    this.draw();
  }

  /** Ends the line: cleared on a TTY; elsewhere (forced) the final state is written once more. */
  done(): void {
    if (!this.enabled) return;
    if (this.stream.isTTY === true) {
      if (this.drawn) this.stream.write('\r\u001b[K');
    } else if (this.drawn || this.state.packets > 0) {
      this.state.elapsedMs = this.now() - this.startedAt;
      this.stream.write(`${renderProgress(this.label, this.state, this.stream.columns ?? 120)}\n`);
    }
    this.drawn = false;
  }

  private draw(): void {
    if (!this.enabled) return;
    const t = this.now();
    if (t - this.startedAt < this.delay || t - this.lastDraw < this.interval) return;
    this.lastDraw = t;
    this.drawn = true;
    this.state.elapsedMs = t - this.startedAt;
    const line = renderProgress(this.label, this.state, this.stream.columns ?? (this.stream.isTTY ? 80 : 120));
    this.stream.write(this.stream.isTTY === true ? `\r${line}\u001b[K` : `${line}\n`);
  }
}

/**
 * One progress line without control characters, at most `columns - 1` wide, e.g.
 * `reading [####------]  40% 10.0 / 25.0 MB, 120,000 packets, 85,000 packets/s` or, with no known
 * total, `reading 10.0 MB, 120,000 packets, 85,000 packets/s`.
 */
export function renderProgress(label: string, s: ProgressState, columns: number): string {
  const big = Math.max(s.bytes, s.bytesTotal ?? 0) >= 1e6;
  const size = (v: number): string => (big ? (v / 1e6).toFixed(1) : (v / 1e3).toFixed(1));
  const unit = big ? 'MB' : 'kB';
  const rate = s.elapsedMs > 0 ? Math.round((s.packets * 1000) / s.elapsedMs) : 0;
  const counts = `${s.packets.toLocaleString('en-US')} packets, ${rate.toLocaleString('en-US')} packets/s`;
  if (s.bytesTotal === null || s.bytesTotal <= 0) return `${label} ${size(s.bytes)} ${unit}, ${counts}`.slice(0, columns - 1);
  const fraction = Math.min(Math.max(s.bytes / s.bytesTotal, 0), 1);
  const pct = `${Math.floor(fraction * 100)}%`.padStart(4);
  const amount = `${size(s.bytes)} / ${size(s.bytesTotal)} ${unit}`;
  const barWidth = Math.max(10, Math.min(30, columns - label.length - amount.length - counts.length - 14));
  const filled = Math.round(fraction * barWidth);
  return `${label} [${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}] ${pct} ${amount}, ${counts}`.slice(0, columns - 1);
}

/**
 * Wraps capture inputs in byte-counting streams that drive `bar`: regular files count towards the
 * summed file sizes (as on disk, so gzip files count compressed bytes); the first `-` (stdin) is
 * counted too, with no total. Anything else (a later `-`, a path that is not a regular file) is
 * passed through untouched for the reader to report. Use only when `bar.enabled`: the reader then
 * sees streams, not paths.
 */
export function trackedInputs(paths: readonly string[], bar: ProgressBar, stdin: NodeJS.ReadableStream = process.stdin): CaptureInput[] {
  const firstStdin = paths.indexOf('-');
  const sizes = paths.map((p) => {
    if (p === '-') return null;
    try {
      const st = statSync(p);
      return st.isFile() ? st.size : null;
    } catch {
      return null; // the reader reports it, with its own error code
    }
  });
  const total = firstStdin >= 0 ? null : sizes.reduce<number>((sum, s) => sum + (s ?? 0), 0);
  let done = 0;
  const counter = (): Transform => new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      done += chunk.length;
      bar.bytes(done, total);
      callback(null, chunk);
    },
  });
  return paths.map((path, i) => {
    if (i === firstStdin) {
      const c = counter();
      stdin.on('error', (e) => c.destroy(e));
      return { path, stream: stdin.pipe(c) };
    }
    if (sizes[i] === null) return path;
    const c = counter();
    const file = createReadStream(path, { highWaterMark: 1 << 20 });
    file.on('error', (e) => c.destroy(e));
    return { path, stream: file.pipe(c) };
  });
}
