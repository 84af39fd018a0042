/**
 * Makes fresh captures with this machine's tools (samples/formats/make.sh into a temporary folder:
 * two throwaway namespaces bwcap-<pid>-a/-b, removed on exit) and checks each against tshark, so
 * the oracle also holds for the tcpdump/dumpcap/editcap/mergecap/tcprewrite versions in CI.
 * Needs root: skipped with a printed reason only when not root and CI is unset.
 */
import { describe, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expectSameAsTshark, SAMPLES } from './compare.js';
import { hasTool } from './helpers.js';

const script = fileURLToPath(new URL('../../samples/formats/make.sh', import.meta.url));
const isRoot = process.getuid?.() === 0;
const tools = ['tcpdump', 'dumpcap', 'editcap', 'mergecap', 'tcprewrite', 'tshark', 'ip', 'gzip'];
const missing = tools.filter((t) => !hasTool(t));
const skip = !process.env.CI && (!isRoot || missing.length > 0);
if (skip) console.log(`skipping live oracle test: ${!isRoot ? 'not root' : `missing ${missing.join(', ')}`} and CI unset`);

describe.skipIf(skip)('fresh captures from real tools read exactly as tshark reads them', () => {
  it('every format make.sh produces', async () => {
    const out = mkdtempSync(join(tmpdir(), 'bwcap-'));
    try {
      execFileSync('bash', [script, out], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
      for (const sample of SAMPLES) {
        const path = join(out, sample.file);
        // The big-endian copies need python3; make.sh skips them without it.
        if (sample.file.includes('-be.') && !existsSync(path)) continue;
        await expectSameAsTshark(path, sample);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
