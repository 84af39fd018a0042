/**
 * Live link events from rtnetlink (npm `netlink`): subscribe to RTNLGRP_LINK, dump the current
 * links (AF_UNSPEC, then AF_BRIDGE for port states) as a snapshot so later changes are known
 * against the prior state, then emit {@link LinkEvent}s. Works in whatever network namespace the
 * process runs in (`ip netns exec NS node …`). Needs no privileges to listen.
 */
import { EventEmitter } from 'node:events';
import { BridgewatchError } from '../errors.js';
import { fromNs, type Timestamp } from '../time.js';
import { AF_BRIDGE, LinkTracker, type LinkSnapshotEntry } from './rtnl-tracker.js';
import type { LinkEvent } from './types.js';
import { createRtNetlink } from './netlink.js';

export type { LinkSnapshotEntry } from './rtnl-tracker.js';

/** Options of {@link watchLinks}. */
export interface WatchLinksOptions {
  /** Keep the Node event loop alive while watching (default true). */
  ref?: boolean;
}

interface WatcherEvents {
  event: [LinkEvent];
  error: [BridgewatchError];
}

/** A running watch. Listen to `event`; `close()` when done. */
export interface LinkWatcher {
  /** When the first message that could not be parsed arrived (null: none yet). */
  readonly firstMalformedAt: Timestamp | null;
  /** The links as they were when watching began. */
  readonly snapshot: LinkSnapshotEntry[];
  /** When the snapshot was taken, on the clock the events are stamped with. */
  readonly snapshotTime: Timestamp;
  /** The links now. */
  current(): LinkSnapshotEntry[];
  /** Netlink messages that could not be parsed (skipped). */
  readonly malformed: number;
  on<K extends keyof WatcherEvents>(event: K, listener: (...args: WatcherEvents[K]) => void): this;
  off<K extends keyof WatcherEvents>(event: K, listener: (...args: WatcherEvents[K]) => void): this;
  close(): void;
}

/** Wall clock with ns resolution: Date.now() anchored once, advanced by the monotonic clock. */
function makeClock(): () => { time: Timestamp; monotonicMs: number } {
  const wallNs = BigInt(Date.now()) * 1_000_000n;
  const start = process.hrtime.bigint();
  return () => {
    const elapsed = process.hrtime.bigint() - start;
    return { time: fromNs(wallNs + elapsed), monotonicMs: Number(elapsed / 1_000_000n) };
  };
}

/**
 * How long a port-leave is held back waiting for the link's own RTM_DELLINK, ms. The kernel sends
 * the port's AF_BRIDGE delete, then the bridge's new MAC, then the link delete: holding the leave
 * (and everything after it, to keep the order) lets `deleted` be right when it is emitted.
 */
const LEAVE_HOLD_MS = 200;

class Watcher extends EventEmitter implements LinkWatcher {
  snapshot: LinkSnapshotEntry[] = [];
  snapshotTime: Timestamp = { sec: 0, nsec: 0 };
  firstMalformedAt: Timestamp | null = null;
  private held: LinkEvent[] = [];
  private holdTimer: NodeJS.Timeout | null = null;
  constructor(private readonly tracker: LinkTracker, private readonly closer: () => void) {
    super();
  }
  /** Emits events in order, holding from a port-leave until its link-del or the hold time. */
  deliver(events: LinkEvent[]): void {
    for (const ev of events) {
      const first = this.held[0];
      if (first) {
        this.held.push(ev);
        if (ev.type === 'link-del' && ev.ifindex === first.ifindex) this.flush();
      } else if (ev.type === 'port-leave') {
        this.held.push(ev);
        this.holdTimer = setTimeout(() => this.flush(), LEAVE_HOLD_MS);
      } else {
        this.emit('event', ev);
      }
    }
  }
  flush(): void {
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.holdTimer = null;
    const events = this.held;
    this.held = [];
    // A later port-leave among them starts a new hold.
    const [head, ...rest] = events;
    if (head) this.emit('event', head);
    this.deliver(rest);
  }
  get malformed(): number {
    return this.tracker.malformed;
  }
  current(): LinkSnapshotEntry[] {
    return this.tracker.snapshot();
  }
  close(): void {
    while (this.held.length > 0) this.flush();
    this.closer();
    this.removeAllListeners();
  }
}

/**
 * Starts watching. Resolves once the snapshot is loaded; events that arrive during the dump are
 * queued and applied after it, so none is lost and none is reported against a missing prior state.
 */
export async function watchLinks(options: WatchLinksOptions = {}): Promise<LinkWatcher> {
  const clock = makeClock();
  let socket: ReturnType<typeof createRtNetlink>;
  try {
    // A large receive buffer: a burst of guest starts must not overflow it (ENOBUFS loses events).
    socket = createRtNetlink({ ref: options.ref ?? true, recvBufferSize: 1 << 20, sendBufferSize: 1 << 16 });
  } catch (e) {
    throw new BridgewatchError('NETLINK_FAILED', `cannot open an rtnetlink socket: ${(e as Error).message}`, {}, { cause: e });
  }
  const tracker = new LinkTracker();
  const queue: { type: number; data: Buffer; at: ReturnType<typeof clock> }[] = [];
  let ready = false;
  let closed = false;
  const watcher = new Watcher(tracker, () => {
    if (closed) return;
    closed = true;
    try { socket.socket.close(); } catch { /* already closed */ }
  });
  const deliver = (type: number, data: Buffer, at: ReturnType<typeof clock>): void => {
    const malformed = tracker.malformed;
    watcher.deliver(tracker.handle(type, data, at.time, at.monotonicMs));
    if (tracker.malformed > malformed) watcher.firstMalformedAt ??= at.time;
  };
  socket.socket.on('message', (msgs) => {
    const at = clock();
    for (const m of msgs) {
      if (!ready) queue.push({ type: m.type, data: m.data, at });
      else deliver(m.type, m.data, at);
    }
  });
  socket.socket.on('error', (e: Error) => {
    watcher.emit('error', new BridgewatchError('NETLINK_FAILED', `rtnetlink socket failed: ${e.message}`, {}, { cause: e }));
  });
  try {
    socket.addMembership('LINK');
    const links = await socket.getLinks();
    const ports = await socket.getLinks({ family: AF_BRIDGE });
    tracker.loadSnapshot(links, ports);
  } catch (e) {
    watcher.close();
    throw new BridgewatchError('NETLINK_FAILED', `rtnetlink link dump failed: ${(e as Error).message}`, {}, { cause: e });
  }
  watcher.snapshot = tracker.snapshot();
  watcher.snapshotTime = clock().time;
  // Queued messages may repeat what the dump already shows; the tracker only reports differences.
  // They go out on the next turn of the event loop, once the caller has attached its listeners
  // (emitted now, before `await watchLinks()` returns, they would reach nobody); messages arriving
  // until then join the queue, so the order is kept.
  setImmediate(() => {
    if (closed) return;
    ready = true;
    for (const q of queue.splice(0)) deliver(q.type, q.data, q.at);
  });
  return watcher;
}
