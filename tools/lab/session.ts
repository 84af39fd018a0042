/**
 * One lab run: the namespaces, recorders and traffic of a scenario, the events it logs, and the
 * truth it writes. Scenarios (scenarios.ts) drive a session; runScenario (index.ts) owns its life.
 */
import { appendFileSync, chmodSync, closeSync, openSync, readFileSync, readdirSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { release } from 'node:os';
import { toIso, fromIso, fromSeconds, toSeconds, diffMs, type Timestamp } from '../../src/time.js';
import { inNs, run, runStatus, sleep } from './exec.js';
import { cleanupNamespacesSync } from './cleanup.js';
import { bridgeMacChanges, labNow, parsePingReplies, replyGaps } from './parse.js';
import { RUN_FILES, markKernelLog, neighbourCaptureFile, startRecorders, stopRecorders, writeKernelLog, type NeighbourFormat, type Recorders } from './recorders.js';
import {
  LAB_ADDRESSES, SHORT_NEIGHBOUR_TIMERS, buildHostAndNeighbour, createGuest, deletePort, joinPort, linkMac, makeNames,
  readInNs, type GuestNic, type LabNames,
} from './topology.js';
import { PingRecorder, TcpFlow, tcpEchoTimes } from './traffic.js';
import type { ExpectedOutage, TcpStall, Truth, TruthEvent, TruthGuest, TruthNeighbour } from './truth.js';

/** Context handed to {@link SessionOptions.onHostReady}: names inside the host namespace. */
export interface HostReadyContext {
  hostNs: string;
  bridge: string;
  uplink: string;
}

/** Options of a session (the public LabOptions minus the scenario name). */
export interface SessionOptions {
  out: string;
  fixed: boolean;
  kernelTimers: boolean;
  neighbourFormat: NeighbourFormat;
  vlan?: number;
  pingIntervalMs: number;
  onHostReady?: (ctx: HostReadyContext) => Promise<void>;
  beforeCleanup?: (ctx: HostReadyContext) => Promise<void>;
  log: (message: string) => void;
}

/** A ping the session started, with the file its output goes to. */
interface TrackedPing {
  target: string;
  file: string;
  ping: PingRecorder;
  startedAt: string;
}

export class LabSession {
  readonly names: LabNames = makeNames();
  readonly events: TruthEvent[] = [];
  readonly guests: TruthGuest[] = [];
  readonly neighbours: TruthNeighbour[] = [];
  private recorders: Recorders | null = null;
  private tcp: TcpFlow | null = null;
  private tcpTarget = '';
  private tcpLogFd: number | null = null;
  private tcpStoppedAt: Timestamp | null = null;
  private readonly pings: TrackedPing[] = [];
  private initialBridgeMac = '';
  private stopped = false;
  private kernelLogWritten = false;
  /** When the run began building its namespaces: the start of its kernel-log window. */
  private startedAt: Timestamp | null = null;
  /** The kernel-log marker written at the start (undefined when /dev/kmsg is not writable). */
  private startMarker: string | undefined;
  /** addr_assign_type 3 after the onHostReady hook: pinned by --fixed or by the hook (a fixer). */
  pinned = false;
  ipv6 = false;

  constructor(readonly options: SessionOptions) {}

  /** Appends a lab action stamped now (call just before acting). */
  event(action: string, details: Record<string, unknown> = {}): TruthEvent {
    const ev: TruthEvent = { t: toIso(labNow()), action, ...details };
    this.events.push(ev);
    this.options.log(`${ev.t} ${action} ${JSON.stringify(details)}`);
    return ev;
  }

  /** Builds host and neighbour, starts the recorders and calls the onHostReady hook. */
  async startHost(setup: { ipv6: boolean; stpForwardDelayCs?: number }): Promise<void> {
    this.ipv6 = setup.ipv6;
    this.startedAt = labNow();
    this.startMarker = markKernelLog(`bridgewatch lab ${this.names.nsPrefix.slice(0, -1)}: start`);
    const bridgeSetup = {
      pinned: this.options.fixed, ipv6: setup.ipv6,
      ...(setup.stpForwardDelayCs !== undefined ? { stpForwardDelayCs: setup.stpForwardDelayCs } : {}),
    };
    await buildHostAndNeighbour(this.names, bridgeSetup, this.options.kernelTimers ? null : SHORT_NEIGHBOUR_TIMERS);
    this.initialBridgeMac = await linkMac(this.names.hostNs, this.names.bridge);
    this.neighbours.push({
      name: 'router', ns: this.names.neighbourNs, ifname: this.names.neighbourIf,
      ip: LAB_ADDRESSES.routerIp, ip6: LAB_ADDRESSES.routerIp6, mac: LAB_ADDRESSES.routerMac,
    });
    this.recorders = await startRecorders(this.names, this.options.out, this.options.neighbourFormat);
    if (this.options.onHostReady) {
      await this.options.onHostReady({ hostNs: this.names.hostNs, bridge: this.names.bridge, uplink: this.names.uplink });
      // A hook may have fixed (or changed) the bridge: the truth starts from what it left.
      this.initialBridgeMac = await linkMac(this.names.hostNs, this.names.bridge);
    }
    this.pinned = (await readInNs(this.names.hostNs, `/sys/class/net/${this.names.bridge}/addr_assign_type`)) === '3';
  }

  /** The neighbour's TCP flow and fast ping toward the host (IPv4, or IPv6 for the v6 scenario). */
  async startHostTraffic(family: 4 | 6): Promise<void> {
    const target = family === 6 ? LAB_ADDRESSES.hostIp6 : LAB_ADDRESSES.hostIp;
    this.tcp = new TcpFlow(this.names.hostNs, this.names.neighbourNs, target);
    this.tcpTarget = target;
    this.tcpLogFd = openSync(join(this.options.out, 'tcp.log'), 'w');
    await this.tcp.start(this.tcpLogFd);
    this.startPing(target, 'ping.log');
  }

  /** Starts a neighbour ping toward `target`, its output kept in `file`. */
  startPing(target: string, file: string): PingRecorder {
    const startedAt = this.event('ping-start', { target, intervalMs: this.options.pingIntervalMs }).t;
    const ping = new PingRecorder(this.names.neighbourNs, target, this.options.pingIntervalMs);
    this.pings.push({ target, file, ping, startedAt });
    return ping;
  }

  /** A short counted ping from the neighbour; its output is appended to `file`. Returns replies seen. */
  async pingCount(target: string, count: number, file: string): Promise<number> {
    this.event('ping-start', { target, count, intervalMs: 200 });
    const { stdout } = await runStatus(inNs(this.names.neighbourNs, ['ping', '-D', '-n', '-c', String(count), '-i', '0.2', '-W', '1', '-s', '16', target]), 15_000);
    appendFileSync(join(this.options.out, file), stdout);
    return parsePingReplies(stdout).length;
  }

  /** Runs a command inside guest `index`'s namespace whose failure is an outcome (e.g. a ping). */
  async inGuestStatus(index: number, argv: string[]): Promise<number> {
    return (await runStatus(inNs(this.names.guestNs(index), argv))).code;
  }

  /** Runs a command inside guest `index`'s namespace. */
  async inGuest(index: number, argv: string[]): Promise<void> {
    await run(inNs(this.names.guestNs(index), argv));
  }

  /** The main ping (toward the host). */
  hostPing(): PingRecorder {
    const p = this.pings[0];
    if (!p) throw new Error('host traffic not started');
    return p.ping;
  }

  /** Creates guest `index` with its NICs (ports not yet joined) and records it. */
  async addGuest(index: number, nics: GuestNic[], addr?: { ip?: string; ip6?: string }): Promise<void> {
    await createGuest(this.names, index, nics, { ipv6: addr?.ip6 !== undefined });
    nics.forEach((nic, n) => {
      this.guests.push({
        name: nics.length > 1 ? `guest${index}-nic${n}` : `guest${index}`,
        ns: this.names.guestNs(index), port: this.names.port(index, n), portMac: nic.portMac, guestMac: nic.guestMac,
        ...(addr?.ip !== undefined && n === 0 ? { ip: addr.ip } : {}),
        ...(addr?.ip6 !== undefined && n === 0 ? { ip6: addr.ip6 } : {}),
      });
    });
  }

  /** A port joins the bridge (event first: the lab's clock just before acting). */
  async join(port: string, details: Record<string, unknown> = {}): Promise<void> {
    this.event('port-join', { port, bridge: this.names.bridge, ...details });
    await joinPort(this.names, port);
  }

  /** A port vanishes (deleted, as a tap does when its guest stops). */
  async leave(port: string, details: Record<string, unknown> = {}): Promise<void> {
    this.event('port-leave', { port, bridge: this.names.bridge, ...details });
    await deletePort(this.names, port);
  }

  /** Minimum gap in ping replies that counts as an outage (ms). */
  get minGapMs(): number {
    return Math.max(500, 25 * this.options.pingIntervalMs);
  }

  /** Stops traffic and recorders, writes logs, kernel log and the VLAN copy. Idempotent. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const p of this.pings) await p.ping.stop(join(this.options.out, p.file));
    if (this.tcp) this.tcpStoppedAt = labNow();
    await this.tcp?.stop();
    if (this.tcpLogFd !== null) { closeSync(this.tcpLogFd); this.tcpLogFd = null; }
    if (this.recorders) await stopRecorders(this.recorders);
    const endMarker = markKernelLog(`bridgewatch lab ${this.names.nsPrefix.slice(0, -1)}: end`);
    this.kernelLogWritten = await writeKernelLog(this.names.interfaces(), {
      start: this.startedAt ?? labNow(), end: labNow(),
      ...(this.startMarker !== undefined ? { startMarker: this.startMarker } : {}), ...(endMarker !== undefined ? { endMarker } : {}),
    }, this.options.out);
    if (this.options.vlan !== undefined) await this.tagNeighbourCapture(this.options.vlan);
  }

  /** Replaces neighbour.pcap with a copy whose frames carry an 802.1Q tag (the kernel has no 8021q). */
  private async tagNeighbourCapture(vlan: number): Promise<void> {
    const file = join(this.options.out, neighbourCaptureFile(this.options.neighbourFormat));
    const tmp = `${file}.vlan`;
    await run(['tcprewrite', '--enet-vlan=add', `--enet-vlan-tag=${vlan}`, '--enet-vlan-cfi=0', '--enet-vlan-pri=0', '-i', file, '-o', tmp]);
    renameSync(tmp, file);
  }

  /** Outages in a ping log: gaps in replies, or from the ping's start to the first reply. */
  outagesOf(file: string, target: string, options: { fromStart?: boolean } = {}): ExpectedOutage[] {
    const text = readFileSync(join(this.options.out, file), 'utf8');
    const replies = parsePingReplies(text);
    const out: ExpectedOutage[] = [];
    const tracked = this.pings.find((p) => p.file === file);
    const first = replies[0];
    if (options.fromStart && tracked && first) {
      const start = fromIso(tracked.startedAt);
      if (start && diffMs(start, first.t) > this.minGapMs) {
        out.push({ ip: target, start: tracked.startedAt, end: toIso(first.t), durationMs: round3(diffMs(start, first.t)), measuredBy: 'ping', log: file });
      }
    }
    for (const g of replyGaps(replies, this.minGapMs)) {
      out.push({ ip: target, start: toIso(g.start), end: toIso(g.end), durationMs: round3(g.durationMs), measuredBy: 'ping', log: file });
    }
    return out;
  }

  /** Stalls of the neighbour's TCP flow: gaps between echoes longer than the outage threshold. */
  tcpStalls(): TcpStall[] {
    if (!this.tcpTarget) return [];
    const times = tcpEchoTimes(readFileSync(join(this.options.out, 'tcp.log'), 'utf8'));
    const stalls: TcpStall[] = [];
    for (let i = 1; i < times.length; i++) {
      const gapMs = (times[i]! - times[i - 1]!) * 1000;
      if (gapMs > this.minGapMs) {
        stalls.push({ ip: this.tcpTarget, start: toIso(fromSeconds(times[i - 1]!)), end: toIso(fromSeconds(times[i]!)), durationMs: round3(gapMs), ongoing: false, measuredBy: 'tcp', log: 'tcp.log' });
      }
    }
    const last = times.at(-1);
    const stoppedAt = this.tcpStoppedAt;
    if (last !== undefined && stoppedAt) {
      const gapMs = (toSeconds(stoppedAt) - last) * 1000;
      if (gapMs > this.minGapMs) {
        stalls.push({ ip: this.tcpTarget, start: toIso(fromSeconds(last)), end: toIso(stoppedAt), durationMs: round3(gapMs), ongoing: true, measuredBy: 'tcp', log: 'tcp.log' });
      }
    }
    return stalls;
  }

  /**
   * Waits (at most `timeoutMs`) for a TCP echo received after `afterMs` (epoch ms): the flow's
   * retransmission back-off lets it resume only after the ping does.
   */
  async waitTcpEchoAfter(afterMs: number, timeoutMs: number): Promise<void> {
    if (!this.tcpTarget) return;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const times = tcpEchoTimes(readFileSync(join(this.options.out, 'tcp.log'), 'utf8'));
      if ((times.at(-1) ?? 0) * 1000 > afterMs) return;
      await sleep(100);
    }
  }

  /** Bridge MAC changes from the recorded ip monitor log, as truth entries for the host address. */
  macChangesOfHost(ip: string): Truth['expected']['macChanges'] {
    const text = readFileSync(join(this.options.out, 'ip-monitor.log'), 'utf8');
    return bridgeMacChanges(text, this.names.bridge, this.initialBridgeMac).map((c) => {
      this.events.push({ t: toIso(c.t), action: 'bridge-mac-change', bridge: this.names.bridge, fromMac: c.fromMac, toMac: c.toMac, source: `ip-monitor.log:${c.line}` });
      return { ip, fromMac: c.fromMac, toMac: c.toMac, t: toIso(c.t) };
    });
  }

  /** Writes truth.json (events sorted by time) and returns it. */
  writeTruth(scenario: string, expected: Truth['expected'], notes: string): Truth {
    const o = this.options;
    const files: Truth['files'] = {
      neighbourCapture: neighbourCaptureFile(o.neighbourFormat),
      neighbourFormat: o.neighbourFormat,
      ...(o.vlan !== undefined ? { neighbourVlan: o.vlan } : {}),
      bridgeCapture: 'br0.pcapng',
      ipMonitor: 'ip-monitor.log',
      bridgeMonitor: 'bridge-monitor.log',
      ...(this.kernelLogWritten && existsSync(join(o.out, 'kernel.log')) ? { kernelLog: 'kernel.log' } : {}),
      pingLog: 'ping.log',
      ...(this.tcpTarget ? { tcpLog: 'tcp.log' } : {}),
    };
    const truth: Truth = {
      format: 'bridgewatch-lab/1',
      scenario,
      options: {
        fixed: o.fixed, kernelTimers: o.kernelTimers, neighbourFormat: o.neighbourFormat, ...(o.vlan !== undefined ? { vlan: o.vlan } : {}),
        pingIntervalMs: o.pingIntervalMs,
      },
      kernel: release(),
      host: {
        ns: this.names.hostNs, bridge: this.names.bridge, uplink: this.names.uplink, uplinkMac: LAB_ADDRESSES.uplinkMac,
        bridgeMac: this.initialBridgeMac, pinned: this.pinned, ip: LAB_ADDRESSES.hostIp,
        ...(this.ipv6 ? { ip6: LAB_ADDRESSES.hostIp6 } : {}),
      },
      neighbours: this.neighbours,
      guests: this.guests,
      events: [...this.events].sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : 0)),
      files,
      expected,
      ...(this.tcpTarget ? { observed: { tcpStalls: this.tcpStalls() } } : {}),
      notes,
    };
    writeFileSync(join(o.out, 'truth.json'), JSON.stringify(truth, null, 2) + '\n');
    return truth;
  }

  /** Stops everything still running and removes the namespaces (always called, even on failure). */
  async teardown(): Promise<void> {
    try {
      await this.stop();
    } finally {
      try {
        await this.options.beforeCleanup?.({ hostNs: this.names.hostNs, bridge: this.names.bridge, uplink: this.names.uplink });
      } catch (e) {
        this.options.log(`beforeCleanup hook failed: ${(e as Error).message}`);
      }
      cleanupNamespacesSync(this.names.nsPrefix);
      for (const f of readdirSync(this.options.out)) {
        // dumpcap writes 0600: make the recordings readable like any other output.
        if (RUN_FILES.includes(f)) chmodSync(join(this.options.out, f), 0o644);
      }
    }
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
