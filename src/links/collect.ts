/** Small shared plumbing for the text parsers: splitting lines and collecting results. */
import { compareTs, type Timestamp } from '../time.js';
import type { BridgeMacRecord, LinkEvent, UnparsedLine } from './types.js';

/** What one text parser produces; the format label is added by the dispatcher. */
export interface ParsedText {
  events: LinkEvent[];
  unparsed: UnparsedLine[];
  /** Earliest and latest time printed on any line read (an event or not); null when untimed. */
  first?: Timestamp | null;
  last?: Timestamp | null;
  /** Bridges' MACs over the log's span, when the format prints every bridge MAC change with a time. */
  bridgeMacs?: BridgeMacRecord;
}

/** Splits text into lines (LF or CRLF), dropping one trailing empty line. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Collector: events in file order plus counted unparsed lines. */
export class Collector implements ParsedText {
  readonly events: LinkEvent[] = [];
  readonly unparsed: UnparsedLine[] = [];
  first: Timestamp | null = null;
  last: Timestamp | null = null;
  bridgeMacs?: BridgeMacRecord;
  constructor(readonly file: string) {}

  push(ev: LinkEvent): void {
    this.events.push(ev);
    this.noteTime(ev.time);
  }

  /** Widens the span of times the log covers (lines that are no event count too). */
  noteTime(t: Timestamp | null): void {
    if (t === null) return;
    if (this.first === null || compareTs(t, this.first) < 0) this.first = t;
    if (this.last === null || compareTs(t, this.last) > 0) this.last = t;
  }

  bad(line: number, text: string, reason: string): void {
    this.unparsed.push({ file: this.file, line, text: text.length > 200 ? `${text.slice(0, 200)}…` : text, reason });
  }
}
