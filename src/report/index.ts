/**
 * Reporters, all fed one {@link Analysis}: terminal table, Markdown, HTML (with SVG timeline),
 * report files, annotated pcapng. JSON/NDJSON live in json.ts and ndjson.ts. The progress line
 * (progress.ts) and exit codes (exit.ts) are CLI helpers, imported by src/cli/ directly.
 */
export { renderTable, type TableOptions } from './table.js';
export { renderMarkdown, type MarkdownOptions } from './markdown.js';
export { renderHtml, type HtmlOptions } from './html.js';
export { writeReports, DEFAULT_REPORT_DIR, type WriteReportsOptions, type WrittenReports } from './write.js';
export { annotateCapture, type AnnotateOptions, type AnnotateResult } from './annotate.js';
export { writeFileAtomic, type AtomicWriteOptions } from '../atomic-file.js';
export { evidenceComments, frameFilter, type FileEvidence } from './evidence.js';
export { verdict } from './describe.js';
export type { VendorLookup } from './format.js';
