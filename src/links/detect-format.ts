/**
 * Recognising which tool wrote a link log, from its first lines. Each format has a distinctive
 * line shape; the first shape that matches a majority-vote over the first {@link SAMPLE_LINES}
 * non-empty lines wins.
 */
import type { LinkLog } from './types.js';
import { DMESG_ISO } from './dmesg.js';
import { ISO_PREFIX, LINK_ADDRESS, TIMESTAMP_LINE, parseLinkHeader } from './link-line.js';

/** How many non-empty lines are looked at. */
export const SAMPLE_LINES = 200;

type Format = Exclude<LinkLog['format'], 'unknown'>;

const DMESG = /^(?:<\d+>)?(?:[a-z]+\s*:[a-z]+\s*: )?\[\s*\d+\.\d+\]/;
const DMESG_T = /^(?:<\d+>)?\[[A-Z][a-z]{2} [A-Z][a-z]{2} +\d{1,2} \d{2}:\d{2}:\d{2} \d{4}\]/;
const RFC5424 = /^<\d{1,3}>1 /;
const BSD_SYSLOG = /^(?:<\d{1,3}>)?[A-Z][a-z]{2} +\d{1,2} \d{2}:\d{2}:\d{2}(\.\d+)? \S+ \S+?(\[\d+\])?:/;
const ISO_SYSLOG = /^(?:<\d{1,3}>)?\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:?\d{2}|Z) \S+ \S+?(\[\d+\])?:/;
const JOURNAL_MARKER = /^-- (Logs begin|Journal begins|Boot [0-9a-f]+|No entries|Reboot) /;
const BRIDGE_PORT = / master \S+ state (disabled|listening|learning|forwarding|blocking)\b/;
const BRIDGE_FDB = /^(Deleted )?((?:[0-9a-f]{2}:){5}[0-9a-f]{2}) dev \S+|^(Deleted )?dev \S+ port \S+ grp /;

/** Guesses the format of a link log; 'unknown' when nothing fits. */
export function detectFormat(text: string): LinkLog['format'] {
  const votes = new Map<Format, number>();
  const vote = (f: Format, weight = 1): void => { votes.set(f, (votes.get(f) ?? 0) + weight); };
  let monitorLines = 0;
  let ipEvidence = 0;
  let bridgeEvidence = 0;
  let journalMarker = false;
  let precise = false;
  let seen = 0;
  for (const line of text.split(/\r?\n/, SAMPLE_LINES * 4)) {
    if (line.trim() === '') continue;
    if (++seen > SAMPLE_LINES) break;
    if (line.startsWith('{')) { if (/"__REALTIME_TIMESTAMP"/.test(line)) vote('journalctl-json'); continue; }
    if (JOURNAL_MARKER.test(line)) { journalMarker = true; continue; }
    if (DMESG_T.test(line) || DMESG_ISO.test(line)) { vote('dmesg-T'); continue; }
    if (DMESG.test(line)) { vote('dmesg'); continue; }
    if (RFC5424.test(line)) { vote('syslog'); continue; }
    const bsd = BSD_SYSLOG.exec(line);
    if (bsd) { if (bsd[1]) precise = true; vote('syslog'); continue; }
    if (ISO_SYSLOG.test(line)) { vote('syslog'); continue; }
    // ip / bridge monitor
    const body = ISO_PREFIX.exec(line)?.[2] ?? line;
    if (ISO_PREFIX.test(line)) ipEvidence += 2; // `-ts` exists only in ip
    if (TIMESTAMP_LINE.test(line)) { monitorLines++; continue; }
    if (LINK_ADDRESS.test(line)) { ipEvidence++; monitorLines++; continue; }
    const header = parseLinkHeader(body);
    if (header) {
      monitorLines++;
      if (header.wholeLink) ipEvidence++;
      if (BRIDGE_PORT.test(body)) bridgeEvidence++;
      continue;
    }
    if (BRIDGE_FDB.test(body)) { bridgeEvidence++; monitorLines++; }
  }
  if (monitorLines > 0) vote(bridgeEvidence > ipEvidence ? 'bridge-monitor' : 'ip-monitor', monitorLines);
  let best: Format | null = null;
  let bestVotes = 0;
  for (const [f, n] of votes) if (n > bestVotes) { best = f; bestVotes = n; }
  if (best === 'syslog' && (journalMarker || precise)) return 'journalctl';
  return best ?? 'unknown';
}
