/**
 * The unit file: rendered text passes `systemd-analyze verify` (systemd 252 checks every directive
 * name and value and that ExecStart's program is executable), the shipped copy under
 * contrib/systemd is the rendered default, and `service install` prints a dry run, writes and
 * enables under --root with --apply, and never replaces a different unit without --force.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { renderUnit, execWord, type UnitOptions } from '../../src/service/unit.js';
import { applyServicePlan, planServiceInstall } from '../../src/service/install.js';
import { runCommand } from '../../src/fixer/host.js';
import { cli } from '../fixer/in-process-cli.js';

const ROOT = resolve(import.meta.dirname, '../..');
const SHIPPED = join(ROOT, 'contrib/systemd/bridgewatch-live@.service');
const DEFAULTS: UnitOptions = { command: ['/usr/bin/bridgewatch'], reportsDir: '/var/lib/bridgewatch', keepReports: 30, maxReportAgeDays: 90, log: 'journald' };

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'bwsv-unit-'));
}

/** `systemd-analyze verify` of the template through an instance, in a dir holding only it. */
function verify(text: string): { status: number | null; stderr: string } {
  const dir = tempDir();
  try {
    writeFileSync(join(dir, 'bridgewatch-live@.service'), text);
    const r = spawnSync('systemd-analyze', ['verify', join(dir, 'bridgewatch-live@br0.service')], { encoding: 'utf8' });
    return { status: r.status, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function captureStdout<T>(fn: () => Promise<T>): Promise<{ value: T; out: string }> {
  const write = process.stdout.write.bind(process.stdout);
  let out = '';
  process.stdout.write = ((chunk: string | Uint8Array) => { out += chunk.toString(); return true; }) as typeof process.stdout.write;
  return fn().then((value) => ({ value, out }), (e) => { throw e; }).finally(() => { process.stdout.write = write; });
}

describe('bridgewatch-live@.service', () => {
  it('the shipped unit is the rendered default', () => {
    expect(readFileSync(SHIPPED, 'utf8')).toBe(renderUnit(DEFAULTS));
  });

  it('passes systemd-analyze verify (program present), and verify does catch a bad unit', () => {
    const dir = tempDir();
    try {
      // The real program path must exist for verify: a stub executable stands in for /usr/bin/bridgewatch.
      const stub = join(dir, 'bridgewatch');
      writeFileSync(stub, '#!/bin/sh\nexit 0\n');
      chmodSync(stub, 0o755);
      const text = readFileSync(SHIPPED, 'utf8').replace('ExecStart=/usr/bin/bridgewatch ', `ExecStart=${stub} `);
      expect(text).toContain(`ExecStart=${stub} live -i %i --log journald --report /var/lib/bridgewatch/%i`);
      const ok = verify(text);
      expect(ok.stderr).toBe('');
      expect(ok.status).toBe(0);
      // The check is real: a missing program and an unknown directive both fail it.
      const bad = verify(text.replace(stub, join(dir, 'missing')).replace('UMask=0027', 'UMask=0027\nProtectEverything=yes'));
      expect(bad.status).not.toBe(0);
      expect(bad.stderr).toMatch(/ProtectEverything/);
      expect(bad.stderr).toMatch(/not executable/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('holds the hardening the issue asks for', () => {
    const text = renderUnit(DEFAULTS);
    for (const line of ['CapabilityBoundingSet=CAP_NET_RAW CAP_NET_ADMIN', 'AmbientCapabilities=CAP_NET_RAW CAP_NET_ADMIN', 'ProtectSystem=strict',
      'NoNewPrivileges=yes', 'PrivateTmp=yes', 'StateDirectory=bridgewatch/%i', 'ExecReload=/bin/kill -HUP $MAINPID', 'KillSignal=SIGTERM']) {
      expect(text.split('\n')).toContain(line);
    }
    // Node's JIT needs W+X pages: this must never be set.
    expect(text).not.toMatch(/^MemoryDenyWriteExecute=yes/m);
  });

  it('a reports dir outside /var/lib becomes ReadWritePaths, and still verifies', () => {
    const text = renderUnit({ ...DEFAULTS, command: [process.execPath, join(ROOT, 'bin/bridgewatch.js')], reportsDir: '/srv/bridgewatch/' });
    expect(text).toContain('ReadWritePaths=/srv/bridgewatch\n');
    expect(text).toContain('--report /srv/bridgewatch/%i');
    // ReadWritePaths= splits on spaces: such a dir is refused before any unit is rendered.
    expect(() => planServiceInstall('br0', { ...DEFAULTS, reportsDir: '/srv/bw reports' })).toThrow(/without spaces/);
    expect(text).not.toContain('StateDirectory=');
    expect(verify(text).status).toBe(0);
  });

  it('metrics options reach ExecStart; a textfile folder becomes writable with a umask node_exporter can read; still verifies', () => {
    const text = renderUnit({
      ...DEFAULTS, command: [process.execPath, join(ROOT, 'bin/bridgewatch.js')],
      metricsListen: '127.0.0.1:9723', metricsTextfileDir: '/var/lib/prometheus/node-exporter/',
    });
    expect(text).toMatch(/^ExecStart=.* --metrics-listen 127\.0\.0\.1:9723 --metrics-textfile \/var\/lib\/prometheus\/node-exporter\/bridgewatch-%i\.prom$/m);
    expect(text.split('\n')).toContain('ReadWritePaths=/var/lib/prometheus/node-exporter');
    expect(text.split('\n')).toContain('UMask=0022');
    expect(text).not.toContain('UMask=0027');
    expect(verify(text).status).toBe(0);
    expect(renderUnit(DEFAULTS)).not.toContain('--metrics');
    expect(() => planServiceInstall('br0', { ...DEFAULTS, metricsTextfileDir: 'relative/dir' })).toThrow(/--metrics-textfile-dir must be an absolute path/);
  });

  it('quotes ExecStart words systemd would split or expand', () => {
    expect(execWord('/opt/bw/bin/bridgewatch')).toBe('/opt/bw/bin/bridgewatch');
    expect(execWord('/opt/my dir/x')).toBe('"/opt/my dir/x"');
    expect(execWord('50%')).toBe('50%%');
  });
});

describe('service install', () => {
  it('is a dry run by default: prints the unit and the commands, writes nothing', async () => {
    const dir = tempDir();
    try {
      const { value: code, out } = await captureStdout(() => cli(['service', 'install', 'br0', '--root', dir, '--command', '/usr/bin/bridgewatch']));
      expect(code).toBe(0);
      expect(out).toContain(`# would write ${join(dir, 'etc/systemd/system/bridgewatch-live@.service')}`);
      expect(out).toContain('  ExecStart=/usr/bin/bridgewatch live -i %i --log journald');
      expect(out).toContain(`# would run: systemctl --root=${dir} enable bridgewatch-live@br0.service`);
      expect(out).toContain('dry run');
      expect(existsSync(join(dir, 'etc'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('on the real root it plans daemon-reload and enable --now', () => {
    const plan = planServiceInstall('br-lan', DEFAULTS);
    expect(plan.unit.file).toBe('/etc/systemd/system/bridgewatch-live@.service');
    expect(plan.commands).toEqual([['systemctl', 'daemon-reload'], ['systemctl', 'enable', '--now', 'bridgewatch-live@br-lan.service']]);
    expect(() => planServiceInstall('br0;rm', DEFAULTS)).toThrow(/not an interface name/);
    expect(() => planServiceInstall('a-very-long-bridge-name', DEFAULTS)).toThrow(/not an interface name/);
  });

  it('--apply writes and enables under --root; a different unit is kept unless --force', async () => {
    const dir = tempDir();
    try {
      const unit = join(dir, 'etc/systemd/system/bridgewatch-live@.service');
      const plan = planServiceInstall('br0', { ...DEFAULTS, reportsDir: '/srv/bw' }, dir);
      const first = await applyServicePlan(plan, runCommand);
      expect(first.unitChanged).toBe(true);
      expect(readFileSync(unit, 'utf8')).toBe(plan.unit.text);
      expect(readlinkSync(join(dir, 'etc/systemd/system/multi-user.target.wants/bridgewatch-live@br0.service'))).toBe('/etc/systemd/system/bridgewatch-live@.service');
      expect(existsSync(join(dir, 'srv/bw/br0'))).toBe(true);
      // Same text again: nothing to change (idempotent).
      expect((await applyServicePlan(plan, runCommand)).unitChanged).toBe(false);
      // An edited unit is not overwritten silently.
      copyFileSync(unit, `${unit}.orig`);
      writeFileSync(unit, `${plan.unit.text}# local edit\n`);
      await expect(applyServicePlan(plan, runCommand)).rejects.toThrow(/--force/);
      expect(readFileSync(unit, 'utf8')).toContain('# local edit');
      expect((await applyServicePlan(plan, runCommand, { force: true })).unitChanged).toBe(true);
      expect(readFileSync(unit, 'utf8')).toBe(plan.unit.text);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
