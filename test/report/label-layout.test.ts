/**
 * layoutLabels: marker numbers of events microseconds apart used to be drawn 11 px apart, so "11"
 * and "12" read "1112" (issue #14 item 9); labels near the right edge were cut off.
 */
import { describe, expect, it } from 'vitest';
import { layoutLabels, textWidth } from '../../src/report/label-layout.js';

const boxes = (labels: Array<{ x: number; width: number }>, rows: number, min: number, max: number) =>
  layoutLabels(labels, min, max, rows).map((p, i) => ({ left: p.x - labels[i]!.width / 2, right: p.x + labels[i]!.width / 2, row: p.row }));

describe('layoutLabels', () => {
  it('twelve two-digit labels at one spot: no two overlap in a row, all inside the bounds', () => {
    const labels = Array.from({ length: 12 }, (_, i) => ({ x: 500, width: textWidth(String(i + 1), 13) }));
    const placed = boxes(labels, 3, 200, 988);
    for (const a of placed) {
      expect(a.left).toBeGreaterThanOrEqual(200);
      expect(a.right).toBeLessThanOrEqual(988);
      for (const b of placed) if (a !== b && a.row === b.row) expect(a.right <= b.left || b.right <= a.left).toBe(true);
    }
    expect(new Set(placed.map((p) => p.row)).size).toBe(3);
  });

  it('labels at the right edge are moved in, keeping their order and gaps', () => {
    const labels = [{ x: 985, width: 100 }, { x: 987, width: 100 }];
    const placed = boxes(labels, 1, 200, 988);
    expect(placed[1]!.right).toBeLessThanOrEqual(988);
    expect(placed[0]!.right).toBeLessThanOrEqual(placed[1]!.left);
  });

  it('a label with room stays centred on its anchor', () => {
    expect(layoutLabels([{ x: 400, width: 20 }], 200, 988)[0]).toEqual({ x: 400, row: 0 });
  });
});
