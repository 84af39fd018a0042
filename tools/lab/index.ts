/**
 * The incident lab: reproduces the field incidents in network namespaces on this kernel and records
 * each run (captures, link monitors, kernel log, truth.json). Needs root.
 *
 * ```ts
 * const run = await runScenario('guest-start-stop', { out: 'runs/gss' });
 * run.truth.expected.outages[0]?.durationMs; // measured by the neighbour's own ping
 * ```
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BridgewatchError } from '../../src/errors.js';
import { run } from './exec.js';
import { NEIGHBOUR_FORMATS, RUN_FILES, type NeighbourFormat } from './recorders.js';
import { SCENARIO_NAMES, scenarioRunner, type ScenarioName } from './scenarios.js';
import { LabSession, type HostReadyContext } from './session.js';
import type { Truth } from './truth.js';

export { SCENARIO_NAMES, SCENARIO_DESCRIPTIONS, type ScenarioName } from './scenarios.js';
export { NEIGHBOUR_FORMATS, type NeighbourFormat } from './recorders.js';
export type { HostReadyContext } from './session.js';
export type * from './truth.js';
export { listLabNamespaces, removeStaleNamespaces } from './cleanup.js';

/** Options of {@link runScenario}. */
export interface LabOptions {
  /** Folder the run is recorded into (created; existing files of the same names are overwritten). */
  out: string;
  /**
   * Pin the bridge MAC to the uplink's before any guest starts (the fix). Default false.
   * `truth.host.pinned` reports the bridge's real state after onHostReady.
   */
  fixed?: boolean;
  /** Keep the kernel's neighbour timers (and STP's 15 s forward delay): outages of ~20-50 s. Default false. */
  kernelTimers?: boolean;
  /** Format of the neighbour capture. Default `pcap-us`. */
  neighbourFormat?: NeighbourFormat;
  /** Tag the neighbour capture with this 802.1Q VLAN id afterwards (tcprewrite; pcap-us/pcap-ns only). */
  vlan?: number;
  /** Neighbour ping interval, ms (root may go down to 2). Default 20 (50 with kernelTimers). */
  pingIntervalMs?: number;
  /**
   * Called once host, bridge, uplink and neighbour exist and the recorders run, before any guest
   * starts: e.g. run `audit`/`fix` or start `live` inside `ctx.hostNs`. A rejection aborts the run
   * (namespaces are still removed).
   */
  onHostReady?: (ctx: HostReadyContext) => Promise<void>;
  /**
   * Called after the scenario's traffic and recorders stopped, before the namespaces are removed
   * (e.g. stop a `live` watcher started in onHostReady). Errors are logged, not thrown.
   */
  beforeCleanup?: (ctx: HostReadyContext) => Promise<void>;
  /** Progress lines (default: none). */
  log?: (message: string) => void;
}

/** A finished run. */
export interface LabRun {
  scenario: ScenarioName;
  /** Absolute path of the run folder. */
  out: string;
  truth: Truth;
  /** Files written into `out`. */
  files: string[];
}

/** True when `name` is one of {@link SCENARIO_NAMES}. */
export function isScenarioName(name: string): name is ScenarioName {
  return (SCENARIO_NAMES as readonly string[]).includes(name);
}

/** Checks the lab can run here: root and the tools it drives. */
export async function checkLabPrerequisites(options: { vlan?: boolean; pcapng?: boolean } = {}): Promise<void> {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new BridgewatchError('LAB_NOT_ROOT', 'the lab builds network namespaces and needs root (run it with sudo)');
  }
  const tools: string[][] = [['ip', '-V'], ['bridge', '-V'], ['tcpdump', '--version'], ['dumpcap', '--version'], ['ping', '-V'], ['arping', '-V'], ['stdbuf', '--version']];
  if (options.vlan) tools.push(['tcprewrite', '--version']);
  for (const argv of tools) await run(argv).catch((e: unknown) => {
    // ping/arping -V exit 0; a missing tool is ENOENT (LAB_TOOL_MISSING), anything else is fine.
    if (e instanceof BridgewatchError && e.code === 'LAB_TOOL_MISSING') throw e;
  });
}

/**
 * Runs one scenario and records it into `options.out`. The namespaces (`bwlab-<pid>-<n>-*`) are
 * removed when it returns, when it fails, and on SIGINT/SIGTERM. Runs in one process are sequential.
 */
export async function runScenario(name: ScenarioName, options: LabOptions): Promise<LabRun> {
  if (!isScenarioName(name)) {
    throw new BridgewatchError('LAB_UNKNOWN_SCENARIO', `unknown scenario "${String(name)}" (one of: ${SCENARIO_NAMES.join(', ')})`);
  }
  const format = options.neighbourFormat ?? 'pcap-us';
  if (!(NEIGHBOUR_FORMATS as readonly string[]).includes(format)) {
    throw new BridgewatchError('USAGE', `unknown neighbour capture format "${format}" (one of: ${NEIGHBOUR_FORMATS.join(', ')})`);
  }
  // tcprewrite tags Ethernet frames of classic pcap files only.
  if (options.vlan !== undefined && (!(format === 'pcap-us' || format === 'pcap-ns') || !Number.isInteger(options.vlan) || options.vlan < 1 || options.vlan > 4094)) {
    throw new BridgewatchError('USAGE', 'vlan must be 1-4094 and needs an Ethernet pcap neighbour format (pcap-us, pcap-ns)');
  }
  await checkLabPrerequisites({ vlan: options.vlan !== undefined });
  const out = resolve(options.out);
  try {
    mkdirSync(out, { recursive: true });
    // Only the lab's own file names: a previous run's leftovers (another format) must not mix in.
    for (const f of RUN_FILES) rmSync(join(out, f), { force: true });
  } catch (e) {
    throw new BridgewatchError('LAB_OUT_UNWRITABLE', `cannot record into this folder: ${(e as Error).message}`, { file: out }, { cause: e });
  }
  const kernelTimers = options.kernelTimers ?? false;
  const session = new LabSession({
    out,
    fixed: options.fixed ?? false,
    kernelTimers,
    neighbourFormat: format,
    ...(options.vlan !== undefined ? { vlan: options.vlan } : {}),
    pingIntervalMs: options.pingIntervalMs ?? (kernelTimers ? 50 : 20),
    ...(options.onHostReady ? { onHostReady: options.onHostReady } : {}),
    ...(options.beforeCleanup ? { beforeCleanup: options.beforeCleanup } : {}),
    log: options.log ?? (() => undefined),
  });
  try {
    const result = await scenarioRunner(name)(session);
    const truth = session.writeTruth(name, result.expected, result.notes);
    return { scenario: name, out, truth, files: readdirSync(out).sort() };
  } finally {
    await session.teardown();
  }
}
