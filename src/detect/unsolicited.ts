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
import { LruMap } from './lru.js';
import { macText } from './keys.js';

/** Repeated unsolicited replies that make a claim by repetition. */
export const MIN_REPEATS = 4;
/** Longest spacing, s, between repeats: faster than any ARP cache refresh (Linux: 15 s at least). */
export const REFRESH_S = 15;

interface Streak { lastT: number; count: number }

export class UnsolicitedReplies {
  /** (VLAN, requester MAC, address asked for) -> capture time of the request, s. */
  private readonly asked: LruMap<string, number>;
  /** (VLAN, sender MAC, address, target MAC) -> the current run of unsolicited replies. */
  private readonly streaks: LruMap<string, Streak>;

  constructor(capacity: number, private readonly answerTimeoutS: number) {
    this.asked = new LruMap(capacity);
    this.streaks = new LruMap(capacity);
  }

  /** `requester` asked who has `ip` at capture time `t` (s). */
  request(vlan: number | null, requester: number, ip: string, t: number): void {
    this.asked.set(`${vlan ?? -1}|${macText(requester)}|${ip}`, t);
  }

  /**
   * A unicast reply from `sender` claiming `ip`, to `target` at capture time `t` (s). True when it
   * completes a run of {@link MIN_REPEATS} unsolicited replies (and on every one after it).
   */
  reply(vlan: number | null, sender: number, ip: string, target: number, t: number): boolean {
    const v = vlan ?? -1;
    const targetText = macText(target);
    const askedT = this.asked.peek(`${v}|${targetText}|${ip}`);
    const key = `${v}|${macText(sender)}|${ip}|${targetText}`;
    if (askedT !== undefined && t - askedT <= this.answerTimeoutS) {
      this.streaks.delete(key);
      return false;
    }
    const streak = this.streaks.get(key);
    if (streak === undefined || t - streak.lastT > REFRESH_S) {
      this.streaks.set(key, { lastT: t, count: 1 });
      return false;
    }
    streak.lastT = t;
    streak.count++;
    return streak.count >= MIN_REPEATS;
  }
}
