/**
 * The seven scenarios. Each drives a {@link LabSession}: builds what it needs, acts (logging each
 * action with the lab's clock), waits for the neighbour's traffic to show the effect, stops the
 * recorders, and derives the expected findings from what was recorded (ip monitor lines for bridge
 * MAC changes, `ping -D` reply gaps for outages) — never from what the scenario hoped would happen.
 */
import { sleep } from './exec.js';
import { LAB_ADDRESSES, configureGuestIf, deleteNamespace, portStpState } from './topology.js';
import { arping, waitForRecovery } from './traffic.js';
import { toIso } from '../../src/time.js';
import { labNow } from './parse.js';
import type { LabSession } from './session.js';
import type { Truth } from './truth.js';

/** Names accepted by `npm run lab -- <scenario>`. */
export const SCENARIO_NAMES = [
  'guest-start-stop',
  'duplicate-ip',
  'stp-forward-delay',
  'stp-loop',
  'announced-failover',
  'address-reuse',
  'guest-start-stop-v6',
] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** One-line descriptions (CLI help, README). */
export const SCENARIO_DESCRIPTIONS: Record<ScenarioName, string> = {
  'guest-start-stop': 'a guest whose host-side MAC (00:18:51:00:00:01) is lower than the uplink starts and stops; the bridge MAC flips and back; outage after the stop (--fixed: bridge MAC pinned, nothing happens)',
  'duplicate-ip': 'a second guest is configured with an address the first guest uses; both answer ARP',
  'stp-forward-delay': 'STP on (forward delay 2 s): a new guest is unreachable until its port forwards',
  'stp-loop': 'STP on: a guest bridges its two NICs (an old qemu hub); one of its ports blocks',
  'announced-failover': 'negative control: a service address moves between two guests with gratuitous ARP; no outage',
  'address-reuse': 'negative control: an address leaves one guest and is later taken by another after RFC 5227 probes and announcements',
  'guest-start-stop-v6': 'guest-start-stop seen through IPv6 neighbour discovery',
};

type Expected = Truth['expected'];
/** What a scenario returns: the expected block and notes for truth.json. */
export interface ScenarioResult {
  expected: Expected;
  notes: string;
}

const now = (): string => toIso(labNow());

/** OpenVZ's host-side veth MAC (vzctl SW_OUI 00:18:51): lower than any vendor uplink above 00:18:51. */
const OPENVZ_HOST_MAC = '00:18:51:00:00:01';
/** libvirt-style host-side MACs (guest MAC with first byte 0xfe): never undercut the uplink. */
const libvirtPort = (g: number, n: number): string => `fe:54:00:00:${hex(g)}:${hex(n + 1)}`;
const libvirtGuest = (g: number, n: number): string => `52:54:00:00:${hex(g)}:${hex(n + 1)}`;
function hex(n: number): string {
  return n.toString(16).padStart(2, '0');
}

/** Timings: short by default; `--kernel-timers` gives the kernel's neighbour timers time to play out. */
function timings(s: LabSession): { guestRunMs: number; recoveryTimeoutMs: number; forwardDelayCs: number } {
  return s.options.kernelTimers
    ? { guestRunMs: 10_000, recoveryTimeoutMs: 120_000, forwardDelayCs: 1500 }
    : { guestRunMs: 2500, recoveryTimeoutMs: 30_000, forwardDelayCs: 200 };
}

async function guestStartStop(s: LabSession, family: 4 | 6): Promise<ScenarioResult> {
  const t = timings(s);
  await s.startHost({ ipv6: family === 6 });
  await s.startHostTraffic(family);
  await sleep(1000);
  const addr = family === 6 ? { ip6: '2001:db8::10' } : { ip: '192.0.2.10' };
  await s.addGuest(1, [{ portMac: OPENVZ_HOST_MAC, guestMac: '00:18:51:3c:7a:01' }], addr);
  await configureGuestIf(s.names.guestNs(1), s.names.guestIf(1), [family === 6 ? '2001:db8::10/64' : '192.0.2.10/24']);
  s.event('guest-start', { guest: 'guest1' });
  await s.join(s.names.port(1), { mac: OPENVZ_HOST_MAC });
  await sleep(t.guestRunMs);
  s.event('guest-stop', { guest: 'guest1' });
  const leftAt = Date.now();
  await s.leave(s.names.port(1), { mac: OPENVZ_HOST_MAC });
  await waitForRecovery(s.hostPing(), leftAt, {
    minGapMs: s.minGapMs, settleMs: 1000, noGapWithinMs: 3000, timeoutMs: t.recoveryTimeoutMs,
  });
  // TCP resumes at its next retransmission (back-off up to tens of seconds with kernel timers: the
  // stall is then recorded as ongoing rather than waited for).
  await s.waitTcpEchoAfter(Date.now() - 1000, s.options.kernelTimers ? 5000 : 8000);
  deleteNamespace(s.names.guestNs(1));
  await s.stop();
  const hostIp = family === 6 ? LAB_ADDRESSES.hostIp6 : LAB_ADDRESSES.hostIp;
  const macChanges = s.macChangesOfHost(hostIp);
  // Pinned (--fixed, or by an onHostReady hook), nothing happens: expectations follow the record.
  const flipped = macChanges.length > 0;
  return {
    expected: {
      macChanges,
      outages: s.outagesOf('ping.log', hostIp),
      clashes: [],
      causes: flipped ? ['bridge-lowest-mac'] : [],
      // The flip A->B->A and the outage after it form one incident.
      incidents: flipped ? 1 : 0,
    },
    notes: !flipped
      ? `Bridge MAC ${s.pinned ? 'pinned (addr_assign_type 3)' : 'unchanged'}: the guest port joins and leaves without any MAC change or outage.`
      : `The bridge adopts the guest port's lower MAC ${OPENVZ_HOST_MAC} at the join and silently reverts to ${LAB_ADDRESSES.uplinkMac} when the port is deleted; ` +
        `the neighbour keeps sending to ${OPENVZ_HOST_MAC} until its neighbour entry is revalidated (${family === 6 ? 'IPv6 ND' : 'ARP'}).`,
  };
}

async function duplicateIp(s: LabSession): Promise<ScenarioResult> {
  const dup = '192.0.2.20';
  await s.startHost({ ipv6: false });
  await s.startHostTraffic(4);
  await sleep(500);
  for (const g of [1, 2]) await s.addGuest(g, [{ portMac: libvirtPort(g, 0), guestMac: libvirtGuest(g, 0) }], { ip: dup });
  await configureGuestIf(s.names.guestNs(1), s.names.guestIf(1), [`${dup}/24`]);
  s.event('guest-start', { guest: 'guest1' });
  await s.join(s.names.port(1), { mac: libvirtPort(1, 0) });
  await sleep(300);
  s.event('arping', { from: 'router', target: dup, count: 1 });
  await arping(s.names.neighbourNs, s.names.neighbourIf, dup, 'request', 1);
  s.event('guest-start', { guest: 'guest2' });
  await s.join(s.names.port(2), { mac: libvirtPort(2, 0) });
  s.event('address-add', { guest: 'guest2', ip: dup, mac: libvirtGuest(2, 0), note: 'already used by guest1' });
  await configureGuestIf(s.names.guestNs(2), s.names.guestIf(2), [`${dup}/24`]);
  await sleep(300);
  // The newcomer talks (its ARP request updates the router's entry), then the router asks by
  // broadcast: both stations answer.
  s.event('ping-router', { guest: 'guest2' });
  await s.inGuestStatus(2, ['ping', '-c', '1', '-W', '1', LAB_ADDRESSES.routerIp]);
  await sleep(300);
  s.event('arping', { from: 'router', target: dup, count: 3 });
  await arping(s.names.neighbourNs, s.names.neighbourIf, dup, 'request', 3);
  // The router may answer guest1 at guest2's MAC now: a lost reply is the clash, not a lab fault.
  s.event('ping-router', { guest: 'guest1' });
  await s.inGuestStatus(1, ['ping', '-c', '1', '-W', '1', LAB_ADDRESSES.routerIp]);
  await sleep(1000);
  await s.stop();
  return {
    expected: {
      macChanges: [],
      outages: s.outagesOf('ping.log', LAB_ADDRESSES.hostIp),
      clashes: [{ ip: dup, macs: [libvirtGuest(1, 0), libvirtGuest(2, 0)] }],
      causes: ['duplicate-address'],
      incidents: 1,
    },
    notes: `guest1 and guest2 both hold ${dup}; each router arping gets two replies (${libvirtGuest(1, 0)}, ${libvirtGuest(2, 0)}) and the router's entry flips with whoever spoke last. The host's MAC never changes (fe: ports).`,
  };
}

/** Polls the STP state of `ports` every 100 ms, logging each change, until `done` or the timeout. */
async function watchStp(
  s: LabSession, ports: string[], timeoutMs: number, done: (states: Map<string, string>) => boolean,
  states = new Map<string, string>(),
): Promise<Map<string, string>> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const p of ports) {
      const st = await portStpState(s.names, p);
      if (states.get(p) !== st) {
        states.set(p, st);
        s.event('stp-state', { port: p, state: st, source: 'sysfs brport/state' });
      }
    }
    if (done(states)) break;
    await sleep(100);
  }
  return states;
}

async function stpForwardDelay(s: LabSession): Promise<ScenarioResult> {
  const t = timings(s);
  const guestIp = '192.0.2.30';
  await s.startHost({ ipv6: false, stpForwardDelayCs: t.forwardDelayCs });
  const delayMs = t.forwardDelayCs * 10;
  await watchStp(s, [s.names.uplink], 2 * delayMs + 10_000, (m) => m.get(s.names.uplink) === 'forwarding');
  await s.startHostTraffic(4);
  await sleep(500);
  await s.addGuest(1, [{ portMac: libvirtPort(1, 0), guestMac: libvirtGuest(1, 0) }], { ip: guestIp });
  await configureGuestIf(s.names.guestNs(1), s.names.guestIf(1), [`${guestIp}/24`]);
  s.event('guest-start', { guest: 'guest1' });
  await s.join(s.names.port(1), { mac: libvirtPort(1, 0) });
  const guestPing = s.startPing(guestIp, 'ping-guest.log');
  await watchStp(s, [s.names.port(1)], 2 * delayMs + 10_000, (m) => m.get(s.names.port(1)) === 'forwarding');
  // Replies follow within an ARP retry once the port forwards; then let the flow settle.
  for (let i = 0; i < 100 && guestPing.replies().length === 0; i++) await sleep(100);
  await sleep(1000);
  await s.stop();
  return {
    expected: {
      macChanges: [],
      outages: [...s.outagesOf('ping-guest.log', guestIp, { fromStart: true }), ...s.outagesOf('ping.log', LAB_ADDRESSES.hostIp)],
      clashes: [],
      causes: ['stp-port-not-forwarding'],
      incidents: 1,
    },
    notes: `STP on with forward_delay ${delayMs / 1000} s: the guest's port spends listening + learning (${(2 * delayMs) / 1000} s) before forwarding; the router's ARP requests for ${guestIp} go unanswered until then. The outage of ${guestIp} starts when the router began pinging (no reply before).`,
  };
}

async function stpLoop(s: LabSession): Promise<ScenarioResult> {
  const t = timings(s);
  const guestIp = '192.0.2.40';
  await s.startHost({ ipv6: false, stpForwardDelayCs: t.forwardDelayCs });
  const delayMs = t.forwardDelayCs * 10;
  await watchStp(s, [s.names.uplink], 2 * delayMs + 10_000, (m) => m.get(s.names.uplink) === 'forwarding');
  await s.startHostTraffic(4);
  await sleep(500);
  const nics = [0, 1].map((n) => ({ portMac: libvirtPort(1, n), guestMac: libvirtGuest(1, n) }));
  await s.addGuest(1, nics, { ip: guestIp });
  // Inside the guest, a bridge without STP joins both NICs: qemu's old `-net` hub (vlan 0).
  const g = s.names.guestNs(1);
  // hub0, not br0: kernel.log lines of the guest's bridge must not read as the host bridge's.
  const hub = 'hub0';
  s.names.addInterface(hub);
  await s.inGuest(1, ['ip', 'link', 'add', hub, 'type', 'bridge']);
  for (const n of [0, 1]) await s.inGuest(1, ['ip', 'link', 'set', s.names.guestIf(1, n), 'master', hub, 'up']);
  await configureGuestIf(g, hub, [`${guestIp}/24`]);
  s.event('guest-start', { guest: 'guest1', nics: 2, hub });
  const ports = [s.names.port(1, 0), s.names.port(1, 1)];
  for (const p of ports) await s.join(p);
  // Both ports go listening -> learning; the BPDUs that cross the hub make one of them block.
  const states = await watchStp(s, ports, 2 * delayMs + 10_000, (m) => [...m.values()].includes('blocking') && [...m.values()].includes('forwarding'));
  await sleep(1000);
  await watchStp(s, ports, 200, () => true, states); // logs only a change since
  await s.stop();
  const blocked = ports.filter((p) => states.get(p) === 'blocking');
  return {
    expected: {
      macChanges: [],
      outages: s.outagesOf('ping.log', LAB_ADDRESSES.hostIp),
      clashes: [],
      causes: ['stp-loop'],
      // STP contains the loop: the captures show nothing wrong; the evidence is the blocking port.
      incidents: 0,
    },
    notes: `Two guest NICs bridged inside the guest (${hub}) form a loop through the host bridge; STP blocks ${blocked.join(', ') || '(no port: STP did not block)'}. Evidence: bridge-monitor.log / kernel.log "entered blocking state"; the captures show no incident.`,
  };
}

async function announcedFailover(s: LabSession): Promise<ScenarioResult> {
  const service = '192.0.2.100';
  await s.startHost({ ipv6: false });
  await s.startHostTraffic(4);
  for (const g of [1, 2]) {
    await s.addGuest(g, [{ portMac: libvirtPort(g, 0), guestMac: libvirtGuest(g, 0) }], { ip: `192.0.2.${50 + g}` });
    await configureGuestIf(s.names.guestNs(g), s.names.guestIf(g), [`192.0.2.${50 + g}/24`]);
    s.event('guest-start', { guest: `guest${g}` });
    await s.join(s.names.port(g), { mac: libvirtPort(g, 0) });
  }
  s.event('address-add', { guest: 'guest1', ip: service, mac: libvirtGuest(1, 0) });
  await s.inGuest(1, ['ip', 'addr', 'add', `${service}/24`, 'dev', s.names.guestIf(1)]);
  s.event('announce', { guest: 'guest1', ip: service, mac: libvirtGuest(1, 0), count: 1 });
  await arping(s.names.guestNs(1), s.names.guestIf(1), service, 'announce', 1);
  s.startPing(service, 'ping-service.log');
  await sleep(1500);
  // Failover as keepalived does it: the address leaves A, B takes it and announces at once.
  s.event('address-move', { ip: service, fromGuest: 'guest1', toGuest: 'guest2', fromMac: libvirtGuest(1, 0), toMac: libvirtGuest(2, 0) });
  await s.inGuest(1, ['ip', 'addr', 'del', `${service}/24`, 'dev', s.names.guestIf(1)]);
  await s.inGuest(2, ['ip', 'addr', 'add', `${service}/24`, 'dev', s.names.guestIf(2)]);
  const announcedAt = now();
  s.event('announce', { guest: 'guest2', ip: service, mac: libvirtGuest(2, 0), count: 2 });
  await arping(s.names.guestNs(2), s.names.guestIf(2), service, 'announce', 2);
  await sleep(1500);
  await s.stop();
  return {
    expected: {
      macChanges: [{ ip: service, fromMac: libvirtGuest(1, 0), toMac: libvirtGuest(2, 0), t: announcedAt }],
      outages: [...s.outagesOf('ping-service.log', service), ...s.outagesOf('ping.log', LAB_ADDRESSES.hostIp)],
      clashes: [],
      causes: ['announced-move'],
      incidents: 0,
    },
    notes: `Negative control: ${service} moves from guest1 to guest2, announced by gratuitous ARP (arping -U); the router follows at once, no outage. A correct analysis reports at most an info-level announced move.`,
  };
}

async function addressReuse(s: LabSession): Promise<ScenarioResult> {
  const reused = '192.0.2.60';
  await s.startHost({ ipv6: false });
  await s.startHostTraffic(4);
  await s.addGuest(1, [{ portMac: libvirtPort(1, 0), guestMac: libvirtGuest(1, 0) }], { ip: reused });
  await configureGuestIf(s.names.guestNs(1), s.names.guestIf(1), [`${reused}/24`]);
  s.event('guest-start', { guest: 'guest1' });
  await s.join(s.names.port(1), { mac: libvirtPort(1, 0) });
  await s.pingCount(reused, 3, 'ping-reused.log');
  // Let the router's entry go idle first: right after the ping it may be in DELAY (the random
  // reachable time ran out within delay_first_probe_time of the last use) and would send unicast
  // probes to guest1's MAC after it left — an unanswered address, not a clean release. Any probe
  // now is answered by guest1 while it is still there (short timers: reachable <= 1.5 s + 1 s delay).
  await sleep(s.options.kernelTimers ? 50_000 : 3000);
  s.event('guest-stop', { guest: 'guest1', releases: reused });
  await s.leave(s.names.port(1), { mac: libvirtPort(1, 0) });
  deleteNamespace(s.names.guestNs(1));
  // Long enough for the router's entry to go stale/failed with the short timers.
  await sleep(s.options.kernelTimers ? 40_000 : 4000);
  await s.addGuest(2, [{ portMac: libvirtPort(2, 0), guestMac: libvirtGuest(2, 0) }], { ip: reused });
  await configureGuestIf(s.names.guestNs(2), s.names.guestIf(2), []);
  s.event('guest-start', { guest: 'guest2' });
  await s.join(s.names.port(2), { mac: libvirtPort(2, 0) });
  await sleep(300);
  // RFC 5227: probe (sender 0.0.0.0) before using the address, then announce it.
  s.event('probe', { guest: 'guest2', ip: reused, mac: libvirtGuest(2, 0), count: 3 });
  const probe = await arping(s.names.guestNs(2), s.names.guestIf(2), reused, 'probe', 3);
  s.event('address-add', { guest: 'guest2', ip: reused, mac: libvirtGuest(2, 0), probeAnswered: /Received [1-9]/.test(probe) });
  await s.inGuest(2, ['ip', 'addr', 'add', `${reused}/24`, 'dev', s.names.guestIf(2)]);
  const announcedAt = now();
  s.event('announce', { guest: 'guest2', ip: reused, mac: libvirtGuest(2, 0), count: 2 });
  await arping(s.names.guestNs(2), s.names.guestIf(2), reused, 'announce', 2);
  await s.pingCount(reused, 3, 'ping-reused.log');
  await sleep(500);
  await s.stop();
  return {
    expected: {
      macChanges: [{ ip: reused, fromMac: libvirtGuest(1, 0), toMac: libvirtGuest(2, 0), t: announcedAt }],
      outages: s.outagesOf('ping.log', LAB_ADDRESSES.hostIp),
      clashes: [],
      causes: ['announced-move'],
      incidents: 0,
    },
    notes: `Negative control: guest1 leaves ${reused}; later guest2 probes it (RFC 5227, sender 0.0.0.0, unanswered), then announces it. Nobody claims it twice; the router pinged it only while it was held (ping-reused.log).`,
  };
}

/** Runs scenario `name` on a prepared session and returns its expected block and notes. */
export function scenarioRunner(name: ScenarioName): (s: LabSession) => Promise<ScenarioResult> {
  switch (name) {
    case 'guest-start-stop': return (s) => guestStartStop(s, 4);
    case 'guest-start-stop-v6': return (s) => guestStartStop(s, 6);
    case 'duplicate-ip': return duplicateIp;
    case 'stp-forward-delay': return stpForwardDelay;
    case 'stp-loop': return stpLoop;
    case 'announced-failover': return announcedFailover;
    case 'address-reuse': return addressReuse;
  }
}
