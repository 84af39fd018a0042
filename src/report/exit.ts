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

/** Default `--fail-on`. */
export const DEFAULT_FAIL_ON: FailOn = 'warning';

/** Parses a `--fail-on` value; USAGE error (exit 2) when unknown. */
export function parseFailOn(value: string): FailOn {
  if (value === 'info' || value === 'warning' || value === 'critical' || value === 'never') return value;
  throw new BridgewatchError('USAGE', `--fail-on must be info, warning, critical or never (got "${value}")`);
}

/** 1 when an incident's severity is at or above `failOn`, else 0. */
export function exitCodeFor(analysis: Pick<Analysis, 'incidents'>, failOn: FailOn = DEFAULT_FAIL_ON): 0 | 1 {
  if (failOn === 'never') return 0;
  const threshold = SEVERITY_RANK[failOn];
  return analysis.incidents.some((i) => SEVERITY_RANK[i.severity] >= threshold) ? 1 : 0;
}
