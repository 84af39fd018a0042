/**
 * The neighbour's traffic toward the host: a fast `ping -D` (its reply timestamps measure the
 * outage) and a small TCP flow (a Node client sending a line every 100 ms to an echo server in the
 * host namespace). The TCP server never sends on its own, so the host emits nothing while the
 * neighbour's frames are black-holed: exactly the silence of the real incident.
 */
import { writeFileSync } from 'node:fs';
import { inNs, run, runStatus, startBackground, stopBackground, sleep, type Background } from './exec.js';
import { parsePingReplies, type PingReply } from './parse.js';

/** A running `ping -D` whose output is kept in memory and written to a file at stop. */
export class PingRecorder {
  private readonly bg: Background;
  private text = '';

  /** Starts `ping -D -n -O -i interval -s 16 target` inside `ns` (line-buffered through stdbuf). */
  constructor(ns: string, target: string, intervalMs: number) {
    const argv = ['stdbuf', '-oL', 'ping', '-D', '-n', '-O', '-i', (intervalMs / 1000).toFixed(3), '-s', '16', target];
    this.bg = startBackground(`ping ${target}`, inNs(ns, argv), { stdout: 'pipe', stderr: 'pipe' });
    this.bg.child.stdout?.on('data', (chunk: Buffer) => { this.text += chunk.toString(); });
    this.bg.child.stderr?.on('data', (chunk: Buffer) => { this.text += chunk.toString(); });
  }

  /** Echo replies so far. */
  replies(): PingReply[] {
    return parsePingReplies(this.text);
  }

  /** Stops ping (SIGINT: it prints its summary) and writes its whole output to `file`. */
  async stop(file: string): Promise<string> {
    await stopBackground(this.bg, 'SIGINT');
    writeFileSync(file, this.text);
    return this.text;
  }
}

/**
 * Waits for the outage after `sinceMs` (lab clock, ms since the epoch) to end: returns once a gap
 * of at least `minGapMs` has been followed by `settleMs` of replies, or when `noGapWithinMs` passed
 * without any gap (the fixed / negative-control case), or at `timeoutMs`. Returns whether a gap ended.
 */
export async function waitForRecovery(
  ping: PingRecorder,
  sinceMs: number,
  options: { minGapMs: number; settleMs: number; noGapWithinMs: number; timeoutMs: number },
): Promise<boolean> {
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    await sleep(100);
    const replies = ping.replies().filter((r) => r.t.sec * 1000 + r.t.nsec / 1e6 >= sinceMs - options.minGapMs * 2);
    const now = Date.now();
    let lastBefore = sinceMs;
    let recoveredAt: number | null = null;
    for (const r of replies) {
      const ms = r.t.sec * 1000 + r.t.nsec / 1e6;
      if (ms - lastBefore > options.minGapMs && ms > sinceMs) recoveredAt = ms;
      lastBefore = Math.max(lastBefore, ms);
    }
    if (recoveredAt !== null && now - recoveredAt >= options.settleMs) return true;
    if (recoveredAt === null && now - sinceMs >= options.noGapWithinMs && now - lastBefore < options.minGapMs) return false;
  }
  return false;
}

/**
 * The TCP flow as an inline program (a constant, not built from input; host and port are argv).
 * `server HOST PORT` echoes; `client HOST PORT` sends a short line every 100 ms, reconnects on error,
 * and prints `<epoch seconds with µs> <bytes>` for every echo it receives (the TCP stall measurement).
 */
const TCP_FLOW_PROGRAM = `
const net = require('node:net');
const [mode, host, port] = process.argv.slice(1);
if (mode === 'server') {
  net.createServer((s) => { s.on('error', () => {}); s.pipe(s); }).listen(Number(port), host);
} else {
  const connect = () => {
    const s = net.connect(Number(port), host);
    let timer;
    s.on('connect', () => { timer = setInterval(() => s.write('bridgewatch-lab\\n'), 100); });
    s.on('data', (d) => {
      const now = (performance.timeOrigin + performance.now()) / 1000;
      process.stdout.write(now.toFixed(6) + ' ' + d.length + '\\n');
    });
    s.on('error', () => {});
    s.on('close', () => { clearInterval(timer); setTimeout(connect, 500); });
  };
  connect();
}
process.on('SIGTERM', () => process.exit(0));
`;

/** The TCP echo server (host namespace) and client (neighbour namespace). */
export class TcpFlow {
  private readonly server: Background;
  private client: Background | null = null;

  constructor(
    private readonly hostNs: string, private readonly neighbourNs: string, private readonly host: string, private readonly port = 7007,
  ) {
    this.server = startBackground('tcp server', inNs(hostNs, [process.execPath, '-e', TCP_FLOW_PROGRAM, 'server', host, String(port)]));
  }

  /** Starts the client once the server listens (the client retries anyway); its echo log goes to `logFd`. */
  async start(logFd: number): Promise<void> {
    await waitListening(this.hostNs, this.port);
    this.client = startBackground('tcp client', inNs(this.neighbourNs, [process.execPath, '-e', TCP_FLOW_PROGRAM, 'client', this.host, String(this.port)]), { stdout: logFd });
  }

  async stop(): Promise<void> {
    if (this.client) await stopBackground(this.client, 'SIGTERM');
    await stopBackground(this.server, 'SIGTERM');
  }
}

async function waitListening(ns: string, port: number): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const { stdout } = await run(inNs(ns, ['ss', '-Hltn', `sport = :${port}`]));
    if (stdout.trim()) return;
    await sleep(50);
  }
}

/** Echo receive times (seconds since the epoch) from the TCP client's log. */
export function tcpEchoTimes(text: string): number[] {
  return text.split('\n').map((l) => Number(l.split(' ')[0])).filter((t) => Number.isFinite(t) && t > 0);
}

/** `arping` inside a namespace: broadcast requests (`count`), `-U` announcements or `-D` RFC 5227 probes. */
export async function arping(ns: string, ifname: string, target: string, mode: 'request' | 'announce' | 'probe', count: number): Promise<string> {
  const argv = ['arping', '-c', String(count), '-I', ifname];
  if (mode === 'announce') argv.push('-U');
  if (mode === 'probe') argv.push('-D');
  argv.push(target);
  // arping -D exits 1 when the address is in use, plain arping exits 1 without replies: outcomes
  // the scenario records, not lab failures.
  return (await runStatus(inNs(ns, argv), 5000 + count * 1500)).stdout;
}
