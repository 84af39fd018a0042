/**
 * The real-world corpus (samples/public/, sources and licences in MANIFEST.md): public captures
 * from networks nobody here built, each with what a network engineer concludes from it
 * (manifest.json `expect`, `rationale`). Every capture is analysed with the library, as
 * `analyze FILE` would, and judged by scripts/realworld-judge.mjs; the suite prints
 * "N/M judged right" and fails below 100 %. Expectations describe the right answer, not today's
 * output: a capture whose expectation depends on a finding kind still being built says so in
 * `dependsOn`.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeCaptures } from '../../src/analyze.js';
import { toJson } from '../../src/report/json.js';
import { describe as describeDoc, judge, type Expectation, type JudgedDocument } from '../../scripts/realworld-judge.mjs';

interface ManifestEntry {
  file: string;
  source: { repo: string; path: string; commit: string };
  licence: string;
  bytes: number;
  sha256: string;
  covers: string[];
  expect: Expectation;
  rationale: string;
  dependsOn?: string[];
}

const DIR = 'samples/public';
const manifest = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as { files: ManifestEntry[] };
const verdicts = new Map<string, string[]>();

describe('real-world corpus', () => {
  it('has at least 30 captures, each with a source, a licence and a rationale', () => {
    expect(manifest.files.length).toBeGreaterThanOrEqual(30);
    for (const f of manifest.files) {
      expect(f.source.repo, f.file).toMatch(/^[\w.-]+\/[\w.-]+$/);
      expect(f.source.commit, f.file).toMatch(/^[0-9a-f]{40}$/);
      expect(f.licence.length, f.file).toBeGreaterThan(0);
      expect(f.rationale.length, f.file).toBeGreaterThan(20);
    }
  });

  for (const entry of manifest.files) {
    it(entry.file, async () => {
      const path = join(DIR, entry.file);
      const bytes = readFileSync(path);
      // A Git LFS pointer or a changed file would be judged on the wrong packets.
      expect(createHash('sha256').update(bytes).digest('hex'), `${entry.file} differs from the manifest`).toBe(entry.sha256);
      const doc = toJson(await analyzeCaptures([path])) as unknown as JudgedDocument;
      const verdict = judge(doc, entry.expect);
      verdicts.set(entry.file, verdict.reasons);
      const said = describeDoc(doc);
      expect(verdict.reasons, `${entry.file}: bridgewatch said "${said}"; expected: ${entry.rationale}`).toEqual([]);
    });
  }

  afterAll(() => {
    const right = [...verdicts.values()].filter((r) => r.length === 0).length;
    console.log(`real-world corpus: ${right}/${manifest.files.length} judged right`);
    for (const [file, reasons] of verdicts) if (reasons.length > 0) console.log(`  wrong: ${file}: ${reasons.join('; ')}`);
  });

  it('every capture is judged right (100 %)', () => {
    // Runs last: the per-file tests above fill `verdicts`.
    const right = [...verdicts.values()].filter((r) => r.length === 0).length;
    expect(`${right}/${manifest.files.length} judged right`).toBe(`${manifest.files.length}/${manifest.files.length} judged right`);
  });
});
