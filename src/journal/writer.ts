/**
 * Sends {@link LogEntry}s to the system log. Node cannot write AF_UNIX datagrams (the journald
 * socket and /dev/log both are), so local entries go through util-linux `logger`, present on every
 * systemd host: `logger --journald` reads native-protocol `FIELD=value` lines on stdin and sends
 * them to /run/systemd/journal/socket (its structured fields intact); `logger --rfc5424 --socket
 * /dev/log` sends RFC 5424 with the fields as structured data. One child per entry costs about 6 ms
 * (measured on the CI machine), fine for incidents and link events, which come seconds apart even
 * on a flapping bridge; entries are sent one at a time, in order, and at most
 * {@link MAX_PENDING} wait (the excess is counted and dropped, never blocks the capture).
 * A remote collector (`udp://HOST:PORT`) gets the same RFC 5424 text over UDP from Node itself.
 */
import { spawn } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { BridgewatchError } from '../errors.js';
import { journalText, rfc5424, SD_ID, SYSLOG_IDENTIFIER, type LogEntry } from './fields.js';

/** journald's native socket (sd_journal_send's fixed path). */
export const JOURNAL_SOCKET = '/run/systemd/journal/socket';
/** The local syslog socket. */
export const DEV_LOG = '/dev/log';

/** Entries waiting for a `logger` child beyond which new ones are dropped (and counted). */
export const MAX_PENDING = 1000;

/** Where entries go: parsed from `--log`. */
export type LogTarget =
  | { kind: 'journald' }
  | { kind: 'syslog'; socket: string }
  | { kind: 'udp'; host: string; port: number };

/**
 * Parses `--log`: `none`, `auto` (journald when its socket exists, else /dev/log syslog, else
 * none), `journald`, `syslog` (/dev/log) or `syslog:/path/to/socket`, `udp://HOST:PORT`.
 * Returns null for none (or auto with neither socket).
 * @throws BridgewatchError USAGE for anything else.
 */
export function resolveLogTarget(spec: string, exists: (p: string) => boolean = existsSync): LogTarget | null {
  if (spec === 'none') return null;
  if (spec === 'auto') {
    if (exists(JOURNAL_SOCKET)) return { kind: 'journald' };
    if (exists(DEV_LOG)) return { kind: 'syslog', socket: DEV_LOG };
    return null;
  }
  if (spec === 'journald') return { kind: 'journald' };
  if (spec === 'syslog') return { kind: 'syslog', socket: DEV_LOG };
  if (spec.startsWith('syslog:') && spec.length > 'syslog:'.length && !spec.startsWith('syslog://')) {
    return { kind: 'syslog', socket: spec.slice('syslog:'.length) };
  }
  const m = /^udp:\/\/(\[[0-9a-fA-F:.]+\]|[^:/\s]+):(\d{1,5})$/.exec(spec);
  if (m) {
    const port = Number(m[2]);
    if (port >= 1 && port <= 65535) return { kind: 'udp', host: m[1]!.replace(/^\[|\]$/g, ''), port };
  }
  throw new BridgewatchError('USAGE', `--log must be none, auto, journald, syslog, syslog:SOCKET or udp://HOST:PORT, got "${spec}"`);
}

/** The `logger` argv for one entry sent as RFC 5424 to a local syslog socket (pure). */
export function loggerSyslogArgv(e: LogEntry, socket: string): string[] {
  const argv = ['logger', '--socket', socket, '--socket-errors=on', '--rfc5424=notq', '--tag', SYSLOG_IDENTIFIER, '--priority', `daemon.${e.priority}`, '--sd-id', SD_ID];
  for (const [k, v] of Object.entries(e.fields)) {
    argv.push('--sd-param', `${k.toLowerCase().replace(/[^a-z0-9_.-]/g, '_').slice(0, 32)}="${v.replace(/[\r\n]+/g, ' ').replace(/["\\\]]/g, (c) => `\\${c}`)}"`);
  }
  if (e.fields['KIND']) argv.push('--msgid', e.fields['KIND'].slice(0, 32));
  argv.push('--', e.message);
  return argv;
}

/** Sends entries to one target, in order, never throwing into the capture. */
export class SystemLog {
  /** Entries handed to the target. */
  sent = 0;
  /** Entries dropped: queue full or the sender failed. */
  dropped = 0;
  private queue: LogEntry[] = [];
  private busy = false;
  private udp: Socket | null = null;
  private idle: (() => void)[] = [];

  /** `onError` hears each failure once per distinct message (e.g. logger missing). */
  constructor(readonly target: LogTarget, private readonly onError: (message: string) => void = () => {}) {}

  /** Queues an entry. */
  send(e: LogEntry): void {
    if (this.queue.length >= MAX_PENDING) { this.dropped++; return; }
    this.queue.push(e);
    if (!this.busy) void this.drain();
  }

  /** Resolves when every queued entry was handed over (call before exit). */
  flush(): Promise<void> {
    if (!this.busy && this.queue.length === 0) return Promise.resolve();
    return new Promise((r) => this.idle.push(r));
  }

  /** Flushes and closes the UDP socket, if any. */
  async close(): Promise<void> {
    await this.flush();
    this.udp?.close();
    this.udp = null;
  }

  private async drain(): Promise<void> {
    this.busy = true;
    const reported = new Set<string>();
    while (this.queue.length > 0) {
      const e = this.queue.shift()!;
      try {
        await this.deliver(e);
        this.sent++;
      } catch (err) {
        this.dropped++;
        const message = `system log (${this.target.kind}): ${(err as Error).message}`;
        if (!reported.has(message)) { reported.add(message); this.onError(message); }
      }
    }
    this.busy = false;
    for (const r of this.idle.splice(0)) r();
  }

  private deliver(e: LogEntry): Promise<void> {
    switch (this.target.kind) {
      case 'journald':
        // logger --journald exits 0 even when nothing listens: check the socket first.
        if (!existsSync(JOURNAL_SOCKET)) return Promise.reject(new Error(`${JOURNAL_SOCKET} does not exist (journald not running?)`));
        return runLogger(['logger', '--journald'], journalText(e));
      case 'syslog': return runLogger(loggerSyslogArgv(e, this.target.socket), null);
      case 'udp': {
        const { host, port } = this.target;
        const text = Buffer.from(rfc5424(e, { time: new Date(), hostname: hostname(), pid: process.pid }));
        if (!this.udp) this.udp = createSocket(host.includes(':') ? 'udp6' : 'udp4');
        const udp = this.udp;
        return new Promise((resolve, reject) => udp.send(text, port, host, (err) => (err ? reject(err) : resolve())));
      }
    }
  }
}

function runLogger(argv: string[], stdin: string | null): Promise<void> {
  return new Promise((resolve, reject) => {
    const [file, ...args] = argv;
    const child = spawn(file!, args, { stdio: [stdin === null ? 'ignore' : 'pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (b: Buffer) => { stderr += b.toString(); });
    child.on('error', (err) => reject(new Error(`cannot run ${file}: ${err.message}`)));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${argv.slice(0, 2).join(' ')} exited ${code}: ${stderr.trim().split('\n')[0] ?? ''}`))));
    if (stdin !== null) child.stdin!.end(stdin);
  });
}
