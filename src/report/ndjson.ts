/**
 * NDJSON: the `bridgewatch/1` document as one JSON object per line, for `jq`/log shippers and
 * streaming. Every line has `type`:
 * - `header`: `{type, schema, version, options, captures}` (first line);
 * - `finding`: `{type, index, ...finding}` (index = position in the JSON `findings` array);
 * - `incident`: `{type, ...incident}` (its `findings` are those indexes);
 * - `link-event`: `{type, ...linkEvent}`;
 * - `end`: `{type, incidents, findings}` counts (last line; its absence means truncated output).
 */
import type { Analysis } from '../analysis.js';
import { SCHEMA, captureToJson, findingToJson, incidentToJson, type JsonObject } from './json.js';
import { linkEventToJson } from '../links/json.js';

/** The records, in output order. */
export function toNdjsonRecords(analysis: Analysis): JsonObject[] {
  const out: JsonObject[] = [{
    type: 'header', schema: SCHEMA, version: analysis.version, options: { ...analysis.options },
    captures: analysis.captures.map(captureToJson),
  }];
  analysis.findings.forEach((f, index) => out.push({ type: 'finding', index, ...findingToJson(f) }));
  for (const i of analysis.incidents) out.push({ type: 'incident', ...incidentToJson(i) });
  for (const e of analysis.linkEvents) out.push({ type: 'link-event', ...linkEventToJson(e) });
  out.push({ type: 'end', incidents: analysis.incidents.length, findings: analysis.findings.length });
  return out;
}

/** The NDJSON text (each line ends with `\n`). */
export function toNdjson(analysis: Analysis): string {
  return toNdjsonRecords(analysis).map((r) => `${JSON.stringify(r)}\n`).join('');
}
