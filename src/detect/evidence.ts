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
