/**
 * `analyze --set NAME=VALUE`: detection and correlation options by name, each checked against its
 * own range so an error names the option, the value and what is allowed
 * (`--set gapThresholdMs: expected a positive number of milliseconds, got -5`); an unknown name
 * gets the closest known one ("did you mean").
 */
import { BridgewatchError } from '../errors.js';
import { DEFAULT_DETECT_OPTIONS, type DetectOptions } from '../detect/options.js';
import type { CorrelateOptions } from '../correlate/index.js';

/** What values a setting takes. */
type SettingRange =
  | 'positive-ms' // > 0, milliseconds
  | 'ms-or-zero' // >= 0, milliseconds (0 turns the check off)
  | 'positive-count' // integer >= 1
  | 'count-or-zero'; // integer >= 0 (0 turns the rule off)

const RANGE_TEXT: Record<SettingRange, string> = {
  'positive-ms': 'a positive number of milliseconds',
  'ms-or-zero': 'a number of milliseconds, 0 or more',
  'positive-count': 'a positive integer',
  'count-or-zero': 'an integer, 0 (off) or more',
};

const DETECT_RANGES: Record<keyof DetectOptions, SettingRange> = {
  gapThresholdMs: 'positive-ms',
  answerTimeoutMs: 'positive-ms',
  quietLeadMs: 'positive-ms',
  criticalOutageMs: 'positive-ms',
  flipWindowMs: 'positive-ms',
  clashWindowMs: 'positive-ms',
  concurrentClaimMs: 'positive-ms',
  probeWindowMs: 'positive-ms',
  reuseQuietMs: 'positive-ms',
  dedupeWindowMs: 'ms-or-zero',
  proxyArpMinIps: 'positive-count',
  stormGapMs: 'positive-ms',
  stormMinRequests: 'positive-count',
  claimFloodMinChanges: 'count-or-zero',
  maxBindings: 'positive-count',
  maxRequesters: 'positive-count',
  maxEvidenceFrames: 'positive-count',
  maxFindings: 'positive-count',
  probeMaxRequests: 'positive-count',
  tcpMinSegments: 'positive-count',
};

/** `--set` names that tune correlation rather than detection. */
const CORRELATE_RANGES: Record<'correlationWindowMs', SettingRange> = {
  correlationWindowMs: 'ms-or-zero',
};

/** Every `--set` name, detection first (the order of docs/schema.md). */
const SETTING_NAMES: readonly string[] = [...Object.keys(DEFAULT_DETECT_OPTIONS), ...Object.keys(CORRELATE_RANGES)];

/** Parsed `--set` pairs. */
export interface Settings {
  detect: Partial<DetectOptions>;
  correlate: Partial<CorrelateOptions>;
}

/** Parses `--set name=value` pairs (USAGE error naming the option, the value and the allowed range). */
export function parseSettings(pairs: string[] = []): Settings {
  const out: Settings = { detect: {}, correlate: {} };
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new BridgewatchError('USAGE', `--set expects NAME=VALUE, got "${pair}"`);
    const name = pair.slice(0, eq).trim();
    const text = pair.slice(eq + 1).trim();
    const range = rangeOf(name);
    if (range === undefined) {
      const near = closest(name, SETTING_NAMES);
      throw new BridgewatchError('USAGE', `--set: unknown option "${name}"${near ? `; did you mean ${near}?` : ''} (docs/schema.md lists them)`);
    }
    const value = parseValue(text, range);
    if (value === null) throw new BridgewatchError('USAGE', `--set ${name}: expected ${RANGE_TEXT[range]}, got ${text === '' ? 'nothing' : text}`);
    if (name in CORRELATE_RANGES) out.correlate[name as keyof typeof CORRELATE_RANGES] = value;
    else out.detect[name as keyof DetectOptions] = value;
  }
  return out;
}

function rangeOf(name: string): SettingRange | undefined {
  if (Object.hasOwn(DETECT_RANGES, name)) return DETECT_RANGES[name as keyof DetectOptions];
  if (Object.hasOwn(CORRELATE_RANGES, name)) return CORRELATE_RANGES[name as keyof typeof CORRELATE_RANGES];
  return undefined;
}

/** The number in `text` when it is within `range`, else null. */
function parseValue(text: string, range: SettingRange): number | null {
  if (!/^[+]?\d+(\.\d+)?$/.test(text)) return null;
  const n = Number(text);
  if (!Number.isFinite(n)) return null;
  const integer = range === 'positive-count' || range === 'count-or-zero';
  if (integer && !Number.isInteger(n)) return null;
  const zeroOk = range === 'ms-or-zero' || range === 'count-or-zero';
  return n > 0 || (zeroOk && n === 0) ? n : null;
}

/** The known name closest to `name` (case-insensitive edit distance at most a third of its length, min 2). */
function closest(name: string, names: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const candidate of names) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance (insert, delete, substitute each cost 1). */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
