/**
 * Live detection's clock on a tick (src/live/session.ts tickTime): it follows the wall clock (less
 * the 1 s lag) on a quiet link, and never runs ahead of the frames while they keep coming.
 */
import { describe, expect, it } from 'vitest';
import { tickTime } from '../../src/live/session.js';

// 2026-12-06T03:00:00Z in ms.
const WALL_MS = Date.UTC(2026, 11, 6, 3, 0, 0);
const WALL_S = WALL_MS / 1000;

describe('live tick clock', () => {
  it('on a quiet link: the wall clock less the 1 s lag', () => {
    expect(tickTime(false, { sec: WALL_S - 60, nsec: 0 }, WALL_MS + 250)).toEqual({ sec: WALL_S - 1, nsec: 250_000_000 });
  });

  it('while frames come 5 s behind the wall clock (a backlog): the latest frame, not past it', () => {
    const late = { sec: WALL_S - 5, nsec: 123_456_789 };
    expect(tickTime(true, late, WALL_MS)).toEqual(late);
  });

  it('while frames come in time: the lagged wall clock, which is behind them', () => {
    expect(tickTime(true, { sec: WALL_S, nsec: 0 }, WALL_MS)).toEqual({ sec: WALL_S - 1, nsec: 0 });
  });

  it('returns a copy, not the record it was given', () => {
    const late = { sec: WALL_S - 5, nsec: 1 };
    const t = tickTime(true, late, WALL_MS);
    late.sec = 0;
    expect(t.sec).toBe(WALL_S - 5);
  });
});
