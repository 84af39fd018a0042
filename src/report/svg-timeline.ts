/**
 * The SVG timeline of the HTML report: a lane per IP showing which MAC owned it over time, outage
 * windows shaded, address clashes outlined, link events as numbered markers with a legend below.
 * Static SVG (no script): tooltips are `<title>` elements, everything else is visible text.
 */
import { formatMac, type Mac } from '../net/mac.js';
import { diffMs, type Timestamp } from '../time.js';
import { escapeHtml as esc, formatClock, formatDuration, formatMacWithVendor, type VendorLookup } from './format.js';
import type { IpLane, TimelineEntry } from './timeline.js';

/** Options of {@link renderSvgTimeline}. */
export interface SvgTimelineOptions {
  /** Total width, px. Default 1000. */
  width?: number;
  vendorOf?: VendorLookup;
}

/** Fill colours for MAC owners, assigned in order of first appearance. */
const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#b07aa1', '#76b7b2', '#edc948', '#9c755f', '#bab0ac'];
const LABEL_WIDTH = 190;
const MAX_LABEL_CHARS = 24;
const LANE_HEIGHT = 34;
const TOP = 30;
const MARKER_LANE = 22;

/**
 * Renders the timeline. `linkEntries` are the timeline entries from link events (not findings);
 * each is drawn as a numbered marker, numbered in the order given (the caller lists them with the
 * same numbers).
 */
export function renderSvgTimeline(
  range: { start: Timestamp; end: Timestamp },
  lanes: readonly IpLane[],
  linkEntries: readonly TimelineEntry[],
  options: SvgTimelineOptions = {},
): string {
  const width = options.width ?? 1000;
  const plotWidth = width - LABEL_WIDTH - 20;
  const spanMs = Math.max(diffMs(range.start, range.end), 1);
  const x = (t: Timestamp): number => LABEL_WIDTH + (Math.min(Math.max(diffMs(range.start, t), 0), spanMs) / spanMs) * plotWidth;
  const lanesTop = TOP + MARKER_LANE;
  const height = lanesTop + Math.max(lanes.length, 1) * LANE_HEIGHT + 34;
  const colors = macColors(lanes);
  const parts: string[] = [];

  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="timeline" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" aria-labelledby="tl-title">`,
    `<title id="tl-title">Timeline: which MAC answered for each IP, outages and link events</title>`,
    '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">' +
      '<rect width="6" height="6" fill="#d62728" fill-opacity="0.25"/><line x1="0" y1="0" x2="0" y2="6" stroke="#d62728" stroke-width="3"/></pattern></defs>',
  );
  parts.push(...axis(range, spanMs, x, lanesTop, height - 30, LABEL_WIDTH + plotWidth));
  parts.push(`<text x="8" y="${TOP + 9}" class="lane-label">link events</text>`);

  lanes.forEach((lane, i) => {
    const y = lanesTop + i * LANE_HEIGHT + 4;
    const h = LANE_HEIGHT - 8;
    const label = lane.vlan === null ? lane.ip : `${lane.ip} VLAN ${lane.vlan}`;
    // 12 px monospace is ~7.2 px a character: long IPv6 labels are cut, the full one is the tooltip.
    const shown = label.length > MAX_LABEL_CHARS ? `${label.slice(0, MAX_LABEL_CHARS - 1)}…` : label;
    parts.push(`<g><title>${esc(label)}</title><text x="8" y="${y + h / 2 + 5}" class="lane-label">${esc(shown)}</text></g>`);
    for (const s of lane.segments) {
      const x0 = x(s.start);
      const w = Math.max(x(s.end) - x0, 1);
      const macText = s.mac === null ? 'unknown MAC' : formatMacWithVendor(s.mac, options.vendorOf);
      const fill = s.mac === null ? '#dddddd' : colors.get(s.mac) ?? '#999999';
      parts.push(
        `<rect x="${r(x0)}" y="${y}" width="${r(w)}" height="${h}" fill="${fill}" class="owner">` +
          `<title>${esc(`${label} at ${macText} from ${formatClock(s.start)} to ${formatClock(s.end)}`)}</title></rect>`,
      );
      if (w > 120) parts.push(`<text x="${r(x0 + 4)}" y="${y + h / 2 + 4}" class="owner-label">${esc(s.mac === null ? '?' : formatMac(s.mac))}</text>`);
    }
    for (const c of lane.clashes) {
      const x0 = x(c.start);
      parts.push(`<rect x="${r(x0)}" y="${y - 2}" width="${r(Math.max(x(c.end) - x0, 2))}" height="${h + 4}" class="clash"><title>${esc(`${label}: address clash ${formatClock(c.start)} to ${formatClock(c.end)}`)}</title></rect>`);
    }
    for (const o of lane.outages) {
      const x0 = x(o.start);
      const w = Math.max(x(o.end) - x0, 2);
      const text = `outage ${formatDuration(diffMs(o.start, o.end))}${o.ongoing ? ' (ongoing)' : ''}`;
      parts.push(
        `<rect x="${r(x0)}" y="${y}" width="${r(w)}" height="${h}" fill="url(#hatch)" class="outage"><title>${esc(`${label}: ${text} from ${formatClock(o.start)}`)}</title></rect>`,
        `<text x="${r(x0 + 3)}" y="${y - 1}" class="outage-label">${esc(text)}</text>`,
      );
    }
  });

  let lastLabelX = -Infinity;
  linkEntries.forEach((e, i) => {
    const cx = x(e.time);
    // Events microseconds apart share a pixel: shift their numbers right so each stays readable.
    const labelX = Math.max(cx, lastLabelX + 11);
    lastLabelX = labelX;
    parts.push(
      `<line x1="${r(cx)}" y1="${TOP + 9}" x2="${r(cx)}" y2="${height - 30}" class="marker-line"/>`,
      `<g class="marker"><title>${esc(`${i + 1}. ${formatClock(e.time)} ${e.text}`)}</title>` +
        `<path d="M${r(cx - 5)},${TOP} L${r(cx + 5)},${TOP} L${r(cx)},${TOP + 9} Z"/>` +
        `<text x="${r(labelX)}" y="${TOP - 4}" class="marker-label">${i + 1}</text></g>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/** MAC -> fill colour, in order of first appearance across lanes. */
export function macColors(lanes: readonly IpLane[]): Map<Mac, string> {
  const colors = new Map<Mac, string>();
  for (const lane of lanes) for (const s of lane.segments) {
    if (s.mac !== null && !colors.has(s.mac)) colors.set(s.mac, PALETTE[colors.size % PALETTE.length]!);
  }
  return colors;
}

function axis(
  range: { start: Timestamp }, spanMs: number, x: (t: Timestamp) => number, top: number, bottom: number, right: number,
): string[] {
  const out = [`<line x1="${LABEL_WIDTH}" y1="${bottom}" x2="${r(right)}" y2="${bottom}" class="axis"/>`];
  const step = niceStep(spanMs / 6);
  const startMs = range.start.sec * 1000 + range.start.nsec / 1e6;
  const first = Math.ceil(startMs / step) * step;
  // Counted, not `t += step`: past 2^53 ms (a damaged capture's timestamps) adding a step no longer
  // changes t, and the loop never ended (found by the fuzzer: HTML report ran out of memory).
  for (let k = 0; k <= 12; k++) {
    const t = first + k * step;
    if (t > startMs + spanMs) break;
    const ts = { sec: Math.floor(t / 1000), nsec: Math.round((t % 1000) * 1e6) };
    const px = x(ts);
    out.push(
      `<line x1="${r(px)}" y1="${top}" x2="${r(px)}" y2="${bottom + 4}" class="tick"/>`,
      `<text x="${r(px)}" y="${bottom + 18}" class="tick-label">${esc(step >= 1000 ? formatClock(ts).slice(0, 8) : formatClock(ts))}</text>`,
    );
  }
  return out;
}

/** A round tick interval (1, 2, 5 x 10^n ms) near `ms`. */
function niceStep(ms: number): number {
  const pow = 10 ** Math.floor(Math.log10(Math.max(ms, 1)));
  for (const m of [1, 2, 5, 10]) if (m * pow >= ms) return m * pow;
  return 10 * pow;
}

function r(n: number): string {
  return n.toFixed(1);
}
