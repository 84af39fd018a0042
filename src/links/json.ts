/**
 * Plain-data forms of link events (MACs as `00:18:51:00:00:01`, times as ISO 8601 UTC with ns),
 * for `bridgewatch links --format json` and for reporters that embed link events.
 */
import { formatMac, type Mac } from '../net/mac.js';
import { toIso } from '../time.js';
import type { LinkEvent, LinkLog } from './types.js';

/** Same identifier as src/report/json.ts (kept here so links/ does not import the reporters). */
const SCHEMA = 'bridgewatch/1';

/** A link event as JSON-ready data: same fields, MACs and times as strings. */
export type LinkEventJson = Record<string, string | number | boolean | null>;

const MAC_FIELDS: ReadonlySet<string> = new Set(['mac', 'oldMac', 'newMac']);

/** Converts one event. */
export function linkEventToJson(ev: LinkEvent): LinkEventJson {
  const out: LinkEventJson = {};
  for (const [key, value] of Object.entries(ev) as [string, unknown][]) {
    if (key === 'time') out[key] = ev.time ? toIso(ev.time) : null;
    else if (MAC_FIELDS.has(key)) out[key] = value === null ? null : formatMac(value as Mac);
    else if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out[key] = value;
  }
  return out;
}

/** The `links --format json` document. */
export function linkLogsToJson(logs: LinkLog[], events: LinkEvent[]): {
  schema: typeof SCHEMA;
  logs: { path: string; format: string; events: number; unparsed: LinkLog['unparsed'] }[];
  events: LinkEventJson[];
} {
  return {
    schema: SCHEMA,
    logs: logs.map((l) => ({ path: l.path, format: l.format, events: l.events.length, unparsed: l.unparsed })),
    events: events.map(linkEventToJson),
  };
}
