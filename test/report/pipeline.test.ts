/**
 * End to end on recorded lab samples: `bridgewatch analyze` with the report options (run in
 * process through main()), the annotated pcapng read back by tshark, the HTML report of a real run.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { analyzeCaptures } from '../../src/analyze.js';
import { main } from '../../src/cli/main.js';
import { annotateCapture } from '../../src/report/annotate.js';
import { evidenceComments } from '../../src/report/evidence.js';
import { haveTshark, skipWithout, tempDir, tshark } from './helpers.js';
import { sampleInputs } from './samples.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => { tmp = tempDir(); });
afterEach(() => { tmp.cleanup(); vi.restoreAllMocks(); });

/** Runs the CLI in process; returns exit code, stdout and stderr. */
async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => { out += String(s); return true; });
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => { err += String(s); return true; });
  try {
    const code = await main(args);
    return { code, out, err };
  } finally {
    vi.restoreAllMocks();
  }
}

const main_ = sampleInputs('guest-start-stop');
const links = main_.linkLogs.flatMap((l) => ['--links', l]);

describe('analyze --report / --annotate / --fail-on on guest-start-stop', () => {
  it('writes the three reports and the annotated capture; exit 1 (a warning incident, --fail-on warning)', async () => {
    const dir = join(tmp.dir, 'reports');
    const annotated = join(tmp.dir, 'annotated.pcapng');
    const r = await cli(['analyze', main_.capture, ...links, '--report', dir, '--annotate', annotated]);
    expect(r.code).toBe(1);
    expect(readdirSync(dir).sort()).toEqual(['guest-start-stop-neighbour.html', 'guest-start-stop-neighbour.json', 'guest-start-stop-neighbour.md']);
    expect(existsSync(annotated)).toBe(true);
    expect(r.out).toMatch(/^1 incident \(1 warning\); 192\.0\.2\.1 unreachable for [\d.]+ s in total; cause: bridge-lowest-mac\.$/m);
    expect(r.err).toContain(`bridgewatch: wrote ${join(dir, 'guest-start-stop-neighbour.md')}`);
    const md = readFileSync(join(dir, 'guest-start-stop-neighbour.md'), 'utf8');
    expect(md).toContain('ip link set dev');
    expect(md).toMatch(/Wireshark display filter: `frame\.number in \{[\d., ]+\}`/);
    expect(JSON.parse(readFileSync(join(dir, 'guest-start-stop-neighbour.json'), 'utf8')).schema).toBe('bridgewatch/1');
  });

  it('refuses to overwrite without --force (exit 2, one line), overwrites with it', async () => {
    const dir = join(tmp.dir, 'reports');
    await cli(['analyze', main_.capture, '--report', dir, '--name', 'run']);
    const before = readFileSync(join(dir, 'run.md'), 'utf8');
    const again = await cli(['analyze', main_.capture, ...links, '--report', dir, '--name', 'run']);
    expect(again.code).toBe(2);
    expect(again.err).toBe(`bridgewatch: ${join(dir, 'run.md')}: already exists (use --force to overwrite)\n`);
    expect(readFileSync(join(dir, 'run.md'), 'utf8')).toBe(before);
    const forced = await cli(['analyze', main_.capture, ...links, '--report', dir, '--name', 'run', '--force']);
    expect(forced.code).toBe(1);
    expect(readFileSync(join(dir, 'run.md'), 'utf8')).not.toBe(before); // now with link-log evidence
  });

  it('--fail-on: critical and never give 0 for a warning incident; a bad value gives 2', async () => {
    expect((await cli(['analyze', main_.capture, '--fail-on', 'critical'])).code).toBe(0);
    expect((await cli(['analyze', main_.capture, '--fail-on', 'never'])).code).toBe(0);
    expect((await cli(['analyze', main_.capture, '--fail-on', 'info'])).code).toBe(1);
    expect((await cli(['analyze', main_.capture, '--fail-on', 'loud'])).code).toBe(2);
  });

  it('the negative control (bridge MAC pinned) exits 0 and says so', async () => {
    const fixed = sampleInputs('guest-start-stop-fixed');
    const r = await cli(['analyze', fixed.capture, ...fixed.linkLogs.flatMap((l) => ['--links', l])]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^No incidents in \d+ packets\.$/m);
  });
});

describe.each(['guest-start-stop', 'guest-start-stop-v6', 'guest-start-stop-sll2'])('annotated pcapng of %s', (scenario) => {
  it.skipIf(skipWithout('tshark', haveTshark()))('tshark shows comments on exactly the evidence frames', async () => {
    const { capture, linkLogs } = sampleInputs(scenario);
    const analysis = await analyzeCaptures([capture], { linkLogs });
    expect(analysis.incidents.length).toBeGreaterThan(0);
    const out = join(tmp.dir, `${scenario}.pcapng`);
    await annotateCapture([capture], analysis, out);
    const evidence = [...new Set(analysis.findings.flatMap((f) => f.frames.map((r) => r.frame)))].sort((a, b) => a - b);
    const lines = tshark(['-r', out, '-Y', 'frame.comment', '-T', 'fields', '-e', 'frame.number', '-e', 'frame.comment']);
    expect(lines.map((l) => Number(l.split('\t')[0]))).toEqual(evidence);
    expect(lines.every((l) => l.split('\t')[1]!.startsWith('bridgewatch: '))).toBe(true);
    // SLL2 carries no destination MAC, so there the stale MAC may be unknown.
    expect(lines.some((l) => / outage begins, (frames to 00:18:51:00:00:01|requests) unanswered \[I1\]/.test(l))).toBe(true);
    // Same frame count as the original: nothing lost, nothing added.
    const original = tshark(['-r', capture, '-T', 'fields', '-e', 'frame.number']).length;
    expect(tshark(['-r', out, '-T', 'fields', '-e', 'frame.number'])).toHaveLength(original);
    // The comments match what evidenceComments promises, frame by frame.
    const comments = evidenceComments(analysis);
    for (const l of lines) {
      const [frame, text] = l.split('\t');
      expect(text).toBe(comments.get(`0:${frame}`)!.join(','));
    }
  });
});

describe('progress while reading', () => {
  it('byte-counting inputs give the same analysis and reach 100%; bad paths pass through to the reader', async () => {
    const { ProgressBar, trackedInputs } = await import('../../src/report/progress.js');
    const { toJson } = await import('../../src/report/json.js');
    const writes: string[] = [];
    const bar = new ProgressBar('reading', { stream: { isTTY: true, columns: 100, write: (s: string) => writes.push(s) }, env: {}, delayMs: 0, intervalMs: 0 });
    const missing = join(tmp.dir, 'missing.pcap');
    const inputs = trackedInputs([main_.capture, missing], bar);
    expect(inputs[1]).toBe(missing);
    const tracked = await analyzeCaptures(inputs);
    const plain = await analyzeCaptures([main_.capture, missing]);
    expect(toJson(tracked)).toEqual(toJson(plain));
    expect(tracked.captures[1]?.error?.code).toBe(plain.captures[1]?.error?.code);
    expect(writes.at(-1)).toMatch(/\] 100% [\d.]+ \/ [\d.]+ kB, \d+ packets/);
  });
});

describe('Wireshark filter of a real incident', () => {
  it.skipIf(skipWithout('tshark', haveTshark()))('selects exactly the incident evidence frames in the capture', async () => {
    const { incidentEvidence } = await import('../../src/report/evidence.js');
    const analysis = await analyzeCaptures([main_.capture]);
    const incident = analysis.incidents[0]!;
    const [evidence] = incidentEvidence(analysis, incident);
    const expected = [...new Set(incident.findings.flatMap((i) => analysis.findings[i]!.frames.map((r) => r.frame)))].sort((a, b) => a - b);
    expect(evidence!.frames).toEqual(expected);
    const shown = tshark(['-r', main_.capture, '-Y', evidence!.filter, '-T', 'fields', '-e', 'frame.number']).map(Number);
    expect(shown).toEqual(expected);
  });
});
