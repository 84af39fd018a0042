/**
 * `--save FILE.pcapng`: keeps captured frames as evidence, with a size cap and rotation in the
 * manner of logrotate: FILE always holds the newest frames; when it reaches `maxBytes` it becomes
 * FILE's `.1` sibling (`capture.1.pcapng`), `.1` becomes `.2`, and so on, keeping `files` files in
 * all. Frame numbers in a live report count from the start of the capture, so they match FILE's
 * frame numbers only while no rotation happened (the report says which files exist).
 */
import { existsSync, renameSync, unlinkSync } from 'node:fs';
import { PcapngWriter } from '../capture/write-pcapng.js';
import type { CapturePacket } from '../capture/types.js';

export interface SaveOptions {
  /** Path of the newest file, e.g. `evidence.pcapng`. */
  path: string;
  /** Rotate once the current file holds at least this many bytes. Default 100 MiB. */
  maxBytes?: number;
  /** Files kept, including the current one (>= 1). Default 5. */
  files?: number;
  /** Interface name written as the pcapng `if_name`. */
  iface: string;
  /** Written as the section's `shb_userappl`. */
  application?: string;
}

/** Name of the `n`-th older file: `dir/name.N.ext` (n >= 1). */
export function rotatedName(path: string, n: number): string {
  const m = /^(.*?)(\.pcapng|\.pcap)?$/i.exec(path);
  const stem = m?.[1] ?? path;
  const ext = m?.[2] ?? '';
  return `${stem}.${n}${ext}`;
}

/** Writes frames to a size-capped, rotated set of pcapng files. */
export class RotatingPcapngSaver {
  /** Rotations done so far. */
  rotations = 0;
  /** Frames written over all files. */
  framesWritten = 0;
  private writer: PcapngWriter;
  private readonly maxBytes: number;
  private readonly files: number;

  constructor(private readonly options: SaveOptions) {
    this.maxBytes = Math.max(4096, options.maxBytes ?? 100 * 1024 * 1024);
    this.files = Math.max(1, Math.floor(options.files ?? 5));
    this.writer = this.open();
  }

  /** Appends one frame (copied before returning), rotating first when the file is full. */
  write(p: CapturePacket): void {
    if (this.writer.bytesWritten >= this.maxBytes && this.writer.packetsWritten > 0) this.rotate();
    this.writer.writePacket(p, [], { name: this.options.iface, snapLength: 65535 });
    this.framesWritten++;
  }

  /** Closes the current file; returns the files that exist, newest first. */
  close(): string[] {
    this.writer.close();
    return this.existingFiles();
  }

  /** The files that exist now, newest first. */
  existingFiles(): string[] {
    const out = [this.options.path];
    for (let n = 1; n < this.files; n++) {
      const name = rotatedName(this.options.path, n);
      if (existsSync(name)) out.push(name);
    }
    return out;
  }

  private open(): PcapngWriter {
    return PcapngWriter.open(this.options.path, { application: this.options.application ?? 'bridgewatch live' });
  }

  /**
   * Starts a new file at the path (SIGHUP): when the current file is still there it is rotated as
   * when full; when something (logrotate) moved it away, a fresh file is simply opened.
   */
  reopen(): void {
    this.writer.close();
    if (existsSync(this.options.path)) { this.shift(); this.rotations++; }
    this.writer = this.open();
  }

  private rotate(): void {
    this.writer.close();
    this.shift();
    this.rotations++;
    this.writer = this.open();
  }

  /** Renames FILE -> FILE.1 -> ... and drops the oldest. */
  private shift(): void {
    const { path } = this.options;
    const oldest = rotatedName(path, this.files - 1);
    if (this.files === 1) {
      unlinkSync(path);
    } else {
      if (existsSync(oldest)) unlinkSync(oldest);
      for (let n = this.files - 2; n >= 1; n--) {
        const from = rotatedName(path, n);
        if (existsSync(from)) renameSync(from, rotatedName(path, n + 1));
      }
      renameSync(path, rotatedName(path, 1));
    }
  }
}
