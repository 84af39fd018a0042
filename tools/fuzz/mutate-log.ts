/**
 * Link-log mutations: random but plausible lines (every format's prefixes with wild numbers,
 * names and dates), line-level edits (insert, delete, repeat, shuffle, splice from another log),
 * character-level damage (flips, truncation mid-line, CRLF, very long lines).
 */
import type { Rng } from './rng.js';

/** Characters one repeat mutation may add. */
const MAX_REPEAT_CHARS = 2_000_000;

/** A mutated log and how it was made. */
export interface MutatedLog {
  text: string;
  steps: string[];
}

const WILD_NUMBERS = ['0', '-1', '1', '4294967295', '4294967296', '18446744073709551616', '9'.repeat(40), '1e308',
  '00000000000000000000001', '0x10', '2147483648', '999999', '1000000', '60', '24', '31', '99', '-0', 'NaN', ''];
const NAMES = ['br0', 'vnet5', 'vnet5@vnet5p', 'eth0@NONE', 'x@', '@', '', 'veth101.0', 'tap10', 'lke6696@if2',
  'a'.repeat(300), 'br0:', 'ünïcödé', 'br 0', '(vnet5)', 'port'];
const MACS = ['00:18:51:00:00:01', 'b4:99:ba:11:22:33', 'ff:ff:ff:ff:ff:ff', '00:00:00:00:00:00', 'zz:zz:zz:zz:zz:zz',
  '00:18:51:00:00', '00:18:51:00:00:01:02', ''];
const STATES = ['blocking', 'disabled', 'listening', 'learning', 'forwarding', 'sleeping', ''];
const MONTHS = ['Jan', 'Feb', 'Nov', 'Dec', 'Xyz', ''];
const DAYS = ['Mon', 'Sat', 'Sun', 'Foo'];

function num(rng: Rng): string {
  return rng.chance(0.5) ? String(rng.below(100_000)) : rng.pick(WILD_NUMBERS);
}

function isoTime(rng: Rng): string {
  const year = rng.chance(0.8) ? '2026' : rng.pick(['0000', '9999', '1969', '275761', '99999']);
  const two = (max: number): string => String(rng.chance(0.9) ? rng.below(max) : rng.between(60, 99)).padStart(2, '0');
  const frac = rng.chance(0.7) ? `.${String(rng.u32()).slice(0, rng.between(1, 12))}` : '';
  const zone = rng.pick(['', 'Z', '+00:00', '+0100', '-23:59', '+99:99', '+01']);
  return `${year}-${two(13)}-${two(32)}T${two(24)}:${two(60)}:${two(60)}${frac}${zone}`;
}

function syslogTime(rng: Rng): string {
  return `${rng.pick(MONTHS)} ${num(rng)} ${num(rng)}:${num(rng)}:${num(rng)}${rng.chance(0.3) ? `.${num(rng)}` : ''}`;
}

function kernelMessage(rng: Rng): string {
  const name = rng.pick(NAMES);
  const other = rng.pick(NAMES);
  switch (rng.below(8)) {
    case 0: return `${name}: port ${num(rng)}(${other}) entered ${rng.pick(STATES)} state`;
    case 1: return `${name}: port ${num(rng)}(${other}) entering ${rng.pick(STATES)} state`;
    case 2: return `device ${name} ${rng.pick(['entered', 'left'])} promiscuous mode`;
    case 3: return `${name}: ${rng.pick(['entered', 'left'])} ${rng.pick(['promiscuous', 'allmulticast'])} mode`;
    case 4: return `${name} (unregistering): left promiscuous mode`;
    case 5: return `${name}: received packet on ${other} with own address as source address (addr:${rng.pick(MACS)}, vlan:${num(rng)})`;
    case 6: return `${name}: topology change detected, ${rng.pick(['propagating', 'sending tcn bpdu', ''])}`;
    default: return `${name}: ${rng.pick(['renamed from', 'link becomes ready', 'NIC Link is Up'])} ${other}`;
  }
}

function linkLine(rng: Rng): string {
  const deleted = rng.chance(0.2) ? 'Deleted ' : '';
  const flags = rng.pick(['<BROADCAST,MULTICAST>', '<BROADCAST,MULTICAST,UP,LOWER_UP>', '<>', '<', 'BROADCAST>', '<M-DOWN,,,>']);
  const master = rng.chance(0.6) ? ` master ${rng.pick(NAMES)}` : '';
  const state = rng.chance(0.7) ? ` state ${rng.pick(['UP', 'DOWN', 'UNKNOWN', 'disabled', 'forwarding', 'blocking', 'x'])}` : '';
  const tail = rng.chance(0.3) ? ` priority ${num(rng)} cost ${num(rng)}` : rng.chance(0.3) ? ' qdisc noqueue group default' : '';
  return `${deleted}${num(rng)}: ${rng.pick(NAMES)}: ${flags} mtu ${num(rng)}${master}${state}${tail} `;
}

/** One random line in the style of some supported format (or of none). */
export function randomLogLine(rng: Rng): string {
  switch (rng.below(12)) {
    case 0: return `[${isoTime(rng)}] ${linkLine(rng)}`;
    case 1: return `    link/ether ${rng.pick(MACS)}${rng.chance(0.5) ? ` brd ${rng.pick(MACS)}` : ''}${rng.chance(0.2) ? ` link-netnsid ${num(rng)}` : ''}`;
    case 2: return `Timestamp: ${rng.pick(DAYS)} ${rng.pick(MONTHS)} ${num(rng)} ${num(rng)}:${num(rng)}:${num(rng)} ${num(rng)} ${num(rng)} usec`;
    case 3: return linkLine(rng);
    case 4: return `[${rng.chance(0.8) ? ` ${num(rng)}.${num(rng)}` : num(rng)}] ${kernelMessage(rng)}`;
    case 5: return `[${rng.pick(DAYS)} ${rng.pick(MONTHS)} ${num(rng)} ${num(rng)}:${num(rng)}:${num(rng)} ${num(rng)}] ${kernelMessage(rng)}`;
    case 6: return `${syslogTime(rng)} ${rng.pick(NAMES)} kernel: ${rng.chance(0.5) ? `[${num(rng)}.${num(rng)}] ` : ''}${kernelMessage(rng)}`;
    case 7: return `${isoTime(rng)} hv kernel: ${kernelMessage(rng)}`;
    case 8: return `<${num(rng)}>1 ${isoTime(rng)} hv kernel - - - ${kernelMessage(rng)}`;
    case 9: {
      const fields: string[] = [];
      if (rng.chance(0.9)) fields.push(`"__REALTIME_TIMESTAMP":${rng.chance(0.8) ? `"${num(rng)}"` : num(rng) || 'null'}`);
      if (rng.chance(0.8)) fields.push(`"MESSAGE":${rng.chance(0.8) ? JSON.stringify(kernelMessage(rng)) : rng.pick(['null', '[1,2]', '{}', '12'])}`);
      if (rng.chance(0.5)) fields.push('"_TRANSPORT":"kernel"');
      const json = `{${fields.join(',')}}`;
      return rng.chance(0.1) ? json.slice(0, rng.below(json.length)) : json;
    }
    case 10: return `-- Journal begins at ${rng.pick(DAYS)} ${isoTime(rng)} UTC. --`;
    default: return String.fromCharCode(...Array.from({ length: rng.below(80) }, () => rng.between(1, 0x2fff)));
  }
}

/** Applies 1-4 line/character mutations to `text`; `donor` is another sample to splice from. */
export function mutateLog(text: string, donor: string, rng: Rng): MutatedLog {
  let lines = text.split('\n');
  const steps: string[] = [];
  const rounds = rng.between(1, 4);
  for (let r = 0; r < rounds; r++) {
    const at = rng.below(lines.length + 1);
    switch (rng.below(10)) {
      case 0:
      case 1: {
        const n = rng.between(1, 5);
        lines.splice(at, 0, ...Array.from({ length: n }, () => randomLogLine(rng)));
        steps.push(`insert@${at}x${n}`);
        break;
      }
      case 2:
        lines.splice(at, rng.between(1, 3));
        steps.push(`delete@${at}`);
        break;
      case 3: {
        const line = lines[Math.min(at, lines.length - 1)] ?? '';
        let n = rng.chance(0.8) ? rng.between(1, 10) : rng.between(100, 3000);
        // Keep a case a few MB at most: repeating a 200 KB line 3000 times tests the machine's
        // memory, not the parser (such a 183 MB case parsed in 0.5 s but starved the worker's heap).
        n = Math.max(1, Math.min(n, Math.floor(MAX_REPEAT_CHARS / (line.length + 1))));
        lines.splice(at, 0, ...Array.from({ length: n }, () => line));
        steps.push(`repeat@${at}x${n}`);
        break;
      }
      case 4: {
        const donorLines = donor.split('\n');
        const from = rng.below(donorLines.length);
        const piece = donorLines.slice(from, from + rng.between(1, 8));
        lines.splice(at, 0, ...piece);
        steps.push(`splice@${at}<-donor[${from}]`);
        break;
      }
      case 5: {
        for (let i = lines.length - 1; i > 0; i--) {
          if (!rng.chance(0.2)) continue;
          const j = rng.below(i + 1);
          [lines[i], lines[j]] = [lines[j]!, lines[i]!];
        }
        steps.push('shuffle');
        break;
      }
      case 6: {
        // Character damage inside one line: flips, deletions, digit swaps.
        const i = Math.min(at, lines.length - 1);
        const chars = [...(lines[i] ?? '')];
        for (let k = rng.between(1, 4); k > 0 && chars.length > 0; k--) {
          const c = rng.below(chars.length);
          const op = rng.below(3);
          if (op === 0) chars[c] = String.fromCharCode((chars[c]!.charCodeAt(0) ^ (1 << rng.below(7))) || 0x20);
          else if (op === 1) chars.splice(c, 1);
          else chars[c] = rng.pick(['9', '0', ':', ' ', '[', ']', '@', '-', '.']);
        }
        lines[i] = chars.join('');
        steps.push(`chars@${i}`);
        break;
      }
      case 7: {
        // The recording stopped mid-line (a reboot).
        const joined = lines.join('\n');
        const cut = rng.below(joined.length + 1);
        lines = joined.slice(0, cut).split('\n');
        steps.push(`truncate@${cut}`);
        break;
      }
      case 8: {
        const long = randomLogLine(rng) + 'x'.repeat(rng.between(1000, 200_000));
        lines.splice(at, 0, long);
        steps.push(`long@${at}`);
        break;
      }
      default:
        lines = lines.map((l) => (rng.chance(0.5) ? `${l}\r` : l));
        steps.push('crlf');
        break;
    }
  }
  return { text: lines.join('\n'), steps };
}
