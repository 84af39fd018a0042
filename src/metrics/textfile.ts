/**
 * node_exporter textfile collector output: the exposition written atomically (temporary file in the
 * same folder, fsync, rename: src/atomic-file.ts), so the collector never reads half a file. The
 * temporary name ends in .tmp, which the collector ignores (it reads `*.prom` only).
 */
import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { BridgewatchError } from '../errors.js';
import { writeFileAtomic } from '../atomic-file.js';

/** Writes a metrics text file on demand; see {@link TextfileWriter.write}. */
export class TextfileWriter {
  /** Successful writes so far. */
  writes = 0;

  /**
   * @throws BridgewatchError USAGE when the folder does not exist (a typo would otherwise only
   * show as a missing series).
   */
  constructor(readonly path: string, private readonly render: () => Promise<string>) {
    const dir = dirname(path);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new BridgewatchError('USAGE', `--metrics-textfile: folder ${dir} does not exist (node_exporter's is usually /var/lib/node_exporter/textfile_collector)`);
    }
  }

  /** True when node_exporter's collector would read this file (it only reads `*.prom`). */
  get collectorReads(): boolean {
    return this.path.endsWith('.prom');
  }

  /** Renders and replaces the file. Errors: REPORT_WRITE_FAILED. */
  async write(): Promise<void> {
    const text = await this.render();
    writeFileAtomic(this.path, text, { force: true });
    this.writes++;
  }
}
