/**
 * `--report [DIR]`: writes NAME.md, NAME.html and NAME.json into DIR, each atomically, and refuses
 * to replace any existing one without `force` (checked for all three before writing any).
 */
import { mkdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { toIso } from '../time.js';
import type { Analysis } from '../analysis.js';
import { BridgewatchError } from '../errors.js';
import { planFromAnalysis } from '../fixer/index.js';
import type { RemediationPlan } from '../fixer/types.js';
import { assertWritable, writeFileAtomic } from '../atomic-file.js';
import type { VendorLookup } from './format.js';
import { renderHtml } from './html.js';
import { toJson } from './json.js';
import { renderMarkdown } from './markdown.js';

/** Default report folder. */
export const DEFAULT_REPORT_DIR = 'reports';

/** Options of {@link writeReports}. */
export interface WriteReportsOptions {
  /** Replace existing reports. Default false (REPORT_EXISTS). */
  force?: boolean;
  /** Base name of the files; default: the first capture's basename without extensions. */
  name?: string;
  /** Remediation plan to print; default: src/fixer `planFromAnalysis(analysis)`. */
  plan?: RemediationPlan | null;
  /** The JSON document to write; default src/report/json.ts `toJson(analysis)` (bridgewatch/1). */
  json?: object;
  vendorOf?: VendorLookup;
}

/** Paths written by {@link writeReports}. */
export interface WrittenReports {
  markdown: string;
  html: string;
  json: string;
}

/**
 * The report base name: `--name`, else made unique from the inputs, since every recorded run
 * names its capture alike (`neighbour.pcap`): the first capture's folder and basename without
 * `.gz`, `.pcap`, `.pcapng`, `.cap` (`guest-start-stop-neighbour`), `-and-N-more` with several
 * captures, and for stdin `stdin-` and the first packet's time (`stdin-20261121T105128Z`).
 * Characters other than letters, digits, `.`, `_`, `-` become `_` so a name can never leave the
 * report folder. Existing reports are still never replaced without `force`.
 */
export function reportName(analysis: Analysis, name?: string): string {
  const safe = (name ?? defaultName(analysis)).replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  return safe === '' ? 'report' : safe;
}

function defaultName(analysis: Analysis): string {
  const first = analysis.captures[0];
  const more = analysis.captures.length > 1 ? `-and-${analysis.captures.length - 1}-more` : '';
  if (first === undefined) return 'stdin';
  if (first.path === '-') {
    const t = first.first && Math.abs(first.first.sec) < 8.64e12 ? toIso(first.first).replace(/[-:]/g, '').replace(/\.\d+/, '') : '';
    return `stdin${t ? `-${t}` : ''}${more}`;
  }
  const base = basename(first.path).replace(/(\.gz)?$/, '').replace(/\.(pcapng|pcap|cap)$/, '');
  const folder = basename(dirname(resolve(first.path)));
  return `${folder && folder !== base ? `${folder}-` : ''}${base}${more}`;
}

/** Writes the three reports. Errors: REPORT_EXISTS, REPORT_WRITE_FAILED (one line, naming the file). */
export function writeReports(analysis: Analysis, dir: string, options: WriteReportsOptions = {}): WrittenReports {
  const name = reportName(analysis, options.name);
  const paths: WrittenReports = {
    markdown: join(dir, `${name}.md`),
    html: join(dir, `${name}.html`),
    json: join(dir, `${name}.json`),
  };
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new BridgewatchError('REPORT_WRITE_FAILED', `cannot create the report folder: ${(e as Error).message}`, { file: dir }, { cause: e });
  }
  // Check all three first: a refusal must not leave a mix of old and new reports behind.
  for (const p of Object.values(paths)) assertWritable(p, options);
  const title = options.name ?? analysis.captures[0]?.path ?? name;
  const render = { name: title, ...(options.vendorOf ? { vendorOf: options.vendorOf } : {}) };
  writeFileAtomic(paths.json, `${JSON.stringify(options.json ?? toJson(analysis), null, 2)}\n`, options);
  const plan = options.plan === undefined
    ? planFromAnalysis(analysis, options.vendorOf ? { vendorOf: options.vendorOf } : {})
    : options.plan;
  writeFileAtomic(paths.markdown, renderMarkdown(analysis, plan, render), options);
  writeFileAtomic(paths.html, renderHtml(analysis, plan, render), options);
  return paths;
}
