/**
 * Root cause from the capture alone, when no link event explains an incident. The reasoning uses
 * what the bridge lowest-MAC rule (REFERENCE.md §2) leaves on the wire: the host's IP moves to a
 * *lower* MAC with a virtual-machine prefix (OpenVZ 00:18:51, QEMU 52:54:00, Xen 00:16:3e, or a
 * locally administered kernel-random MAC), silently, and back to the physical NIC's MAC after an
 * outage. Confidence stays below the linked one (≤ {@link MAX_INFERRED_CONFIDENCE}) and
 * `toConfirm` says what to record next time.
 */
import { FLOOD_DISTINCT_CAP } from '../detect/types.js';
import { formatMac, type Mac } from '../net/mac.js';
import { macConvention, macWithVendor, type MacConvention } from '../net/oui.js';
import type { Cause } from './types.js';
import { macPair, type IncidentFacts } from './facts.js';
import { hypervisorOf, hypervisorWords } from './hypervisor.js';
import { durationWords, outageWords } from './words.js';

/** Inferred causes never claim more than this. */
export const MAX_INFERRED_CONFIDENCE = 0.7;

const RECORD_LINKS = 'record `ip -ts monitor link` (and `bridge -timestamp monitor link`) on the host next time: it shows the port joining and the bridge taking its MAC';
const CHECK_PINNED = 'check `cat /sys/class/net/BRIDGE/addr_assign_type` on the host (3 = MAC pinned; 1 = follows its ports)';

const VIRTUAL: ReadonlySet<MacConvention> = new Set(['openvz', 'qemu', 'xen', 'random']);

/** Words for a MAC with its vendor or convention: `00:18:51:00:00:01 (SWsoft/OpenVZ)` (src/net/oui.ts `macWithVendor`). */
export function macWords(mac: Mac): string {
  return macWithVendor(mac);
}

function conventionReason(mac: Mac): string | null {
  switch (macConvention(mac)) {
    case 'openvz': return `${formatMac(mac)} has SWsoft's OUI 00:18:51, vzctl's default for OpenVZ host-side veth devices`;
    case 'qemu': return `${formatMac(mac)} has QEMU's prefix 52:54:00 (a virtual NIC)`;
    case 'xen': return `${formatMac(mac)} has Xensource's OUI 00:16:3e (a Xen virtual NIC)`;
    case 'random': return `${formatMac(mac)} is locally administered (bit 1 of the first octet): a kernel-random MAC as veth/tap devices get`;
    case 'host-side-fe': return `${formatMac(mac)} follows the fe: host-side convention (libvirt/LXC/Xen), normally never the lowest`;
    case 'vendor': return null;
  }
}

/** What the captures show besides the incident's findings. */
export interface CaptureHints {
  /** STP BPDUs were seen in the captures: some bridge on the segment runs STP. */
  stpBpdusSeen?: boolean;
}

/** Guest-NIC and host-side conventions: a MAC of these is not the host's physical uplink. */
const GUEST_SIDE: ReadonlySet<MacConvention> = new Set(['openvz', 'qemu', 'xen', 'host-side-fe']);

/** Default STP forward delay (s): a joining port is blocked 2 × 15 s (listening, learning). */
const DEFAULT_STP_BLOCKED_MS = 30_000;

/** A capture-only cause for an incident. */
export function inferCause(facts: IncidentFacts, linkLogsGiven: boolean, hints: CaptureHints = {}): Cause {
  const toConfirm = linkLogsGiven
    ? ['the link logs given have no event near this incident: check that they cover its time and host (or the --tz, --clock-offset and --boot-time options)', CHECK_PINNED]
    : [RECORD_LINKS, CHECK_PINNED];
  const pair = macPair(facts);
  const outage = facts.gap ? outageWords(facts.gap.durationMs, facts.gap.ongoing) : null;

  if (facts.flood) {
    const f = facts.flood;
    const macs = f.sampleMacs.map(formatMac).join(', ');
    if (f.distinctMacs === 1) {
      return {
        code: 'claim-flood', confidence: 0.8,
        summary: `${macs} claimed ${f.distinctIps}${f.distinctIps >= FLOOD_DISTINCT_CAP ? '+' : ''} addresses, up to ${f.peakRate} per second: ` +
          'proxy ARP answering for everything (proxy_arp on the wrong interface) or a spoofing tool; not a bridge fault.',
        linkEvents: [], inferences: ['one MAC answered for every address asked about'],
        toConfirm: [`find the host with ${macs} (\`bridge fdb show | grep -i MAC\`, or the switch MAC table)`,
          'check `sysctl net.ipv4.conf.all.proxy_arp` and the per-interface proxy_arp there'],
      };
    }
    return {
      code: 'claim-flood', confidence: 0.8,
      summary: `${f.claims} ARP/NDP claims rebound addresses to new MACs, up to ${f.peakRate} per second: an ARP-spoofing or ` +
        'MAC-flooding tool, or a broken device, on this segment; not a bridge fault.',
      linkEvents: [], inferences: [`${f.distinctMacs}${f.distinctMacs >= FLOOD_DISTINCT_CAP ? '+' : ''} different MACs claimed ` +
        `${f.distinctIps}${f.distinctIps >= FLOOD_DISTINCT_CAP ? '+' : ''} addresses; real moves come one at a time`],
      toConfirm: [`find the port the MACs arrive on (\`bridge fdb show | grep -i MAC\`, or the switch MAC table) for ${macs}`,
        'then shut or rate-limit that port (switch port security / dynamic ARP inspection)'],
    };
  }

  if (facts.storm && !pair) {
    return {
      code: 'stp-loop', confidence: 0.4,
      summary: `A storm of ARP requests for ${facts.ip}: a layer-2 loop is the usual reason.`,
      linkEvents: [], inferences: ['many identical requests in a short window are what a forwarding loop produces'],
      toConfirm: ['look for "received packet on X with own address as source address" and "topology change detected" in `journalctl -k`', 'check `bridge link` for ports stuck in blocking state'],
    };
  }

  if (facts.clashMacs.length > 1) {
    // Concurrent claims: a bridge flip never has two MACs answering at once, even when the
    // neighbours' traffic also moved between them (the later answer wins each ARP exchange).
    const macs = [...new Set(facts.clashMacs)];
    return {
      code: 'duplicate-address', confidence: 0.5,
      summary: `${facts.ip} is claimed by ${macs.map(macWords).join(' and ')} at the same time: ${macs.length > 2 ? 'several stations use' : 'two stations use'} one address.`,
      linkEvents: [], inferences: ['the MACs answered for the address concurrently (a MAC change never does)'],
      toConfirm: ['find the owners (switch MAC table, `arping -D` from the segment)', ...toConfirm],
    };
  }

  const gap = facts.gap;
  if (gap && gap.staleMac === null && gap.answeredBy !== null && facts.fromMac === null) {
    const nearDefault = Math.abs(gap.durationMs - DEFAULT_STP_BLOCKED_MS) <= 5000;
    if (hints.stpBpdusSeen || nearDefault) {
      const inferences = [`${facts.ip} did not answer at all until ${formatMac(gap.answeredBy)} answered after ${durationWords(gap.durationMs)}: a station that just appeared behind a port that was not forwarding yet`];
      if (hints.stpBpdusSeen) inferences.push('STP BPDUs in the capture: a bridge on this segment runs STP, whose joining ports spend 2 × forward_delay in listening and learning');
      if (nearDefault) inferences.push('the wait is close to 30 s, 2 × the default forward_delay of 15 s');
      return {
        code: 'stp-port-not-forwarding', confidence: hints.stpBpdusSeen && nearDefault ? 0.6 : 0.5,
        summary: `${facts.ip} was unreachable for ${durationWords(gap.durationMs)} after it appeared: most likely its bridge port was still in STP listening/learning.`,
        linkEvents: [], inferences,
        toConfirm: ['record `bridge -timestamp monitor link` (port states) or keep `journalctl -k` ("entered learning state") next time', 'check `ip -d link show BRIDGE` for stp_state and forward_delay'],
      };
    }
  }

  if (pair) {
    const inferences: string[] = [];
    let score = 0.4;
    const lowConv = macConvention(pair.low);
    const highConv = macConvention(pair.high);
    const movedDown = facts.fromMac !== null && facts.toMac !== null && facts.toMac < facts.fromMac;
    const fellBack = facts.gap !== null && facts.gap.staleMac === pair.low && facts.gap.answeredBy === pair.high;
    if (movedDown) { score += 0.1; inferences.push(`the new MAC ${formatMac(pair.low)} is numerically lower than the old ${formatMac(pair.high)}: what a bridge does when a port with a lower MAC joins`); }
    if (fellBack) { score += 0.1; inferences.push(`requests kept going to ${formatMac(pair.low)} until ${formatMac(pair.high)} answered: the lower MAC vanished, as when its port leaves the bridge`); }
    const why = conventionReason(pair.low);
    if (why && VIRTUAL.has(lowConv)) { score += 0.1; inferences.push(why); }
    if (highConv === 'vendor') {
      score += 0.05;
      inferences.push(`${macWithVendor(pair.high)} is a registered vendor MAC: the host's physical NIC`);
    }
    if (!facts.announced) { score += 0.05; inferences.push('the change was silent (no gratuitous ARP/unsolicited NA): a bridge MAC change is never announced by default'); }

    if (facts.announced && !movedDown && !fellBack) {
      return {
        code: 'announced-move', confidence: 0.6,
        summary: `${facts.ip} moved from ${macWords(facts.fromMac ?? pair.high)} to ${macWords(facts.toMac ?? pair.low)} and announced it (gratuitous ARP/unsolicited NA): a failover, not an outage.`,
        linkEvents: [], inferences: ['the new MAC announced itself at once, as bonding/VRRP/keepalived failovers do'], toConfirm,
      };
    }
    // The lowest-MAC pattern: a guest-side MAC below the host's own (a NIC vendor or random MAC).
    if ((movedDown || fellBack || VIRTUAL.has(lowConv)) && !GUEST_SIDE.has(highConv) && !facts.oldMacStillAnswers) {
      const hypervisor = hypervisorOf(null, pair.low);
      return {
        code: 'bridge-lowest-mac',
        confidence: Math.min(MAX_INFERRED_CONFIDENCE, Number(score.toFixed(2))),
        summary:
          `${facts.ip} took the lower MAC ${macWords(pair.low)} instead of ${macWords(pair.high)}: most likely a bridge port ` +
          `(the host-side device of ${hypervisorWords(hypervisor)}) with a lower MAC joined the host's bridge and the bridge adopted its MAC` +
          (outage ? `; when it left, ${outage}.` : '.'),
        linkEvents: [], inferences, toConfirm, ...(hypervisor !== 'unknown' ? { hypervisor } : {}),
      };
    }
    if (facts.clashMacs.length > 0) {
      return {
        code: 'duplicate-address', confidence: 0.5,
        summary: `${facts.ip} is claimed by ${facts.clashMacs.map(macWords).join(' and ')} at the same time: two stations use one address.`,
        linkEvents: [], inferences: ['neither MAC looks like a bridge adopting a port MAC (the pair is not a virtual MAC below a physical one)'],
        toConfirm: ['find the owners with `arping -D` / the switch MAC table', ...toConfirm],
      };
    }
  }

  if (facts.clashMacs.length > 1) {
    return {
      code: 'duplicate-address', confidence: 0.5,
      summary: `${facts.ip} is claimed by ${facts.clashMacs.map(macWords).join(', ')} at the same time: several stations use one address.`,
      linkEvents: [], inferences: ['several MACs answered for the address concurrently'], toConfirm: ['find the owners with the switch MAC table', ...toConfirm],
    };
  }
  return {
    code: 'unknown', confidence: 0.3,
    summary: `${facts.ip}${outage ? `: ${outage}` : ' had an incident'}; the capture alone does not show why.`,
    linkEvents: [], inferences: [], toConfirm: [RECORD_LINKS, 'keep `journalctl -k` from the host for the same period (carrier and STP state changes)'],
  };
}
