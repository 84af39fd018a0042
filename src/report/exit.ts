/**
 * Exit codes of `analyze` (and `live` when it ends): 0 no incident at or above `--fail-on`,
 * 1 at least one, 2 error (set by the CLI's error handler, not here).
 */
import type { Analysis } from '../analysis.js';
import type { Severity } from '../detect/types.js';
import { BridgewatchError } from '../errors.js';
import { SEVERITY_RANK } from './describe.js';

/** `--fail-on` values: a severity, or `never` to always exit 0 on success. */
export type FailOn = Severity | 'never';

/** The values every command's `--fail-on` accepts; `none` is a synonym of `never`. */
export const FAIL_ON_VALUES = ['info', 'warning', 'critical', 'never'] as const;

/** Default `--fail-on`. */
export const DEFAULT_FAIL_ON: FailOn = 'warning';

/**
 * Parses a `--fail-on` value (the one parser of `analyze`, `audit` and `live`): a severity, or
 * `never`; `none` is accepted as a synonym of `never`. USAGE error (exit 2) when unknown.
 */
export function parseFailOn(value: string): FailOn {
  if (value === 'none') return 'never';
  if ((FAIL_ON_VALUES as readonly string[]).includes(value)) return value as FailOn;
  throw new BridgewatchError('USAGE', `--fail-on: expected one of ${FAIL_ON_VALUES.join(', ')} (or none), got "${value}"`);
}

/** True when a finding or risk of `severity` reaches `failOn` (never for `never`). */
export function reachesFailOn(severity: Severity, failOn: FailOn): boolean {
  return failOn !== 'never' && SEVERITY_RANK[severity] >= SEVERITY_RANK[failOn];
}

/** 1 when an incident's severity is at or above `failOn`, else 0. */
export function exitCodeFor(analysis: Pick<Analysis, 'incidents'>, failOn: FailOn = DEFAULT_FAIL_ON): 0 | 1 {
  return analysis.incidents.some((i) => reachesFailOn(i.severity, failOn)) ? 1 : 0;
}
