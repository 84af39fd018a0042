/**
 * Reporters, all fed one {@link Analysis}: terminal table, Markdown, HTML (with SVG timeline),
 * report files, annotated pcapng, progress line and exit codes. JSON/NDJSON live in json.ts and
 * ndjson.ts (detect team).
 */
export { renderTable, verdictLine, shouldUseColor, type TableOptions } from './table.js';
export { renderMarkdown, type MarkdownOptions } from './markdown.js';
export { renderHtml, type HtmlOptions } from './html.js';
export { writeReports, reportName, DEFAULT_REPORT_DIR, type WriteReportsOptions, type WrittenReports } from './write.js';
export { annotateCapture, type AnnotateOptions, type AnnotateResult } from './annotate.js';
export { writeFileAtomic, assertWritable, type AtomicWriteOptions } from '../atomic-file.js';
export { evidenceComments, frameFilter, incidentEvidence, frameKey, type FileEvidence } from './evidence.js';
export { exitCodeFor, parseFailOn, DEFAULT_FAIL_ON, type FailOn } from './exit.js';
export { ProgressBar, progressEnabled, renderProgress, type ProgressOptions, type ProgressStream } from './progress.js';
export { verdict, worstSeverity } from './describe.js';
export { escapeHtml, escapeMarkdown, type VendorLookup } from './format.js';
export { buildReportModel, type ReportModel } from './model.js';
export { trackedInputs } from './progress.js';
