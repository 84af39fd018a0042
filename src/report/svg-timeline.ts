/**
 * The SVG timeline of the HTML report: a lane per IP showing which MAC owned it over time, outage
 * windows hatched, address clashes as one stripe per claiming MAC, link events as numbered markers
 * (listed below the drawing). Static SVG (no script): tooltips are `<title>` elements, everything
 * else is visible text of at least 13 px, laid out so that no two labels overlap and none leaves
 * the drawing. The report draws one overview and one close-up per incident, each with its own axis.
 */
import { formatMac, type Mac } from '../net/mac.js';
import { compareTs, diffMs, type Timestamp } from '../time.js';
import { escapeHtml as esc, formatClock, formatDuration, formatMacWithVendor, type VendorLookup } from './format.js';
import { layoutLabels, textWidth } from './label-layout.js';
import type { IpLane, TimelineEntry } from './timeline.js';

/** Options of {@link renderSvgTimeline}. */
export interface SvgTimelineOptions {
  /** Total width, px. Default 1000. */
  width?: number;
  vendorOf?: VendorLookup;
  /** Distinguishes this drawing's element ids from the others' in one document. Default `overview`. */
  id?: string;
  /** Accessible title of the drawing. */
  title?: string;
  /** Marker numbers of `linkEntries` (default 1, 2, ...): a close-up keeps the overview's numbers. */
  markerNumbers?: readonly number[];
  /** MAC colours (default {@link macColors} of `lanes`): a close-up uses the overview's, as the legend does. */
  colors?: ReadonlyMap<Mac, string>;
  /** An incident's window, drawn as a band behind its lane(s) (`rect.incident-span`). */
  span?: { start: Timestamp; end: Timestamp; incident: string };
}

/** Fill colours for MAC owners, assigned in order of first appearance. */
const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#b07aa1', '#76b7b2', '#edc948', '#9c755f', '#bab0ac'];
/** Text size of every label, px (readable without zooming). */
export const FONT_PX = 13;
const LABEL_WIDTH = 200;
const MAX_LABEL_CHARS = 22;
const RIGHT_PAD = 12;
const MARKER_ROWS = 3;
const ROW = FONT_PX + 4;
const BAR = 24;
const STRIPE = ROW;
const MAX_STRIPES = 4;
const OUTAGE_COLOR = '#d62728';

/**
 * The outage hatch, as a `<pattern>` with the given id: the timeline's outage windows and the
 * legend swatch use this one definition, so they look the same. Opaque: during an outage nobody
 * answered, so the owner's colour underneath is hidden.
 */
export function hatchPattern(id: string): string {
  return `<pattern id="${esc(id)}" class="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">` +
    `<rect width="6" height="6" fill="#f7d4d4"/><line x1="0" y1="0" x2="0" y2="6" stroke="${OUTAGE_COLOR}" stroke-width="3"/></pattern>`;
}

/** The legend's outage swatch: a small SVG filled with {@link hatchPattern}. */
export function hatchSwatch(): string {
  return `<svg class="swatch hatch-swatch" width="28" height="14" viewBox="0 0 28 14" aria-hidden="true"><defs>${hatchPattern('hatch-legend')}</defs>` +
    `<rect width="28" height="14" fill="url(#hatch-legend)" stroke="#888"/></svg>`;
}

/**
 * Renders the timeline of `range`. `linkEntries` are the timeline entries from link events (not
 * findings); each is drawn as a numbered marker (numbers from `markerNumbers`, else 1, 2, ... in
 * the order given). Things outside `range` are left out.
 */
export function renderSvgTimeline(
  range: { start: Timestamp; end: Timestamp },
  lanes: readonly IpLane[],
  linkEntries: readonly TimelineEntry[],
  options: SvgTimelineOptions = {},
): string {
  const width = options.width ?? 1000;
  const id = options.id ?? 'overview';
  const right = width - RIGHT_PAD;
  const plotWidth = right - LABEL_WIDTH;
  const spanMs = Math.max(diffMs(range.start, range.end), 1);
  const x = (t: Timestamp): number => LABEL_WIDTH + (Math.min(Math.max(diffMs(range.start, t), 0), spanMs) / spanMs) * plotWidth;
  const inside = (a: { start: Timestamp; end: Timestamp }): boolean =>
    compareTs(a.end, range.start) >= 0 && compareTs(a.start, range.end) <= 0;
  const colors = options.colors ?? macColors(lanes);

  // Marker labels first: how many rows they need sets where the lanes begin.
  const markers = linkEntries.map((e, i) => ({ e, n: options.markerNumbers?.[i] ?? i + 1, cx: x(e.time) }))
    .filter((m) => compareTs(m.e.time, range.start) >= 0 && compareTs(m.e.time, range.end) <= 0);
  const placed = layoutLabels(markers.map((m) => ({ x: m.cx, width: textWidth(String(m.n), FONT_PX) })), LABEL_WIDTH, right, MARKER_ROWS);
  const rowsUsed = Math.max(1, ...placed.map((p) => p.row + 1));
  const triangleTop = 6 + rowsUsed * ROW + 4;
  let y = triangleTop + 9 + 6;
  const laneTops = lanes.map((lane) => {
    const top = y;
    y += ROW + laneBarHeight(lane) + 8;
    return top;
  });
  const lanesBottom = Math.max(y, triangleTop + 9 + 6 + ROW + BAR + 8);
  const height = lanesBottom + ROW + 10;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="timeline ${id === 'overview' ? 'overview' : 'closeup'}" data-id="${esc(id)}" role="img" ` +
      `viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" aria-labelledby="tl-title-${esc(id)}">`,
    `<title id="tl-title-${esc(id)}">${esc(options.title ?? 'Timeline: which MAC answered for each IP, outages and link events')}</title>`,
    `<defs>${hatchPattern(`hatch-${id}`)}</defs>`,
    ...axis(range, spanMs, x, triangleTop, lanesBottom, right),
    `<text x="8" y="${triangleTop + 9}" class="lane-label">link events</text>`,
  ];

  lanes.forEach((lane, i) => {
    const labelTop = laneTops[i]!;
    const top = labelTop + ROW;
    const h = laneBarHeight(lane);
    const label = lane.vlan === null ? lane.ip : `${lane.ip} VLAN ${lane.vlan}`;
    const shown = label.length > MAX_LABEL_CHARS ? `${label.slice(0, MAX_LABEL_CHARS - 1)}…` : label;
    parts.push(`<g><title>${esc(label)}</title><text x="8" y="${r(top + h / 2 + FONT_PX / 2 - 1)}" class="lane-label">${esc(shown)}</text></g>`);
    if (options.span && inside(options.span)) {
      const x0 = x(options.span.start);
      parts.push(`<rect x="${r(x0)}" y="${labelTop}" width="${r(Math.max(x(options.span.end) - x0, 2))}" height="${ROW + h + 4}" ` +
        `class="incident-span" data-incident="${esc(options.span.incident)}"><title>${esc(`${options.span.incident}: ${formatClock(options.span.start)} to ${formatClock(options.span.end)}`)}</title></rect>`);
    }
    for (const s of lane.segments) {
      if (!inside(s)) continue;
      const x0 = x(s.start);
      const w = Math.max(x(s.end) - x0, 1);
      const macText = s.mac === null ? 'unknown MAC' : formatMacWithVendor(s.mac, options.vendorOf);
      const fill = s.mac === null ? '#dddddd' : colors.get(s.mac) ?? '#999999';
      parts.push(`<rect x="${r(x0)}" y="${top}" width="${r(w)}" height="${h}" fill="${fill}" class="owner">` +
        `<title>${esc(`${label} at ${macText} from ${formatClock(s.start)} to ${formatClock(s.end)}`)}</title></rect>`);
      const text = s.mac === null ? '?' : formatMac(s.mac);
      if (w > textWidth(text, FONT_PX) + 8) {
        parts.push(`<text x="${r(x0 + 4)}" y="${r(top + h / 2 + FONT_PX / 2 - 1)}" class="owner-label${s.mac === null ? ' unknown' : ''}">${esc(text)}</text>`);
      }
    }
    for (const c of lane.clashes) if (inside(c)) parts.push(...clash(c, label, x, top, h, colors, options.vendorOf));
    const outages = lane.outages.filter(inside);
    const texts = outages.map((o) => `outage ${formatDuration(diffMs(o.start, o.end))}${o.ongoing ? ' (ongoing)' : ''}`);
    // Outage labels sit above the lane, starting at the outage, moved apart (and in from the edge).
    const spots = layoutLabels(outages.map((o, k) => {
      const w = textWidth(texts[k]!, FONT_PX);
      return { x: x(o.start) + w / 2, width: w };
    }), LABEL_WIDTH, right, 1, 8);
    outages.forEach((o, k) => {
      const x0 = x(o.start);
      const w = Math.max(x(o.end) - x0, 2);
      const spot = spots[k]!;
      parts.push(
        `<rect x="${r(x0)}" y="${top}" width="${r(w)}" height="${h}" fill="url(#hatch-${esc(id)})" class="outage">` +
          `<title>${esc(`${label}: ${texts[k]} from ${formatClock(o.start)}`)}</title></rect>`,
        `<text x="${r(spot.x)}" y="${top - 4}" class="outage-label">${esc(texts[k]!)}</text>`,
      );
    });
  });

  markers.forEach((m, k) => {
    const spot = placed[k]!;
    // Row 0 sits just above the triangles, further rows above it.
    const labelY = triangleTop - 4 - spot.row * ROW;
    parts.push(`<line x1="${r(m.cx)}" y1="${triangleTop + 9}" x2="${r(m.cx)}" y2="${lanesBottom}" class="marker-line"/>`);
    const leader = Math.abs(spot.x - m.cx) > 2
      ? `<line x1="${r(m.cx)}" y1="${triangleTop}" x2="${r(spot.x)}" y2="${labelY + 3}" class="leader"/>` : '';
    parts.push(`<g class="marker"><title>${esc(`${m.n}. ${formatClock(m.e.time)} ${m.e.text}`)}</title>${leader}` +
      `<path d="M${r(m.cx - 5)},${triangleTop} L${r(m.cx + 5)},${triangleTop} L${r(m.cx)},${triangleTop + 9} Z"/>` +
      `<text x="${r(spot.x)}" y="${labelY}" class="marker-label">${m.n}</text></g>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/** Bar height of a lane: taller when a clash needs a readable stripe per MAC. */
function laneBarHeight(lane: IpLane): number {
  const stripes = Math.min(MAX_STRIPES, Math.max(0, ...lane.clashes.map((c) => c.macs.length)));
  return Math.max(BAR, stripes * STRIPE);
}

/** A clash window: one stripe per claiming MAC in that MAC's colour, labelled when wide enough, outlined. */
function clash(
  c: IpLane['clashes'][number], label: string, x: (t: Timestamp) => number, top: number, h: number,
  colors: ReadonlyMap<Mac, string>, vendorOf: VendorLookup | undefined,
): string[] {
  const x0 = x(c.start);
  const w = Math.max(x(c.end) - x0, 3);
  const macs = c.macs.slice(0, MAX_STRIPES);
  const stripe = h / Math.max(macs.length, 1);
  const out = macs.map((mac, k) => {
    const text = formatMac(mac);
    const y = top + k * stripe;
    const labelled = w > textWidth(text, FONT_PX) + 8 && stripe >= FONT_PX + 2
      ? `<text x="${r(x0 + 4)}" y="${r(y + stripe / 2 + FONT_PX / 2 - 1)}" class="owner-label">${esc(text)}</text>` : '';
    return `<rect x="${r(x0)}" y="${r(y)}" width="${r(w)}" height="${r(stripe)}" fill="${colors.get(mac) ?? '#999999'}" class="clash-mac" data-mac="${esc(text)}">` +
      `<title>${esc(`${label} claimed by ${formatMacWithVendor(mac, vendorOf)} from ${formatClock(c.start)} to ${formatClock(c.end)}`)}</title></rect>${labelled}`;
  });
  const all = c.macs.map(formatMac).join(' and ');
  out.push(`<rect x="${r(x0)}" y="${top - 2}" width="${r(w)}" height="${h + 4}" class="clash"><title>${esc(`${label}: address clash, ${all} at once, ${formatClock(c.start)} to ${formatClock(c.end)}`)}</title></rect>`);
  return out;
}

/** MAC -> fill colour, in order of first appearance across lanes (owners, then clash claimants). */
export function macColors(lanes: readonly IpLane[]): Map<Mac, string> {
  const colors = new Map<Mac, string>();
  const add = (mac: Mac | null): void => { if (mac !== null && !colors.has(mac)) colors.set(mac, PALETTE[colors.size % PALETTE.length]!); };
  for (const lane of lanes) {
    for (const s of lane.segments) add(s.mac);
    for (const c of lane.clashes) c.macs.forEach(add);
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
  let lastRight = -Infinity;
  // Counted, not `t += step`: past 2^53 ms (a damaged capture's timestamps) adding a step no longer
  // changes t, and the loop never ended (found by the fuzzer: HTML report ran out of memory).
  for (let k = 0; k <= 12; k++) {
    const t = first + k * step;
    if (t > startMs + spanMs) break;
    const ts = { sec: Math.floor(t / 1000), nsec: Math.round((t % 1000) * 1e6) };
    const px = x(ts);
    out.push(`<line x1="${r(px)}" y1="${top}" x2="${r(px)}" y2="${bottom + 4}" class="tick"/>`);
    const text = step >= 1000 ? formatClock(ts).slice(0, 8) : formatClock(ts);
    const half = textWidth(text, FONT_PX) / 2;
    // A label that would cross the edge or its neighbour is left out; the tick line stays.
    if (px + half > right + RIGHT_PAD - 2 || px - half < lastRight + 6) continue;
    lastRight = px + half;
    out.push(`<text x="${r(px)}" y="${bottom + ROW}" class="tick-label">${esc(text)}</text>`);
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
