/**
 * Atomic file writes: data goes to a temporary file in the target's folder (same filesystem), is
 * fsync'd, then moved into place, so a reader never sees half a report and a crash leaves the old
 * file intact. Without `force`, the move is a hard link, which fails if the target exists even when
 * it appeared after our check (no check-then-write race); the temporary file is then removed.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, linkSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { BridgewatchError } from '../errors.js';

/** Options of {@link writeFileAtomic}. */
export interface AtomicWriteOptions {
  /** Replace an existing file. Default false: an existing file is an error (REPORT_EXISTS). */
  force?: boolean;
}

/** Throws REPORT_EXISTS (one line, naming the file) when `path` exists and `force` is not set. */
export function assertWritable(path: string, options: AtomicWriteOptions = {}): void {
  if (!options.force && existsSync(path)) {
    throw new BridgewatchError('REPORT_EXISTS', 'already exists (use --force to overwrite)', { file: path });
  }
}

/** Writes `data` to `path` atomically. Errors: REPORT_EXISTS, REPORT_WRITE_FAILED. */
export function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  assertWritable(path, options);
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | null = null;
  try {
    fd = openSync(temp, 'wx', 0o644);
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let at = 0;
    while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    if (options.force) {
      renameSync(temp, path);
    } else {
      linkSync(temp, path);
      unlinkSync(temp);
    }
  } catch (e) {
    if (fd !== null) try { closeSync(fd); } catch { /* keep the first error */ }
    try { unlinkSync(temp); } catch { /* not created or already moved */ }
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new BridgewatchError('REPORT_EXISTS', 'already exists (use --force to overwrite)', { file: path });
    }
    throw new BridgewatchError('REPORT_WRITE_FAILED', `cannot write: ${(e as Error).message}`, { file: path }, { cause: e });
  }
}
