/**
 * Small formatting helpers shared by the reporters: escaping for HTML and Markdown, durations,
 * timestamps, MACs with vendor names. Every string that came from input (interface names, raw log
 * lines, paths) must pass through {@link escapeHtml} or one of the Markdown escapers before it is
 * placed in a report.
 */
import type { Mac } from '../net/mac.js';
import { macWithVendor } from '../net/oui.js';
import { toIso, type Timestamp } from '../time.js';

/** Looks up the vendor of a MAC (src/net/oui.ts `vendorOf`); null when unknown. */
export type VendorLookup = (mac: Mac) => string | null;

/** Escapes text for HTML element content and double- or single-quoted attribute values (and SVG). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c] ?? c);
}
const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escapes text for Markdown prose and GFM table cells, so that it renders as the literal text and
 * still reads well in the raw file. Backslash-escapes what can start inline markup (emphasis, code,
 * links, strikethrough, table pipes); `_` only where it could (not inside a word, where CommonMark
 * never reads it as emphasis: `addr_assign_type` stays as it is). `<` becomes `&lt;`, so no inline
 * HTML or autolink can form, and with it `>` is harmless except as a block quote at the start;
 * `&` becomes `&amp;` only where it would start an entity. A leading block marker (`#`, `>`, `-`,
 * `+`, `=`, `1.`) is escaped unless `atLineStart` is false (text that follows other text). Newlines
 * become spaces (a cell or list item is one line). `->`, dots and parentheses stay readable.
 */
export function escapeMarkdown(text: string, atLineStart = true): string {
  const out = text
    .replace(/\r?\n|\r/g, ' ')
    .replace(/[\\`*[\]|~]/g, (c) => `\\${c}`)
    .replace(/_/g, (c, at: number, all: string) => (/[A-Za-z0-9]/.test(all[at - 1] ?? '') && /[A-Za-z0-9]/.test(all[at + 1] ?? '') ? c : `\\${c}`))
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, '&amp;')
    .replace(/</g, '&lt;');
  if (!atLineStart) return out;
  return out
    .replace(/^(\s*)([#+=>-])/, '$1\\$2')
    .replace(/^(\s*\d{1,9})([.)])(?=\s|$)/, '$1\\$2');
}

/**
 * Markdown prose: like {@link escapeMarkdown}, with code identifiers set in code spans instead of
 * escaped: command-line options (`--set maxEvidenceFrames=N`), snake_case names and sysctl keys
 * (`addr_assign_type`, `net.ipv4.conf.all.arp_ignore=1`).
 */
export function markdownProse(text: string): string {
  const flat = text.replace(/\r?\n|\r/g, ' ');
  const identifier = /--[a-z][a-z0-9_-]*(?:[ =][A-Za-z][A-Za-z0-9]*=[A-Za-z0-9.:-]+)?|[A-Za-z][A-Za-z0-9.]*_[A-Za-z0-9_.]*[A-Za-z0-9](?:=[A-Za-z0-9.:-]*[A-Za-z0-9])?/g;
  let out = '';
  let last = 0;
  for (const m of flat.matchAll(identifier)) {
    const at = m.index;
    // Only whole words: not the tail of a longer token (a path, a MAC, an already-quoted name).
    if (at > 0 && /[\w./:`-]/.test(flat[at - 1]!)) continue;
    out += escapeMarkdown(flat.slice(last, at), last === 0) + markdownCode(m[0]);
    last = at + m[0].length;
  }
  return out + escapeMarkdown(flat.slice(last), last === 0);
}

/**
 * A Markdown code span holding `text` literally. Content of a code span is never parsed as HTML;
 * the fence is made longer than any backtick run inside, and `|` is escaped for GFM tables (GFM
 * removes that backslash inside code spans in table cells).
 */
export function markdownCode(text: string, inTable = false): string {
  let body = text.replace(/\r?\n|\r/g, ' ');
  if (inTable) body = body.replace(/\|/g, '\\|');
  const longestRun = Math.max(0, ...Array.from(body.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = body.startsWith('`') || body.endsWith('`') || body.startsWith(' ') ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/**
 * A fenced Markdown code block holding `text` literally (fence longer than any backtick run).
 */
export function markdownCodeBlock(text: string, info = ''): string {
  const longestRun = Math.max(2, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(longestRun + 1);
  return `${fence}${info}\n${text.replace(/\n$/, '')}\n${fence}`;
}

/** Human duration: `850 ms`, `23.06 s`, `3 min 05 s`, `2 h 03 min`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 120) return `${s.toFixed(2)} s`;
  const totalSec = Math.round(s);
  if (totalSec < 7200) return `${Math.floor(totalSec / 60)} min ${String(totalSec % 60).padStart(2, '0')} s`;
  const totalMin = Math.round(totalSec / 60);
  return `${Math.floor(totalMin / 60)} h ${String(totalMin % 60).padStart(2, '0')} min`;
}

/** `2026-11-21 09:09:49.132165` (UTC, µs): compact enough for tables, exact enough to find frames. */
export function formatTime(t: Timestamp): string {
  const iso = safeIso(t);
  if (iso === null) return rawTime(t);
  return `${iso.slice(0, 10)} ${iso.slice(11, 26)}`;
}

/** `09:09:49.132` (UTC, ms): for dense places such as SVG axis labels. */
export function formatClock(t: Timestamp): string {
  return safeIso(t)?.slice(11, 23) ?? rawTime(t);
}

/**
 * toIso, or null for a time a Date cannot hold (beyond ±275 760 years: a damaged pcapng can claim
 * one), so a report still renders.
 */
function safeIso(t: Timestamp): string | null {
  return Number.isFinite(t.sec) && Math.abs(t.sec) <= 8.64e12 - 1 ? toIso(t) : null;
}

/** `@SECONDS.NANOSECONDS` since the epoch, for times outside the Date range. */
function rawTime(t: Timestamp): string {
  return `@${t.sec}.${String(t.nsec).padStart(9, '0')}`;
}

/**
 * `00:18:51:00:00:01 (SWsoft/OpenVZ)`: src/net/oui.ts {@link macWithVendor}, the one naming every
 * output uses; `vendorOf` replaces the registry lookup (hypervisor conventions are named first).
 */
export function formatMacWithVendor(mac: Mac, vendorOf?: VendorLookup): string {
  return macWithVendor(mac, vendorOf);
}

/** Singular or plural: `1 incident`, `2 incidents`. */
export function plural(n: number, word: string, pluralWord = `${word}s`): string {
  return `${n} ${n === 1 ? word : pluralWord}`;
}

/** Quotes an argv for a POSIX shell, for display (`ip link set dev br0 address b4:99:…`). */
export function shellQuote(argv: readonly string[]): string {
  return argv.map((a) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
