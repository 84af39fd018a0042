/**
 * `audit --check`: the Monitoring Plugins convention (one status line `SERVICE STATE - text |
 * perfdata`, perfdata `label=value;warn;crit;min`, exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN).
 * Pure checkResult on hand-built audits, then the CLI on fake sysfs trees (test/fixer/fake-host.ts)
 * with the OpenVZ fixture config from test/fixtures/guests; nothing on the host is read or run.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CHECK_STATES, checkResult, checkUnknown } from '../../src/check/nagios.js';
import type { AuditRisk, BridgeAudit } from '../../src/fixer/types.js';
import { addBridge, addFile, makeRoot, UPLINK } from '../fixer/fake-host.js';
import { cli as main } from '../fixer/in-process-cli.js';

/** Status line grammar: state, summary without `|`, then space-separated label=value;warn;crit;min. */
const STATUS_LINE = /^BRIDGEWATCH (OK|WARNING|CRITICAL|UNKNOWN) - [^|\n]+ \| ([a-z_]+=\d+;[0-9]*;[0-9]*;0)( [a-z_]+=\d+;[0-9]*;[0-9]*;0)*$/;

function perfdata(text: string): Record<string, string> {
  const first = text.split('\n')[0]!;
  return Object.fromEntries(first.split(' | ')[1]!.split(' ').map((p) => p.split('=') as [string, string]));
}

function bridge(name: string, risks: Array<Pick<AuditRisk, 'id' | 'severity'> & { ports?: string[] }>, pinned = false): BridgeAudit {
  return {
    bridge: {
      name, mac: UPLINK, addrAssignType: pinned ? 3 : 1, stpEnabled: false, forwardDelaySec: 15, ports: [],
      arpNotify: true, ndiscNotify: true, addresses: ['192.0.2.1/24'],
    },
    uplink: null, stacks: [], configFiles: [],
    risks: risks.map((r) => ({ message: `${r.id} on ${name}`, ports: [], ...r })),
  };
}

describe('checkResult (pure)', () => {
  it('maps the highest severity to the state and exit code; info stays OK', () => {
    const cases: Array<[BridgeAudit[], keyof typeof CHECK_STATES]> = [
      [[], 'OK'],
      [[bridge('br0', [{ id: 'ndisc-notify-off', severity: 'info' }], true)], 'OK'],
      [[bridge('br0', [{ id: 'arp-notify-off', severity: 'warning' }])], 'WARNING'],
      [[bridge('br0', [{ id: 'arp-notify-off', severity: 'warning' }]), bridge('br1', [{ id: 'mac-not-pinned', severity: 'critical' }])], 'CRITICAL'],
    ];
    for (const [audits, state] of cases) {
      const r = checkResult(audits);
      expect(r.state).toBe(state);
      expect(r.code).toBe(CHECK_STATES[state]);
      expect(r.text.split('\n')[0]).toMatch(STATUS_LINE);
    }
    expect(checkUnknown('br9: no such interface')).toEqual({ state: 'UNKNOWN', code: 3, text: 'BRIDGEWATCH UNKNOWN - br9: no such interface\n' });
    expect(Object.values(CHECK_STATES)).toEqual([0, 1, 2, 3]);
  });

  it('perfdata counts bridges, unpinned, risks by severity and guest takers, with thresholds that alert above 0', () => {
    const r = checkResult([
      bridge('br0', [{ id: 'mac-not-pinned', severity: 'critical' }, { id: 'guest-takes-bridge-mac', severity: 'critical', ports: ['veth101.0', 'tap100i0'] }]),
      bridge('br1', [{ id: 'arp-notify-off', severity: 'warning' }, { id: 'ndisc-notify-off', severity: 'info' }], true),
    ]);
    expect(perfdata(r.text)).toEqual({
      bridges: '2;;;0', unpinned: '1;;;0', critical: '2;;0;0', warning: '1;0;;0', info: '1;;;0', guest_takers: '2;;;0',
    });
    expect(r.text.split('\n')[0]).toMatch(/^BRIDGEWATCH CRITICAL - br0: mac-not-pinned, guest-takes-bridge-mac; br1: arp-notify-off \| /);
    // Long text: one line per risk at warning or above, after the status line; info is not listed.
    expect(r.text.split('\n').slice(1, -1)).toEqual([
      'br0 CRITICAL mac-not-pinned: mac-not-pinned on br0',
      'br0 CRITICAL guest-takes-bridge-mac: guest-takes-bridge-mac on br0',
      'br1 WARNING arp-notify-off: arp-notify-off on br1',
    ]);
    expect(r.text.endsWith('\n')).toBe(true);
  });

  it('never lets a `|` or a newline from a message into the status line or long text', () => {
    const a = bridge('br0', [{ id: 'x', severity: 'warning' }]);
    a.risks[0]!.message = 'a | b\nc';
    const r = checkResult([a]);
    expect(r.text).toBe(`BRIDGEWATCH WARNING - br0: x | ${r.text.split(' | ')[1]!.split('\n')[0]}\nbr0 WARNING x: a / b c\n`);
  });
});

describe('bridgewatch audit --check (CLI on --root)', () => {
  let root: string;
  let cleanup: () => void;
  let out: string;
  beforeEach(() => {
    ({ root, cleanup } = makeRoot());
    out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => { out += String(s); return true; });
  });
  afterEach(() => { vi.restoreAllMocks(); cleanup(); });

  const uplink = { name: 'eth0', mac: UPLINK, physical: true };

  it('OK (0): a pinned bridge with arp_notify on', async () => {
    addBridge(root, { name: 'br0', mac: UPLINK, addrAssignType: 3, arpNotify: 1, ndiscNotify: 1, ports: [uplink] });
    expect(await main(['audit', '--check', '--root', root])).toBe(0);
    expect(out).toBe('BRIDGEWATCH OK - 1 bridge(s), 1 pinned, no risk at warning or above'
      + ' | bridges=1;;;0 unpinned=0;;;0 critical=0;;0;0 warning=0;0;;0 info=0;;;0 guest_takers=0;;;0\n');
  });

  it('WARNING (1) for an unpinned bridge, CRITICAL (2) once an OpenVZ guest config has a lower host_mac for it', async () => {
    addBridge(root, { name: 'vmbr0', mac: UPLINK, addrAssignType: 1, arpNotify: 1, ndiscNotify: 1, ports: [uplink] });
    expect(await main(['audit', 'vmbr0', '--check', '--root', root])).toBe(1);
    expect(out.split('\n')[0]).toMatch(/^BRIDGEWATCH WARNING - vmbr0: mac-not-pinned \| .*unpinned=1;;;0/);
    expect(out.split('\n')[0]).toMatch(STATUS_LINE);

    const conf = readFileSync(path.resolve(import.meta.dirname, '../fixtures/guests/etc/vz/conf/101.conf'), 'utf8');
    addFile(root, '/etc/vz/conf/101.conf', conf);
    out = '';
    expect(await main(['audit', 'vmbr0', '--check', '--root', root])).toBe(2);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^BRIDGEWATCH CRITICAL - vmbr0: mac-not-pinned, guest-takes-bridge-mac \| /);
    expect(perfdata(out)).toMatchObject({ critical: '1;;0;0', guest_takers: '1;;;0' });
    expect(lines).toContain(`vmbr0 CRITICAL guest-takes-bridge-mac: Guests whose host-side port would take vmbr0's MAC (${UPLINK}) when they start:`
      + ' openvz 101 eth0 (veth101.0) always. Pin the bridge MAC (bridgewatch fix vmbr0).');

    out = '';
    expect(await main(['audit', 'vmbr0', '--check', '--no-guests', '--root', root])).toBe(1);
  });

  it('UNKNOWN (3) with one line when the audit cannot run', async () => {
    addBridge(root, { name: 'br0', mac: UPLINK, addrAssignType: 3, ports: [uplink] });
    expect(await main(['audit', 'nope0', '--check', '--root', root])).toBe(3);
    expect(out).toMatch(/^BRIDGEWATCH UNKNOWN - nope0: [^\n]+\n$/);
  });

  it('UNKNOWN (3), not CRITICAL, for an argument error (on main a bad option exited 2)', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await main(['audit', '--check', '--no-such-option'])).toBe(3);
    expect(out).toBe("BRIDGEWATCH UNKNOWN - unknown option '--no-such-option'\n");
    expect(await main(['audit', '--no-such-option'])).toBe(2);
  });
});
