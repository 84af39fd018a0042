/**
 * `fix --write-config`: edits the ONE file of the detected stack that defines the bridge, so the pin
 * survives a reboot. The original is first copied to `FILE.bridgewatch.bak` (never overwritten: a
 * second run keeps the first backup), and the unified diff is returned for printing. Only files
 * under `configRoot` are touched, so tests run on a temporary tree.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../atomic-file.js';
import { BridgewatchError, isBridgewatchError } from '../errors.js';
import { pinLine } from './config.js';
import { unifiedDiff } from './diff.js';
import { hostAccess, type HostOptions } from './host.js';
import { detectStacks } from './stacks.js';
import type { NetworkStack, RemediationPlan } from './types.js';

/** What was written. */
export interface ConfigWriteResult {
  stack: NetworkStack;
  /** Host path (without the config root). */
  file: string;
  /** Backup path, null when the file was new. */
  backup: string | null;
  /** Unified diff of the change; empty when the file already pinned the MAC. */
  diff: string;
  changed: boolean;
}

/** Options of {@link writeConfig}. */
export interface WriteConfigOptions extends HostOptions {
  /** Pick this stack when several define the bridge. */
  stack?: NetworkStack;
}

const STANZA_START = /^(iface|auto|allow-\S+|mapping|source|source-directory|no-auto-down|no-scripts)\b/;

/** interfaces(5): set the hwaddress line inside `iface BR`'s stanza. */
export function editInterfaces(text: string, bridge: string, line: string): string | null {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => new RegExp(`^\\s*iface\\s+${bridge.replace(/[.]/g, '\\.')}\\s`).test(l));
  if (start < 0) return null;
  let end = start + 1;
  while (end < lines.length && !STANZA_START.test(lines[end]!.trim())) end++;
  // end: first line of the next stanza; trim trailing blank/comment lines of this stanza
  let lastOption = start;
  for (let i = start + 1; i < end; i++) if (lines[i]!.trim() !== '' && !lines[i]!.trim().startsWith('#')) lastOption = i;
  const indent = lastOption > start ? /^\s*/.exec(lines[lastOption]!)![0] : '    ';
  for (let i = start + 1; i < end; i++) {
    if (/^\s*(hwaddress|bridge_hw|bridge-hw)\s/.test(lines[i]!)) { lines[i] = indent + line; return lines.join('\n'); }
  }
  lines.splice(lastOption + 1, 0, indent + line);
  return lines.join('\n');
}

/** INI-style (networkd .netdev, NM keyfile): set `key=value` in `[section]`, adding the section if needed. */
export function editIni(text: string, section: string, line: string): string {
  const key = line.split('=')[0]!;
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() === `[${section}]`);
  if (start < 0) {
    const body = text.endsWith('\n') || text === '' ? text : `${text}\n`;
    return `${body}${body ? '\n' : ''}[${section}]\n${line}\n`;
  }
  let end = start + 1;
  while (end < lines.length && !/^\s*\[/.test(lines[end]!)) end++;
  for (let i = start + 1; i < end; i++) {
    if (new RegExp(`^\\s*${key}\\s*=`).test(lines[i]!)) { lines[i] = line; return lines.join('\n'); }
  }
  let last = start;
  for (let i = start + 1; i < end; i++) if (lines[i]!.trim() !== '') last = i;
  lines.splice(last + 1, 0, line);
  return lines.join('\n');
}

/** ifcfg (shell variables): set MACADDR=. */
export function editIfcfg(text: string, line: string): string {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => /^\s*MACADDR=/.test(l));
  if (i >= 0) { lines[i] = line; return lines.join('\n'); }
  const body = text.endsWith('\n') || text === '' ? text : `${text}\n`;
  return `${body}${line}\n`;
}

/**
 * Writes the pin into the detected stack's file for `plan.bridge` and returns the diff.
 * @throws BridgewatchError FIX_NEEDS_BRIDGE_NAME, FIX_CONFIG_NOT_FOUND, FIX_CONFIG_WRITE_FAILED
 */
export async function writeConfig(plan: RemediationPlan, options: WriteConfigOptions = {}): Promise<ConfigWriteResult> {
  const host = hostAccess(options);
  const bridge = plan.bridge;
  if (bridge === null) throw new BridgewatchError('FIX_NEEDS_BRIDGE_NAME', 'refusing to write config without an explicit bridge name');
  if (plan.pinMac === null) throw new BridgewatchError('FIX_CONFIG_NOT_FOUND', 'no MAC to pin to (uplink unknown: pass --uplink PORT)', { file: bridge });
  const detected = await detectStacks(host, bridge);
  const candidates = detected.filter((d) => (options.stack === undefined || d.stack === options.stack) && (d.bridgeFile !== undefined || d.stack === 'netplan'));
  const target = candidates[0];
  if (target === undefined) {
    const seen = detected.map((d) => d.stack).join(', ') || 'none';
    throw new BridgewatchError('FIX_CONFIG_NOT_FOUND', `no configuration file defines this bridge (stacks found: ${seen}); nothing written`, { file: bridge });
  }
  const line = pinLine(target.stack, plan.pinMac)!;
  // netplan: a separate file merges into the bridge's definition; never rewrite the user's YAML.
  const file = target.stack === 'netplan' ? `/etc/netplan/90-bridgewatch-${bridge}.yaml` : target.bridgeFile!;
  const full = path.join(host.configRoot, file);
  let before = '';
  let existed = true;
  try {
    before = await fs.readFile(full, 'utf8');
  } catch {
    existed = false;
  }
  let after: string | null;
  switch (target.stack) {
    case 'ifupdown': case 'ifupdown2': case 'proxmox': after = editInterfaces(before, bridge, line); break;
    case 'systemd-networkd': after = editIni(before, 'NetDev', line); break;
    case 'networkmanager': after = editIni(before, 'ethernet', line); break;
    case 'rhel-ifcfg': after = editIfcfg(before, line); break;
    case 'netplan': after = `network:\n  version: 2\n  bridges:\n    ${bridge}:\n      ${line}\n`; break;
    default: after = null;
  }
  if (after === null) throw new BridgewatchError('FIX_CONFIG_NOT_FOUND', `cannot find the ${bridge} definition to edit`, { file });
  const diff = unifiedDiff(before, after, existed ? `a${file}` : '/dev/null', `b${file}`);
  if (before === after) return { stack: target.stack, file, backup: null, diff: '', changed: false };
  let backup: string | null = null;
  try {
    if (existed) {
      backup = `${file}.bridgewatch.bak`;
      // 'wx': keep the first backup if one exists (the true original).
      await fs.copyFile(full, path.join(host.configRoot, backup), fs.constants.COPYFILE_EXCL).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'EEXIST') throw e;
      });
    }
    const mode = existed ? (await fs.stat(full)).mode & 0o7777 : target.stack === 'netplan' ? 0o600 : 0o644;
    writeFileAtomic(full, after, { force: true, mode });
  } catch (e) {
    const cause = isBridgewatchError(e) && e.cause instanceof Error ? e.cause : (e as Error);
    throw new BridgewatchError('FIX_CONFIG_WRITE_FAILED', `cannot write: ${cause.message}`, { file }, { cause: e });
  }
  return { stack: target.stack, file, backup, diff, changed: true };
}
