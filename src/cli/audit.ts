/**
 * `bridgewatch audit [BRIDGE...]`: read live bridge state and report risks. Exit 1 when a risk is
 * at or above --fail-on (default warning), 2 on error.
 */
import type { Command } from 'commander';
import { BridgewatchError } from '../errors.js';
import { auditBridges, formatAudit, severityRank } from '../fixer/index.js';
import { noCommands } from '../fixer/host.js';
import type { AuditRisk } from '../fixer/types.js';
import { runCommand } from '../fixer/host.js';
import { auditGuests } from '../guests/audit-hook.js';
import { checkResult, checkUnknown } from '../check/nagios.js';
import { isBridgewatchError } from '../errors.js';

interface AuditCliOptions {
  format: string;
  failOn: string;
  uplink?: string;
  root?: string;
  guests: boolean;
  check?: boolean;
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
    .option('--no-guests', 'do not read guest definitions (libvirt, LXC, OpenVZ, Proxmox, Docker)')
    .option('--check', 'Nagios/Icinga plugin output: one status line with perfdata, exit 0/1/2/3 = OK/WARNING/CRITICAL/UNKNOWN')
    .action(async (bridges: string[], opts: AuditCliOptions) => {
      if (opts.check) {
        // Plugin convention: every failure is UNKNOWN (3) with one line on stdout.
        try {
          const roots = opts.root === undefined ? {} : { sysRoot: opts.root, procRoot: opts.root, configRoot: opts.root, run: noCommands };
          const audits = await auditBridges(bridges, { ...roots, ...(opts.uplink === undefined ? {} : { uplink: opts.uplink }) });
          if (opts.guests) await auditGuests(audits, { root: opts.root ?? '/', ...(opts.root === undefined ? { run: runCommand } : {}), onlyAudited: bridges.length > 0 });
          const r = checkResult(audits);
          process.stdout.write(r.text);
          setExit(r.code);
        } catch (e) {
          process.stdout.write(checkUnknown(isBridgewatchError(e) ? e.message : `internal error: ${(e as Error).message}`).text);
          setExit(3);
        }
        return;
      }
      if (opts.format !== 'table' && opts.format !== 'json') throw new BridgewatchError('USAGE', `--format must be table or json, not "${opts.format}"`);
      if (opts.failOn !== 'none' && !SEVERITIES.includes(opts.failOn)) throw new BridgewatchError('USAGE', `--fail-on must be info, warning, critical or none, not "${opts.failOn}"`);
      const roots = opts.root === undefined ? {} : { sysRoot: opts.root, procRoot: opts.root, configRoot: opts.root, run: noCommands };
      const audits = await auditBridges(bridges, { ...roots, ...(opts.uplink === undefined ? {} : { uplink: opts.uplink }) });
      const guests = opts.guests ? await auditGuests(audits, { root: opts.root ?? '/', ...(opts.root === undefined ? { run: runCommand } : {}), onlyAudited: bridges.length > 0 }) : null;
      process.stdout.write(opts.format === 'json'
        ? `${JSON.stringify({ audits, ...(guests ? { guests: guests.json } : {}) }, null, 2)}\n`
        : formatAudit(audits) + (guests?.text ?? ''));
      if (opts.failOn !== 'none') {
        const threshold = severityRank(opts.failOn as AuditRisk['severity']);
        if (audits.some((a) => a.risks.some((r) => severityRank(r.severity) >= threshold))) setExit(1);
      }
    });
}
