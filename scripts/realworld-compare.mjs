#!/usr/bin/env node
/**
 * Regenerates the real-world table of docs/comparison.md: for every capture of the corpus
 * (samples/public/manifest.json) it runs tshark's expert info, arpwatch and `bridgewatch analyze`,
 * judges bridgewatch's answer with the same judge as test/realworld/corpus.test.ts, and prints one
 * Markdown row per capture, then the "N/M judged right" line.
 *
 *   npm run build && node scripts/realworld-compare.mjs > /tmp/realworld-rows.md
 *
 * Needs tshark and arpwatch on PATH (both installed by .ci/run). BW_CLI overrides the bridgewatch
 * entry point (default bin/bridgewatch.js), e.g. to compare two builds.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, judge } from './realworld-judge.mjs';
import { arpwatchOffline } from './arpwatch-offline.mjs';

const DIR = 'samples/public';
const cli = process.env.BW_CLI ?? 'bin/bridgewatch.js';
const manifest = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8'));
const work = mkdtempSync(join(tmpdir(), 'bw-realworld-'));

/** Cells must not break the Markdown table. */
const cell = (s) => s.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();

/**
 * tshark's expert items about address resolution: the ARP dissector's "Duplicate IP address
 * configured" and storm warnings, and anything the ICMPv6 (NDP) dissector flags as a note,
 * warning or error. Chats (one per request) are left out.
 */
function tshark(file) {
  const r = spawnSync('tshark', ['-r', file, '-q', '-z', 'expert'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const items = new Map();
  let section = '';
  for (const line of (r.stdout ?? '').split('\n')) {
    const head = /^(Errors|Warns|Notes|Chats) \(\d+\)/.exec(line);
    if (head) { section = head[1]; continue; }
    const m = /^\s+(\d+)\s+\S+\s+(ARP\/RARP|ICMPv6)\s+(.+)$/.exec(line);
    if (!m || section === 'Chats' || section === '') continue;
    const summary = m[3].replace(/\s+/g, ' ').trim();
    items.set(summary, (items.get(summary) ?? 0) + Number(m[1]));
  }
  if (items.size === 0) return 'nothing';
  return [...items].map(([s, n]) => `"${s}"${n > 1 ? ` x${n}` : ''}`).join('; ');
}

/** arpwatch's reports, "new station" (first sighting of each address) counted apart. */
function arpwatch(file) {
  const dat = join(work, 'arp.dat');
  writeFileSync(dat, '');
  const r = arpwatchOffline(file, dat);
  if (r === null) return 'not run (no network namespace for it)';
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  const subjects = [...out.matchAll(/^Subject: (.+?) \(from file\)$/gm)].map((m) => m[1]);
  const counts = new Map();
  let stations = 0;
  for (const s of subjects) {
    if (s.startsWith('new station')) stations += 1;
    else counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  if (counts.size === 0) {
    if (stations > 0) return `only "new station" x${stations}`;
    return /cannot|unsupported|bad/i.test(out) ? `cannot read (${cell(out.split('\n').find((l) => /cannot|unsupported|bad/i.test(l)) ?? '')})` : 'nothing';
  }
  return [...counts].map(([s, n]) => (n > 1 ? `${s} x${n}` : s)).join('; ');
}

function bridgewatch(file) {
  const r = spawnSync('node', [cli, 'analyze', file, '--format', 'json'], { encoding: 'utf8', maxBuffer: 256 << 20 });
  return JSON.parse(r.stdout);
}

/** The expectation, short. */
function expected(e) {
  const parts = [];
  for (const want of e.required ?? []) parts.push(`${want.kind} ${[want.ip, ...(want.macs ?? [])].filter(Boolean).join(' ')}`);
  if (e.maxIncidents === 0) parts.push('no incident');
  else if (e.maxIncidents !== undefined) parts.push(`≤ ${e.maxIncidents} incident`);
  if (e.maxSeverity) parts.push(`nothing above ${e.maxSeverity}`);
  if ((e.forbidden ?? []).some((k) => k === 'reply-gap' || k === 'outage')) parts.push('no outage');
  return parts.join(', ');
}

let right = 0;
console.log('| capture | expected (engineer) | tshark expert (ARP/NDP) | arpwatch | bridgewatch | judged |');
console.log('|---|---|---|---|---|---|');
for (const entry of manifest.files) {
  const file = join(DIR, entry.file);
  const doc = bridgewatch(file);
  const verdict = judge(doc, entry.expect);
  if (verdict.right) right += 1;
  const judged = verdict.right ? 'right' : `**wrong**: ${verdict.reasons.join('; ')}`;
  console.log(`| ${entry.file} | ${cell(expected(entry.expect))} | ${cell(tshark(file))} | ${cell(arpwatch(file))} | ${cell(describe(doc))} | ${cell(judged)} |`);
}
console.log('');
console.log(`bridgewatch: ${right}/${manifest.files.length} judged right.`);
rmSync(work, { recursive: true, force: true });
