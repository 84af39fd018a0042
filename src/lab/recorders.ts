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
  const ready = /listening on|Capturing on/;
  const nb = startBackground('neighbour capture', inNs(names.neighbourNs, nbArgv));
  rec.captures.push(nb);
  const br = startBackground('bridge capture', inNs(names.hostNs, ['dumpcap', '-i', names.bridge, '-w', join(out, 'br0.pcapng')]));
  rec.captures.push(br);

  // The monitors write straight into their files; both tools fflush after every message.
  const ipFd = openSync(join(out, 'ip-monitor.log'), 'w');
  const brFd = openSync(join(out, 'bridge-monitor.log'), 'w');
  rec.fds.push(ipFd, brFd);
  rec.monitors.push(startBackground('ip monitor', inNs(names.hostNs, ['ip', '-ts', 'monitor', 'link']), { stdout: ipFd, stderr: ipFd }));
  rec.monitors.push(startBackground('bridge monitor', inNs(names.hostNs, ['bridge', '-timestamp', 'monitor', 'link']), { stdout: brFd, stderr: brFd }));

  await Promise.all([waitForStderr(nb, ready), waitForStderr(br, ready)]);
  // The monitors give no "ready" line: their netlink socket is bound within a few ms of exec.
  await sleep(300);
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

/**
 * Writes `kernel.log`: the kernel ring buffer's lines that name one of this run's interfaces (the
 * tag is unique per run, so other labs' lines are left out). Returns false when `dmesg` is not
 * readable (e.g. kernel.dmesg_restrict without CAP_SYSLOG, or a container).
 */
export async function writeKernelLog(names: LabNames, out: string): Promise<boolean> {
  let text: string;
  try {
    text = (await run(['dmesg', '--time-format', 'iso'])).stdout;
  } catch {
    return false;
  }
  const mark = `b${names.tag}`;
  const lines = text.split('\n').filter((l) => l.includes(mark));
  writeFileSync(join(out, 'kernel.log'), lines.length ? lines.join('\n') + '\n' : '');
  return true;
}
