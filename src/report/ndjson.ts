/**
 * NDJSON: the `bridgewatch/1` document as one JSON object per line, for `jq`/log shippers and
 * streaming. Every line has `schema` and `type` (never overwritten by a payload field):
 * - `header`: `{schema, type, version, options, captures, filter?}` (first line);
 * - `finding`: `{schema, type, index, ...finding}` (index = position in the JSON `findings` array);
 * - `incident`: the record `live` prints too (src/live/print.ts), `phase: "final"`;
 * - `link-event`: `{schema, type, event, ...linkEvent}` (`event` = port-join, mac-change, ...);
 * - `end`: `{schema, type, incidents, findings}` counts (last line; its absence means truncated output).
 */
import type { Analysis } from '../analysis.js';
import { SCHEMA, captureToJson, filterToJson, findingToJson, type JsonObject } from './json.js';
import { linkEventToJson } from '../links/json.js';
import type { LinkEvent } from '../links/types.js';
import { incidentRecord } from '../live/print.js';

/**
 * A link event as an NDJSON record (analyze and live): `type` is the record type, the event's
 * own type (`port-join`, `mac-change`, ...) is in `event`.
 */
export function linkEventRecord(e: LinkEvent): JsonObject {
  const { type: event, ...fields } = linkEventToJson(e);
  return { schema: SCHEMA, type: 'link-event', event: event ?? null, ...fields };
}

/** The records, in output order. */
export function toNdjsonRecords(analysis: Analysis): JsonObject[] {
  const out: JsonObject[] = [{
    schema: SCHEMA, type: 'header', version: analysis.version, options: { ...analysis.options },
    captures: analysis.captures.map(captureToJson),
    ...(analysis.filter ? { filter: filterToJson(analysis.filter) } : {}),
  }];
  analysis.findings.forEach((f, index) => out.push({ schema: SCHEMA, type: 'finding', index, ...findingToJson(f) }));
  for (const i of analysis.incidents) out.push({ ...incidentRecord(i, analysis.findings, 'final') });
  for (const e of analysis.linkEvents) out.push(linkEventRecord(e));
  out.push({ schema: SCHEMA, type: 'end', incidents: analysis.incidents.length, findings: analysis.findings.length });
  return out;
}

/** The NDJSON text (each line ends with `\n`). */
export function toNdjson(analysis: Analysis): string {
  return toNdjsonRecords(analysis).map((r) => `${JSON.stringify(r)}\n`).join('');
}
