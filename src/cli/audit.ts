/**
 * `bridgewatch audit [BRIDGE...]`: read live bridge state and report risks. Exit 1 when a risk is
 * at or above --fail-on (default warning), 2 on error.
 */
import type { Command } from 'commander';
import { BridgewatchError } from '../errors.js';
import { auditBridges, formatAudit, severityRank } from '../fixer/index.js';
import { noCommands } from '../fixer/host.js';
import type { AuditRisk } from '../fixer/types.js';

interface AuditCliOptions {
  format: string;
  failOn: string;
  uplink?: string;
  root?: string;
}

const SEVERITIES = ['info', 'warning', 'critical'];

/** Registers `audit`. */
export function register(program: Command, setExit: (code: number) => void): void {
  program
    .command('audit')
    .description('audit live bridges: MAC pinning, port states, STP delay, arp_notify, managed FDB')
    .argument('[bridge...]', 'bridges to audit (default: all)')
    .option('--format <format>', 'table or json', 'table')
    .option('--fail-on <severity>', 'exit 1 when a risk is at/above: info, warning, critical, none', 'warning')
    .option('--uplink <port>', 'the uplink port, when it cannot be told from the ports')
    .option('--root <dir>', 'read sysfs, /proc and config files under this root (testing)')
    .action(async (bridges: string[], opts: AuditCliOptions) => {
      if (opts.format !== 'table' && opts.format !== 'json') throw new BridgewatchError('USAGE', `--format must be table or json, not "${opts.format}"`);
      if (opts.failOn !== 'none' && !SEVERITIES.includes(opts.failOn)) throw new BridgewatchError('USAGE', `--fail-on must be info, warning, critical or none, not "${opts.failOn}"`);
      const roots = opts.root === undefined ? {} : { sysRoot: opts.root, procRoot: opts.root, configRoot: opts.root, run: noCommands };
      const audits = await auditBridges(bridges, { ...roots, ...(opts.uplink === undefined ? {} : { uplink: opts.uplink }) });
      process.stdout.write(opts.format === 'json' ? `${JSON.stringify({ audits }, null, 2)}\n` : formatAudit(audits));
      if (opts.failOn !== 'none') {
        const threshold = severityRank(opts.failOn as AuditRisk['severity']);
        if (audits.some((a) => a.risks.some((r) => severityRank(r.severity) >= threshold))) setExit(1);
      }
    });
}
