/**
 * Places text labels along one axis so that none overlap and none leave the drawing: each label
 * wants to sit centred on its anchor; labels that would collide go to the next row, and when every
 * row is taken they shift right (then left, from the right edge back) just enough to clear their
 * neighbours. Used by the SVG timeline for marker numbers and outage labels.
 */

/** A label to place: its anchor and its width, px. */
export interface LabelRequest {
  /** Where the label wants its centre, px. */
  x: number;
  /** Estimated rendered width, px. */
  width: number;
}

/** Where a label went: its centre and its row (0 = the first row). */
export interface LabelPlacement {
  x: number;
  row: number;
}

/** Width of `text` in a font of `fontPx`, px: an upper estimate (digits and Latin text, sans or monospace). */
export function textWidth(text: string, fontPx: number): number {
  return Math.ceil(text.length * fontPx * 0.62);
}

/**
 * Lays out `labels` (in any order) between `min` and `max` px in at most `rows` rows, keeping
 * `gap` px between neighbours in a row. Returns one placement per label, in the input order.
 * When the labels cannot all fit (wider together than rows x (max - min)) the last ones overlap at
 * the right edge; callers keep the count bounded.
 */
export function layoutLabels(labels: readonly LabelRequest[], min: number, max: number, rows = 1, gap = 4): LabelPlacement[] {
  const order = labels.map((l, i) => ({ ...l, i })).sort((a, b) => a.x - b.x || a.i - b.i);
  const rowRight = Array.from({ length: Math.max(1, rows) }, () => -Infinity);
  const perRow: Array<Array<{ i: number; left: number; width: number }>> = rowRight.map(() => []);
  for (const l of order) {
    const left = Math.max(min, Math.min(l.x - l.width / 2, max - l.width));
    let row = rowRight.findIndex((right) => left >= right + gap);
    let at = left;
    if (row === -1) {
      // Every row is taken here: the row that frees up first, just after its last label.
      row = rowRight.indexOf(Math.min(...rowRight));
      at = rowRight[row]! + gap;
    }
    rowRight[row] = at + l.width;
    perRow[row]!.push({ i: l.i, left: at, width: l.width });
  }
  // Labels pushed past the right edge come back left, pushing their neighbours along.
  for (const row of perRow) {
    let limit = max;
    for (let k = row.length - 1; k >= 0; k--) {
      const item = row[k]!;
      if (item.left + item.width > limit) item.left = Math.max(min, limit - item.width);
      limit = item.left - gap;
    }
  }
  const out: LabelPlacement[] = new Array(labels.length);
  perRow.forEach((row, r) => { for (const item of row) out[item.i] = { x: item.left + item.width / 2, row: r }; });
  return out;
}
