/**
 * `service install BRIDGE` as a plan, then apply (like `fix`): which file is written with what
 * text, and which `systemctl` commands run. The plan is pure; {@link applyServicePlan} performs it.
 * With a root other than `/` (tests, image builds) the unit is enabled offline
 * (`systemctl --root=ROOT enable`, symlinks only) and nothing is started.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BridgewatchError } from '../errors.js';
import type { CommandRunner } from '../fixer/host.js';
import { renderUnit, UNIT_DIR, UNIT_NAME, type UnitOptions } from './unit.js';

/** A bridge (interface) name the kernel accepts and a systemd instance can carry unescaped. */
const IFNAME = /^[A-Za-z0-9_.-]{1,15}$/;

/** What `service install` will do. */
export interface ServicePlan {
  bridge: string;
  /** `bridgewatch-live@BRIDGE.service`. */
  instance: string;
  /** The unit file (under the root) and its text. */
  unit: { file: string; text: string };
  /** The reports directory to create when it is not a systemd StateDirectory, else null. */
  createDir: string | null;
  /** Commands, argv without a shell, in order. */
  commands: string[][];
}

/** Builds the plan. @throws BridgewatchError USAGE for a bad bridge name. */
export function planServiceInstall(bridge: string, unit: UnitOptions, root = '/'): ServicePlan {
  if (!IFNAME.test(bridge) || bridge === '.' || bridge === '..') {
    throw new BridgewatchError('USAGE', `"${bridge}" is not an interface name (1-15 of A-Z a-z 0-9 _ . -)`);
  }
  if (!unit.reportsDir.startsWith('/') || /[\s"'\\%$]/.test(unit.reportsDir)) {
    throw new BridgewatchError('USAGE', `the reports dir must be an absolute path without spaces, quotes, % or $, got "${unit.reportsDir}"`);
  }
  const textfile = unit.metricsTextfileDir;
  if (textfile !== undefined && (!textfile.startsWith('/') || /[\s"'\\%$]/.test(textfile))) {
    throw new BridgewatchError('USAGE', `--metrics-textfile-dir must be an absolute path without spaces, quotes, % or $, got "${textfile}"`);
  }
  const instance = UNIT_NAME.replace('@.', `@${bridge}.`);
  const offline = path.resolve(root) !== '/';
  const reports = unit.reportsDir.replace(/\/+$/, '');
  const commands = offline
    ? [['systemctl', `--root=${path.resolve(root)}`, 'enable', instance]]
    : [['systemctl', 'daemon-reload'], ['systemctl', 'enable', '--now', instance]];
  return {
    bridge,
    instance,
    unit: { file: path.join(root, UNIT_DIR, UNIT_NAME), text: renderUnit(unit) },
    createDir: reports.startsWith('/var/lib/') ? null : path.join(root, reports, bridge),
    commands,
  };
}

/** The plan in words, as `service install` prints it (dry run or applied). */
export function formatServicePlan(plan: ServicePlan, applied: boolean): string {
  const will = applied ? '' : 'would ';
  const lines = [`# ${will}write ${plan.unit.file}`, ...plan.unit.text.trimEnd().split('\n').map((l) => `  ${l}`)];
  if (plan.createDir) lines.push(`# ${will}create ${plan.createDir}`);
  for (const c of plan.commands) lines.push(`# ${will}run: ${c.join(' ')}`);
  if (!applied) lines.push('# dry run: nothing written. Add --apply to install.');
  return `${lines.join('\n')}\n`;
}

/** What applying did. */
export interface ServiceApplied {
  /** False when the unit file already had this text. */
  unitChanged: boolean;
  commands: { argv: string[]; code: number | null; stderr: string }[];
}

/**
 * Writes the unit atomically (temp file + rename), creates the reports dir, runs the commands.
 * An existing unit with other text is replaced only with `force`.
 * @throws BridgewatchError SERVICE_UNIT_EXISTS, SERVICE_COMMAND_FAILED
 */
export async function applyServicePlan(plan: ServicePlan, run: CommandRunner, options: { force?: boolean } = {}): Promise<ServiceApplied> {
  const { file, text } = plan.unit;
  const current = existsSync(file) ? readFileSync(file, 'utf8') : null;
  if (current !== null && current !== text && !options.force) {
    throw new BridgewatchError('SERVICE_UNIT_EXISTS', `${file} exists with other contents; pass --force to replace it`, { file });
  }
  let unitChanged = false;
  if (current !== text) {
    mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.tmp-${process.pid}`;
    writeFileSync(tmp, text, { mode: 0o644 });
    renameSync(tmp, file);
    unitChanged = true;
  }
  if (plan.createDir) mkdirSync(plan.createDir, { recursive: true, mode: 0o750 });
  const commands: ServiceApplied['commands'] = [];
  for (const argv of plan.commands) {
    const r = await run(argv);
    commands.push({ argv, code: r.code, stderr: r.stderr.trim() });
    if (r.code !== 0) {
      throw new BridgewatchError('SERVICE_COMMAND_FAILED', `${argv.join(' ')} failed (${r.code ?? 'not started'}): ${r.stderr.trim().split('\n')[0] ?? ''}`);
    }
  }
  return { unitChanged, commands };
}
