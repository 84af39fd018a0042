/**
 * Which incident a finding about an address joins. Changes, clashes and gaps of one (VLAN, IP)
 * land in the incident the address has open (activity within the flip window); a finding opens
 * a new incident only when it warrants one on its own.
 */
import type { Binding } from './binding.js';
import type { IncidentBook } from './incidents.js';

export class BindingIncidents {
  /** @param flipWindowS the flip window, seconds: how long an incident stays open to more findings. */
  constructor(private readonly book: IncidentBook, private readonly flipWindowS: number) {}

  /** Adds finding `index` to the binding's open incident, or opens one when `wanted`. `t`: capture time, s. */
  link(b: Binding, index: number, t: number, wanted: boolean): void {
    const open = b.incident;
    if (open && t - open.lastT <= this.flipWindowS) {
      this.book.attach(open, index, t);
      return;
    }
    if (!wanted) return;
    const related: number[] = [];
    const ep = b.episode;
    if (ep && ep.index >= 0 && ep.index !== index && !ep.quiet && t - ep.lastChangeT <= this.flipWindowS) {
      related.push(ep.index);
    }
    b.incident = this.book.open([...related, index], t);
  }
}
