/**
 * Unsolicited ARP replies repeated faster than any cache refresh: the poisoner's rhythm.
 *
 * A station answers ARP requests; it does not keep telling one neighbour "X is at my MAC" without
 * being asked. A poisoner must, and faster than the victim's cache refreshes, or its entry lapses
 * back to the real owner (arpspoof: every 2 s, bettercap: 1 s, ettercap: 10 s). A neighbour's ARP
 * cache refreshes no faster than every `base_reachable_time / 2` (15 s on Linux; Windows and
 * switches are slower), so {@link MIN_REPEATS} unicast replies for one address to one neighbour,
 * none answering a request of that neighbour and each within {@link REFRESH_S} of the previous,
 * is a claim made the poisoner's way. Gratuitous replies (target = the sender's own address, or
 * broadcast) announce and are not counted.
 *
 * The tracker only says "claimed by repetition"; {@link SpoofTracker} decides whether that is
 * impersonation (the same MAC also claims another address: a poisoner claims the gateway's and
 * has its own; a host that refreshes its only address this way impersonates nobody).
 */
import { PairLru } from './pair-lru.js';
import { ipKey } from './keys.js';

/** Repeated unsolicited replies that make a claim by repetition. */
export const MIN_REPEATS = 4;
/** Longest spacing, s, between repeats: faster than any ARP cache refresh (Linux: 15 s at least). */
export const REFRESH_S = 15;

/** The current run of unsolicited replies to one target MAC, and the runs to the sender's other targets. */
interface Streak {
  target: number;
  lastT: number;
  count: number;
  next: Streak | null;
}

/**
 * Key of an address on a VLAN: the IPv4 number itself when untagged, else {@link ipKey}'s text.
 * A number hashes without building or hashing a string; a spoofing flood of random addresses would
 * otherwise format and hash fresh text for every reply.
 */
type AddressKey = number | string;

function addressKey(vlan: number | null, ip: string, ipv4: number): AddressKey {
  return vlan === null && ipv4 >= 0 ? ipv4 : ipKey(vlan, ip);
}

export class UnsolicitedReplies {
  /** (VLAN and the address asked for, requester MAC) -> capture time of the request, s. */
  private readonly asked: PairLru<AddressKey, number, number>;
  /**
   * (VLAN and address, sender MAC) -> the runs of unsolicited replies, one per target MAC (a
   * poisoner telling two victims about one address keeps one run for each).
   */
  private readonly streaks: PairLru<AddressKey, number, Streak>;

  constructor(capacity: number, private readonly answerTimeoutS: number) {
    this.asked = new PairLru(capacity);
    this.streaks = new PairLru(capacity);
  }

  /** `requester` asked who has `ip` (`ipv4`: as a number, -1 for IPv6) at capture time `t` (s). */
  request(vlan: number | null, requester: number, ip: string, ipv4: number, t: number): void {
    this.asked.set(addressKey(vlan, ip, ipv4), requester, t);
  }

  /**
   * A unicast reply from `sender` claiming `ip` (`ipv4`: as a number, -1 for IPv6), to `target` at
   * capture time `t` (s). True when it completes a run of {@link MIN_REPEATS} unsolicited replies
   * (and on every one after it).
   */
  reply(vlan: number | null, sender: number, ip: string, ipv4: number, target: number, t: number): boolean {
    const address = addressKey(vlan, ip, ipv4);
    const askedT = this.asked.peek(address, target);
    if (askedT !== undefined && t - askedT <= this.answerTimeoutS) {
      // It answers a request: the run to this target, if any, ends.
      const runs = this.streaks.peek(address, sender);
      if (runs !== undefined) this.endRun(address, sender, runs, target);
      return false;
    }
    const first = this.streaks.get(address, sender);
    let streak = first ?? null;
    while (streak !== null && streak.target !== target) streak = streak.next;
    if (streak === null) {
      const run: Streak = { target, lastT: t, count: 1, next: first ?? null };
      this.streaks.set(address, sender, run);
      return false;
    }
    if (t - streak.lastT > REFRESH_S) {
      streak.lastT = t;
      streak.count = 1;
      return false;
    }
    streak.lastT = t;
    streak.count++;
    return streak.count >= MIN_REPEATS;
  }

  /** Drops the run to `target` from the sender's runs starting at `first`. */
  private endRun(address: AddressKey, sender: number, first: Streak, target: number): void {
    if (first.target === target) {
      if (first.next === null) this.streaks.delete(address, sender);
      else this.streaks.set(address, sender, first.next);
      return;
    }
    for (let s = first; s.next !== null; s = s.next) {
      if (s.next.target === target) {
        s.next = s.next.next;
        return;
      }
    }
  }
}
