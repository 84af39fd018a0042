/**
 * bridgewatch library API: read captures, decode ARP/NDP/Ethernet into typed events, detect
 * bridge-MAC flips, IP clashes and reply-gap outages, correlate them with link events, render
 * reports, and audit or fix Linux bridges. The CLI (src/cli/) is a thin layer over these exports;
 * CLI-only helpers (exit codes, progress bar, colours, option parsing) and encoder internals are
 * deliberately not exported. Times are {@link Timestamp}s (seconds + nanoseconds since the epoch);
 * durations are milliseconds unless a name says otherwise.
 */

/** Errors: every failure is a {@link BridgewatchError} with a stable code and a location (file, byte offset or line). */
export * from './errors.js';

/** Timestamps (seconds + nanoseconds) and their conversions to seconds, ms differences and ISO 8601. */
export * from './time.js';

/** MAC addresses as 48-bit numbers: parsing, formatting, flags; vendor lookup (IEEE OUI registry) and naming conventions. */
export * from './net/mac.js';
export { vendorOf, macConvention, type MacConvention } from './net/oui.js';

/**
 * Captures: read pcap/pcapng files or streams (gzip-compressed too) packet by packet, count them,
 * and write pcapng (streaming or atomic).
 */
export type * from './capture/types.js';
export { LinkType } from './capture/types.js';
export {
  readCaptures, CaptureReader,
  type CaptureInput, type CaptureStreamInput, type ReadOptions, type CaptureReadResult,
} from './capture/index.js';
export { CaptureStats } from './pipeline/capture-stats.js';
export { PcapngWriter, type PcapngWriterOptions, type PcapngInterface } from './capture/write-pcapng.js';

/** Decoding: one captured frame to a typed ARP, NDP, IP, STP or anomaly event (no buffers leave the decoder). */
export type * from './decode/events.js';
export { PacketType } from './decode/events.js';
export { decodePacket, PacketDecoder, formatIpv4, formatIpv6, type DecodeOptions, type IpEventMode } from './decode/index.js';

/** Detection: the state machine that turns decoded events into findings and incidents. */
export type * from './detect/types.js';
export {
  Detector, DEFAULT_DETECT_OPTIONS, resolveDetectOptions, isFhrpMac,
  type DetectOptions, type DetectorState, type IncidentListener,
} from './detect/index.js';

/** Link events: parse `ip monitor`, `bridge monitor`, kernel logs and journald JSON, or watch rtnetlink live. */
export type * from './links/types.js';
export {
  parseLinkLog, parseLinkText, readLinkLogs, mergeLinkEvents, detectFormat, watchLinks, LinkTracker, describeLinkEvent,
  type LinkLogOptions, type LinkWatcher, type WatchLinksOptions, type LinkSnapshotEntry,
} from './links/index.js';
export { linkEventToJson, type LinkEventJson } from './links/json.js';

/** Correlation: name a root cause for each incident from link events and hypervisor hints. */
export type * from './correlate/types.js';
export { correlate, explainIncident, hypervisorOf, DEFAULT_CORRELATE_OPTIONS, type CorrelateOptions } from './correlate/index.js';

/** Analysis: captures + link logs to one {@link Analysis} (what `bridgewatch analyze` runs). */
export type * from './analysis.js';
export { analyzeCaptures, type AnalyzeOptions } from './analyze.js';
export { toolVersion } from './version.js';
export { AnalysisPipeline, type PipelineOptions, type PipelineEnd } from './pipeline/index.js';

/** Reports: JSON/NDJSON documents, terminal table, Markdown, HTML, report files, annotated pcapng, evidence filters. */
export { toJson, findingToJson, incidentToJson, captureToJson, causeToJson, type Json, type JsonObject } from './report/json.js';
export { toNdjson, toNdjsonRecords } from './report/ndjson.js';
export {
  renderTable, renderMarkdown, renderHtml, writeReports, annotateCapture, writeFileAtomic, evidenceComments, frameFilter,
  verdict, DEFAULT_REPORT_DIR,
  type TableOptions, type MarkdownOptions, type HtmlOptions, type WriteReportsOptions, type WrittenReports, type AnnotateOptions,
  type AnnotateResult, type FileEvidence, type AtomicWriteOptions, type VendorLookup,
} from './report/index.js';

/** Remediation: audit live bridges, plan fixes (live or offline from an analysis), apply them or write config files. */
export type * from './fixer/types.js';
export {
  auditBridges, planForBridge, planFromAnalysis, planOnHost, applyPlan, writeConfig, detectStacks,
  type AuditOptions, type PlanOptions, type OfflinePlanOptions, type ApplyOptions, type WriteConfigOptions, type ConfigWriteResult,
  type DetectedStack, type HostOptions, type CommandRunner, type CommandResult,
} from './fixer/index.js';

/** Live capture: libpcap on a bridge with the same detection as `analyze`, causes from rtnetlink. */
export {
  runLive, openLiveCapture, DEFAULT_BPF,
  type LiveOptions, type LiveSink, type LiveResult, type LiveRunInfo, type LiveCaptureStats,
} from './live/index.js';

/** Guest audit: which guests' host-side ports would take a bridge's MAC when they start, and the chance per start. */
export type * from './guests/types.js';
export { readGuestInventory, type GuestReadOptions } from './guests/read.js';
export { assessGuests, guestRisk, type BridgeReference } from './guests/assess.js';
export { chanceBelow } from './guests/chance.js';
export { auditGuests, bridgeReference, type GuestAuditJson } from './guests/audit-hook.js';

/** `audit --check`: an audit as a Nagios/Icinga plugin result (status line, perfdata, exit code 0-3). */
export { checkResult, checkUnknown, CHECK_STATES, type CheckResult, type CheckState } from './check/nagios.js';
