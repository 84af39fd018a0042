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
import { ipKey, macText } from './keys.js';

/** Repeated unsolicited replies that make a claim by repetition. */
export const MIN_REPEATS = 4;
/** Longest spacing, s, between repeats: faster than any ARP cache refresh (Linux: 15 s at least). */
export const REFRESH_S = 15;

interface Streak { lastT: number; count: number }

export class UnsolicitedReplies {
  /** ({@link ipKey} of VLAN and the address asked for, requester MAC) -> capture time of the request, s. */
  private readonly asked: PairLru<string, number, number>;
  /**
   * ({@link ipKey} of VLAN and address, sender and target MAC text) -> the current run of unsolicited
   * replies. The MAC pair text is built only for an address that has a run.
   */
  private readonly streaks: PairLru<string, string, Streak>;

  constructor(capacity: number, private readonly answerTimeoutS: number) {
    this.asked = new PairLru(capacity);
    this.streaks = new PairLru(capacity);
  }

  /** `requester` asked who has `ip` at capture time `t` (s). */
  request(vlan: number | null, requester: number, ip: string, t: number): void {
    this.asked.set(ipKey(vlan, ip), requester, t);
  }

  /**
   * A unicast reply from `sender` claiming `ip`, to `target` at capture time `t` (s). True when it
   * completes a run of {@link MIN_REPEATS} unsolicited replies (and on every one after it).
   */
  reply(vlan: number | null, sender: number, ip: string, target: number, t: number): boolean {
    const address = ipKey(vlan, ip);
    const askedT = this.asked.peek(address, target);
    if (askedT !== undefined && t - askedT <= this.answerTimeoutS) {
      if (this.streaks.hasFirst(address)) this.streaks.delete(address, macPair(sender, target));
      return false;
    }
    const macs = macPair(sender, target);
    const streak = this.streaks.get(address, macs);
    if (streak === undefined || t - streak.lastT > REFRESH_S) {
      this.streaks.set(address, macs, { lastT: t, count: 1 });
      return false;
    }
    streak.lastT = t;
    streak.count++;
    return streak.count >= MIN_REPEATS;
  }
}

/** Key text of a (sender, target) MAC pair. */
function macPair(sender: number, target: number): string {
  return `${macText(sender)}|${macText(target)}`;
}
