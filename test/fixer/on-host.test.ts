/**
 * planOnHost: the plan `live` writes into its postmortem names the network stack configured on
 * the host (a temporary config tree here), in full, instead of every stack in brief.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Analysis } from '../../src/analysis.js';
import { analyzeCaptures } from '../../src/analyze.js';
import { hostAccess } from '../../src/fixer/host.js';
import { planFromAnalysis } from '../../src/fixer/offline.js';
import { planOnHost } from '../../src/fixer/on-host.js';
import { remediationGroups } from '../../src/report/model.js';

const SAMPLE = 'samples/guest-start-stop';
const root = mkdtempSync(join(tmpdir(), 'bw-onhost-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A config tree under `root/name` with `files` (path -> text). */
function tree(name: string, files: Record<string, string>): string {
  const dir = join(root, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

const NETPLAN_BR0 = 'network:\n  version: 2\n  bridges:\n    br0:\n      interfaces: [eth0]\n      dhcp4: true\n';
const IFUPDOWN_LO = 'auto lo\niface lo inet loopback\n';

describe('planOnHost', () => {
  let analysis: Analysis;
  beforeAll(async () => {
    analysis = await analyzeCaptures([join(SAMPLE, 'neighbour.pcap')], { linkLogs: [join(SAMPLE, 'ip-monitor.log')] });
    expect(analysis.incidents.map((i) => i.cause?.code)).toEqual(['bridge-lowest-mac']);
  });

  it('the stack that defines the bridge, alone, when another stack is also present', async () => {
    const configRoot = tree('both', { 'etc/netplan/01-br0.yaml': NETPLAN_BR0, 'etc/network/interfaces': IFUPDOWN_LO });
    const plan = await planOnHost(analysis, 'br0', hostAccess({ configRoot }));
    expect(plan.detectedStacks).toEqual(['netplan']);
    expect(remediationGroups(plan)[1]!.title).toBe('Persistent configuration (netplan, found on the host)');
  });

  it('every stack found when none defines the bridge', async () => {
    const configRoot = tree('none-defines', { 'etc/netplan/01-eth.yaml': 'network:\n  version: 2\n', 'etc/network/interfaces': IFUPDOWN_LO });
    const plan = await planOnHost(analysis, 'br0', hostAccess({ configRoot }));
    expect([...plan.detectedStacks!].sort()).toEqual(['ifupdown', 'netplan']);
  });

  it('no configuration found: the plan of a capture alone', async () => {
    const configRoot = tree('empty', {});
    const plan = await planOnHost(analysis, 'br0', hostAccess({ configRoot }));
    expect(plan).toEqual(planFromAnalysis(analysis));
    expect(plan.detectedStacks).toBeUndefined();
  });
});
