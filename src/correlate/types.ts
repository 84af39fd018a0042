/**
 * Root causes. Correlation gives each incident a {@link Cause} naming what happened and the link
 * events (or capture-only inferences) that support it.
 */
import type { LinkEvent } from '../links/types.js';

export type CauseCode =
  | 'bridge-lowest-mac'
  | 'stp-port-not-forwarding'
  | 'stp-loop'
  | 'duplicate-address'
  | 'announced-move'
  | 'link-down'
  | 'claim-flood'
  | 'arp-spoof'
  | 'arp-flux'
  | 'unknown';

/** Hypervisor guessed from port names / MAC conventions. */
export type Hypervisor = 'kvm-libvirt' | 'qemu' | 'lxc' | 'openvz' | 'xen' | 'proxmox' | 'docker' | 'unknown';

export interface Cause {
  code: CauseCode;
  /** 0..1: 0.9+ with supporting link events, ~0.5-0.7 inferred from the capture alone. */
  confidence: number;
  /** Plain words, one or two sentences, naming bridge, port, MACs, duration. */
  summary: string;
  /** Link events that support the cause (empty when inferred from the capture only). */
  linkEvents: LinkEvent[];
  /** Capture-only reasoning (vendor of MACs, LAA bit, lower MAC), when no link events. */
  inferences: string[];
  /** What to record next time to confirm (when confidence is low). */
  toConfirm: string[];
  /** Names learned from link events, when known. */
  bridge?: string;
  port?: string;
  hypervisor?: Hypervisor;
}
