/** Types for scripts/realworld-judge.mjs (plain JS so the comparison script runs without a build step). */

/** What a network engineer expects from one capture (samples/public/manifest.json `expect`). */
export interface Expectation {
  /** At most this many incidents. */
  maxIncidents?: number;
  /** No incident above this severity. */
  maxSeverity?: 'info' | 'warning' | 'critical';
  /** Kinds that must appear neither as incident nor as finding kind. */
  forbidden?: string[];
  /** Each needs a finding or incident of `kind` mentioning `ip` and every MAC of `macs`. */
  required?: { kind: string; ip?: string; macs?: string[] }[];
}

/** The parts of a `bridgewatch/1` JSON document the judge reads. */
export interface JudgedDocument {
  captures: { error?: { message: string } }[];
  incidents: { kind: string; ip: string; severity: string; findings: number[]; cause?: { code: string }; [field: string]: unknown }[];
  /** Findings keep every other field: the judge searches them for addresses and MACs. */
  findings: { kind: string; [field: string]: unknown }[];
}

export interface Verdict {
  right: boolean;
  /** What is wrong; empty when right. */
  reasons: string[];
}

export function judge(doc: JudgedDocument, expect: Expectation): Verdict;
export function describe(doc: JudgedDocument): string;
