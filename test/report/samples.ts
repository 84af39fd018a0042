/**
 * Recorded lab runs (samples/<scenario>/) as the report tests use them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeCaptures } from '../../src/analyze.js';
import { planFromAnalysis } from '../../src/fixer/index.js';
import { toJson } from '../../src/report/json.js';
import { renderMarkdown } from '../../src/report/markdown.js';

const SAMPLES = 'samples';
const LINK_LOGS = ['ip-monitor.log', 'bridge-monitor.log', 'kernel.log'];

/** The neighbour capture and link logs of a recorded run (paths relative to the repo root). */
export function sampleInputs(scenario: string): { capture: string; linkLogs: string[] } {
  const dir = join(SAMPLES, scenario);
  const capture = ['neighbour.pcap', 'neighbour.pcapng'].map((f) => join(dir, f)).find((p) => existsSync(p));
  if (!capture) throw new Error(`${dir}: no neighbour capture`);
  return { capture, linkLogs: LINK_LOGS.map((f) => join(dir, f)).filter((p) => existsSync(p)) };
}

/** Markdown and JSON reports of one recorded run, as `--report` would write them. */
export async function renderSample(scenario: string): Promise<{ md: string; json: string }> {
  const { capture, linkLogs } = sampleInputs(scenario);
  const analysis = await analyzeCaptures([capture], { linkLogs });
  return {
    md: renderMarkdown(analysis, planFromAnalysis(analysis), { name: scenario }),
    json: `${JSON.stringify(toJson(analysis), null, 2)}\n`,
  };
}


/** The names a recorded run used (from its truth.json; samples/README.md documents the format). */
export function sampleTruth(scenario: string): { bridge: string; uplinkMac: string; port: string } {
  const truth = JSON.parse(readFileSync(join(SAMPLES, scenario, 'truth.json'), 'utf8')) as {
    host: { bridge: string; uplinkMac: string };
    guests: Array<{ port: string }>;
  };
  return { bridge: truth.host.bridge, uplinkMac: truth.host.uplinkMac, port: truth.guests[0]!.port };
}
