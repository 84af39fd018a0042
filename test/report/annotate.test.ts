/**
 * --annotate: the capture is re-read with readCaptures and written as pcapng with comments on
 * exactly the evidence frames; tshark reads them back. The input is a classic pcap of 400 copies
 * of the hand-assembled ARP request (helpers.ts), so every frame number of the SYNTHETIC Analysis
 * exists in it.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { analyzeCaptures } from '../../src/analyze.js';
import type { MacChangeFinding, MacChangeStep } from '../../src/detect/types.js';
import { formatMac } from '../../src/net/mac.js';
import { annotateCapture } from '../../src/report/annotate.js';
import { evidenceComments } from '../../src/report/evidence.js';
import { BridgewatchError } from '../../src/errors.js';
import { syntheticAnalysis } from './fixtures/synthetic.js';
import { ARP_WHO_HAS, classicPcap, haveTshark, skipWithout, tempDir, tshark, writeTemp } from './helpers.js';
import { sampleInputs } from './samples.js';

let tmp: ReturnType<typeof tempDir>;
let capture: string;
beforeEach(() => {
  tmp = tempDir();
  capture = writeTemp(tmp.dir, 'neighbour.pcap', classicPcap(Array.from({ length: 400 }, () => ARP_WHO_HAS)));
});
afterEach(() => tmp.cleanup());

describe('annotateCapture', () => {
  it('copies every packet and comments exactly the evidence frames', async () => {
    const out = join(tmp.dir, 'annotated.pcapng');
    const analysis = syntheticAnalysis();
    const result = await annotateCapture([capture], analysis, out);
    const evidenceFrames = new Set(analysis.findings.flatMap((f) => f.frames.map((r) => r.frame)));
    expect(result.packets).toBe(400);
    expect(result.commentedFrames).toBe(evidenceFrames.size);
    expect(result.missingFrames).toBe(0);
    expect(result.inputs[0]?.error).toBeUndefined();
    expect(readdirSync(tmp.dir).sort()).toEqual(['annotated.pcapng', 'neighbour.pcap']);
  });

  it.skipIf(skipWithout('tshark', haveTshark()))('tshark shows the comments on exactly the evidence frames', async () => {
    const out = join(tmp.dir, 'annotated.pcapng');
    const analysis = syntheticAnalysis();
    await annotateCapture([capture], analysis, out);
    const lines = tshark(['-r', out, '-Y', 'frame.comment', '-T', 'fields', '-e', 'frame.number', '-e', 'frame.comment']);
    const expected = [...evidenceComments(analysis)]
      .map(([key, texts]) => [Number(key.split(':')[1]), texts.join(',')] as const)
      .sort((a, b) => a[0] - b[0])
      .map(([frame, text]) => `${frame}\t${text}`);
    expect(lines).toEqual(expected);
    expect(lines).toContain('180\tbridgewatch: 192.0.2.1 outage begins, frames to 00:18:51:00:00:01 unanswered [I1]');
    // Every frame survives unchanged: tshark counts 400 and decodes the last as our ARP request.
    const all = tshark(['-r', out, '-T', 'fields', '-e', 'frame.number', '-e', 'arp.dst.proto_ipv4']);
    expect(all).toHaveLength(400);
    expect(all[399]).toBe('400\t192.0.2.254');
  });

  it('refuses to replace an existing output without force (REPORT_EXISTS) and leaves it intact', async () => {
    const out = join(tmp.dir, 'annotated.pcapng');
    writeFileSync(out, 'old');
    let err: unknown;
    try { await annotateCapture([capture], syntheticAnalysis(), out); } catch (e) { err = e; }
    expect((err as BridgewatchError).code).toBe('REPORT_EXISTS');
    expect(readFileSync(out, 'utf8')).toBe('old');
    await annotateCapture([capture], syntheticAnalysis(), out, { force: true });
    expect(readFileSync(out).readUInt32LE(0)).toBe(0x0a0d0d0a);
  });

  it('a truncated input: packets before the fault are written, the fault is returned as data', async () => {
    const whole = readFileSync(capture);
    const cut = writeTemp(tmp.dir, 'cut.pcap', whole.subarray(0, 24 + 10 * (16 + 42) + 20)); // 10 records + half a header
    const out = join(tmp.dir, 'cut.pcapng');
    const result = await annotateCapture([cut], syntheticAnalysis(), out);
    expect(result.packets).toBe(10);
    expect(result.inputs[0]?.error).toBeInstanceOf(BridgewatchError);
    expect(result.missingFrames).toBe(new Set(syntheticAnalysis().findings.flatMap((f) => f.frames.map((r) => r.frame))).size);
    expect(existsSync(out)).toBe(true);
  });
});

describe('annotateCapture with several inputs', () => {
  it.skipIf(skipWithout('tshark', haveTshark()))('merges by time and puts each comment on the frame of the right input', async () => {
    // a.pcap: 3 frames at 0.0, 0.2, 0.4 s; b.pcap: the same 3 frames shifted by 0.1 s, so the
    // merged order is a1 b1 a2 b2 a3 b3. Evidence: a2 (merged frame 3) and b3 (merged frame 6).
    const a = writeTemp(tmp.dir, 'a.pcap', classicPcap([ARP_WHO_HAS, ARP_WHO_HAS, ARP_WHO_HAS]));
    const shifted = Buffer.from(classicPcap([ARP_WHO_HAS, ARP_WHO_HAS, ARP_WHO_HAS]));
    for (let at = 24; at < shifted.length; at += 16 + 42) shifted.writeUInt32LE(shifted.readUInt32LE(at + 4) + 100_000, at + 4);
    const b = writeTemp(tmp.dir, 'b.pcap', shifted);
    const analysis = syntheticAnalysis();
    analysis.captures.push({ ...analysis.captures[0]!, path: b });
    analysis.captures[0]!.path = a;
    analysis.findings = [{ ...analysis.findings[2]!, frames: [{ fileIndex: 0, frame: 2 }, { fileIndex: 1, frame: 3 }] }];
    analysis.incidents = [{ ...analysis.incidents[1]!, findings: [0] }];
    const out = join(tmp.dir, 'merged.pcapng');
    const result = await annotateCapture([a, b], analysis, out);
    expect(result.packets).toBe(6);
    const lines = tshark(['-r', out, '-Y', 'frame.comment', '-T', 'fields', '-e', 'frame.number', '-e', 'frame.comment']);
    expect(lines).toEqual([
      '3\tbridgewatch: ARP storm for 198.51.100.7 (VLAN 20): 40 requests, peak 40/s (1/2) [I2]',
      '6\tbridgewatch: ARP storm for 198.51.100.7 (VLAN 20): 40 requests, peak 40/s (2/2) [I2]',
    ]);
  });
});

describe('annotateCapture on a flip and the move back', () => {
  // guest-start-stop: the guest's veth undercuts br0 (b4:99:ba:11:22:33 -> 00:18:51:00:00:01), and
  // when it leaves br0 moves back. Both changes fold into one mac-change finding [A, B, A]; each
  // evidence frame must be labelled with the direction of the change it brackets.
  const A = 'b4:99:ba:11:22:33';
  const B = '00:18:51:00:00:01';

  async function flip(): Promise<{ capture: string; analysis: Awaited<ReturnType<typeof analyzeCaptures>>; steps: MacChangeStep[] }> {
    const { capture } = sampleInputs('guest-start-stop');
    const analysis = await analyzeCaptures([capture]);
    const finding = analysis.findings.find((f): f is MacChangeFinding => f.kind === 'mac-change');
    expect(finding?.sequence.map(formatMac)).toEqual([A, B, A]);
    return { capture, analysis, steps: finding!.steps! };
  }

  it('comments each step\'s frames with that step\'s own direction', async () => {
    const { analysis, steps } = await flip();
    const comments = evidenceComments(analysis);
    const [there, back] = steps;
    for (const ref of there!.frames) expect(comments.get(`0:${ref.frame}`)?.join()).toMatch(`moved from ${A} to ${B} (silent)`);
    for (const ref of back!.frames) {
      const text = comments.get(`0:${ref.frame}`)?.join() ?? '';
      expect(text).toMatch(`moved from ${B} to ${A}`);
      expect(text).not.toMatch(`from ${A} to ${B}`);
    }
  });

  it.skipIf(skipWithout('tshark', haveTshark()))('tshark reads the move back as B -> A from the annotated pcapng', async () => {
    const { capture, analysis, steps } = await flip();
    const out = join(tmp.dir, 'flip.pcapng');
    await annotateCapture([capture], analysis, out);
    const lines = tshark(['-r', out, '-Y', 'frame.comment contains "moved"', '-T', 'fields', '-e', 'frame.number', '-e', 'frame.comment']);
    const byFrame = new Map(lines.map((l) => [Number(l.split('\t')[0]), l.split('\t')[1] ?? ''] as const));
    const backFrame = steps[1]!.frames[1]!.frame; // the first claim of A again
    expect(byFrame.get(backFrame)).toMatch(new RegExp(`^bridgewatch: 192\\.0\\.2\\.1 moved from ${B} to ${A} \\((silent|announced)\\) \\(\\d+/4\\)`));
    expect(byFrame.get(steps[0]!.frames[1]!.frame)).toMatch(`moved from ${A} to ${B}`);
  });
});
