/**
 * Causes that lie with a station, not with a bridge or a link: ARP spoofing (`arp-spoof`) and
 * ARP flux (`arp-flux`, REFERENCE.md §6: a multi-homed Linux host with `arp_ignore=0` answering
 * for each of its addresses on every NIC). Link events never explain these, so they are decided
 * from the capture before any link matching.
 */
import { formatMac } from '../net/mac.js';
import type { Cause } from './types.js';
import type { IncidentFacts } from './facts.js';
import { macWords } from './infer.js';

/** The sysctls that stop ARP flux on the host (`arp_filter=1` is the per-interface alternative). */
export const ARP_FLUX_FIX = 'on the host: `sysctl -w net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2` ' +
  '(persist in /etc/sysctl.d/; or net.ipv4.conf.all.arp_filter=1), so each NIC answers only for its own addresses';

/** The station-side cause of an incident, or null when it is not spoofing or ARP flux. */
export function stationCause(facts: IncidentFacts): Cause | null {
  const spoof = facts.spoof;
  if (spoof) {
    const who = spoof.spooferMacs.map(macWords).join(', ');
    if (spoof.reason === 'forged-sender') {
      return {
        code: 'arp-spoof', confidence: 0.9,
        summary: `${who} sent ${spoof.frameCount} ARP frame(s) whose sender MAC is not the frame's source ` +
          `(${spoof.distinctForgedMacs} forged sender MAC(s)): ARP spoofing or a DHCP-starvation tool on this segment; not a bridge fault.`,
        linkEvents: [], inferences: ['a station announces only its own MAC as ARP sender; a different one is forged (Zeek weird-arp-sha, Snort arp_spoof)'],
        toConfirm: [`find the port ${spoof.spooferMacs.map(formatMac).join(', ')} is learned on (\`bridge fdb show | grep -i MAC\`, switch MAC table)`,
          'enable dynamic ARP inspection / DHCP snooping on the switch, or ebtables/nftables ARP filters on the bridge'],
      };
    }
    const owners = spoof.ownerMacs.length > 0 ? spoof.ownerMacs.map(formatMac).join(', ') : 'another station (it resolved the address itself)';
    return {
      code: 'arp-spoof', confidence: 0.85,
      summary: `${who} claims ${spoof.claimedIps.join(', ')}, held by ${owners}` +
        `${spoof.ownIps.length > 0 ? `, besides its own ${spoof.ownIps.join(', ')}` : ''}: ARP spoofing ` +
        `(${spoof.claimedIps.length > 1 ? 'a man in the middle between them' : 'an impersonation'}); not a bridge fault.`,
      linkEvents: [], inferences: [spoof.ownerMacs.length > 0
        ? `the real owners (${owners}) kept using the addresses; a bridge adopting a port MAC takes one station's addresses only`
        : 'a station never resolves an address it holds itself: asking who has it shows it knows another station does'],
      toConfirm: [`find the port ${spoof.spooferMacs.map(formatMac).join(', ')} is learned on and check that station`,
        'static ARP entries for the gateway on the victims, or dynamic ARP inspection on the switch'],
    };
  }
  if (facts.clashIps.length > 1) {
    const macs = [...new Set(facts.clashMacs)];
    return {
      code: 'arp-flux', confidence: 0.75,
      summary: `${macs.map(macWords).join(' and ')} all answer for ${facts.clashIps.join(', ')}: one multi-homed host whose NICs ` +
        'each answer ARP for all its addresses (ARP flux, arp_ignore=0); traffic for one address lands on any of its NICs.',
      linkEvents: [], inferences: ['the same set of MACs answered concurrently for several addresses: one host, not several duplicates'],
      toConfirm: ['check `ip -br addr` on the host owning these MACs (several NICs in one subnet)', ARP_FLUX_FIX],
    };
  }
  return null;
}
