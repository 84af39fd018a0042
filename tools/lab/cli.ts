/**
 * `npm run lab -- <scenario> [--out DIR] [--fixed] [--kernel-timers] [--format F] [--vlan N]`
 * (root). Also `npm run lab -- list` and `npm run lab -- cleanup` (removes namespaces left by lab
 * processes killed with SIGKILL). Exit 0 on success, 2 on error (one line on stderr).
 */
import { Command, CommanderError, Option } from 'commander';
import { isBridgewatchError, BridgewatchError } from '../../src/errors.js';
import {
  NEIGHBOUR_FORMATS, SCENARIO_DESCRIPTIONS, SCENARIO_NAMES, isScenarioName, removeStaleNamespaces, runScenario,
  type NeighbourFormat,
} from './index.js';

interface CliOptions {
  out?: string;
  fixed?: boolean;
  kernelTimers?: boolean;
  format: NeighbourFormat;
  vlan?: string;
  pingInterval?: string;
  quiet?: boolean;
}

/** Runs the lab CLI with `argv` (without node and script); resolves to the exit code. */
export async function labMain(argv: string[]): Promise<number> {
  const program = new Command('lab')
    .description('Reproduce bridge MAC/ARP incidents in network namespaces and record them (root)')
    .argument('<scenario>', `one of: ${SCENARIO_NAMES.join(', ')}; or "list", "cleanup"`)
    .option('--out <dir>', 'run folder (default: lab-runs/<scenario>)')
    .option('--fixed', 'pin the bridge MAC to the uplink before guests start (the fix)')
    .option('--kernel-timers', "keep the kernel's neighbour timers and STP forward delay (outage ~20-50 s)")
    .addOption(new Option('--format <format>', 'neighbour capture format').choices([...NEIGHBOUR_FORMATS]).default('pcap-us'))
    .option('--vlan <id>', 'tag the neighbour capture with this 802.1Q VLAN id afterwards (tcprewrite)')
    .option('--ping-interval <ms>', 'neighbour ping interval in ms (default 20; 50 with --kernel-timers)')
    .option('-q, --quiet', 'no progress lines')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  try {
    program.parse(argv, { from: 'user' });
    const scenario = program.args[0] ?? '';
    const o = program.opts<CliOptions>();
    if (scenario === 'list') {
      for (const n of SCENARIO_NAMES) process.stdout.write(`${n.padEnd(22)} ${SCENARIO_DESCRIPTIONS[n]}\n`);
      return 0;
    }
    if (scenario === 'cleanup') {
      const removed = removeStaleNamespaces();
      process.stdout.write(removed.length ? `removed ${removed.join(', ')}\n` : 'no stale lab namespaces\n');
      return 0;
    }
    if (!isScenarioName(scenario)) {
      throw new BridgewatchError('LAB_UNKNOWN_SCENARIO', `unknown scenario "${scenario}" (one of: ${SCENARIO_NAMES.join(', ')}, list, cleanup)`);
    }
    const vlan = o.vlan === undefined ? undefined : parseIntOption('--vlan', o.vlan);
    const pingIntervalMs = o.pingInterval === undefined ? undefined : parseIntOption('--ping-interval', o.pingInterval);
    const run = await runScenario(scenario, {
      out: o.out ?? `lab-runs/${scenario}`,
      fixed: o.fixed ?? false,
      kernelTimers: o.kernelTimers ?? false,
      neighbourFormat: o.format,
      ...(vlan !== undefined ? { vlan } : {}),
      ...(pingIntervalMs !== undefined ? { pingIntervalMs } : {}),
      log: o.quiet ? () => undefined : (m) => process.stderr.write(`lab: ${m}\n`),
    });
    const e = run.truth.expected;
    process.stdout.write(
      `${scenario}: recorded in ${run.out}\n` +
      `  MAC changes: ${e.macChanges.map((c) => `${c.fromMac} -> ${c.toMac} at ${c.t}`).join('; ') || 'none'}\n` +
      `  outages: ${e.outages.map((x) => `${x.ip} ${(x.durationMs / 1000).toFixed(3)} s from ${x.start}`).join('; ') || 'none'}\n` +
      `  files: ${run.files.join(' ')}\n`,
    );
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (isBridgewatchError(e)) {
      process.stderr.write(`lab: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`lab: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return 2;
  }
}

function parseIntOption(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new BridgewatchError('USAGE', `${name} needs a positive integer, got "${text}"`);
  return n;
}

// Run when executed directly (`node build/tools/lab/cli.js`), not when imported by tests.
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  labMain(process.argv.slice(2)).then((code) => { process.exitCode = code; }, () => { process.exitCode = 2; });
}
