/**
 * `bridgewatch service install BRIDGE [--apply] [--force] [--root DIR] [--reports DIR]
 * [--keep-reports N] [--max-report-age DAYS] [--log TARGET] [--metrics-listen ADDR]
 * [--metrics-textfile-dir DIR]`: write and enable the systemd unit
 * `bridgewatch-live@.service` for a bridge. A dry run by default (prints the unit and the commands);
 * `--apply` writes and enables it. Exit 0, 2 on an error.
 */
import { realpathSync } from 'node:fs';
import type { Command } from 'commander';
import { BridgewatchError } from '../errors.js';
import { runCommand } from '../fixer/host.js';
import { resolveLogTarget } from '../journal/writer.js';
import { applyServicePlan, formatServicePlan, planServiceInstall } from '../service/install.js';
import { DEFAULT_REPORTS_DIR } from '../service/unit.js';

interface ServiceInstallOptions {
  apply?: boolean;
  force?: boolean;
  root: string;
  reports: string;
  keepReports: string;
  maxReportAge: string;
  log: string;
  command?: string;
  metricsListen?: string;
  metricsTextfileDir?: string;
}

function positiveInt(value: string, what: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new BridgewatchError('USAGE', `${what} must be a positive integer, got "${value}"`);
  return n;
}

/** ExecStart's program: this node and this CLI script, both absolute and resolved. */
function defaultCommand(): string[] {
  const script = process.argv[1];
  if (script === undefined) throw new BridgewatchError('USAGE', 'cannot tell where bridgewatch is installed: pass --command');
  return [process.execPath, realpathSync(script)];
}

/** Registers `service`. */
export function register(program: Command): void {
  const service = program.command('service').description('run live as a systemd service, one instance per bridge');
  service
    .command('install')
    .description('write and enable bridgewatch-live@BRIDGE.service (dry run unless --apply)')
    .argument('<bridge>', 'bridge to watch (the unit instance)')
    .option('--apply', 'write the unit and enable/start it (default: print what would be done)')
    .option('--force', 'replace an existing unit file with other contents')
    .option('--root <dir>', 'install under this root (image builds, tests): enabled offline, not started', '/')
    .option('--reports <dir>', 'reports directory; each bridge gets DIR/BRIDGE', DEFAULT_REPORTS_DIR)
    .option('--keep-reports <n>', 'postmortem runs kept per bridge', '30')
    .option('--max-report-age <days>', 'postmortem runs older than this are removed', '90')
    .option('--log <target>', 'live --log target (journald, syslog, udp://HOST:PORT ...)', 'journald')
    .option('--metrics-listen <addr>', 'live --metrics-listen: serve Prometheus metrics (PORT, HOST:PORT; a bare port is 127.0.0.1)')
    .option('--metrics-textfile-dir <dir>', 'node_exporter textfile folder: live writes DIR/bridgewatch-BRIDGE.prom (Debian: /var/lib/prometheus/node-exporter)')
    .option('--command <argv>', 'ExecStart program and leading arguments, space-separated absolute paths (default: this node and CLI)')
    .action(async (bridge: string, opts: ServiceInstallOptions) => {
      resolveLogTarget(opts.log, () => true);
      if (!opts.reports.startsWith('/')) throw new BridgewatchError('USAGE', `--reports must be an absolute path, got "${opts.reports}"`);
      const command = opts.command === undefined ? defaultCommand() : opts.command.split(/\s+/).filter((w) => w !== '');
      if (command.length === 0 || !command.every((w, i) => i > 0 || w.startsWith('/'))) {
        throw new BridgewatchError('USAGE', `--command must start with an absolute path, got "${opts.command ?? ''}"`);
      }
      const plan = planServiceInstall(bridge, {
        command,
        reportsDir: opts.reports,
        keepReports: positiveInt(opts.keepReports, '--keep-reports'),
        maxReportAgeDays: positiveInt(opts.maxReportAge, '--max-report-age'),
        log: opts.log,
        ...(opts.metricsListen === undefined ? {} : { metricsListen: opts.metricsListen }),
        ...(opts.metricsTextfileDir === undefined ? {} : { metricsTextfileDir: opts.metricsTextfileDir }),
      }, opts.root);
      if (!opts.apply) {
        process.stdout.write(formatServicePlan(plan, false));
        return;
      }
      await applyServicePlan(plan, runCommand, opts.force ? { force: true } : {});
      process.stdout.write(formatServicePlan(plan, true));
    });
}
