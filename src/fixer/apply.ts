/**
 * Applies the runtime steps of a plan: pinning the bridge MAC and, with `announce`, arp_notify and
 * ndisc_notify. Nothing else is ever run: each step's argv must match the exact form this module
 * knows (a plan is data and may come from a file). Idempotent: a step whose effect is already in
 * place is not run again and is reported as unchanged. Every change is read back.
 */
import { constants as fsConstants, promises as fs } from 'node:fs';
import { BridgewatchError } from '../errors.js';
import { parseMac } from '../net/mac.js';
import { assertBridge } from './bridge-state.js';
import { hostAccess, procPath, readInt, readText, sysNet, type HostAccess, type HostOptions } from './host.js';
import { sysctlKey } from './steps.js';
import type { AppliedStep, ApplyResult, PlanStep, RemediationPlan } from './types.js';

/** Options of {@link applyPlan}. */
export interface ApplyOptions extends HostOptions {
  /** Also run the arp_notify / ndisc_notify steps. */
  announce?: boolean;
}

/** Throws FIX_SYSFS_READONLY when `file`'s file system is mounted read-only. */
async function assertWritable(file: string, what: string): Promise<void> {
  try {
    await fs.access(file, fsConstants.W_OK);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EROFS') {
      throw new BridgewatchError('FIX_SYSFS_READONLY', `${what} is mounted read-only (a container without CAP_NET_ADMIN?); cannot change the bridge here`, { file });
    }
    // Other errors (EACCES for non-root, ENOENT) are reported by the checks that follow.
  }
}

async function run(host: HostAccess, argv: string[], bridge: string): Promise<void> {
  const result = await host.run(argv);
  if (result.code !== 0) {
    const why = (result.stderr || result.stdout).trim().split('\n')[0] ?? '';
    throw new BridgewatchError('FIX_COMMAND_FAILED', `${argv.join(' ')} failed (exit ${result.code ?? 'not started'}): ${why}`, { file: bridge });
  }
}

function sameArgv(a: string[] | null, b: string[]): boolean {
  return a !== null && a.length === b.length && a.every((x, i) => x === b[i]);
}

async function applyPin(host: HostAccess, bridge: string, step: PlanStep, mac: string, verified: string[]): Promise<AppliedStep> {
  const expected = ['ip', 'link', 'set', 'dev', bridge, 'address', mac];
  if (!sameArgv(step.argv, expected)) {
    throw new BridgewatchError('FIX_COMMAND_FAILED', `refusing step ${step.id}: its command is not "${expected.join(' ')}"`, { file: bridge });
  }
  const readState = async (): Promise<{ mac: string | null; type: number | null }> => {
    const text = await readText(sysNet(host, bridge, 'address'));
    const parsed = text === null ? null : parseMac(text);
    return { mac: parsed === null ? null : text!.toLowerCase(), type: await readInt(sysNet(host, bridge, 'addr_assign_type')) };
  };
  const before = await readState();
  let changed = false;
  if (!(before.type === 3 && before.mac === mac)) {
    await run(host, expected, bridge);
    changed = true;
  }
  const after = await readState();
  if (after.mac !== mac || after.type !== 3) {
    throw new BridgewatchError('FIX_VERIFY_FAILED', `after pinning, ${bridge} reads address ${after.mac ?? '?'} and addr_assign_type ${after.type ?? '?'} (wanted ${mac} and 3)`, { file: bridge });
  }
  verified.push(`${bridge} address ${mac}`, `${bridge} addr_assign_type 3`);
  return {
    id: step.id,
    changed,
    detail: changed
      ? `pinned ${bridge} to ${mac} (was ${before.mac ?? '?'}, addr_assign_type ${before.type ?? '?'})`
      : `${bridge} already pinned to ${mac} (addr_assign_type 3): nothing changed`,
  };
}

async function applySysctl(host: HostAccess, bridge: string, step: PlanStep, family: 'ipv4' | 'ipv6', knob: string, verified: string[]): Promise<AppliedStep> {
  const key = sysctlKey(family, bridge, knob);
  const expected = ['sysctl', '-w', `${key}=1`];
  if (!sameArgv(step.argv, expected)) {
    throw new BridgewatchError('FIX_COMMAND_FAILED', `refusing step ${step.id}: its command is not "${expected.join(' ')}"`, { file: bridge });
  }
  const file = procPath(host, 'sys/net', family, 'conf', bridge, knob);
  const before = await readInt(file);
  if (before === null) return { id: step.id, changed: false, detail: `${key} does not exist (${family} disabled on ${bridge}?): skipped` };
  let changed = false;
  if (before !== 1) {
    await assertWritable(file, '/proc/sys');
    await run(host, expected, bridge);
    changed = true;
  }
  const after = await readInt(file);
  if (after !== 1) throw new BridgewatchError('FIX_VERIFY_FAILED', `after sysctl -w, ${key} reads ${after ?? '?'} (wanted 1)`, { file });
  verified.push(`${key} = 1`);
  return { id: step.id, changed, detail: changed ? `set ${key} = 1 (was ${before})` : `${key} already 1: nothing changed` };
}

/**
 * Runs the runtime steps of `plan` on its bridge and verifies them.
 * @throws BridgewatchError FIX_NEEDS_BRIDGE_NAME, FIX_NOT_ROOT, FIX_NO_SUCH_BRIDGE, FIX_NOT_A_BRIDGE,
 *   FIX_SYSFS_READONLY, FIX_COMMAND_FAILED, FIX_VERIFY_FAILED
 */
export async function applyPlan(plan: RemediationPlan, options: ApplyOptions = {}): Promise<ApplyResult> {
  const host = hostAccess(options);
  const bridge = plan.bridge;
  if (bridge === null || bridge === '') {
    throw new BridgewatchError('FIX_NEEDS_BRIDGE_NAME', 'refusing to apply a plan without an explicit bridge name');
  }
  if (!host.isRoot()) {
    throw new BridgewatchError('FIX_NOT_ROOT', 'changing a bridge needs root (CAP_NET_ADMIN); run fix --apply as root, or without --apply for the dry run', { file: bridge });
  }
  await assertBridge(host, bridge);
  await assertWritable(sysNet(host, bridge, 'bridge', 'forward_delay'), '/sys');

  const steps: AppliedStep[] = [];
  const verified: string[] = [];
  for (const step of plan.steps) {
    if (step.id === 'pin-bridge-mac') {
      if (plan.pinMac === null) continue;
      steps.push(await applyPin(host, bridge, step, plan.pinMac, verified));
    } else if (options.announce && step.id === 'arp-notify') {
      steps.push(await applySysctl(host, bridge, step, 'ipv4', 'arp_notify', verified));
    } else if (options.announce && step.id === 'ndisc-notify') {
      steps.push(await applySysctl(host, bridge, step, 'ipv6', 'ndisc_notify', verified));
    }
  }
  return { bridge, steps, changed: steps.some((s) => s.changed), verified };
}
