/** Evidence frame lists, capped so a long outage cannot grow a finding without bound. */
import type { FrameRef } from './types.js';

/**
 * Appends `ref` keeping at most `cap` entries: once full, the last slot is overwritten, so the
 * list holds the first `cap - 1` frames and the most recent one (which closes the finding).
 */
export function pushEvidence(list: FrameRef[], ref: FrameRef, cap: number): void {
  const last = list[list.length - 1];
  if (last && last.fileIndex === ref.fileIndex && last.frame === ref.frame) return;
  if (list.length < Math.max(1, cap)) list.push(ref);
  else list[list.length - 1] = ref;
}

/**
 * Appends `item` keeping at most `cap` entries, like {@link pushEvidence}: the first `cap - 1` and
 * the most recent. Bounds the step list of a flip that keeps flipping (a live capture on a bridge
 * whose guests come and go all day folds every change into one finding).
 */
export function pushCapped<T>(list: T[], item: T, cap: number): void {
  if (list.length < Math.max(1, cap)) list.push(item);
  else list[list.length - 1] = item;
}
