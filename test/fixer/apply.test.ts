/**
 * applyPlan on a fake tree: the scripted runner plays the kernel (writing address and
 * addr_assign_type 3 for `ip link set dev BR address MAC`, as observed in REFERENCE.md section 2),
 * so idempotence, verification and refusals are tested without root. Real namespaces: netns.test.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan, auditBridges, planForBridge } from '../../src/fixer/index.js';
import type { CommandResult } from '../../src/fixer/host.js';
import type { RemediationPlan } from '../../src/fixer/types.js';
import { BridgewatchError } from '../../src/errors.js';
import { addBridge, addInterface, fakeRunner, makeRoot, OPENVZ, UPLINK } from './fake-host.js';

let root: string;
let cleanup: () => void;
beforeEach(() => ({ root, cleanup } = makeRoot()));
afterEach(() => cleanup());


function kernel(opts: { ignoreSet?: boolean } = {}) {
  return fakeRunner({
    onOther: (argv): CommandResult | null => {
      if (argv[0] === 'ip' && argv[1] === 'link' && argv[2] === 'set' && argv[5] === 'address') {
        if (!opts.ignoreSet) {
          writeFileSync(path.join(root, 'sys/class/net', argv[4]!, 'address'), `${argv[6]}\n`);
          writeFileSync(path.join(root, 'sys/class/net', argv[4]!, 'addr_assign_type'), '3\n');
        }
        return { code: 0, stdout: '', stderr: '' };
      }
      if (argv[0] === 'sysctl' && argv[1] === '-w') {
        const [key, value] = argv[2]!.split('=');
        const file = path.join(root, 'proc/sys', key!.replace(/\./g, '/'));
        writeFileSync(file, `${value}\n`);
        return { code: 0, stdout: '', stderr: '' };
      }
      return null;
    },
  });
}

async function planFor(runner: ReturnType<typeof kernel>): Promise<RemediationPlan> {
  const [audit] = await auditBridges(['br0'], { sysRoot: root, procRoot: root, configRoot: root, run: runner.run });
  return planForBridge(audit!);
}

describe('applyPlan', () => {
  beforeEach(() => addBridge(root, {
    name: 'br0', mac: OPENVZ, addrAssignType: 1,
    ports: [{ name: 'eth0', mac: UPLINK, physical: true }, { name: 'veth101.0', mac: OPENVZ }],
  }));
  const opts = (runner: ReturnType<typeof kernel>, extra = {}) => ({
    sysRoot: root, procRoot: root, configRoot: root, run: runner.run, isRoot: () => true, ...extra,
  });

  it('pins, verifies, and changes nothing the second time', async () => {
    const runner = kernel();
    const plan = await planFor(runner);
    const first = await applyPlan(plan, opts(runner, { announce: true }));
    expect(first.changed).toBe(true);
    expect(first.steps.map((s) => [s.id, s.changed])).toEqual([['pin-bridge-mac', true], ['arp-notify', true], ['ndisc-notify', true]]);
    expect(first.verified).toContain('br0 addr_assign_type 3');
    expect(readFileSync(path.join(root, 'sys/class/net/br0/address'), 'utf8').trim()).toBe(UPLINK);
    const mutating = runner.calls.filter((c) => c[0] === 'sysctl' || (c[0] === 'ip' && c[1] === 'link'));
    expect(mutating).toEqual([
      ['ip', 'link', 'set', 'dev', 'br0', 'address', UPLINK],
      ['sysctl', '-w', 'net.ipv4.conf.br0.arp_notify=1'],
      ['sysctl', '-w', 'net.ipv6.conf.br0.ndisc_notify=1'],
    ]);
    runner.calls.length = 0;
    const second = await applyPlan(await planFor(runner), opts(runner, { announce: true }));
    expect(second.changed).toBe(false);
    expect(second.steps.every((s) => !s.changed)).toBe(true);
    expect(runner.calls.filter((c) => c[0] === 'sysctl' || (c[0] === 'ip' && c[1] === 'link'))).toEqual([]);
  });

  it('without --announce runs only the pin', async () => {
    const runner = kernel();
    const result = await applyPlan(await planFor(runner), opts(runner));
    expect(result.steps.map((s) => s.id)).toEqual(['pin-bridge-mac']);
  });

  it('fails verification when the MAC does not read back', async () => {
    const runner = kernel({ ignoreSet: true });
    const err = await applyPlan(await planFor(runner), opts(runner)).catch((e: unknown) => e as BridgewatchError);
    expect(err).toBeInstanceOf(BridgewatchError);
    expect((err as BridgewatchError).code).toBe('FIX_VERIFY_FAILED');
  });

  it('refuses a plan whose command was altered (touches nothing else)', async () => {
    const runner = kernel();
    const plan = await planFor(runner);
    plan.steps[0]!.argv = ['ip', 'link', 'set', 'dev', 'eth0', 'address', UPLINK];
    const err = (await applyPlan(plan, opts(runner)).catch((e: unknown) => e)) as BridgewatchError;
    expect(err.code).toBe('FIX_COMMAND_FAILED');
    expect(runner.calls.some((c) => c[1] === 'link' && c[2] === 'set')).toBe(false);
  });

  it('refuses without a bridge name, without root, and for a non-bridge, before running anything', async () => {
    const runner = kernel();
    const plan = await planFor(runner);
    runner.calls.length = 0;
    const code = (p: Promise<unknown>) => p.then(() => 'none', (e: unknown) => (e as BridgewatchError).code);
    expect(await code(applyPlan({ ...plan, bridge: null }, opts(runner)))).toBe('FIX_NEEDS_BRIDGE_NAME');
    expect(await code(applyPlan(plan, opts(runner, { isRoot: () => false })))).toBe('FIX_NOT_ROOT');
    addInterface(root, 'eth9', UPLINK);
    expect(await code(applyPlan({ ...plan, bridge: 'eth9' }, opts(runner)))).toBe('FIX_NOT_A_BRIDGE');
    expect(runner.calls).toEqual([]);
  });
});
