/**
 * Issue #14 item 8 (report wording), on recorded lab runs: the verdict calls only the addresses
 * with an outage unreachable; capped evidence says it is partial and gives a filter that tshark
 * shows every evidence frame with; a MAC's vendor reads the same in the table, the reports, the
 * cause and the remediation. Each of these fails on the main branch before the fix (noted per test).
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { analyzeCaptures } from '../../src/analyze.js';
import { planFromAnalysis } from '../../src/fixer/index.js';
import { incidentEvidence, incidentWindowFilter } from '../../src/report/evidence.js';
import { renderHtml } from '../../src/report/html.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderTable, verdictLine } from '../../src/report/table.js';
import { haveTshark } from './helpers.js';
import { sampleInputs } from './samples.js';

const SEVERAL = ['guest-start-stop', 'duplicate-ip', 'stp-forward-delay'].map((s) => sampleInputs(s).capture);

describe('verdict', () => {
  it('names as unreachable only the IPs whose incidents had an outage; the clash IP is "also affected"', async () => {
    // Main said "192.0.2.1, 192.0.2.20, 192.0.2.30 unreachable" although 192.0.2.20 (a clash) never went unanswered.
    const a = await analyzeCaptures(SEVERAL);
    const clash = a.incidents.find((i) => i.kind === 'ip-clash')!;
    const outage = a.incidents.filter((i) => i.kind !== 'ip-clash').map((i) => i.ip);
    expect(outage.length).toBeGreaterThan(0);
    const line = verdictLine(a);
    const [, unreachable] = /; ([^;]*) unreachable for/.exec(line) ?? [];
    expect(unreachable?.split(', ').sort()).toEqual([...new Set(outage)].sort());
    expect(line).toContain(`; also affects ${clash.ip}`);
  });

  it('an analysis without any outage says "affects", never "unreachable"', async () => {
    const a = await analyzeCaptures([sampleInputs('duplicate-ip').capture]);
    expect(a.incidents.length).toBeGreaterThan(0);
    expect(verdictLine(a)).not.toContain('unreachable');
    expect(verdictLine(a)).toContain('affects 192.0.2.20');
  });
});

describe('capped evidence', () => {
  it('says the frame list is partial and gives a window filter that tshark shows every evidence frame with', async () => {
    // Main printed the capped list and its filter with no word that frames were left out.
    const { capture } = sampleInputs('guest-start-stop');
    const capped = await analyzeCaptures([capture], { detect: { maxEvidenceFrames: 8 } });
    const full = await analyzeCaptures([capture], { detect: { maxEvidenceFrames: 1_000_000 } });
    const incident = capped.incidents[0]!;
    const md = renderMarkdown(capped, null, { vendorOf: () => null });
    expect(md).toContain('Partial: each finding keeps at most 8 evidence frames');
    expect(md).toContain(incidentWindowFilter(incident));
    expect(renderHtml(capped, null, { vendorOf: () => null })).toContain('class="partial"');
    // Uncapped, the same run says nothing of the kind.
    expect(renderMarkdown(full, null, { vendorOf: () => null })).not.toContain('Partial:');
    const all = incidentEvidence(full, full.incidents[0]!)[0]!.frames;
    expect(all.length).toBeGreaterThan(8);
    if (!haveTshark()) return; // CI installs tshark (.ci/run); the wording above is checked anyway
    const shown = execFileSync('tshark', ['-r', capture, '-Y', incidentWindowFilter(incident), '-T', 'fields', '-e', 'frame.number'], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'],
    }).trim().split('\n').map(Number);
    expect(all.filter((f) => !shown.includes(f))).toEqual([]);
  });
});

describe('one vendor name per MAC', () => {
  it('00:18:51 reads "SWsoft/OpenVZ" and 52:54:00 "QEMU/KVM" in the table, Markdown, HTML, cause and plan', async () => {
    // Main printed "(SWsoft)" in the table and "SWsoft/OpenVZ host veth (00:18:51)" in the plan, and
    // "52:54:00:00:01:01, QEMU/KVM (52:54:00, locally administered)" next to "(QEMU)" in the cause.
    for (const [scenario, mac, name] of [
      ['guest-start-stop', '00:18:51:00:00:01', 'SWsoft/OpenVZ'],
      ['duplicate-ip', '52:54:00:00:01:01', 'QEMU/KVM'],
    ] as const) {
      const { capture, linkLogs } = sampleInputs(scenario);
      const a = await analyzeCaptures([capture], { linkLogs });
      const plan = planFromAnalysis(a);
      const outputs = [renderTable(a), renderMarkdown(a, plan), renderHtml(a, plan)];
      for (const text of outputs) {
        const named = [...text.matchAll(new RegExp(`${mac}[^\\n]{0,40}`, 'g'))].map((m) => m[0]);
        expect(named.length).toBeGreaterThan(0);
        for (const n of named) {
          // Right after the MAC: its one name, or nothing (code spans, filters, "moved from X to").
          if (/^\S+ \([A-Za-z]/.test(n)) expect(n.startsWith(`${mac} (${name})`), `${scenario}: ${n}`).toBe(true);
        }
        expect(text).not.toMatch(/\(SWsoft\)|locally administered\)\)|\(QEMU\)/);
      }
    }
  });
});

describe('Markdown that reads well raw and remediation that is safe to paste (issue #14 item 9)', () => {
  it('no -&gt; and no addr\\_assign\\_type in the raw Markdown; identifiers in backticks', async () => {
    // Main wrote "b4:99:ba:11:22:33 -&gt; 00:18:51:00:00:01" and "(addr\_assign\_type 3)".
    const { capture, linkLogs } = sampleInputs('guest-start-stop');
    const a = await analyzeCaptures([capture], { linkLogs });
    const md = renderMarkdown(a, planFromAnalysis(a));
    expect(md).toContain('bridge br0 MAC b4:99:ba:11:22:33 -> 00:18:51:00:00:01');
    expect(md).not.toContain('&gt;');
    expect(md).not.toMatch(/[A-Za-z]\\_[A-Za-z]/);
    expect(md).toContain('(`addr_assign_type` 3)');
  });

  it('offline: the pin is a line to add to the existing stanza, each stack in one item, classic ifupdown verified without ifreload', async () => {
    // Main printed seven full sections, a whole "iface br0 inet manual" stanza (pasting it drops a
    // static address) and "after a reboot (or ifreload)" for classic ifupdown, which has no ifreload.
    const { capture, linkLogs } = sampleInputs('guest-start-stop');
    const a = await analyzeCaptures([capture], { linkLogs });
    const md = renderMarkdown(a, planFromAnalysis(a));
    const remediation = md.slice(md.indexOf('## Remediation'), md.indexOf('## Inputs'));
    expect(remediation).not.toContain('iface br0 inet manual');
    const ifupdown = remediation.split('\n').find((l) => l.startsWith('- **ifupdown**:'))!;
    expect(ifupdown).toContain('inside the existing "iface br0" stanza (keep its address lines), add `hwaddress ether b4:99:ba:11:22:33`');
    expect(ifupdown).toContain('ifdown br0 && ifup br0');
    expect(ifupdown).not.toContain('ifreload');
    expect(remediation).not.toMatch(/^#### .*\((ifupdown|ifupdown2|proxmox|netplan|systemd-networkd|networkmanager|rhel-ifcfg)\)$/m);
    expect(remediation).toContain('The capture does not tell which network stack configures the bridge');
  });

  it('with the host\'s stack known, that stack comes in full and the rest under "Other stacks"', async () => {
    const { capture, linkLogs } = sampleInputs('guest-start-stop');
    const a = await analyzeCaptures([capture], { linkLogs });
    const md = renderMarkdown(a, planFromAnalysis(a, { stacks: ['ifupdown2'] }));
    expect(md).toContain('### Persistent configuration (ifupdown2, found on the host)');
    expect(md).toMatch(/^#### ifupdown2: hwaddress in the br0 stanza \(ifupdown2\)$/m);
    expect(md).toContain('In `/etc/network/interfaces`, inside the existing "iface br0" stanza (keep its address lines), add:\n\n```\nhwaddress b4:99:ba:11:22:33\n```');
    const others = md.slice(md.indexOf('### Other stacks'));
    expect(others).toContain('- **ifupdown**:');
    expect(others).not.toContain('- **ifupdown2**:');
  });
});
