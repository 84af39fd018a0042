/** bridgewatch library API. The CLI (src/cli/) is a thin layer over these exports. */
export * from './errors.js';
export * from './time.js';
export * from './net/mac.js';
export type * from './capture/types.js';
export { LinkType } from './capture/types.js';
export type * from './decode/events.js';
export { PacketType } from './decode/events.js';
export { readCaptures, CaptureReader, CaptureStats, type CaptureInput, type CaptureStreamInput, type ReadOptions, type CaptureReadResult } from './capture/index.js';
export { decodePacket, formatIpv4, formatIpv6, type DecodeOptions, type IpEventMode } from './decode/index.js';
export type * from './detect/types.js';
export type * from './links/types.js';
export type * from './correlate/types.js';
export type * from './analysis.js';
export type * from './fixer/types.js';
export { Detector, DEFAULT_DETECT_OPTIONS, resolveDetectOptions, isFhrpMac, type DetectOptions, type DetectorState, type IncidentListener } from './detect/index.js';
export { analyzeCaptures, toolVersion, type AnalyzeOptions } from './analyze.js';
export { toJson, findingToJson, incidentToJson, captureToJson, causeToJson, type Json, type JsonObject } from './report/json.js';
export { toNdjson, toNdjsonRecords } from './report/ndjson.js';
export {
  renderTable, renderMarkdown, renderHtml, writeReports, annotateCapture, writeFileAtomic, evidenceComments, frameFilter,
  exitCodeFor, parseFailOn, ProgressBar, shouldUseColor, verdict, DEFAULT_REPORT_DIR, DEFAULT_FAIL_ON,
  type TableOptions, type MarkdownOptions, type HtmlOptions, type WriteReportsOptions, type WrittenReports, type AnnotateOptions,
  type AnnotateResult, type FailOn, type FileEvidence,
} from './report/index.js';
export { PcapngWriter, encodeSectionHeader, encodeInterfaceDescription, encodeEnhancedPacket, type PcapngWriterOptions, type PcapngInterface } from './capture/write-pcapng.js';
export { auditBridges, planForBridge, planFromAnalysis, applyPlan, writeConfig, detectStacks } from './fixer/index.js';
export { parseLinkLog, parseLinkText, readLinkLogs, mergeLinkEvents, detectFormat, watchLinks, LinkTracker, describeLinkEvent, type LinkLogOptions, type LinkWatcher, type WatchLinksOptions, type LinkSnapshotEntry } from './links/index.js';
export { linkEventToJson, type LinkEventJson } from './links/json.js';
export { correlate, explainIncident, hypervisorOf, DEFAULT_CORRELATE_OPTIONS, type CorrelateOptions } from './correlate/index.js';
export { vendorOf, macConvention, type MacConvention } from './net/oui.js';
export { runLive, openLiveCapture, DEFAULT_BPF, type LiveOptions, type LiveSink, type LiveResult, type LiveRunInfo, type LiveCaptureStats } from './live/index.js';
