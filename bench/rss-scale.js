/**
 * Is `analyze`'s memory flat in the capture's length? Streams the UDP mix of bench/generate.js
 * (200 hosts, ~5% ARP, the rest unicast IPv4 UDP of 60-1400 bytes) through
 * `bridgewatch analyze - --format json` via stdin, generated straight into the pipe (40M frames
 * would be a ~28 GB file), once per length, and prints the peak RSS of each (VmHWM, sampled by
 * bench/stdin-analyze.js). Usage: node bench/rss-scale.js [FRAMES...] (default 4000000 40000000);
 * `BENCH_SCALE=1 npm run bench` runs it after the tables. Target (issue 16): flat from 4M to 40M.
 */
import { udpMixChunks } from './generate.js';
import { streamAnalyze } from './stdin-analyze.js';

/** Runs each length in turn; returns [{ frames, bytes, seconds, peakMiB, packets, findings, samples }]. */
export async function rssScale(lengths, env = process.env) {
  const results = [];
  for (const frames of lengths) {
    const r = await streamAnalyze(udpMixChunks(frames), { sampleMs: 1000, env });
    const packets = r.doc.captures[0].packets;
    if (packets !== frames) throw new Error(`rss-scale: analyze read ${packets} of ${frames} frames (exit ${r.code})`);
    results.push({ frames, bytes: r.written, seconds: r.seconds, peakMiB: r.peakMiB, packets, findings: r.doc.findings.length,
      samples: r.samples });
  }
  return results;
}

/** Prints one line per length and the growth from the first to the last. */
export function printRssScale(results) {
  console.log('\nRSS over capture length: UDP mix streamed through `bridgewatch analyze - --format json` (stdin, no file)');
  for (const r of results) {
    console.log(`  ${r.frames.toLocaleString('en-US').padStart(11)} frames, ${(r.bytes / 1e9).toFixed(1).padStart(5)} GB: ` +
      `peak RSS ${r.peakMiB.toFixed(0)} MiB, ${r.seconds.toFixed(0)} s wall (generator and analyser), ${r.findings} findings`);
  }
  const first = results[0];
  const last = results[results.length - 1];
  // The longest run over time: is the peak reached early (flat) or still climbing at the end?
  const step = Math.max(1, Math.ceil(last.samples.length / 10));
  const points = last.samples.filter((x, i) => i % step === 0 || i === last.samples.length - 1);
  console.log(`  ${last.frames.toLocaleString('en-US')} frames over time (GB streamed: RSS / peak so far, MiB): ` +
    points.map((x) => `${(x.gib * 2 ** 30 / 1e9).toFixed(1)}: ${x.rss.toFixed(0)}/${x.hwm.toFixed(0)}`).join(', '));
  if (results.length > 1) {
    const growth = last.peakMiB - first.peakMiB;
    console.log(`  ${first.frames.toLocaleString('en-US')} -> ${last.frames.toLocaleString('en-US')} frames: peak RSS ` +
      `${growth >= 0 ? '+' : ''}${growth.toFixed(0)} MiB (${((last.peakMiB / first.peakMiB - 1) * 100).toFixed(0)}%); ` +
      `target <= 150 MB: ${last.peakMiB * 2 ** 20 <= 150e6 ? 'met' : 'NOT met'}`);
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const lengths = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [4_000_000, 40_000_000];
  printRssScale(await rssScale(lengths));
}
