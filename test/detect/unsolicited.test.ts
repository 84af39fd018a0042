/**
 * UnsolicitedReplies: runs of unicast ARP replies nobody asked for, per (VLAN, address, sender MAC,
 * target MAC). Addresses and MACs are documentation values written by hand: the poisoner
 * 02:00:00:00:00:66 tells two victims (192.0.2.10 at 02:..:0a, 192.0.2.11 at 02:..:0b) that the
 * gateway 192.0.2.1 is at its MAC.
 */
import { describe, expect, it } from 'vitest';
import { MIN_REPEATS, REFRESH_S, UnsolicitedReplies } from '../../src/detect/unsolicited.js';

const GATEWAY = '192.0.2.1';
const GATEWAY_V4 = 0xc0000201;
const POISONER = 0x020000000066;
const VICTIM_A = 0x02000000000a;
const VICTIM_B = 0x02000000000b;

/** Replies to `targets` in turn, 2 s apart from `t0`; what each reply returned. */
function replies(u: UnsolicitedReplies, targets: number[], t0 = 0, vlan: number | null = null): boolean[] {
  return targets.map((target, k) => u.reply(vlan, POISONER, GATEWAY, vlan === null ? GATEWAY_V4 : -1, target, t0 + 2 * k));
}

describe('unsolicited replies', () => {
  it('keeps one run per victim: alternating victims still reach the repeat count for each', () => {
    const u = new UnsolicitedReplies(64, 1);
    const out = replies(u, [VICTIM_A, VICTIM_B, VICTIM_A, VICTIM_B, VICTIM_A, VICTIM_B, VICTIM_A, VICTIM_B]);
    // The 4th reply to each victim completes its run.
    expect(out).toEqual([false, false, false, false, false, false, true, true]);
    expect(MIN_REPEATS).toBe(4);
  });

  it('a reply that answers the victim\'s own request ends that victim\'s run only', () => {
    const u = new UnsolicitedReplies(64, 1);
    replies(u, [VICTIM_A, VICTIM_B, VICTIM_A, VICTIM_B, VICTIM_A, VICTIM_B]);
    u.request(null, VICTIM_A, GATEWAY, GATEWAY_V4, 12.5);
    expect(u.reply(null, POISONER, GATEWAY, GATEWAY_V4, VICTIM_A, 13)).toBe(false); // answered: A's run ends
    expect(u.reply(null, POISONER, GATEWAY, GATEWAY_V4, VICTIM_B, 13.5)).toBe(true); // B's 4th
    expect(u.reply(null, POISONER, GATEWAY, GATEWAY_V4, VICTIM_A, 15)).toBe(false); // A starts again at 1
  });

  it('a gap longer than REFRESH_S restarts the run; VLANs and IPv6 addresses are runs of their own', () => {
    const u = new UnsolicitedReplies(64, 1);
    replies(u, [VICTIM_A, VICTIM_A, VICTIM_A]);
    expect(u.reply(null, POISONER, GATEWAY, GATEWAY_V4, VICTIM_A, 4 + REFRESH_S + 1)).toBe(false);
    expect(replies(u, [VICTIM_A, VICTIM_A, VICTIM_A, VICTIM_A], 100, 7)).toEqual([false, false, false, true]);
    const v6 = [0, 1, 2, 3].map((k) => u.reply(null, POISONER, '2001:db8::1', -1, VICTIM_B, 200 + k));
    expect(v6).toEqual([false, false, false, true]);
  });
});
