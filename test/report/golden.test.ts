/**
 * Golden tests: the whole pipeline (analyzeCaptures with the run's link logs, correlate,
 * planFromAnalysis) on recorded lab samples, rendered as Markdown and bridgewatch/1 JSON, compared
 * byte for byte with test/report/golden/<scenario>.md / .json.
 *
 * Regenerate after an intended change (or after samples are re-recorded) with
 * `npm run golden:update` (UPDATE_GOLDEN=1), then review the diff like code.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderSample } from './samples.js';

const GOLDEN_DIR = 'test/report/golden';
const SAMPLES = 'samples';
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';
/**
 * The scenarios with goldens: the incident (IPv4 and IPv6), its fixed negative control, a clash and
 * an STP outage. Few on purpose: every detection or wording change means reviewing each diff.
 */
const GOLDEN_SCENARIOS = ['guest-start-stop', 'guest-start-stop-fixed', 'guest-start-stop-v6', 'duplicate-ip', 'stp-forward-delay'];
const recorded = GOLDEN_SCENARIOS.filter((d) => existsSync(join(SAMPLES, d, 'truth.json')));
const goldens = existsSync(GOLDEN_DIR)
  ? readdirSync(GOLDEN_DIR).filter((f) => f.endsWith('.md')).map((f) => f.slice(0, -3)).sort()
  : [];

describe('golden reports on lab samples', () => {
  if (UPDATE) {
    it.each(recorded)('regenerates %s', async (scenario) => {
      const { md, json } = await renderSample(scenario);
      mkdirSync(GOLDEN_DIR, { recursive: true });
      writeFileSync(join(GOLDEN_DIR, `${scenario}.md`), md);
      writeFileSync(join(GOLDEN_DIR, `${scenario}.json`), json);
      expect(readFileSync(join(GOLDEN_DIR, `${scenario}.md`), 'utf8')).toBe(md);
    });
    return;
  }

  it('has a golden for every chosen scenario that is recorded', () => {
    expect(goldens).toEqual([...recorded].sort());
  });

  it.each(goldens)('%s: Markdown and JSON match the goldens byte for byte', async (scenario) => {
    const { md, json } = await renderSample(scenario);
    expect(md).toBe(readFileSync(join(GOLDEN_DIR, `${scenario}.md`), 'utf8'));
    expect(json).toBe(readFileSync(join(GOLDEN_DIR, `${scenario}.json`), 'utf8'));
  });
});
