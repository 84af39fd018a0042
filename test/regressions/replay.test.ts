/**
 * Replays every input kept under test/regressions/ (written by `npm run fuzz` when a case failed,
 * or by hand for bugs found while hardening; each `.bin` has a `.json` saying how it was made and
 * what it broke). Each must now end as ok or as a BridgewatchError with a code and a location,
 * through both the stream reader (fuzz harness) and the file path `analyze` uses (plus every
 * reporter the CLI can print).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCaptureCase, runLogCase, errorViolation } from '../../tools/fuzz/case.js';
import { Rng } from '../../tools/fuzz/rng.js';
import { analyzeCaptures } from '../../src/analyze.js';
import { toJson } from '../../src/report/json.js';
import { toNdjson } from '../../src/report/ndjson.js';
import { renderTable } from '../../src/report/table.js';
import { parseLinkLog } from '../../src/links/index.js';

const dir = new URL('.', import.meta.url).pathname;
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.bin')).sort();

describe('regression fixtures', () => {
  it('are present, each with its provenance', () => {
    expect(fixtures.length).toBeGreaterThan(0);
    for (const f of fixtures) {
      const meta = JSON.parse(readFileSync(join(dir, f.replace(/\.bin$/, '.json')), 'utf8')) as { kind?: string; made?: string };
      expect(meta.kind === 'capture' || meta.kind === 'log', f).toBe(true);
      expect(typeof meta.made, f).toBe('string');
    }
  });

  for (const f of fixtures) {
    const path = join(dir, f);
    const meta = JSON.parse(readFileSync(path.replace(/\.bin$/, '.json'), 'utf8')) as { kind: 'capture' | 'log' };
    it(`${f} (${meta.kind}) no longer breaks the contract`, async () => {
      const bytes = new Uint8Array(readFileSync(path));
      if (meta.kind === 'log') {
        const outcome = runLogCase(Buffer.from(bytes).toString('utf8'), f);
        expect(outcome.status, outcome.detail).not.toBe('crash');
        try {
          await parseLinkLog(path);
        } catch (e) {
          expect(errorViolation(e, true)).toBeNull();
        }
        return;
      }
      // Stream path, in several chunkings.
      for (let s = 1; s <= 4; s++) {
        const outcome = await runCaptureCase(bytes, new Rng(s), f);
        expect(outcome.status, outcome.detail).not.toBe('crash');
      }
      // File path, as `bridgewatch analyze FILE` runs it, with every text/JSON reporter.
      const analysis = await analyzeCaptures([path]);
      const err = analysis.captures[0]?.error;
      if (err) expect(err.code).toMatch(/^[A-Z_]+$/);
      expect(toJson(analysis)).toHaveProperty('schema', 'bridgewatch/1');
      expect(toNdjson(analysis).length).toBeGreaterThan(0);
      expect(renderTable(analysis, { color: false }).length).toBeGreaterThan(0);
    });
  }
});
