/**
 * Second live capture backend (`bridgewatch live --capture tcpdump`): runs
 * `tcpdump -i IFACE -s SNAPLEN --immediate-mode -U -B KIB --time-stamp-precision nano -w OUT -n -- FILTER`
 * (under `ip netns exec NS` when asked) and reads the pcap stream with the project's own reader
 * (src/capture), yielding the same {@link CapturePacket}s as the cap backend. OUT is a private
 * FIFO when running as root (read with the pipe reader, paced: see makeFifo), else stdout.
 *
 * Why: cap 0.2.1 hard-codes snaplen 65535, so libpcap gives it ring slots sized for 64 KiB frames
 * (on interfaces with segmentation offload): the default 64 MiB ring holds ~1000 frames, ~10 ms of
 * a 100 000 frames/s storm. With {@link TCPDUMP_SNAPLEN} bytes per frame the same 64 MiB holds
 * ~100 000 frames (docs/live.md, "Which capture backend").
 *
 * Differences from the cap backend, all deliberate:
 * - Timestamps are libpcap's (kernel stamps, ns), not stamps taken on delivery. Kernel stamps of
 *   one interface can step back by a few µs between CPUs; they are clamped so the frames handed
 *   on never go back in time (live's detection clock relies on that, as with cap).
 * - Kernel drops are libpcap's own `pcap_stats` counter (tcpdump prints it on SIGUSR1, sent every
 *   stats interval, and at exit), exact and available with a BPF filter too: `kernelDropsEstimate`
 *   then carries it and `kernelDropsFrom` says `pcap_stats`.
 * - No queue of our own: when analysis falls behind, the pipe fills, tcpdump waits on it and the
 *   kernel ring absorbs (then drops, counted above). `queueDrops` stays 0.
 * - `truncated` counts frames cut to the snap length (any frame longer than it: expected with
 *   `--all`; nothing the decoder reads is past it).
 *
 * Failure modes are those of the cap backend (capture.ts) with LIVE_TCPDUMP_MISSING in place of
 * LIVE_CAP_MISSING.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, closeSync, constants as fsConstants, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, isAbsolute, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import { BridgewatchError } from '../errors.js';
import { CaptureReader } from '../capture/reader.js';
import { LinkType, type CapturePacket } from '../capture/types.js';
import {
  classifyOpenError, DEFAULT_BPF, DEFAULT_CAPTURE_BUFFER_BYTES, firstLine, interfaceExists, OpenOutcome,
  type LiveCapture, type LiveCaptureEnd, type LiveCaptureHandlers, type LiveCaptureOptions, type LiveCaptureStats,
} from './capture.js';

/**
 * Snap length of the tcpdump backend, bytes. What the decoders read: Ethernet (14) + two VLAN
 * tags (8) + IPv6 (40) + extension headers + ICMPv6 NDP (fixed part up to 24, then options of 8
 * bytes for link-layer addresses, after any prefix/MTU options of a router advertisement), ARP (28),
 * STP/RSTP BPDUs (36), IPv4 + TCP headers (up to 60 + 60). 512 leaves ~400 bytes for IPv6
 * extension headers and NDP options; lengths the decoders need beyond it come from the headers
 * (IP total length) or the record's original length, which pcap keeps.
 */
export const TCPDUMP_SNAPLEN = 512;

/** Backends of `live --capture`. */
export const CAPTURE_BACKENDS = ['cap', 'tcpdump'] as const;
export type CaptureBackend = (typeof CAPTURE_BACKENDS)[number];

/** The one-line install hint of LIVE_TCPDUMP_MISSING. */
export const TCPDUMP_INSTALL_HINT = 'install it (apt-get install tcpdump) or use the default backend (--capture cap)';

/** How the grant is worded in LIVE_PERMISSION_DENIED: here tcpdump opens the capture, not node. */
export const TCPDUMP_GRANT_HINT = 'run as root, or grant the capability: setcap cap_net_raw,cap_net_admin+eip $(readlink -f $(which tcpdump))';

/** Options the tcpdump command line is built from. */
export interface TcpdumpArgsOptions {
  /** Absolute path of tcpdump (see {@link locateTcpdump}). */
  tcpdump: string;
  iface: string;
  /** BPF filter; '' captures every frame. */
  filter: string;
  /** Ring size asked for, bytes (passed to -B in KiB, rounded up). */
  bufferBytes: number;
  snaplen?: number;
  /** Run inside this named network namespace. */
  netns?: string;
  /** Write the pcap stream here instead of stdout (a FIFO), keeping root (`-Z root`) to open it. */
  fifo?: string;
}

/** argv (program first) of the tcpdump capture. */
export function tcpdumpArgs(o: TcpdumpArgsOptions): string[] {
  const argv = [
    o.tcpdump, '-i', o.iface, '-s', String(o.snaplen ?? TCPDUMP_SNAPLEN), '--immediate-mode', '-U',
    '-B', String(Math.max(1, Math.ceil(o.bufferBytes / 1024))), '--time-stamp-precision', 'nano', '-w', o.fifo ?? '-', '-n',
  ];
  if (o.fifo !== undefined) argv.push('-Z', 'root');
  // `--` ends the options: a filter is never read as one.
  if (o.filter !== '') argv.push('--', o.filter);
  return o.netns === undefined ? argv : ['ip', 'netns', 'exec', o.netns, ...argv];
}

/** libpcap's counters as tcpdump prints them. */
export interface TcpdumpStats {
  /** Frames tcpdump wrote out. */
  captured: number;
  /** pcap_stats ps_recv: frames that passed the filter (on Linux, including those dropped). */
  receivedByFilter: number;
  /** pcap_stats ps_drop: frames the kernel dropped because the ring was full. */
  droppedByKernel: number;
}

/**
 * Counter text tcpdump writes to stderr: on SIGUSR1 one line (`tcpdump: 5 packets captured, 6
 * packets received by filter, 1 packet dropped by kernel`), at exit three lines without the prefix.
 */
const STATS_RE = /(\d+) packets? captured[,\s]+(\d+) packets? received by filter[,\s]+(\d+) packets? dropped by kernel/;

/**
 * Finds the first complete counter report in `text`; returns it and where it ends, or null when
 * `text` holds none (yet: a report cut between two reads completes with the next).
 */
export function parseTcpdumpStats(text: string): { stats: TcpdumpStats; end: number } | null {
  const m = STATS_RE.exec(text);
  if (!m) return null;
  return { stats: { captured: Number(m[1]), receivedByFilter: Number(m[2]), droppedByKernel: Number(m[3]) }, end: m.index + m[0].length };
}

/** `tcpdump: listening on IFACE, link-type NAME (description), snapshot length N bytes`. */
const LISTENING_RE = /listening on (\S+), link-type (\S+)/;

/** DLT names tcpdump prints to LINKTYPE_* numbers (the pcap header says the same once data flows). */
const DLT_LINKTYPES: Record<string, number> = {
  EN10MB: LinkType.ETHERNET,
  LINUX_SLL: LinkType.LINUX_SLL,
  LINUX_SLL2: LinkType.LINUX_SLL2,
  RAW: 101,
  NULL: 0,
};

/** LINKTYPE_* of tcpdump's "listening on" line, or null when `line` is not one. */
export function parseListening(line: string): number | null {
  const m = LISTENING_RE.exec(line);
  if (!m) return null;
  return DLT_LINKTYPES[m[2]!] ?? LinkType.ETHERNET;
}

/**
 * Absolute path of tcpdump: `name` itself when it holds a slash, else the first executable of that
 * name on `path` (as a shell would find it). Throws LIVE_TCPDUMP_MISSING, one line.
 */
export function locateTcpdump(name = 'tcpdump', path = process.env['PATH'] ?? ''): string {
  const candidates = name.includes('/') ? [name] : path.split(delimiter).filter((d) => isAbsolute(d)).map((d) => join(d, name));
  for (const c of candidates) {
    try {
      accessSync(c, fsConstants.X_OK);
      return c;
    } catch { /* next */ }
  }
  throw new BridgewatchError('LIVE_TCPDUMP_MISSING', `${name} is not installed (not found on PATH): ${TCPDUMP_INSTALL_HINT}`);
}

/** Interface counters of a network namespace from /proc/PID/net/dev (the process's namespace). */
interface Counters { rxPackets: number; txPackets: number; rxDropped: number }

/** Reads IFACE's counters from /proc/PID/net/dev; null when the process or the interface is gone. */
export function readNetDev(pid: number, iface: string, text?: string): Counters | null {
  let body = text;
  if (body === undefined) {
    try { body = readFileSync(`/proc/${pid}/net/dev`, 'utf8'); } catch { return null; }
  }
  for (const line of body.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0 || line.slice(0, colon).trim() !== iface) continue;
    // rx: bytes packets errs drop fifo frame compressed multicast; tx: bytes packets ...
    const f = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    if (f.length < 10) return null;
    return { rxPackets: f[1]!, rxDropped: f[3]!, txPackets: f[9]! };
  }
  return null;
}

/** How {@link openTcpdumpCapture} runs tcpdump (tests choose; the defaults are what live uses). */
export interface TcpdumpHow {
  /** Program name or path (default `tcpdump`, looked up on PATH). */
  tcpdump?: string;
  /** `fifo` (default as root, see makeFifo) or `stdout` (default otherwise). */
  output?: 'fifo' | 'stdout';
}

/**
 * Opens a live capture with tcpdump. Resolves once tcpdump is capturing ("listening on"); rejects
 * with LIVE_TCPDUMP_MISSING, LIVE_PERMISSION_DENIED, LIVE_NO_SUCH_INTERFACE, USAGE (bad filter) or
 * LIVE_CAPTURE_FAILED.
 */
export async function openTcpdumpCapture(
  options: LiveCaptureOptions,
  handlers: LiveCaptureHandlers,
  how: TcpdumpHow = {},
): Promise<LiveCapture> {
  const iface = options.iface;
  if (options.netns === undefined && !interfaceExists(iface)) {
    throw new BridgewatchError('LIVE_NO_SUCH_INTERFACE', 'no such network interface in this network namespace', { file: iface });
  }
  const tcpdump = locateTcpdump(how.tcpdump);
  const filter = options.filter ?? DEFAULT_BPF;
  const fifo = how.output !== 'stdout' && process.geteuid?.() === 0 ? makeFifo() : null;
  const argv = tcpdumpArgs({
    tcpdump, iface, filter, bufferBytes: options.bufferBytes ?? DEFAULT_CAPTURE_BUFFER_BYTES,
    ...(options.netns !== undefined ? { netns: options.netns } : {}),
    ...(fifo ? { fifo: fifo.path } : {}),
  });
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', fifo ? 'ignore' : 'pipe', 'pipe'] });
  return new Promise<LiveCapture>((resolve, reject) => {
    new TcpdumpSession(iface, filter, child, fifo, handlers, {
      statsIntervalMs: Math.max(100, options.statsIntervalMs ?? 10_000),
      interfaceCheckMs: Math.max(50, options.interfaceCheckMs ?? 500),
    }, resolve, reject);
  });
}

/**
 * A FIFO for tcpdump's output, in a private directory, already open at both ends here: the read
 * end for the pipe reader, and a write end held until tcpdump exits, so the reader sees neither an
 * early end of input (before tcpdump opened it) nor waits forever (when tcpdump fails before).
 */
interface Fifo { dir: string; path: string; readFd: number; holdFd: number }

/**
 * Why a FIFO and not tcpdump's stdout: a FIFO is read with the project's pipe reader
 * (src/capture/pipe.ts), which stops reading between chunks; tcpdump -U writes every frame on its
 * own, and reading each write as it comes (as a stdout stream does) woke the analysis process per
 * frame. Only as root: tcpdump keeps root (`-Z root`) to open a FIFO only root may use.
 */
function makeFifo(): Fifo | null {
  const dir = mkdtempSync(join(tmpdir(), 'bridgewatch-tcpdump-'));
  // Named *.pcap: AppArmor's tcpdump profile (Ubuntu) lets tcpdump write files of that name.
  const path = join(dir, 'stream.pcap');
  let readFd = -1;
  try {
    const made = spawnSync('mkfifo', ['-m', '600', path], { stdio: 'ignore' });
    if (made.status !== 0) throw new Error('mkfifo failed');
    readFd = openSync(path, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
    const holdFd = openSync(path, fsConstants.O_WRONLY | fsConstants.O_NONBLOCK);
    return { dir, path, readFd, holdFd };
  } catch {
    // Then stdout it is.
    if (readFd >= 0) closeSync(readFd);
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
}

/** tcpdump's message without its `tcpdump: ` prefix (and libpcap's `IFACE: ` prefix). */
function tcpdumpMessage(iface: string, stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !LISTENING_RE.test(l) && !STATS_RE.test(l) &&
    !/^\d+ packets? (captured|received by filter|dropped by (kernel|interface))$/.test(l));
  const line = lines[0] ?? '';
  return line.replace(/^tcpdump: /, '').replace(new RegExp(`^${iface.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `), '');
}

/** Least time between two reads of the FIFO under load, ms (see TcpdumpSession.read). */
const READ_GAP_MS = 1;

/** libpcap's words for a capture interface that was deleted (pcap-linux.c). */
const GONE_RE = /interface disappeared|No such device/i;

/** Parent side of one tcpdump process. */
class TcpdumpSession implements LiveCapture {
  linkType: number = LinkType.ETHERNET;
  readonly ended: Promise<LiveCaptureEnd>;
  private readonly outcome: OpenOutcome;
  private finished = false;
  private stopping = false;
  private gone = false;
  private received = 0;
  private truncated = 0;
  private pcap: TcpdumpStats | null = null;
  /** A SIGUSR1 is out and its report has not come back. */
  private statsAsked = false;
  private stderrText = '';
  /** stderr not yet scanned for counter reports. */
  private stderrPending = '';
  private base: Counters | null = null;
  private last: Counters | null = null;
  private lastSec = 0;
  private lastNsec = 0;
  private timers: NodeJS.Timeout[] = [];

  constructor(
    readonly iface: string,
    private readonly filter: string,
    private readonly child: ChildProcess,
    private readonly fifo: Fifo | null,
    private readonly handlers: LiveCaptureHandlers,
    private readonly intervals: { statsIntervalMs: number; interfaceCheckMs: number },
    resolveOpen: (c: LiveCapture) => void,
    rejectOpen: (e: BridgewatchError) => void,
  ) {
    this.outcome = new OpenOutcome(resolveOpen, rejectOpen, () => child.kill('SIGTERM'));
    this.ended = this.outcome.ended;
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (text: string) => this.onStderr(text));
    // The data and the exit: both are waited for, so no frame is lost.
    let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
    let drained = false;
    let stderrClosed = false;
    const settle = (): void => { if (exited && drained && stderrClosed) this.onChildEnd(exited.code, exited.signal); };
    child.on('exit', (code, signal) => { exited = { code, signal }; this.releaseFifo(); settle(); });
    child.stderr!.on('close', () => { stderrClosed = true; settle(); });
    child.on('error', (e) => {
      this.fail(new BridgewatchError('LIVE_CAPTURE_FAILED', `cannot start tcpdump: ${e.message}`, { file: iface }, { cause: e }));
      exited ??= { code: null, signal: null };
      this.releaseFifo();
      drained = true;
      stderrClosed = true;
      settle();
    });
    void this.read(fifo ? null : child.stdout!).then(() => { drained = true; settle(); });
  }

  /** Closes the FIFO's held write end (the reader then ends after tcpdump's last frame). */
  private releaseFifo(): void {
    if (this.fifo && this.fifo.holdFd >= 0) {
      closeSync(this.fifo.holdFd);
      this.fifo.holdFd = -1;
    }
  }

  /** Reads the pcap stream (the FIFO, else stdout) until tcpdump closes it. */
  private async read(stdout: Readable | null): Promise<void> {
    const path = `live:${this.iface}`;
    const reader = new CaptureReader(this.fifo ? { path, fd: this.fifo.readFd } : { path, stream: stdout! }, 0);
    const onPacket = (p: CapturePacket): void => this.onPacket(p);
    // Under a storm, wait for the rest of READ_GAP_MS after a read before the next, so the pipe
    // gathers frames and one read takes them all (the FIFO reader reads nothing meanwhile). A
    // lone frame is still read at once.
    let lastRead = -1e9;
    for (;;) {
      const since = performance.now() - lastRead;
      if (this.fifo && since < READ_GAP_MS) await new Promise((r) => setTimeout(r, READ_GAP_MS - since));
      if (!(await reader.fill())) break;
      lastRead = performance.now();
      reader.drain(onPacket);
    }
    // An empty stream (tcpdump failed before its first frame) is not a fault of the stream.
    if (reader.error && reader.error.code !== 'CAPTURE_EMPTY') {
      this.fail(new BridgewatchError('LIVE_CAPTURE_FAILED', `unreadable data from tcpdump: ${reader.error.message}`, { file: this.iface }));
    }
  }

  private onPacket(p: CapturePacket): void {
    // Kernel stamps of one interface may step back by µs across CPUs: keep them in order.
    if (p.tsSec < this.lastSec || (p.tsSec === this.lastSec && p.tsNsec < this.lastNsec)) {
      p.tsSec = this.lastSec;
      p.tsNsec = this.lastNsec;
    } else {
      this.lastSec = p.tsSec;
      this.lastNsec = p.tsNsec;
    }
    this.received++;
    if (p.originalLength > p.capturedLength) this.truncated++;
    this.handlers.onPacket(p);
  }

  private onStderr(text: string): void {
    this.stderrText = (this.stderrText + text).slice(-4000);
    this.stderrPending += text;
    if (!this.outcome.settled) {
      // Warnings may come first: look at every line so far.
      const linkType = parseListening(this.stderrText);
      if (linkType !== null) this.onListening(linkType);
    }
    for (let r = parseTcpdumpStats(this.stderrPending); r !== null; r = parseTcpdumpStats(this.stderrPending)) {
      this.pcap = r.stats;
      this.stderrPending = this.stderrPending.slice(r.end);
      if (this.statsAsked) {
        this.statsAsked = false;
        this.handlers.onStats?.(this.stats());
      }
    }
    // Nothing of interest is longer than this: keep the unscanned rest bounded.
    if (this.stderrPending.length > 4000) this.stderrPending = this.stderrPending.slice(-1000);
  }

  private onListening(linkType: number): void {
    this.linkType = linkType;
    this.base = readNetDev(this.child.pid!, this.iface);
    this.last = this.base;
    this.timers.push(setInterval(() => this.askStats(), this.intervals.statsIntervalMs));
    // Without readable counters (not root: /proc/PID/net of another user) tcpdump's own exit says it.
    if (this.iface !== 'any' && this.base !== null) this.timers.push(setInterval(() => this.checkInterface(), this.intervals.interfaceCheckMs));
    this.outcome.opened(this);
  }

  /** Every stats interval: fresh interface counters, and libpcap's by SIGUSR1 (reported when they come). */
  private askStats(): void {
    if (this.finished || this.stopping) return;
    const now = readNetDev(this.child.pid!, this.iface);
    if (now) this.last = now;
    // The previous request went unanswered (a tcpdump built without SIGUSR1 reports would have
    // died of it, so this is a slow one): report what is known rather than nothing.
    if (this.statsAsked) this.handlers.onStats?.(this.stats());
    this.statsAsked = true;
    this.child.kill('SIGUSR1');
  }

  private checkInterface(): void {
    if (this.finished || this.stopping || this.gone) return;
    if (readNetDev(this.child.pid!, this.iface) === null && this.child.exitCode === null) {
      this.gone = true;
      this.child.kill('SIGTERM');
    }
  }

  stats(): LiveCaptureStats {
    const base = this.base;
    const last = this.last;
    const interfaceFrames = base && last ? last.rxPackets - base.rxPackets + last.txPackets - base.txPackets : null;
    const captured = Math.max(this.pcap?.captured ?? 0, this.received);
    const kernel = this.pcap !== null
      ? { kernelDropsEstimate: this.pcap.droppedByKernel, kernelDropsFrom: 'pcap_stats' as const }
      : this.filter === '' && interfaceFrames !== null
        ? { kernelDropsEstimate: Math.max(0, interfaceFrames - captured), kernelDropsFrom: 'interface counters' as const }
        : { kernelDropsEstimate: null };
    return {
      captured,
      received: this.received,
      queueDrops: 0,
      truncated: this.truncated,
      interfaceFrames,
      interfaceRxDropped: base && last ? last.rxDropped - base.rxDropped : null,
      ...kernel,
    };
  }

  stop(): Promise<LiveCaptureEnd> {
    if (!this.finished && !this.stopping) {
      this.stopping = true;
      // tcpdump flushes what it captured, prints its counters and exits 0.
      this.child.kill('SIGTERM');
    }
    return this.ended;
  }

  private fail(error: BridgewatchError): void {
    this.outcome.fail(error);
  }

  private onChildEnd(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.finished) return;
    this.finished = true;
    for (const t of this.timers) clearInterval(t);
    if (this.fifo) rmSync(this.fifo.dir, { recursive: true, force: true });
    const stats = this.stats();
    const how = signal ?? `exit ${code}`;
    const said = tcpdumpMessage(this.iface, this.stderrText);
    if (!this.outcome.settled) {
      // Failed before "listening on": tcpdump's own words, classified like cap's open errors.
      this.outcome.refuse(/Cannot open network namespace/i.test(said)
        ? new BridgewatchError('LIVE_NO_SUCH_INTERFACE', `cannot capture: ${firstLine(said)}`, { file: this.iface })
        : said === ''
          ? new BridgewatchError('LIVE_CAPTURE_FAILED', `tcpdump ended (${how}): no message`, { file: this.iface })
          : classifyOpenError(this.iface, said, TCPDUMP_GRANT_HINT));
    }
    this.outcome.end(stats, this.iface, this.gone || (!this.stopping && GONE_RE.test(said)),
      this.stopping && (code === 0 || signal === 'SIGTERM') ? null : `tcpdump ended unexpectedly (${how}): ${said || 'no message'}`);
  }
}
