/**
 * Report rotation for a long-running `live` (the service): each stop writes its postmortem under
 * a name stamped with the stop time (`live-br0-20261205T031900Z.{md,html,json}`), so a restart
 * never overwrites the previous run's, and old ones are removed by count (`--keep-reports N`, the
 * newest N runs stay) and by age (`--max-report-age DAYS`, by the stamp in the name). Only files
 * whose names match `BASE-STAMP.(md|html|json)` are ever removed.
 */
import { readdirSync, unlinkSync } from 'node:fs';
import path from 'node:path';

/** How old reports are pruned. Absent fields do not prune. */
export interface ReportRetention {
  /** Keep the newest this many runs (a run = its .md, .html and .json). */
  keep?: number;
  /** Remove runs whose stamp is older than this many days. */
  maxAgeDays?: number;
}

const STAMP = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const EXTENSIONS = ['.md', '.html', '.json'];

/** `20261205T031900Z` for a date (UTC, seconds). */
export function reportStamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** The report base name of one run: `BASE-STAMP`. */
export function stampedReportName(base: string, d: Date): string {
  return `${base}-${reportStamp(d)}`;
}

function stampTime(stamp: string): number | null {
  const m = STAMP.exec(stamp);
  if (!m) return null;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

/**
 * The files of `dir` to remove so that `retention` holds for the runs named `BASE-STAMP` (pure:
 * takes the directory listing). Newest first by stamp; a run is removed whole.
 */
export function reportsToPrune(names: string[], base: string, retention: ReportRetention, now: Date): string[] {
  const runs = new Map<string, { time: number; files: string[] }>();
  for (const name of names) {
    const ext = EXTENSIONS.find((e) => name.endsWith(e));
    if (!ext || !name.startsWith(`${base}-`)) continue;
    const stamp = name.slice(base.length + 1, -ext.length);
    const time = stampTime(stamp);
    if (time === null) continue;
    const run = runs.get(stamp) ?? { time, files: [] };
    run.files.push(name);
    runs.set(stamp, run);
  }
  const ordered = [...runs.values()].sort((a, b) => b.time - a.time);
  const out: string[] = [];
  const oldest = retention.maxAgeDays === undefined ? -Infinity : now.getTime() - retention.maxAgeDays * 86_400_000;
  ordered.forEach((run, i) => {
    if ((retention.keep !== undefined && i >= retention.keep) || run.time < oldest) out.push(...run.files.sort());
  });
  return out;
}

/** Removes old runs' reports from `dir`; returns the removed paths. Unreadable dir: nothing. */
export function pruneReports(dir: string, base: string, retention: ReportRetention, now = new Date()): string[] {
  let names: string[];
  try { names = readdirSync(dir); } catch { return []; }
  const removed: string[] = [];
  for (const name of reportsToPrune(names, base, retention, now)) {
    const file = path.join(dir, name);
    try { unlinkSync(file); removed.push(file); } catch { /* already gone */ }
  }
  return removed;
}
