/**
 * What a run records: the capture at the neighbour, a capture on the bridge, `ip -ts monitor link`
 * and `bridge -timestamp monitor link` in the host namespace, and afterwards the kernel log lines
 * that name this run's interfaces. Captures use `tcpdump -U` / dumpcap (both flush per packet) and
 * every recorder is stopped (and awaited) before the truth is written.
 */
import { openSync, closeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inNs, run, startBackground, stopBackground, waitForStderr, sleep, type Background } from './exec.js';
import type { LabNames } from './topology.js';
import { toSeconds, type Timestamp } from '../../src/time.js';

/** Formats of the neighbour capture (the sample variants the readers are tested on). */
export const NEIGHBOUR_FORMATS = ['pcap-us', 'pcap-ns', 'pcapng', 'sll2'] as const;
export type NeighbourFormat = (typeof NEIGHBOUR_FORMATS)[number];

/** File name of the neighbour capture for a format. */
export function neighbourCaptureFile(format: NeighbourFormat): string {
  return format === 'pcapng' ? 'neighbour.pcapng' : 'neighbour.pcap';
}

/** Running recorders of one run. */
export interface Recorders {
  captures: Background[];
  monitors: Background[];
  fds: number[];
}

/** Every file name a run may write (removed before a new run into the same folder). */
export const RUN_FILES = [
  'neighbour.pcap', 'neighbour.pcapng', 'br0.pcapng', 'ip-monitor.log', 'bridge-monitor.log', 'kernel.log',
  'ping.log', 'ping-guest.log', 'ping-service.log', 'ping-reused.log', 'tcp.log', 'truth.json',
];

/** Starts every recorder and waits until both captures are live. */
export async function startRecorders(names: LabNames, out: string, format: NeighbourFormat): Promise<Recorders> {
  const rec: Recorders = { captures: [], monitors: [], fds: [] };
  const nbFile = join(out, neighbourCaptureFile(format));
  let nbArgv: string[];
  switch (format) {
    case 'pcap-us': nbArgv = ['tcpdump', '-Z', 'root', '-n', '-U', '-i', names.neighbourIf, '-w', nbFile]; break;
    case 'pcap-ns': nbArgv = ['tcpdump', '-Z', 'root', '-n', '-U', '--time-stamp-precision=nano', '-i', names.neighbourIf, '-w', nbFile]; break;
    case 'sll2': nbArgv = ['tcpdump', '-Z', 'root', '-n', '-U', '-i', 'any', '-y', 'LINUX_SLL2', '-w', nbFile]; break;
    case 'pcapng': nbArgv = ['dumpcap', '-i', names.neighbourIf, '-w', nbFile]; break;
  }
  // Monitors first, so that they always record the bridge's line (with its MAC) when the captures
  // put it in promiscuous mode: the links parser then knows the MAC before any change. Both tools
  // write straight into their files and fflush after every message.
  const ipFd = openSync(join(out, 'ip-monitor.log'), 'w');
  const brFd = openSync(join(out, 'bridge-monitor.log'), 'w');
  rec.fds.push(ipFd, brFd);
  rec.monitors.push(startBackground('ip monitor', inNs(names.hostNs, ['ip', '-ts', 'monitor', 'link']), { stdout: ipFd, stderr: ipFd }));
  rec.monitors.push(startBackground('bridge monitor', inNs(names.hostNs, ['bridge', '-timestamp', 'monitor', 'link']), { stdout: brFd, stderr: brFd }));

  // The monitors give no "ready" line: their netlink socket is bound within a few ms of exec.
  await sleep(300);
  const ready = /listening on|Capturing on/;
  const nb = startBackground('neighbour capture', inNs(names.neighbourNs, nbArgv));
  rec.captures.push(nb);
  const br = startBackground('bridge capture', inNs(names.hostNs, ['dumpcap', '-i', names.bridge, '-w', join(out, 'br0.pcapng')]));
  rec.captures.push(br);

  await Promise.all([waitForStderr(nb, ready), waitForStderr(br, ready)]);
  return rec;
}

/** Stops captures (after a short drain so the last replies land) and monitors, and closes files. */
export async function stopRecorders(rec: Recorders): Promise<void> {
  await sleep(200);
  await Promise.all(rec.captures.map((c) => stopBackground(c, 'SIGINT')));
  await Promise.all(rec.monitors.map((m) => stopBackground(m, 'SIGTERM')));
  for (const fd of rec.fds) closeSync(fd);
  rec.fds = [];
}

/** Margin around a run's window when filtering dmesg (its wall clock can be ~0.1 s off on a VM). */
export const KERNEL_LOG_MARGIN_MS = 500;

/** A `dmesg --time-format iso` line's time (`2026-11-21T09:43:01,447855+00:00 ...`) in epoch ms, or null. */
export function dmesgLineMs(line: string): number | null {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:[,.](\d+))?([+-]\d{2}:?\d{2}|Z)\s/.exec(line);
  if (!m) return null;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return null;
  return ms + Number(`0.${m[2] ?? '0'}`) * 1000;
}

/** A run's window: lab-clock times, and the marker lines it wrote into the kernel log when it could. */
export interface KernelLogWindow {
  start: Timestamp;
  end: Timestamp;
  /** Text of the line written to /dev/kmsg just before the run built anything. */
  startMarker?: string;
  /** Text of the line written to /dev/kmsg when the run stopped. */
  endMarker?: string;
}

/**
 * The kernel log lines of one run: inside its window and naming one of its interfaces as a whole
 * word. The window is bounded by the run's marker lines when they are in the log (exact: dmesg's own
 * clock), else by the lab clock ± {@link KERNEL_LOG_MARGIN_MS}. dmesg is global and the names are
 * plain (`br0`), so a lab run at the same moment could in theory contribute lines (samples/README.md).
 */
export function filterKernelLog(text: string, interfaces: string[], window: KernelLogWindow): string[] {
  let lines = text.split('\n');
  const from = window.startMarker === undefined ? -1 : lines.findIndex((l) => l.endsWith(window.startMarker!));
  if (from >= 0) {
    lines = lines.slice(from + 1);
    const to = window.endMarker === undefined ? -1 : lines.findIndex((l) => l.endsWith(window.endMarker!));
    if (to >= 0) lines = lines.slice(0, to);
  } else {
    const startMs = toSeconds(window.start) * 1000 - KERNEL_LOG_MARGIN_MS;
    const endMs = toSeconds(window.end) * 1000 + KERNEL_LOG_MARGIN_MS;
    lines = lines.filter((line) => {
      const ms = dmesgLineMs(line);
      return ms !== null && ms >= startMs && ms <= endMs;
    });
  }
  const escaped = interfaces.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  // Whole words only: `eth0` must not match inside another name, nor `vnet1` inside `vnet10`.
  const named = new RegExp(`(?<![\\w.-])(?:${escaped.join('|')})(?![\\w.-])`);
  return lines.filter((line) => dmesgLineMs(line) !== null && named.test(line));
}

/**
 * Writes a marker line into the kernel log (root only: /dev/kmsg). Returns the text written, or
 * undefined when it cannot (the window then falls back to the lab clock).
 */
export function markKernelLog(text: string): string | undefined {
  try {
    writeFileSync('/dev/kmsg', `${text}\n`);
    return text;
  } catch {
    return undefined;
  }
}

/**
 * Writes `kernel.log`: the kernel ring buffer's lines of this run (see {@link filterKernelLog}).
 * Returns false when `dmesg` is not readable (e.g. kernel.dmesg_restrict without CAP_SYSLOG, or a
 * container).
 */
export async function writeKernelLog(interfaces: string[], window: KernelLogWindow, out: string): Promise<boolean> {
  let text: string;
  try {
    text = (await run(['dmesg', '--time-format', 'iso'])).stdout;
  } catch {
    return false;
  }
  const lines = filterKernelLog(text, interfaces, window);
  writeFileSync(join(out, 'kernel.log'), lines.length ? lines.join('\n') + '\n' : '');
  return true;
}
