/** Small shared plumbing for the text parsers: splitting lines and collecting results. */
import type { LinkEvent, UnparsedLine } from './types.js';

/** What one text parser produces; the format label is added by the dispatcher. */
export interface ParsedText {
  events: LinkEvent[];
  unparsed: UnparsedLine[];
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
  constructor(readonly file: string) {}

  push(ev: LinkEvent): void {
    this.events.push(ev);
  }

  bad(line: number, text: string, reason: string): void {
    this.unparsed.push({ file: this.file, line, text: text.length > 200 ? `${text.slice(0, 200)}…` : text, reason });
  }
}
