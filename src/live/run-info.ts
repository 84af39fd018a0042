/** What a live run records about itself (types only: the Analysis refers to it). */
import type { LiveCaptureStats } from './capture.js';
import type { CaptureBackend } from './tcpdump.js';

/** Facts about the live run, kept with the postmortem. */
export interface LiveRunInfo {
  iface: string;
  filter: string;
  /** The capture backend (`live --capture`). */
  capture: CaptureBackend;
  /** When the run started and ended: ISO 8601 UTC (ms precision, 9 digits). */
  started: string;
  ended: string;
  /** What ended the run. */
  stoppedBy: 'duration' | 'signal' | 'interface-gone' | 'error';
  stats: LiveCaptureStats;
  /** Files kept by --save, newest first (empty without --save). */
  savedFiles: string[];
  /** Rotations done by --save. */
  rotations: number;
  /** False when rtnetlink could not be used (causes then come from the capture alone). */
  linksWatched: boolean;
}
