/**
 * Audit on fake sysfs/proc trees (see fake-host.ts for how they mirror the kernel's files).
 * MACs follow ../shared/REFERENCE.md section 1: uplink b4:99:ba:11:22:33, OpenVZ veth 00:18:51:00:00:01.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { auditBridges, assessRisks, conventionsBelow } from '../../src/fixer/index.js';
import { cli as main } from './in-process-cli.js';
import { type BridgewatchError } from '../../src/errors.js';
import type { BridgeState } from '../../src/fixer/types.js';
import { addBridge, addInterface, fakeRunner, makeRoot, OPENVZ, UPLINK } from './fake-host.js';

let root: string;
let cleanup: () => void;
beforeEach(() => ({ root, cleanup } = makeRoot()));
afterEach(() => cleanup());


function roots(extra: Parameters<typeof fakeRunner>[0] = {}) {
  return { sysRoot: root, procRoot: root, configRoot: root, run: fakeRunner(extra).run };
}

describe('auditBridges on a fake tree', () => {
  it('reports an unpinned bridge that already took an OpenVZ veth MAC as critical, naming the port', async () => {
    addBridge(root, {
      name: 'br0', mac: OPENVZ, addrAssignType: 1,
      ports: [{ name: 'eth0', mac: UPLINK, physical: true }, { name: 'veth101.0', mac: OPENVZ }],
    });
    const [audit] = await auditBridges(['br0'], roots({ addresses: { br0: ['192.0.2.1/24'] }, permanent: { eth0: UPLINK } }));
    expect(audit!.uplink?.port).toBe('eth0');
    expect(audit!.uplink?.how).toMatch(/only physical port.*ethtool -P/);
    const risk = audit!.risks.find((r) => r.id === 'mac-not-pinned');
    expect(risk?.severity).toBe('critical');
    expect(risk?.ports).toEqual(['veth101.0']);
    expect(risk?.message).toContain(`not the uplink eth0's ${UPLINK}`);
    expect(audit!.risks.find((r) => r.id === 'arp-notify-off')?.severity).toBe('warning');
  });

  it('uses the permanent MAC from ethtool -P, not the current one', async () => {
    addBridge(root, { name: 'br0', mac: '3c:00:00:00:00:09', addrAssignType: 1, ports: [{ name: 'eno1', mac: '3c:00:00:00:00:09', physical: true }] });
    const [audit] = await auditBridges(['br0'], roots({ permanent: { eno1: '3c:00:00:00:00:01' } }));
    expect(audit!.uplink?.mac).toBe('3c:00:00:00:00:01');
  });

  it('warns (not critical) when no port is lower now but hypervisor conventions would be', async () => {
    addBridge(root, { name: 'br0', mac: UPLINK, addrAssignType: 1, ports: [{ name: 'eth0', mac: UPLINK, physical: true }] });
    const [audit] = await auditBridges(['br0'], roots({ addresses: { br0: ['192.0.2.1/24'] } }));
    const risk = audit!.risks.find((r) => r.id === 'mac-not-pinned')!;
    expect(risk.severity).toBe('warning');
    expect(risk.message).toMatch(/OpenVZ host veths/);
    expect(risk.message).toMatch(/random MACs/);
  });

  it('says info only when the uplink is below every convention (00:0a:...)', async () => {
    addBridge(root, { name: 'br0', mac: '00:0a:00:00:00:01', addrAssignType: 1, ports: [{ name: 'eth0', mac: '00:0a:00:00:00:01', physical: true }] });
    const [audit] = await auditBridges(['br0'], roots({ addresses: { br0: ['192.0.2.1/24'] } }));
    expect(audit!.risks.find((r) => r.id === 'mac-not-pinned')?.severity).toBe('info');
  });

  it('does not report a pinned bridge (addr_assign_type 3) as unpinned', async () => {
    addBridge(root, { name: 'br0', mac: UPLINK, addrAssignType: 3, arpNotify: 1, ports: [{ name: 'eth0', mac: UPLINK, physical: true }, { name: 'vnet0', mac: 'fe:54:00:12:34:56' }] });
    const [audit] = await auditBridges(['br0'], roots());
    expect(audit!.risks.map((r) => r.id)).toEqual([]);
  });

  it('reports blocking (critical), listening (warning), long forward delay and managed FDB', async () => {
    addBridge(root, {
      name: 'br0', mac: UPLINK, addrAssignType: 3, stp: 1, forwardDelay: 1500, arpNotify: 1,
      ports: [
        { name: 'eth0', mac: UPLINK, physical: true },
        { name: 'tap1', mac: 'fe:54:00:00:00:01', state: 4 },
        { name: 'tap2', mac: 'fe:54:00:00:00:02', state: 1 },
        { name: 'vnet5', mac: 'fe:54:00:00:00:05', learning: 0, flood: 0 },
      ],
    });
    const [audit] = await auditBridges(['br0'], roots());
    const byPort = (p: string) => audit!.risks.find((r) => r.id === 'port-not-forwarding' && r.ports[0] === p);
    expect(byPort('tap1')?.severity).toBe('critical');
    expect(byPort('tap2')?.severity).toBe('warning');
    expect(audit!.risks.find((r) => r.id === 'stp-forward-delay')?.message).toContain('15 s');
    expect(audit!.risks.find((r) => r.id === 'managed-fdb')?.ports).toEqual(['vnet5']);
  });

  it('audits every bridge when none is named, and skips non-bridges', async () => {
    addBridge(root, { name: 'br0', mac: UPLINK, addrAssignType: 3, ports: [] });
    addBridge(root, { name: 'vmbr1', mac: UPLINK, addrAssignType: 1, ports: [] });
    addInterface(root, 'eth9', '52:54:00:00:00:09');
    const audits = await auditBridges([], roots());
    expect(audits.map((a) => a.bridge.name)).toEqual(['br0', 'vmbr1']);
  });

  it('throws FIX_NOT_A_BRIDGE / FIX_NO_SUCH_BRIDGE with the interface named', async () => {
    addInterface(root, 'eth9', '52:54:00:00:00:09');
    const codeOf = async (name: string) => auditBridges([name], roots()).then(() => 'none', (e: unknown) => (e as BridgewatchError).code);
    expect(await codeOf('eth9')).toBe('FIX_NOT_A_BRIDGE');
    expect(await codeOf('nope0')).toBe('FIX_NO_SUCH_BRIDGE');
    expect(await codeOf('../etc')).toBe('FIX_NO_SUCH_BRIDGE');
  });
});

describe('assessRisks (pure)', () => {
  const base: BridgeState = {
    name: 'br0', mac: UPLINK, addrAssignType: 1, stpEnabled: false, forwardDelaySec: 15, ports: [],
    arpNotify: true, ndiscNotify: true, addresses: [],
  };
  it('lowers the severity when the host has no address on the bridge', () => {
    const withAddr = assessRisks({ ...base, addresses: ['192.0.2.1/24'] }, { port: 'eth0', mac: UPLINK, how: 'test' });
    const without = assessRisks(base, { port: 'eth0', mac: UPLINK, how: 'test' });
    expect(withAddr.find((r) => r.id === 'mac-not-pinned')?.severity).toBe('warning');
    expect(without.find((r) => r.id === 'mac-not-pinned')?.severity).toBe('info');
  });
  it('names the conventions below an uplink by its first octet', () => {
    expect(conventionsBelow('00:0a:00:00:00:01')).toEqual([]);
    expect(conventionsBelow('00:25:90:aa:bb:cc')).toHaveLength(1); // above 00:18:51, below any random 02:
    expect(conventionsBelow('f8:00:00:00:00:01').join()).toMatch(/97% of them are lower/);
  });
});

describe('bridgewatch audit (CLI on --root)', () => {
  let out: string;
  beforeEach(() => {
    out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => { out += String(s); return true; });
  });
  afterEach(() => vi.restoreAllMocks());

  it('exits 1 on a risk at/above --fail-on, 0 below it, and prints JSON', async () => {
    addBridge(root, { name: 'br0', mac: OPENVZ, addrAssignType: 1, ports: [{ name: 'eth0', mac: UPLINK, physical: true }, { name: 'veth101.0', mac: OPENVZ }] });
    expect(await main(['audit', 'br0', '--root', root])).toBe(1);
    expect(out).toMatch(/CRITICAL mac-not-pinned/);
    out = '';
    expect(await main(['audit', '--root', root, '--format', 'json', '--fail-on', 'none'])).toBe(0);
    const parsed = JSON.parse(out) as { audits: Array<{ bridge: { name: string }; risks: Array<{ id: string }> }> };
    expect(parsed.audits[0]!.bridge.name).toBe('br0');
    expect(parsed.audits[0]!.risks.map((r) => r.id)).toContain('mac-not-pinned');
  });

  it('exits 2 with one line for a non-bridge', async () => {
    addInterface(root, 'eth9', '52:54:00:00:00:09');
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await main(['audit', 'eth9', '--root', root])).toBe(2);
    const line = String(err.mock.calls[0]?.[0]);
    expect(line).toMatch(/^bridgewatch: eth9: is not a bridge/);
    expect(line.trim().split('\n')).toHaveLength(1);
  });
});
