/**
 * `bridgewatch fix BRIDGE`: print the remediation plan (dry run). `--apply` runs only the runtime
 * steps (pin the MAC; with --announce arp_notify/ndisc_notify), verifies and is idempotent;
 * `--write-config` edits the detected stack's file after a backup and prints the diff.
 */
import { SCHEMA } from '../report/json.js';
import type { Command } from 'commander';
import { BridgewatchError } from '../errors.js';
import { applyPlan, auditBridges, formatApply, formatPlan, planForBridge, writeConfig } from '../fixer/index.js';
import { noCommands } from '../fixer/host.js';
import type { NetworkStack } from '../fixer/types.js';

interface FixCliOptions {
  apply?: boolean;
  announce?: boolean;
  writeConfig?: boolean;
  allStacks?: boolean;
  stack?: string;
  uplink?: string;
  format: string;
  root?: string;
}

/** Registers `fix`. */
export function register(program: Command, _setExit: (code: number) => void): void {
  program
    .command('fix')
    .description('plan (and with --apply, apply) the fix for one bridge')
    .argument('[bridge]', 'the bridge to fix (required: never guessed)')
    .option('--apply', 'run the runtime steps (needs root)')
    .option('--announce', 'with --apply: also set arp_notify and ndisc_notify on the bridge')
    .option('--write-config', 'write the pin into the detected stack\'s config file (backup first, diff printed)')
    .option('--stack <stack>', 'with --write-config: which detected stack to edit')
    .option('--all-stacks', 'show persistent config for every stack, not only detected ones')
    .option('--uplink <port>', 'the uplink port whose permanent MAC the bridge keeps')
    .option('--format <format>', 'text or json', 'text')
    .option('--root <dir>', 'read sysfs, /proc and config files under this root (testing)')
    .action(async (bridge: string | undefined, opts: FixCliOptions) => {
      if (bridge === undefined || bridge === '') {
        throw new BridgewatchError('FIX_NEEDS_BRIDGE_NAME', 'fix needs an explicit bridge name (bridgewatch audit lists them)');
      }
      if (opts.format !== 'text' && opts.format !== 'json') throw new BridgewatchError('USAGE', `--format must be text or json, not "${opts.format}"`);
      if (opts.announce && !opts.apply) throw new BridgewatchError('USAGE', '--announce only makes sense with --apply');
      if (opts.apply && opts.root !== undefined) {
        // A fake root only redirects reads: applying would run ip/sysctl on the real host.
        throw new BridgewatchError('USAGE', '--apply cannot be combined with --root (it would change the real host)');
      }
      const roots = opts.root === undefined ? {} : { sysRoot: opts.root, procRoot: opts.root, configRoot: opts.root, run: noCommands };
      // Root is checked before reading anything so a non-root --apply fails with one clear line.
      if ((opts.apply || opts.writeConfig) && opts.root === undefined && !(typeof process.getuid === 'function' && process.getuid() === 0)) {
        throw new BridgewatchError('FIX_NOT_ROOT', `changing ${opts.apply ? 'a bridge' : 'network config'} needs root; run without --apply/--write-config for the dry run`, { file: bridge });
      }
      const [audit] = await auditBridges([bridge], { ...roots, ...(opts.uplink === undefined ? {} : { uplink: opts.uplink }) });
      const plan = planForBridge(audit!, { allStacks: opts.allStacks ?? false });
      const json: Record<string, unknown> = { schema: SCHEMA, plan };
      if (opts.format === 'text') process.stdout.write(formatPlan(plan, { applying: Boolean(opts.apply || opts.writeConfig) }));
      if (opts.apply) {
        const result = await applyPlan(plan, { ...roots, announce: opts.announce ?? false });
        json.applied = result;
        if (opts.format === 'text') process.stdout.write(`\n${formatApply(result)}`);
      }
      if (opts.writeConfig) {
        const written = await writeConfig(plan, { ...roots, ...(opts.stack === undefined ? {} : { stack: opts.stack as NetworkStack }) });
        json.config = written;
        if (opts.format === 'text') {
          process.stdout.write(written.changed
            ? `\nwrote ${written.file} (${written.stack}; backup ${written.backup ?? 'none: new file'}):\n${written.diff}`
            : `\n${written.file} already pins ${plan.pinMac}: nothing written\n`);
        }
      }
      if (opts.format === 'json') process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    });
}
