#!/usr/bin/env node
/**
 * Regenerates the table in docs/comparison.md: runs tshark's expert info, arpwatch and
 * `bridgewatch analyze` on the neighbour capture of every lab sample (samples/<name>/truth.json)
 * and prints one Markdown row per sample.
 *
 *   npm run build && node docs/comparison.mjs > /tmp/rows.md
 *
 * Needs tshark and arpwatch on PATH (both in .ci/run). BW_CLI overrides the bridgewatch entry
 * point (default bin/bridgewatch.js).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { arpwatchOffline } from '../scripts/arpwatch-offline.mjs';

const cli = process.env.BW_CLI ?? 'bin/bridgewatch.js';
const samples = readdirSync('samples').filter((d) => existsSync(join('samples', d, 'truth.json'))).sort();
const work = mkdtempSync(join(tmpdir(), 'bwcmp-'));

function truthText(t) {
  const e = t.expected;
  const parts = [];
  for (const o of e.outages) parts.push(`outage ${o.ip} ${(o.durationMs / 1000).toFixed(2)} s`);
  for (const c of e.clashes) parts.push(`clash ${c.ip}`);
  if (e.macChanges.length > 0 && e.incidents === 0) parts.push(`announced/reuse move ${e.macChanges[0].ip}`);
  else if (e.macChanges.length > 0) parts.push(`${e.macChanges.length} MAC changes`);
  return `${e.incidents} incident(s)${parts.length ? `: ${parts.join(', ')}` : ''}`;
}

function tshark(file) {
  const out = spawnSync('tshark', ['-r', file, '-q', '-z', 'expert'], { encoding: 'utf8' }).stdout ?? '';
  const dups = [...out.matchAll(/^\s+(\d+)\s+Sequence\s+ARP\/RARP\s+Duplicate IP address configured \(([^)]+)\)/gm)];
  const storms = /ARP packet storm/i.test(out);
  if (dups.length === 0 && !storms) return 'nothing';
  return [...dups.map((m) => `"Duplicate IP address configured (${m[2]})" x${m[1]}`), ...(storms ? ['ARP storm'] : [])].join('; ');
}

/** arpwatch's reports (without network: see scripts/arpwatch-offline.mjs). */
function arpwatch(file) {
  const dat = join(work, 'arp.dat');
  writeFileSync(dat, '');
  const r = arpwatchOffline(file, dat);
  if (r === null) return 'not run (no network namespace for it)';
  const subjects = [...`${r.stdout}${r.stderr}`.matchAll(/^Subject: (.+?) \(from file\)$/gm)].map((m) => m[1]);
  const counts = new Map();
  for (const s of subjects) if (!s.startsWith('new station')) counts.set(s, (counts.get(s) ?? 0) + 1);
  if (counts.size === 0) return subjects.length ? 'only "new station"' : 'nothing';
  return [...counts].map(([s, n]) => (n > 1 ? `${s} x${n}` : s)).join('; ');
}

function bridgewatch(file) {
  const r = spawnSync('node', [cli, 'analyze', file, '--format', 'json'], { encoding: 'utf8' });
  const doc = JSON.parse(r.stdout);
  if (doc.incidents.length === 0) return 'no incident';
  return doc.incidents.map((i) => {
    const gaps = i.findings.map((n) => doc.findings[n]).filter((f) => f.kind === 'reply-gap');
    const outage = gaps.length ? `, outage ${(gaps.reduce((s, g) => s + g.durationMs, 0) / 1000).toFixed(2)} s` : '';
    return `${i.kind} ${i.ip} (${i.severity}${outage}${i.cause ? `, cause ${i.cause.code}` : ''})`;
  }).join('; ');
}

console.log('| sample | truth | tshark expert | arpwatch | bridgewatch |');
console.log('|---|---|---|---|---|');
for (const name of samples) {
  const truth = JSON.parse(readFileSync(join('samples', name, 'truth.json'), 'utf8'));
  const file = join('samples', name, truth.files?.neighbourCapture ?? 'neighbour.pcap');
  console.log(`| ${name} | ${truthText(truth)} | ${tshark(file)} | ${arpwatch(file)} | ${bridgewatch(file)} |`);
}
rmSync(work, { recursive: true, force: true });
