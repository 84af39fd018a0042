/**
 * From guest ports and a bridge to the audit: the reference MAC a starting guest must undercut,
 * the chance per guest, and the `guest-takes-bridge-mac` risk's severity. MACs as in
 * ../shared/REFERENCE.md section 1 (uplink b4:99:ba:11:22:33, OpenVZ veth 00:18:51:...).
 */
import { describe, expect, it } from 'vitest';
import type { BridgeAudit, BridgePortState } from '../../src/fixer/types.js';
import { assessGuests, guestRisk } from '../../src/guests/assess.js';
import { bridgeReference } from '../../src/guests/audit-hook.js';
import type { GuestPort, HostMac } from '../../src/guests/types.js';

const UPLINK = 'b4:99:ba:11:22:33';

function port(name: string, mac: string, kind: BridgePortState['kind'] = 'physical'): BridgePortState {
  return { name, mac, kind, stpState: 'forwarding', learning: true, unicastFlood: true, operState: 'up' };
}

function audit(ports: BridgePortState[], extra: Partial<BridgeAudit['bridge']> = {}, uplink: BridgeAudit['uplink'] = null): BridgeAudit {
  return {
    bridge: {
      name: 'br0', mac: ports[0]?.mac ?? '02:00:00:00:00:01', addrAssignType: 1, stpEnabled: false, forwardDelaySec: 15, ports,
      arpNotify: false, ndiscNotify: false, addresses: ['192.0.2.1/24'], ...extra,
    },
    uplink, risks: [], stacks: [], configFiles: [],
  };
}

function guest(guestName: string, hostMac: HostMac, hostPort: string | null = null, bridge = 'br0'): GuestPort {
  return { source: 'openvz', guest: guestName, iface: 'eth0', bridge, hostPort, guestMac: null, hostMac, file: `/etc/vz/conf/${guestName}.conf`, line: 1, running: null };
}

describe('bridgeReference', () => {
  it('is the lowest CURRENT MAC of the bridge\'s own ports, not the uplink\'s permanent MAC, ignoring running guests', () => {
    const a = audit([port('bond0', 'b4:99:ba:00:00:09', 'bond'), port('eth2', 'c8:00:00:00:00:01'), port('veth101.0', '00:18:51:00:00:01', 'veth')],
      {}, { port: 'bond0', mac: UPLINK, how: 'test' });
    expect(bridgeReference(a)).toMatchObject({ mac: 'b4:99:ba:00:00:09', from: 'uplink bond0', pinned: false, noAddress: false });
    const two = audit([port('eth0', UPLINK), port('eth1', '3c:ec:ef:00:00:01')], {}, { port: 'eth0', mac: UPLINK, how: 'test' });
    expect(bridgeReference(two)).toMatchObject({ mac: '3c:ec:ef:00:00:01', from: 'port eth1' });
  });

  it('with only guest ports the bridge MAC stands in; with no port at all the first to join takes it', () => {
    expect(bridgeReference(audit([port('tap100i0', 'aa:00:00:00:00:01', 'tap')]))).toMatchObject({ mac: 'aa:00:00:00:00:01', from: 'bridge (only guest ports now)' });
    expect(bridgeReference(audit([]))).toMatchObject({ mac: null, from: 'no ports', empty: true });
  });

  it('an --uplink not enslaved yet still counts, and a pinned bridge is flagged', () => {
    expect(bridgeReference(audit([], { addrAssignType: 3 }, { port: 'eth0', mac: UPLINK, how: 'given' }))).toMatchObject({ mac: UPLINK, pinned: true });
  });
});

describe('assessGuests and guestRisk', () => {
  const ref = { bridge: 'br0', mac: UPLINK, from: 'uplink eth0', pinned: false };

  it('a fixed lower host MAC: always (critical), listed first; a fixed higher one: never', () => {
    const [br] = assessGuests([guest('102', { kind: 'fixed', mac: 'fe:ff:ff:ff:ff:ff' }, 'veth102.0'), guest('101', { kind: 'fixed', mac: '00:18:51:30:1b:2a' }, 'veth101.0')], [ref]);
    expect(br!.guests.map((g) => [g.port.guest, g.chance])).toEqual([['101', 1], ['102', 0]]);
    expect(br!.guests[0]!.why).toBe(`host-side MAC 00:18:51:30:1b:2a: always below ${UPLINK} (uplink eth0)`);
    const risk = guestRisk(br!);
    expect(risk).toMatchObject({ id: 'guest-takes-bridge-mac', severity: 'critical', ports: ['veth101.0'] });
    expect(risk!.message).toContain('openvz 101 eth0 (veth101.0) always');
  });

  it('random host MACs: 70% of starts (warning); one step lower without a host address on the bridge', () => {
    const [br] = assessGuests([guest('100', { kind: 'random' }, 'tap100i0')], [ref]);
    expect(br!.guests[0]!.chance).toBe(45 / 64);
    expect(br!.guests[0]!.why).toMatch(/below 70\.3% of starts/);
    expect(guestRisk(br!)?.severity).toBe('warning');
    expect(guestRisk(br!, true)?.severity).toBe('info');
  });

  it('a small chance is info; no taker, or a pinned bridge, is no risk', () => {
    const [low] = assessGuests([guest('100', { kind: 'random' })], [{ ...ref, mac: '06:00:00:00:00:00' }]);
    expect(low!.guests[0]!.chance).toBe(1 / 64);
    expect(guestRisk(low!)?.severity).toBe('info');
    const [none] = assessGuests([guest('100', { kind: 'prefix', prefix: 'fe' })], [ref]);
    expect(guestRisk(none!)).toBeNull();
    const [pinned] = assessGuests([guest('101', { kind: 'fixed', mac: '00:18:51:30:1b:2a' })], [{ ...ref, pinned: true }]);
    expect(pinned!.guests[0]!.chance).toBe(0);
    expect(guestRisk(pinned!)).toBeNull();
  });

  it('an empty bridge: every guest takes it; a bridge not on this host: chance unknown', () => {
    const [empty] = assessGuests([guest('100', { kind: 'prefix', prefix: 'fe' })], [{ bridge: 'br0', mac: null, from: 'no ports', pinned: false, empty: true }]);
    expect(empty!.guests[0]!.chance).toBe(1);
    const elsewhere = assessGuests([guest('100', { kind: 'random' }, null, 'vmbr7')], [ref]);
    expect(elsewhere.map((b) => [b.bridge, b.guests.length])).toEqual([['br0', 0], ['vmbr7', 1]]);
    expect(elsewhere[1]!.guests[0]!.chance).toBeNull();
  });
});
