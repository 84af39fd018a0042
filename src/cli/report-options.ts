/**
 * The report options of `analyze` (and anything else that ends with an Analysis): `--report
 * [DIR]`, `--name`, `--force`, `--annotate FILE`, `--fail-on`. Kept here so the command file
 * needs two calls: {@link addReportOptions} when declaring, {@link emitReportOutputs} after the
 * analysis (and before printing the table, whose exit code it returns).
 */
import type { Command } from 'commander';
import type { Analysis } from '../analysis.js';
import type { CaptureInput } from '../capture/index.js';
import type { RemediationPlan } from '../fixer/types.js';
import { annotateCapture } from '../report/annotate.js';
import { DEFAULT_FAIL_ON, exitCodeFor, type FailOn } from '../report/exit.js';
import type { VendorLookup } from '../report/format.js';
import { ProgressBar, trackedInputs } from '../report/progress.js';
import { DEFAULT_REPORT_DIR, writeReports } from '../report/write.js';
import { failOnOption } from './fail-on.js';

/** Parsed report options (commander's camel-cased names). */
export interface ReportCliOptions {
  /** `--report` alone gives true (default folder), `--report DIR` the folder. */
  report?: string | boolean;
  name?: string;
  force?: boolean;
  annotate?: string;
  failOn?: FailOn;
}

/** Adds the report options to a command. */
export function addReportOptions(cmd: Command): Command {
  return cmd
    .option('--report [dir]', `write NAME.md, NAME.html and NAME.json into DIR (default ${DEFAULT_REPORT_DIR}/)`)
    .option('--name <name>', 'base name of the report files (default: first capture folder and name, e.g. run1-neighbour)')
    .option('--force', 'overwrite existing report / annotated files')
    .option('--annotate <file>', 'write the capture(s) as pcapng with comments on the evidence frames')
    .addOption(failOnOption('an incident', DEFAULT_FAIL_ON));
}

/** What {@link emitReportOutputs} did. */
export interface ReportOutputs {
  /** Files written (reports, annotated capture). */
  written: string[];
  /** 0 or 1 by `--fail-on`; 2 is left to the error path. */
  exitCode: 0 | 1;
}

/**
 * Writes the files the options ask for. Errors (REPORT_EXISTS, REPORT_WRITE_FAILED) are thrown
 * as BridgewatchErrors for the CLI to print on one line and exit 2.
 */
export async function emitReportOutputs(
  analysis: Analysis,
  inputs: CaptureInput[],
  options: ReportCliOptions,
  extra: { json?: object; plan?: RemediationPlan | null; vendorOf?: VendorLookup } = {},
): Promise<ReportOutputs> {
  const written: string[] = [];
  if (options.report !== undefined && options.report !== false) {
    const dir = options.report === true ? DEFAULT_REPORT_DIR : options.report;
    const paths = writeReports(analysis, dir, {
      ...(extra.json !== undefined ? { json: extra.json } : {}),
      ...(options.force ? { force: true } : {}),
      ...(options.name !== undefined ? { name: options.name } : {}),
      ...(extra.plan !== undefined ? { plan: extra.plan } : {}),
      ...(extra.vendorOf ? { vendorOf: extra.vendorOf } : {}),
    });
    written.push(paths.markdown, paths.html, paths.json);
  }
  if (options.annotate !== undefined) {
    // Re-reading for --annotate takes as long as the analysis did: the same progress line.
    const bar = new ProgressBar('bridgewatch: annotating');
    const files = inputs.every((i): i is string => typeof i === 'string' && i !== '-') ? inputs : null;
    const result = await annotateCapture(bar.enabled && files ? trackedInputs(files, bar) : inputs, analysis, options.annotate, {
      ...(options.force ? { force: true } : {}),
      ...(bar.enabled ? { onPacket: () => bar.packet() } : {}),
    }).finally(() => bar.done());
    written.push(result.path);
  }
  return { written, exitCode: exitCodeFor(analysis, options.failOn ?? DEFAULT_FAIL_ON) };
}
