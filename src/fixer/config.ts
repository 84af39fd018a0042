/**
 * Persistent configuration that pins a bridge's MAC, one step per network stack, with the exact
 * syntax of ../shared/REFERENCE.md section 5. Texts are complete enough to be validated on their
 * own (ifquery, netplan generate, networkd): the interfaces stanzas include the bridge ports.
 */
import type { NetworkStack, PlanStep } from './types.js';

/** What a pin-config step needs. */
export interface PinContext {
  bridge: string;
  /** MAC to pin to, lower-case colon form. */
  mac: string;
  /** Uplink port name (used in full stanzas); `eth0` when unknown. */
  uplink: string;
  /** Evidence sentence reused in every step's `why`. */
  evidence: string;
}

const UNDO_FILE = 'remove the line again (or restore the .bridgewatch.bak backup written by --write-config)';

function step(
  stack: NetworkStack, title: string, why: string, file: string, text: string, verify: string, undo = UNDO_FILE,
  argv: string[] | null = null,
): PlanStep {
  return { id: `pin-bridge-mac-${stack}`, kind: 'persistent', stack, title, why, argv, config: { file, text }, verify, undo };
}

/** Where the pin line goes in a stack's existing bridge definition, in words. */
function within(stack: NetworkStack, bridge: string): string | null {
  switch (stack) {
    case 'ifupdown':
    case 'ifupdown2':
    case 'proxmox': return `the existing "iface ${bridge}" stanza (keep its address lines)`;
    case 'systemd-networkd': return `the [NetDev] section of ${bridge}'s existing .netdev file`;
    case 'networkmanager': return `the [ethernet] section of ${bridge}'s connection profile`;
    case 'rhel-ifcfg': return `the existing ifcfg-${bridge}`;
    default: return null;
  }
}

/** How to make a changed definition take effect without a reboot, per stack. */
function reloadWords(stack: NetworkStack, bridge: string): string {
  switch (stack) {
    // Classic ifupdown has no ifreload (that is ifupdown2's): take the bridge down and up, from a console.
    case 'ifupdown': return `ifdown ${bridge} && ifup ${bridge} (from a console: ${bridge} goes down briefly)`;
    case 'ifupdown2':
    case 'proxmox': return 'ifreload -a';
    case 'rhel-ifcfg': return `ifdown ${bridge} && ifup ${bridge}`;
    default: return 'a reboot';
  }
}

/** The line(s) a stack needs inside the bridge's existing definition (what --write-config inserts). */
export function pinLine(stack: NetworkStack, mac: string): string | null {
  switch (stack) {
    case 'ifupdown': return `hwaddress ether ${mac}`;
    case 'ifupdown2':
    case 'proxmox': return `hwaddress ${mac}`;
    case 'systemd-networkd': return `MACAddress=${mac}`;
    case 'rhel-ifcfg': return `MACADDR=${mac}`;
    case 'networkmanager': return `cloned-mac-address=${mac}`;
    case 'netplan': return `macaddress: "${mac}"`;
    default: return null;
  }
}

/** Persistent pin step for one stack; null for stacks without a bridge config (hypervisors). */
export function pinConfigStep(stack: NetworkStack, ctx: PinContext): PlanStep | null {
  const s = pinStanzaStep(stack, ctx);
  const line = pinLine(stack, ctx.mac);
  const where = within(stack, ctx.bridge);
  if (s?.config && line !== null && where !== null) Object.assign(s.config, { add: line, within: where });
  return s;
}

function pinStanzaStep(stack: NetworkStack, ctx: PinContext): PlanStep | null {
  const { bridge, mac, uplink, evidence } = ctx;
  const reload = reloadWords(stack, bridge);
  const verifyRead = `after ${reload === 'a reboot' ? reload : `${reload} or a reboot`}: ip link show ${bridge} shows link/ether ${mac}, ` +
    `and cat /sys/class/net/${bridge}/addr_assign_type prints 3`;
  switch (stack) {
    case 'ifupdown':
      return step(stack, `ifupdown: hwaddress in the ${bridge} stanza`,
        `${evidence} ifupdown keeps the bridge MAC only if the stanza sets it (with bridge-utils, bridge_hw ${mac} is the older equivalent).`,
        '/etc/network/interfaces',
        `auto ${bridge}\niface ${bridge} inet manual\n    bridge_ports ${uplink}\n    hwaddress ether ${mac}\n`, verifyRead);
    case 'ifupdown2':
      return step(stack, `ifupdown2: hwaddress in the ${bridge} stanza`,
        `${evidence} ifupdown2 pins the MAC with hwaddress (or its policy bridge_set_static_mac_from_port).`,
        '/etc/network/interfaces',
        `auto ${bridge}\niface ${bridge}\n    bridge-ports ${uplink}\n    hwaddress ${mac}\n`, `${verifyRead}; ifquery ${bridge} shows the hwaddress line`);
    case 'proxmox':
      return step(stack, `Proxmox: hwaddress in the ${bridge} stanza`,
        `${evidence} Proxmox ships MACAddressPolicy=none for bridges (so they follow their ports) and its taps have random MACs: set hwaddress in the bridge stanza.`,
        '/etc/network/interfaces',
        `auto ${bridge}\niface ${bridge} inet manual\n    bridge-ports ${uplink}\n    bridge-stp off\n    bridge-fd 0\n    hwaddress ${mac}\n`,
        verifyRead);
    case 'systemd-networkd':
      return step(stack, `systemd-networkd: MACAddress= in the ${bridge} .netdev`,
        `${evidence} networkd-created bridges get a stable MAC unless MACAddress= is set; an explicit value also survives udev policy changes.`,
        `/etc/systemd/network/25-${bridge}.netdev`,
        `[NetDev]\nName=${bridge}\nKind=bridge\nMACAddress=${mac}\n`,
        `networkctl status ${bridge} shows HW Address ${mac}; ${verifyRead}`);
    case 'networkmanager':
      return step(stack, `NetworkManager: ethernet.cloned-mac-address on ${bridge}`,
        `${evidence} NetworkManager sets the bridge MAC from ethernet.cloned-mac-address (bridge.mac-address is deprecated since 1.12).`,
        `/etc/NetworkManager/system-connections/${bridge}.nmconnection`,
        `[ethernet]\ncloned-mac-address=${mac}\n`,
        `nmcli -g ethernet.cloned-mac-address connection show ${bridge} prints ${mac}; ${verifyRead}`,
        `nmcli connection modify ${bridge} ethernet.cloned-mac-address ""`,
        ['nmcli', 'connection', 'modify', bridge, 'ethernet.cloned-mac-address', mac]);
    case 'netplan':
      return step(stack, `netplan: macaddress for bridge ${bridge}`,
        `${evidence} netplan sets the bridge MAC from bridges.${bridge}.macaddress; this file merges into the existing definition.`,
        `/etc/netplan/90-bridgewatch-${bridge}.yaml`,
        `network:\n  version: 2\n  bridges:\n    ${bridge}:\n      macaddress: "${mac}"\n`,
        `netplan get bridges.${bridge}.macaddress prints ${mac}; netplan apply; ${verifyRead}`,
        `delete /etc/netplan/90-bridgewatch-${bridge}.yaml and run netplan apply`);
    case 'rhel-ifcfg':
      return step(stack, `RHEL ifcfg: MACADDR in ifcfg-${bridge}`,
        `${evidence} initscripts set the bridge MAC from MACADDR= (BRIDGE_MACADDR= on some releases).`,
        `/etc/sysconfig/network-scripts/ifcfg-${bridge}`,
        `DEVICE=${bridge}\nTYPE=Bridge\nONBOOT=yes\nMACADDR=${mac}\n`, verifyRead);
    default:
      return null;
  }
}
