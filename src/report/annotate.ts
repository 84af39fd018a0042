/**
 * `--annotate OUT.pcapng`: re-reads the capture(s) and writes them back as one pcapng whose
 * evidence frames carry packet comments (`frame.comment` in Wireshark), e.g. "bridgewatch:
 * 192.0.2.1 outage begins, frames to 00:18:51:00:00:01 unanswered [I1]". Several inputs are merged
 * by timestamp as `analyze` read them, so frame numbers in OUT differ from the inputs'; the
 * comments are placed by (input, frame), which is exact.
 */
import type { Analysis } from '../analysis.js';
import { readCaptures, type CaptureInput, type CaptureReadResult } from '../capture/index.js';
import { PcapngWriter } from '../capture/write-pcapng.js';
import { BridgewatchError } from '../errors.js';
import { evidenceComments, frameKey } from './evidence.js';

/** Options of {@link annotateCapture}. */
export interface AnnotateOptions {
  /** Replace an existing OUT. Default false (REPORT_EXISTS). */
  force?: boolean;
  /** SHB `shb_userappl`. Default `bridgewatch`. */
  application?: string;
  signal?: AbortSignal;
  /** Called once per packet written (drives the CLI's progress line). */
  onPacket?: () => void;
}

/** What {@link annotateCapture} wrote. */
export interface AnnotateResult {
  path: string;
  packets: number;
  /** Frames that received at least one comment. */
  commentedFrames: number;
  /** Evidence frames that were not found while re-reading (input changed, or it ended early). */
  missingFrames: number;
  /** Per input, as {@link readCaptures} returned it: an `error` means that input ended early. */
  inputs: CaptureReadResult[];
}

/**
 * Writes `outPath` atomically (a failed run leaves no partial file). Errors: REPORT_EXISTS,
 * REPORT_WRITE_FAILED; read faults are returned per input (what was read before is written).
 */
export async function annotateCapture(
  inputs: CaptureInput[],
  analysis: Analysis,
  outPath: string,
  options: AnnotateOptions = {},
): Promise<AnnotateResult> {
  if (inputs.some((i) => i === '-')) {
    // The capture was consumed while analysing; stdin cannot be read a second time.
    throw new BridgewatchError('USAGE', '--annotate cannot re-read a capture from stdin; give a file', { file: '-' });
  }
  const comments = evidenceComments(analysis);
  const writer = PcapngWriter.open(outPath, { atomic: true, noOverwrite: !options.force, application: options.application ?? `bridgewatch ${analysis.version}` });
  let commented = 0;
  let results: CaptureReadResult[];
  try {
    results = await readCaptures(inputs, (p) => {
      const notes = comments.get(frameKey(p.fileIndex, p.frame));
      if (notes) commented++;
      writer.writePacket(p, notes ?? []);
      options.onPacket?.();
    }, options.signal ? { signal: options.signal } : {});
    writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  }
  return {
    path: outPath, packets: writer.packetsWritten, commentedFrames: commented, missingFrames: comments.size - commented, inputs: results,
  };
}
