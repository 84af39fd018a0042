/**
 * Live capture with `cap` (libpcap), run in a child process (cap-child.ts says why), yielding the
 * same {@link CapturePacket}s as the file readers. The other backend, tcpdump with a small snap
 * length (`live --capture tcpdump`), is tcpdump.ts; it shares the options, stats and errors below.
 *
 * Failure modes, all {@link BridgewatchError}s:
 * - `cap` not installed or not built: LIVE_CAP_MISSING (says which package to install);
 * - not root / no CAP_NET_RAW: LIVE_PERMISSION_DENIED (says how to grant it);
 * - no such interface: LIVE_NO_SUCH_INTERFACE;
 * - interface deleted while capturing: the capture ends with `error` LIVE_INTERFACE_GONE (data,
 *   not thrown) after every packet before it was delivered;
 * - the child died for another reason: LIVE_CAPTURE_FAILED, likewise as data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { BridgewatchError } from '../errors.js';
import { LinkType, type CapturePacket } from '../capture/types.js';
import { CAP_CHILD_SOURCE } from './cap-child.js';
import { RECORD_PACKET, RecordReader, type ChildRecord } from './records.js';

/**
 * Default BPF filter: ARP/RARP, ICMPv6 (NDP), STP BPDUs (802.1D group address), and their
 * 802.1Q-tagged forms. Untagged terms come first on purpose: libpcap's `vlan` keyword shifts the
 * offsets of every term after it (pcap-filter(7)).
 */
export const DEFAULT_BPF = 'arp or rarp or icmp6 or ether dst 01:80:c2:00:00:00 or (vlan and (arp or rarp or icmp6))';

/**
 * libpcap buffer (TPACKET ring) size asked for, bytes. cap opens in immediate mode (TPACKET_V2:
 * fixed slots) with snaplen 65535, and on an interface with segmentation offload (veth, bridges,
 * most NICs) libpcap 1.10 sizes a slot for a 64 KiB frame and rounds its block up to 128 KiB: 64 MiB
 * asked gives 1023 slots, one frame each whatever its size, in 128 MiB of kernel memory. That is
 * ~10 ms of a 100 000 frames/s storm for the capture process to be scheduled in (docs/live.md).
 */
export const DEFAULT_CAPTURE_BUFFER_BYTES = 64 * 1024 * 1024;

/** How the grant is worded in LIVE_PERMISSION_DENIED. */
export const GRANT_HINT = 'run as root, or grant the capability: setcap cap_net_raw,cap_net_admin+eip $(readlink -f $(which node))';

export interface LiveCaptureOptions {
  /** Interface to capture on (`any` is accepted: libpcap then yields LINUX_SLL). */
  iface: string;
  /** BPF filter; the empty string captures every frame. Default {@link DEFAULT_BPF}. */
  filter?: string;
  /** libpcap buffer size, bytes. Default {@link DEFAULT_CAPTURE_BUFFER_BYTES}. */
  bufferBytes?: number;
  /** Interval between drop-counter reports, ms. Default 10 000. */
  statsIntervalMs?: number;
  /** How often to check that the interface still exists, ms. Default 500. */
  interfaceCheckMs?: number;
  /** Capture inside this named network namespace (`ip netns exec NS`); default: our own. */
  netns?: string;
}

/** Counters of one live capture. All counts are frames since the capture started. */
export interface LiveCaptureStats {
  /** Frames libpcap handed to the capture process. */
  captured: number;
  /** Frames that reached the analysis (captured - queueDrops - in flight). */
  received: number;
  /** Frames dropped because analysis fell more than 32 MiB behind (bounded memory). */
  queueDrops: number;
  /** Frames longer than cap's 64 KiB buffer (kept truncated). */
  truncated: number;
  /**
   * Frames the interface saw (sysfs rx_packets + tx_packets since start), null when unreadable.
   * cap 0.2.1 does not expose libpcap's `pcap_stats`, so kernel ring drops are estimated from it.
   */
  interfaceFrames: number | null;
  /** sysfs rx_dropped since start (drops by the interface/stack, not by the capture). */
  interfaceRxDropped: number | null;
  /**
   * Estimated frames the kernel dropped before the capture saw them: interfaceFrames - captured,
   * floored at 0. Only meaningful without a BPF filter (`--all`); null with a filter. With the
   * tcpdump backend (tcpdump.ts) it is libpcap's exact `pcap_stats` drop counter once tcpdump
   * reported it, filter or not.
   */
  kernelDropsEstimate: number | null;
  /**
   * Where {@link kernelDropsEstimate} comes from: `pcap_stats` (exact, tcpdump backend) or
   * `interface counters` (the sysfs estimate above); absent when it is null.
   */
  kernelDropsFrom?: 'pcap_stats' | 'interface counters';
}

/** How a capture ended. */
export interface LiveCaptureEnd {
  stats: LiveCaptureStats;
  /** Set when the capture ended on a fault (interface gone, child died). */
  error?: BridgewatchError;
}

/** A running capture. */
export interface LiveCapture {
  readonly iface: string;
  /** LINKTYPE_* of the interface. */
  readonly linkType: number;
  stats(): LiveCaptureStats;
  /** Stops capturing; resolves once every captured frame was delivered. Idempotent. */
  stop(): Promise<LiveCaptureEnd>;
  /** Resolves when the capture ends, by {@link stop} or by a fault. */
  readonly ended: Promise<LiveCaptureEnd>;
}

export interface LiveCaptureHandlers {
  /** Called per frame with a reused object; `data` is valid only during the call. */
  onPacket(p: CapturePacket): void;
  /** Called with fresh counters every `statsIntervalMs`. */
  onStats?(s: LiveCaptureStats): void;
}

interface ChildMessage {
  type: 'ready' | 'error' | 'stats' | 'gone';
  rxPackets?: number | null;
  txPackets?: number | null;
  rxDropped?: number | null;
  stage?: string;
  message?: string;
  linkType?: string;
  captured?: number;
  queueDrops?: number;
  truncated?: number;
  final?: boolean;
}

const CAP_LINKTYPES: Record<string, number> = {
  ETHERNET: LinkType.ETHERNET,
  LINKTYPE_LINUX_SLL: LinkType.LINUX_SLL,
  RAW: 101,
  NULL: 0,
};

/** Resolves cap's entry file, or throws LIVE_CAP_MISSING saying what to install. */
export async function locateCap(moduleName = 'cap'): Promise<string> {
  try {
    // Loading it here (not only in the child) proves the native binding and libpcap load.
    await import(moduleName);
    return createRequire(import.meta.url).resolve(moduleName);
  } catch (e) {
    throw new BridgewatchError(
      'LIVE_CAP_MISSING',
      `the optional dependency "${moduleName}" is not built (${firstLine(e)}): install libpcap (apt-get install libpcap-dev) then run "npm rebuild cap" (or reinstall bridgewatch), or capture with tcpdump (--capture tcpdump)`,
      {},
      { cause: e },
    );
  }
}

/** Maps cap.open's (or tcpdump's) error text to a stable error; `grantHint` says how to allow capturing. */
export function classifyOpenError(iface: string, message: string, grantHint = GRANT_HINT): BridgewatchError {
  if (/permission|not permitted|EPERM|EACCES/i.test(message)) {
    return new BridgewatchError('LIVE_PERMISSION_DENIED', `cannot capture: permission denied (${message}); ${grantHint}`, { file: iface });
  }
  if (/syntax error|illegal|unknown (host|ether|protocol)|filter expression/i.test(message)) {
    return new BridgewatchError('USAGE', `invalid capture filter (${message})`, { file: iface });
  }
  if (/no such device|doesn't exist|does not exist|ENODEV|ENXIO/i.test(message)) {
    return new BridgewatchError('LIVE_NO_SUCH_INTERFACE', 'no such network interface in this network namespace', { file: iface });
  }
  return new BridgewatchError('LIVE_CAPTURE_FAILED', `cannot capture: ${message}`, { file: iface });
}

/** True when `iface` exists in this network namespace (per sysfs; `any` always exists). */
export function interfaceExists(iface: string): boolean {
  return iface === 'any' || (isPlainName(iface) && existsSync(`/sys/class/net/${iface}`));
}

function isPlainName(iface: string): boolean {
  return iface.length > 0 && iface.length <= 15 && !iface.includes('/') && iface !== '.' && iface !== '..';
}

/** The first line of an error's message (or of any text). */
export function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n')[0] ?? text;
}

/**
 * Opens a live capture. Resolves once libpcap is capturing (so frames sent afterwards are seen);
 * rejects with LIVE_CAP_MISSING, LIVE_PERMISSION_DENIED, LIVE_NO_SUCH_INTERFACE or
 * LIVE_CAPTURE_FAILED.
 */
export async function openLiveCapture(options: LiveCaptureOptions, handlers: LiveCaptureHandlers): Promise<LiveCapture> {
  const iface = options.iface;
  if (options.netns === undefined && !interfaceExists(iface)) {
    throw new BridgewatchError('LIVE_NO_SUCH_INTERFACE', 'no such network interface in this network namespace', { file: iface });
  }
  const capPath = await locateCap();
  const filter = options.filter ?? DEFAULT_BPF;
  const argv = [
    process.execPath, '-e', CAP_CHILD_SOURCE, capPath, iface, filter,
    String(options.bufferBytes ?? DEFAULT_CAPTURE_BUFFER_BYTES), String(options.statsIntervalMs ?? 10_000),
    String(options.interfaceCheckMs ?? 500),
  ];
  if (options.netns !== undefined) argv.unshift('ip', 'netns', 'exec', options.netns);
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'ignore', 'pipe', 'pipe'] });
  return new Promise<LiveCapture>((resolve, reject) => {
    new CaptureSession(iface, filter, child, handlers, resolve, reject);
  });
}


/** Interface counters as the child read them (absolute sysfs values). */
interface Counters { rxPackets: number | null; txPackets: number | null; rxDropped: number | null }

function delta(now: number | null | undefined, base: number | null | undefined): number | null {
  return typeof now === 'number' && typeof base === 'number' && Number.isFinite(now) && Number.isFinite(base) ? now - base : null;
}

/**
 * How a capture session starts and ends, shared by both backends: the open promise is resolved or
 * rejected once; a fault after that is kept for the capture's end, and the capture process is
 * told to stop either way; {@link ended} resolves once, when the capture process is gone.
 */
export class OpenOutcome {
  /** The open promise was resolved or rejected. */
  settled = false;
  /** The first fault after the capture opened (reported when it ends). */
  private kept: BridgewatchError | undefined;
  /** The open promise was resolved: the capture ran. */
  private isOpen = false;
  /** Resolves once, when the capture process is gone (see {@link end}). */
  readonly ended: Promise<LiveCaptureEnd>;
  private resolveEnded!: (end: LiveCaptureEnd) => void;

  constructor(
    private readonly resolveOpen: (c: LiveCapture) => void,
    private readonly rejectOpen: (e: BridgewatchError) => void,
    private readonly stopCapture: () => void,
  ) {
    this.ended = new Promise((r) => { this.resolveEnded = r; });
  }

  opened(c: LiveCapture): void {
    this.settled = true;
    this.isOpen = true;
    this.resolveOpen(c);
  }

  /** Rejects the open with `error` when it is still pending. */
  refuse(error: BridgewatchError): void {
    if (this.settled) return;
    this.settled = true;
    this.rejectOpen(error);
  }

  /** A fault: rejects the open when pending, else keeps it for the end; stops the capture. */
  fail(error: BridgewatchError): void {
    if (this.settled) this.kept ??= error;
    else this.refuse(error);
    this.stopCapture();
  }

  /**
   * Ends the capture with `stats`. A capture that opened ends with an error: the fault kept, else a
   * deleted interface (`gone`), else `unclean` (the process ended without being stopped cleanly:
   * LIVE_CAPTURE_FAILED, `unclean` says how); none after a clean stop. One that never opened was
   * already refused: it ends with its stats alone.
   */
  end(stats: LiveCaptureStats, iface: string, gone: boolean, unclean: string | null): void {
    const error = this.isOpen ? this.endError(iface, stats.received, gone, unclean) : undefined;
    this.resolveEnded(error ? { stats, error } : { stats });
  }

  private endError(iface: string, received: number, gone: boolean, unclean: string | null): BridgewatchError | undefined {
    if (this.kept) return this.kept;
    if (gone) return new BridgewatchError('LIVE_INTERFACE_GONE', `interface was deleted during the capture (${received} frames captured before)`, { file: iface });
    return unclean === null ? undefined : new BridgewatchError('LIVE_CAPTURE_FAILED', unclean, { file: iface });
  }
}

/** cap 0.2.1's reaction to a deleted interface: `Assertion 'status == 0' failed` then SIGABRT. */
const CAP_POLL_ASSERT = /cb_packets.*status == 0/;

/** Parent side of one capture child. */
class CaptureSession implements LiveCapture {
  linkType: number = LinkType.ETHERNET;
  readonly ended: Promise<LiveCaptureEnd>;
  private readonly outcome: OpenOutcome;
  private finished = false;
  private stopping = false;
  private gone = false;
  private childCaptured = 0;
  private queueDrops = 0;
  private truncated = 0;
  private received = 0;
  private finalStats = false;
  private stderrTail = '';
  private base: Counters = { rxPackets: null, txPackets: null, rxDropped: null };
  private last: Counters = { rxPackets: null, txPackets: null, rxDropped: null };
  private readonly packet: CapturePacket = {
    frame: 0, fileIndex: 0, tsSec: 0, tsNsec: 0, interfaceId: 0, linkType: LinkType.ETHERNET,
    capturedLength: 0, originalLength: 0, data: new Uint8Array(0),
  };

  constructor(
    readonly iface: string,
    private readonly filter: string,
    private readonly child: ChildProcess,
    private readonly handlers: LiveCaptureHandlers,
    resolveOpen: (c: LiveCapture) => void,
    rejectOpen: (e: BridgewatchError) => void,
  ) {
    this.outcome = new OpenOutcome(resolveOpen, rejectOpen, () => child.kill('SIGTERM'));
    this.ended = this.outcome.ended;
    const reader = new RecordReader(`live:${iface}`, (r) => this.onRecord(r));
    const data = child.stdio[3] as Readable;
    data.on('data', (chunk: Buffer) => {
      try { reader.push(chunk); } catch (e) { this.fail(e as BridgewatchError); }
    });
    child.stderr?.on('data', (b: Buffer) => { this.stderrTail = (this.stderrTail + b.toString('utf8')).slice(-4000); });
    child.stdin?.on('error', () => { /* child gone: reported through exit */ });
    // Wait for the data pipe to close as well as for the exit, so no frame is lost.
    let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
    let drained = false;
    const settle = (): void => { if (exited && drained) this.onChildEnd(exited.code, exited.signal); };
    child.on('exit', (code, signal) => { exited = { code, signal }; settle(); });
    data.on('close', () => { drained = true; settle(); });
    child.on('error', (e) => {
      this.fail(new BridgewatchError('LIVE_CAPTURE_FAILED', `cannot start the capture process: ${e.message}`, { file: iface }, { cause: e }));
      exited ??= { code: null, signal: null };
      drained = true;
      settle();
    });
  }

  stats(): LiveCaptureStats {
    const rx = delta(this.last.rxPackets, this.base.rxPackets);
    const tx = delta(this.last.txPackets, this.base.txPackets);
    const interfaceFrames = rx !== null && tx !== null ? rx + tx : null;
    const kernelDropsEstimate = this.filter === '' && interfaceFrames !== null ? Math.max(0, interfaceFrames - this.childCaptured) : null;
    return {
      captured: Math.max(this.childCaptured, this.received + this.queueDrops),
      received: this.received,
      queueDrops: this.queueDrops,
      truncated: this.truncated,
      interfaceFrames,
      interfaceRxDropped: delta(this.last.rxDropped, this.base.rxDropped),
      kernelDropsEstimate,
      ...(kernelDropsEstimate !== null ? { kernelDropsFrom: 'interface counters' as const } : {}),
    };
  }

  stop(): Promise<LiveCaptureEnd> {
    if (!this.finished && !this.stopping) {
      this.stopping = true;
      this.child.stdin?.end();
      this.child.kill('SIGTERM');
    }
    return this.ended;
  }

  private onRecord(r: ChildRecord): void {
    if (r.type === RECORD_PACKET) {
      const p = this.packet;
      p.frame = ++this.received;
      p.tsSec = r.tsSec;
      p.tsNsec = r.tsNsec;
      p.linkType = this.linkType;
      p.capturedLength = r.payload.length;
      p.originalLength = r.wireLength;
      p.data = r.payload;
      this.handlers.onPacket(p);
      return;
    }
    const msg = JSON.parse(Buffer.from(r.payload).toString('utf8')) as ChildMessage;
    if (msg.type === 'ready') {
      this.linkType = CAP_LINKTYPES[msg.linkType ?? ''] ?? LinkType.ETHERNET;
      this.base = { rxPackets: msg.rxPackets ?? null, txPackets: msg.txPackets ?? null, rxDropped: msg.rxDropped ?? null };
      this.last = this.base;
      this.outcome.opened(this);
    } else if (msg.type === 'error') {
      const text = msg.message ?? 'unknown error';
      this.fail(msg.stage === 'load'
        ? new BridgewatchError('LIVE_CAP_MISSING', `the optional dependency "cap" does not load (${text}): install libpcap (apt-get install libpcap-dev) then run "npm rebuild cap", or capture with tcpdump (--capture tcpdump)`, { file: this.iface })
        : classifyOpenError(this.iface, text));
    } else if (msg.type === 'gone') {
      this.gone = true;
    } else if (msg.type === 'stats') {
      this.childCaptured = msg.captured ?? this.childCaptured;
      this.queueDrops = msg.queueDrops ?? this.queueDrops;
      this.truncated = msg.truncated ?? this.truncated;
      // Keep the last readable counters: a deleted interface has none.
      if (typeof msg.rxPackets === 'number') this.last = { rxPackets: msg.rxPackets, txPackets: msg.txPackets ?? null, rxDropped: msg.rxDropped ?? null };
      if (msg.final) this.finalStats = true;
      else this.handlers.onStats?.(this.stats());
    }
  }

  private fail(error: BridgewatchError): void {
    this.outcome.fail(error);
  }

  private onChildEnd(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.finished) return;
    this.finished = true;
    const stats = this.stats();
    const how = signal ?? `exit ${code}`;
    if (!this.outcome.settled) {
      // Died before saying ready or error (e.g. `ip netns exec` failed, or cap aborted in open).
      const said = firstLine(this.stderrTail.trim());
      this.outcome.refuse(/No such device|does not exist|Cannot open network namespace/i.test(said)
        ? new BridgewatchError('LIVE_NO_SUCH_INTERFACE', `cannot capture: ${said}`, { file: this.iface })
        : new BridgewatchError('LIVE_CAPTURE_FAILED', `capture process ended (${how}): ${said || 'no message'}`, { file: this.iface }));
    }
    this.outcome.end(stats, this.iface, this.gone || CAP_POLL_ASSERT.test(this.stderrTail),
      this.finalStats ? null : `capture process ended unexpectedly (${how}): ${firstLine(this.stderrTail.trim()) || 'no message'}`);
  }
}
