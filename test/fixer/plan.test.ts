/**
 * Plans are pure data: planForBridge from synthetic audits, planFromAnalysis from synthetic
 * analyses shaped like REFERENCE.md section 1 (host 192.0.2.1 moves from uplink b4:99:ba:11:22:33
 * to OpenVZ veth 00:18:51:00:00:01, then a 23 s reply gap toward the stale MAC).
 */
import { describe, expect, it } from 'vitest';
import { planForBridge, planFromAnalysis } from '../../src/fixer/index.js';
import type { Analysis, Incident } from '../../src/analysis.js';
import type { Cause } from '../../src/correlate/types.js';
import type { Finding } from '../../src/detect/types.js';
import type { BridgeAudit } from '../../src/fixer/types.js';
import { parseMac } from '../../src/net/mac.js';
import { OPENVZ, UPLINK } from './fake-host.js';

const mac = (s: string) => parseMac(s)!;
const t = (sec: number) => ({ sec, nsec: 0 });

function audit(over: Partial<BridgeAudit['bridge']> = {}, stacks: BridgeAudit['stacks'] = []): BridgeAudit {
  return {
    bridge: {
      name: 'br0', mac: OPENVZ, addrAssignType: 1, stpEnabled: false, forwardDelaySec: 15, arpNotify: false, ndiscNotify: false,
      addresses: ['192.0.2.1/24'],
      ports: [
        { name: 'eth0', mac: UPLINK, kind: 'physical', stpState: 'forwarding', learning: true, unicastFlood: true, operState: 'up' },
        { name: 'veth101.0', mac: OPENVZ, kind: 'veth', stpState: 'forwarding', learning: true, unicastFlood: true, operState: 'up' },
      ],
      ...over,
    },
    uplink: { port: 'eth0', mac: UPLINK, how: 'eth0: the only physical port; permanent MAC from ethtool -P' },
    risks: [{ id: 'mac-not-pinned', severity: 'critical', message: 'br0 took 00:18:51:00:00:01.', ports: ['veth101.0'] }],
    stacks,
    configFiles: [],
  };
}

describe('planForBridge', () => {
  it('pins to the uplink permanent MAC with an exact argv, and adds OpenVZ host_mac for the 00:18:51 port', () => {
    const plan = planForBridge(audit({}, ['ifupdown', 'openvz']));
    expect(plan.pinMac).toBe(UPLINK);
    const pin = plan.steps.find((s) => s.id === 'pin-bridge-mac')!;
    expect(pin.kind).toBe('runtime');
    expect(pin.argv).toEqual(['ip', 'link', 'set', 'dev', 'br0', 'address', UPLINK]);
    expect(plan.steps.find((s) => s.id === 'pin-bridge-mac-ifupdown')?.config?.text).toContain(`hwaddress ether ${UPLINK}`);
    expect(plan.steps.some((s) => s.id === 'pin-bridge-mac-netplan')).toBe(false); // only detected stacks
    const openvz = plan.steps.find((s) => s.id === 'openvz-host-mac')!;
    expect(openvz.argv).toEqual(['vzctl', 'set', '101', '--netif_add', 'eth0,,,FE:FF:FF:FF:FF:FF', '--save']);
    expect(plan.notes.join(' ')).toMatch(/use --announce/);
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan); // serialisable
  });

  it('gives every stack with allStacks, each with verify and undo', () => {
    const plan = planForBridge(audit(), { allStacks: true });
    const stacks = plan.steps.filter((s) => s.kind === 'persistent' && s.id.startsWith('pin-bridge-mac-')).map((s) => s.stack);
    expect(stacks).toEqual(['ifupdown', 'ifupdown2', 'proxmox', 'systemd-networkd', 'networkmanager', 'netplan', 'rhel-ifcfg']);
    for (const s of plan.steps) { expect(s.verify.length).toBeGreaterThan(10); expect(s.undo.length).toBeGreaterThan(5); }
    const nm = plan.steps.find((s) => s.stack === 'networkmanager')!;
    expect(nm.argv).toEqual(['nmcli', 'connection', 'modify', 'br0', 'ethernet.cloned-mac-address', UPLINK]);
  });

  it('keeps an already pinned bridge at its MAC and says so', () => {
    const plan = planForBridge({ ...audit({ addrAssignType: 3, mac: '52:54:00:00:00:01' }), risks: [] });
    expect(plan.pinMac).toBe('52:54:00:00:00:01');
    expect(plan.notes.join(' ')).toMatch(/already pinned to 52:54:00:00:00:01, not the uplink/);
  });

  it('has no pin step and asks for --uplink when the uplink is unknown', () => {
    const plan = planForBridge({ ...audit(), uplink: null });
    expect(plan.pinMac).toBeNull();
    expect(plan.steps.some((s) => s.id === 'pin-bridge-mac')).toBe(false);
    expect(plan.notes.join(' ')).toMatch(/--uplink PORT/);
  });

  it('writes sysctl keys with / for dotted (VLAN) bridge names', () => {
    const plan = planForBridge(audit({ name: 'br0.100' }));
    expect(plan.steps.find((s) => s.id === 'arp-notify')?.argv).toEqual(['sysctl', '-w', 'net.ipv4.conf.br0/100.arp_notify=1']);
  });
});

function analysis(incidents: Incident[], findings: Finding[]): Analysis {
  return { schema: 'bridgewatch/1', version: 'test', captures: [], incidents, findings, linkEvents: [], linkLogs: [], options: {} };
}

const macChange: Finding = {
  kind: 'mac-change', ip: '192.0.2.1', vlan: null, start: t(7), end: t(40), durationMs: 33000, frames: [{ fileIndex: 0, frame: 10 }],
  fromMac: mac(UPLINK), toMac: mac(OPENVZ), announced: false, oldMacStillAnswers: false, newMacLower: true, learnedBy: 'arp-request',
  sequence: [mac(UPLINK), mac(OPENVZ), mac(UPLINK)],
};
const gap: Finding = {
  kind: 'reply-gap', ip: '192.0.2.1', vlan: null, start: t(17), end: t(40), durationMs: 23060, frames: [],
  staleMac: mac(OPENVZ), answeredBy: mac(UPLINK), requesters: ['192.0.2.254'], unansweredRequests: 4, framesToStaleMac: 100, ongoing: false,
};
function incident(cause?: Cause, findings = [0, 1]): Incident {
  return { id: 'I1', kind: 'bridge-mac-flip', severity: 'critical', ip: '192.0.2.1', vlan: null, start: t(7), end: t(40), durationMs: 33000, outageMs: 23060, findings, ...(cause ? { cause } : {}) };
}
const cause = (over: Partial<Cause>): Cause => ({ code: 'bridge-lowest-mac', confidence: 0.9, summary: 's', linkEvents: [], inferences: [], toConfirm: [], ...over });

describe('planFromAnalysis', () => {
  it('pins to the MAC that owned the host IP before the change, and names the offender with its convention', () => {
    const plan = planFromAnalysis(analysis([incident(cause({ bridge: 'vmbr0', port: 'veth101.0', hypervisor: 'openvz' }))], [macChange, gap]));
    expect(plan.bridge).toBe('vmbr0');
    expect(plan.pinMac).toBe(UPLINK);
    const pin = plan.steps.find((s) => s.id === 'pin-bridge-mac')!;
    expect(pin.argv).toEqual(['ip', 'link', 'set', 'dev', 'vmbr0', 'address', UPLINK]);
    expect(pin.why).toContain("00:18:51:00:00:01 (SWsoft/OpenVZ), vzctl's default host veth MAC");
    expect(pin.why).toContain('port veth101.0');
    expect(plan.steps.find((s) => s.id === 'openvz-host-mac')?.argv?.[2]).toBe('101');
    expect(plan.steps.some((s) => s.id === 'arp-notify')).toBe(true);
    expect(plan.steps.filter((s) => s.id.startsWith('pin-bridge-mac-')).length).toBe(7); // every stack offline
  });

  it('uses the reply gap when the capture began after the change, br0 when no bridge is named, and all host-MAC conventions when the hypervisor is unknown', () => {
    const plan = planFromAnalysis(analysis([incident(undefined, [0])], [{ ...gap, staleMac: mac('3a:11:22:33:44:55') }]));
    expect(plan.bridge).toBeNull();
    expect(plan.pinMac).toBe(UPLINK);
    expect(plan.steps.find((s) => s.id === 'pin-bridge-mac')?.argv?.[4]).toBe('br0');
    expect(plan.steps.find((s) => s.id === 'pin-bridge-mac')?.why).toMatch(/locally administered/);
    expect(plan.steps.map((s) => s.id)).toEqual(expect.arrayContaining(['openvz-host-mac', 'libvirt-host-mac', 'lxc-host-mac']));
    expect(plan.notes.join(' ')).toMatch(/commands use br0/);
  });

  it('takes the bridge name from port-join link events', () => {
    const join = { type: 'port-join' as const, bridge: 'br7', mac: mac(OPENVZ), time: t(7), source: 'ip-monitor' as const, ifname: 'vnet5', ifindex: 6, line: 3, raw: '' };
    const plan = planFromAnalysis(analysis([incident(cause({ linkEvents: [join], hypervisor: 'kvm-libvirt' }))], [macChange, gap]));
    expect(plan.bridge).toBe('br7');
    expect(plan.steps.map((s) => s.id)).toContain('managed-fdb');
    expect(plan.steps.find((s) => s.id === 'managed-fdb')?.config?.text).toContain("macTableManager='libvirt'");
  });

  it('gives forward delay for STP causes and one -netdev per NIC for loops', () => {
    const stp = planFromAnalysis(analysis([{ ...incident(cause({ code: 'stp-port-not-forwarding', bridge: 'br0', port: 'tap1' })), kind: 'outage' }], [gap]));
    expect(stp.steps.map((s) => s.id)).toEqual(['stp-forward-delay']);
    expect(stp.steps[0]!.argv).toEqual(['ip', 'link', 'set', 'dev', 'br0', 'type', 'bridge', 'forward_delay', '200']);
    const loop = planFromAnalysis(analysis([{ ...incident(cause({ code: 'stp-loop' })), kind: 'outage' }], [gap]));
    expect(loop.steps[0]!.config?.text).toContain('-netdev tap,id=n1');
    expect(loop.pinMac).toBeNull();
  });

  it('says there is nothing to fix without incidents', () => {
    expect(planFromAnalysis(analysis([], [])).notes).toEqual(['No incidents: nothing to fix.']);
  });

  it('uses an injected vendor lookup for MACs without a hypervisor convention', () => {
    const plan = planFromAnalysis(analysis([incident(undefined, [0])], [{ ...macChange, toMac: mac('00:25:90:00:00:01'), sequence: [] }]), {
      vendorOf: (m) => (m === mac('00:25:90:00:00:01') ? 'Super Micro Computer, Inc.' : null),
    });
    expect(plan.steps[0]!.why).toContain('00:25:90:00:00:01 (Super Micro Computer, Inc.)');
  });
});
