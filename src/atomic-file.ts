/**
 * Atomic file writes, the one implementation used by reports (report/write.ts), pcapng output
 * (capture/write-pcapng.ts) and `fix --write-config` (fixer/write-config.ts): data goes to a temporary file in the target's folder (same
 * filesystem), is fsync'd, then moved into place, so a reader never sees half a file and a crash
 * leaves the old file intact. Without `force`, the move is a hard link, which fails if the target
 * exists even when it appeared after our check (no check-then-write race); the temporary file is
 * then removed.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, linkSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { BridgewatchError } from './errors.js';

/** Options of {@link writeFileAtomic} and {@link AtomicFile.create}. */
export interface AtomicWriteOptions {
  /** Replace an existing file. Default false: an existing file is an error (REPORT_EXISTS). */
  force?: boolean;
  /** Permission bits of the new file (before the umask). Default 0o644. */
  mode?: number;
}

function existsError(path: string): BridgewatchError {
  return new BridgewatchError('REPORT_EXISTS', 'already exists (use --force to overwrite)', { file: path });
}

/** Throws REPORT_EXISTS (one line, naming the file) when `path` exists and `force` is not set. */
export function assertWritable(path: string, options: AtomicWriteOptions = {}): void {
  if (!options.force && existsSync(path)) throw existsError(path);
}

/**
 * A file being written atomically: {@link write} appends to the temporary file, {@link commit}
 * moves it into place, {@link abort} removes it and leaves the target untouched.
 * Errors are BridgewatchErrors: REPORT_EXISTS, REPORT_WRITE_FAILED (naming the target).
 */
export class AtomicFile {
  private fd: number | null;

  private constructor(readonly path: string, private readonly tempPath: string, fd: number, private readonly force: boolean) {
    this.fd = fd;
  }

  /** Checks the target (unless `force`) and creates the temporary file next to it. */
  static create(path: string, options: AtomicWriteOptions = {}): AtomicFile {
    assertWritable(path, options);
    const tempPath = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      return new AtomicFile(path, tempPath, openSync(tempPath, 'wx', options.mode ?? 0o644), options.force ?? false);
    } catch (e) {
      throw new BridgewatchError('REPORT_WRITE_FAILED', `cannot create: ${(e as Error).message}`, { file: path }, { cause: e });
    }
  }

  /** Appends `bytes` (all of them) to the temporary file. */
  write(bytes: Uint8Array): void {
    if (this.fd === null) throw new BridgewatchError('REPORT_WRITE_FAILED', 'file is closed', { file: this.path });
    try {
      let at = 0;
      while (at < bytes.length) at += writeSync(this.fd, bytes, at, bytes.length - at);
    } catch (e) {
      this.abort();
      throw new BridgewatchError('REPORT_WRITE_FAILED', `write failed: ${(e as Error).message}`, { file: this.path }, { cause: e });
    }
  }

  /** fsyncs, closes and moves the temporary file into place (never over a file that appeared, without force). */
  commit(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    let open = true;
    try {
      fsyncSync(fd);
      open = false;
      closeSync(fd);
      if (this.force) {
        renameSync(this.tempPath, this.path);
      } else {
        linkSync(this.tempPath, this.path);
        unlinkSync(this.tempPath);
      }
    } catch (e) {
      if (open) try { closeSync(fd); } catch { /* keep the first error */ }
      this.removeTemp();
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw existsError(this.path);
      throw new BridgewatchError('REPORT_WRITE_FAILED', `cannot write: ${(e as Error).message}`, { file: this.path }, { cause: e });
    }
  }

  /** Closes and removes the temporary file; the target is left as it was. */
  abort(): void {
    if (this.fd !== null) {
      try { closeSync(this.fd); } catch { /* already failing: keep the first error */ }
      this.fd = null;
    }
    this.removeTemp();
  }

  private removeTemp(): void {
    try { unlinkSync(this.tempPath); } catch { /* not created or already moved */ }
  }
}

/** Writes `data` to `path` atomically. Errors: REPORT_EXISTS, REPORT_WRITE_FAILED. */
export function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  const file = AtomicFile.create(path, options);
  try {
    file.write(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
  } catch (e) {
    file.abort();
    throw e;
  }
  file.commit();
}
