/**
 * A {@link LiveSink} that copies `live`'s incident and link-event lines to the system log, and the
 * helper that lets `live` feed it next to its own printing sink.
 */
import type { LiveSink } from '../live/session.js';
import { linkRecord } from '../live/print.js';
import { incidentEntry, linkEntry } from './fields.js';
import type { SystemLog } from './writer.js';

/** The sink that logs each incident line and each printed link event of `iface`. */
export function systemLogSink(log: SystemLog, iface: string): LiveSink {
  return {
    onIncident: (record) => log.send(incidentEntry(record, iface)),
    onLinkEvent: (event) => {
      const r = linkRecord(event);
      if (r) log.send(linkEntry(r, iface));
    },
  };
}

/** One sink calling each of `sinks` in order (the undefined ones are skipped). */
export function teeSinks(...sinks: (LiveSink | undefined)[]): LiveSink {
  const all = sinks.filter((s): s is LiveSink => s !== undefined);
  return {
    onStart: (info) => { for (const s of all) s.onStart?.(info); },
    onIncident: (record) => { for (const s of all) s.onIncident?.(record); },
    onLinkEvent: (event) => { for (const s of all) s.onLinkEvent?.(event); },
    onStats: (stats) => { for (const s of all) s.onStats?.(stats); },
    onWarning: (message) => { for (const s of all) s.onWarning?.(message); },
  };
}
