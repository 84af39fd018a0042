/**
 * One fuzz case end to end: the damaged input goes through everything a user's file goes through
 * (reader -> decoder -> stats -> Detector -> correlate -> remediation plan -> JSON, NDJSON, table,
 * Markdown and HTML reporters, or the link-log parsers), and the outcome is checked against the robustness contract:
 * - nothing throws except a {@link BridgewatchError} with a stable code, a one-line message and a
 *   location (file plus byte offset or line);
 * - capture faults come back as data (`CaptureReadResult.error`), never thrown;
 * - the decoder's safety net (`DECODER_FAULT` anomalies) never fires: it means a decoder missed a
 *   bound check, which is a bug even though it was caught;
 * - packets handed out respect their own invariants (ns in range, length within the view).
 */
import { Readable } from 'node:stream';
import { BridgewatchError } from '../../src/errors.js';
import { readCaptures, CaptureStats } from '../../src/capture/index.js';
import { decodePacket } from '../../src/decode/index.js';
import { Detector } from '../../src/detect/detector.js';
import { correlate } from '../../src/correlate/index.js';
import { parseLinkText, type LinkLogOptions } from '../../src/links/index.js';
import { toJson } from '../../src/report/json.js';
import { renderTable } from '../../src/report/table.js';
import { toNdjson } from '../../src/report/ndjson.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderHtml } from '../../src/report/html.js';
import { planFromAnalysis } from '../../src/fixer/index.js';
import type { Analysis } from '../../src/analysis.js';
import type { Rng } from './rng.js';

/** What a case did. `crash` is a contract violation (a bug); the others are fine. */
export interface CaseOutcome {
  status: 'ok' | 'rejected' | 'crash';
  /** For `rejected`: the BridgewatchError code; for `crash`: a short class of the violation. */
  code?: string;
  /** For `crash`: the message and the first stack lines. */
  detail?: string;
  /** Packets delivered (captures) or events parsed (logs). */
  items: number;
}

const CODE_RE = /^[A-Z][A-Z0-9_]+$/;

/** Checks a thrown or returned error against the contract; null when it conforms. */
export function errorViolation(e: unknown, needsLocation: boolean): string | null {
  if (!(e instanceof BridgewatchError)) {
    const err = e as { name?: string; message?: string; stack?: string };
    return `uncaught ${err?.name ?? typeof e}: ${err?.message ?? String(e)}\n${(err?.stack ?? '').split('\n').slice(1, 6).join('\n')}`;
  }
  if (!CODE_RE.test(e.code)) return `error without a stable code: ${e.message}`;
  if (e.message.includes('\n')) return `multi-line error message (${e.code}): ${JSON.stringify(e.message)}`;
  if (needsLocation && e.code !== 'USAGE') {
    const loc = e.location;
    if (loc.file === undefined || (loc.offset === undefined && loc.line === undefined)) {
      return `error without file and offset/line (${e.code}): ${e.message}`;
    }
  }
  return null;
}

function crash(code: string, detail: string, items: number): CaseOutcome {
  return { status: 'crash', code, detail, items };
}

/** Splits bytes into 1-8 chunks of random sizes (records then straddle chunk boundaries). */
function chunked(bytes: Uint8Array, rng: Rng): Uint8Array[] {
  const pieces = rng.between(1, 8);
  const cuts = Array.from({ length: pieces - 1 }, () => rng.below(bytes.length + 1)).sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const c of [...cuts, bytes.length]) {
    if (c > prev) out.push(bytes.subarray(prev, c));
    prev = c;
  }
  return out;
}

/** Runs a damaged capture through the offline pipeline (read, decode, detect, correlate, report). */
export async function runCaptureCase(bytes: Uint8Array, rng: Rng, name = 'fuzz.pcap'): Promise<CaseOutcome> {
  let items = 0;
  // Set from inside the packet callback (an object, so the compiler does not narrow it away).
  const seen: { violation: string | null } = { violation: null };
  const stats = new CaptureStats(name);
  const detector = new Detector();
  try {
    const results = await readCaptures([{ path: name, stream: Readable.from(chunked(bytes, rng)) }], (p) => {
      items++;
      if (seen.violation !== null) return;
      if (!(p.tsNsec >= 0 && p.tsNsec < 1e9) || !Number.isFinite(p.tsSec)) seen.violation = `packet ${p.frame}: timestamp ${p.tsSec}.${p.tsNsec} out of range`;
      else if (p.data.length !== p.capturedLength) seen.violation = `packet ${p.frame}: data length ${p.data.length} != capturedLength ${p.capturedLength}`;
      const ev = decodePacket(p);
      if (ev?.kind === 'anomaly' && ev.code === 'DECODER_FAULT') seen.violation = `decoder fault at frame ${p.frame}: ${ev.detail}`;
      stats.add(p, ev);
      if (ev !== null) detector.push(ev);
    });
    if (seen.violation !== null) return crash('INVARIANT', seen.violation, items);
    const result = results[0];
    if (result === undefined) return crash('NO_RESULT', 'readCaptures returned no result', items);
    if (result.error !== undefined) {
      const v = errorViolation(result.error, true);
      if (v !== null) return crash('BAD_ERROR', v, items);
    }
    const summary = stats.finish(result.info, result.error);
    const { findings, incidents } = detector.finish();
    const causes = correlate(incidents, findings, [], { stpBpdusSeen: summary.stp > 0 });
    const analysis: Analysis = {
      schema: 'bridgewatch/1', version: 'fuzz', captures: [summary],
      incidents: incidents.map((incident, k) => ({ ...incident, cause: causes[k]! })), findings,
      linkEvents: [], linkLogs: [], options: { ...detector.options },
    };
    JSON.stringify(toJson(analysis));
    renderTable(analysis, { color: false });
    toNdjson(analysis);
    // The reports a user would write from it (--report): plan, Markdown and HTML.
    const plan = planFromAnalysis(analysis);
    renderMarkdown(analysis, plan);
    renderHtml(analysis, plan);
    return result.error ? { status: 'rejected', code: result.error.code, items } : { status: 'ok', items };
  } catch (e) {
    return crash('THROWN', errorViolation(e, true) ?? `thrown instead of returned: ${(e as Error).message}`, items);
  }
}

/** Reading options a user may pass (zone, boot time, year, clock offset), chosen at random. */
export function randomLogOptions(rng: Rng): LinkLogOptions {
  const o: LinkLogOptions = {};
  if (rng.chance(0.3)) o.timezone = rng.pick(['UTC', '+01:00', '-0500', '+14:00', 'Europe/Berlin', 'America/New_York', 'Pacific/Kiritimati']);
  if (rng.chance(0.3)) o.bootTime = { sec: rng.pick([0, 1_795_253_266, 8_640_000_000_000, -1_000_000]), nsec: rng.below(1e9) };
  if (rng.chance(0.2)) o.year = rng.pick([1970, 2026, 9999, 275760, 0, -1]);
  if (rng.chance(0.2)) o.clockOffsetMs = rng.pick([0, -3_600_000, 1e15, 0.5]);
  return o;
}

/** Runs damaged log text through format detection and the matching parser. */
export function runLogCase(text: string, name = 'fuzz.log', options: LinkLogOptions = {}): CaseOutcome {
  try {
    const log = parseLinkText(text, name, options);
    for (const ev of log.events) {
      if (ev.time && !(ev.time.nsec >= 0 && ev.time.nsec < 1e9 && Number.isFinite(ev.time.sec))) {
        return crash('INVARIANT', `event time ${ev.time.sec}.${ev.time.nsec} out of range`, log.events.length);
      }
    }
    JSON.stringify(log);
    return { status: 'ok', items: log.events.length };
  } catch (e) {
    const v = errorViolation(e, true);
    if (v !== null) return crash('THROWN', v, 0);
    return { status: 'rejected', code: (e as BridgewatchError).code, items: 0 };
  }
}
