/**
 * End to end, as a sysadmin would run it: `bridgewatch service install BRIDGE --apply` (into a
 * temp root) writes the unit; its ExecStart (the unit's own command line, %i = the lab bridge) runs
 * in the lab's host namespace next to a real systemd-journald started for the test (see
 * journald.ts: CI containers have no running journald) while the lab plays guest-start-stop-v6
 * (an OpenVZ-style guest port flips the bridge MAC; the default capture filter sees IPv6). Stopped
 * with SIGTERM as systemd stops it (after a SIGHUP, as `systemctl reload` sends, which must not stop
 * it). `journalctl -t bridgewatch -o json` must then show the incident
 * with its structured fields and the port-join link event, and the postmortem must be written.
 * Needs root (namespaces, mounts).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runScenario } from '../../tools/lab/index.js';
import { namespaceSkipReason } from '../live/helpers.js';
import { JOURNALD, readJournal, runWithJournald, type JournaledCommand } from './journald.js';

const skip = namespaceSkipReason('test/service/journald-e2e');
const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/bridgewatch.js');
const OPENVZ_PORT_MAC = '00:18:51:00:00:01';

/** The unit's ExecStart words for one instance (the words are plain: no quoting in this unit). */
function execStart(unitText: string, instance: string): string[] {
  const line = unitText.split('\n').find((l) => l.startsWith('ExecStart='));
  expect(line).toBeDefined();
  return line!.slice('ExecStart='.length).split(' ').map((w) => w.replace(/%i/g, instance));
}

describe.skipIf(skip !== null)('service install, then a lab flip: journald entries', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bwsv-e2e-'));
  let run: JournaledCommand | null = null;
  afterAll(() => {
    if (run && run.child.exitCode === null) run.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('the incident and the port join are journal entries with BRIDGEWATCH_* fields', async () => {
    expect(JOURNALD, 'systemd-journald missing: apt-get install systemd').not.toBeNull();
    expect(existsSync(join(ROOT, 'dist/cli/main.js')), 'dist/ missing: run `npm run build` first').toBe(true);
    const reports = join(dir, 'reports');
    let bridge = '';
    let started = false;

    const lab = await runScenario('guest-start-stop-v6', {
      out: join(dir, 'lab'),
      onHostReady: async (ctx) => {
        bridge = ctx.bridge;
        const install = spawnSync(process.execPath, [BIN, 'service', 'install', bridge, '--root', join(dir, 'root'), '--reports', reports, '--apply'], { encoding: 'utf8' });
        expect(install.stderr).toBe('');
        expect(install.status).toBe(0);
        const unitFile = join(dir, 'root/etc/systemd/system/bridgewatch-live@.service');
        // Enabled offline: the wants symlink points at the unit as seen from inside the root.
        expect(readlinkSync(join(dir, `root/etc/systemd/system/multi-user.target.wants/bridgewatch-live@${bridge}.service`))).toBe('/etc/systemd/system/bridgewatch-live@.service');
        const argv = execStart(readFileSync(unitFile, 'utf8'), bridge);
        expect(argv.slice(0, 2)).toEqual([process.execPath, realpathSync(BIN)]);
        expect(argv).toContain('--log');
        run = runWithJournald(join(dir, 'journal'), ['ip', 'netns', 'exec', ctx.hostNs, ...argv]);
        // Table mode says "live on BRIDGE" on stderr once capturing: only then may the guest start.
        const deadline = Date.now() + 20_000;
        while (!/bridgewatch: live on /.test(run.stderr())) {
          if (run.child.exitCode !== null || Date.now() > deadline) throw new Error(`live did not start: ${run.stderr()}`);
          await new Promise((r) => setTimeout(r, 50));
        }
        started = true;
      },
    });
    expect(started).toBe(true);
    // `systemctl reload` (SIGHUP) must not stop it (Node's default for SIGHUP is to exit).
    const pid = await run!.pid;
    process.kill(pid, 'SIGHUP');
    await new Promise((r) => setTimeout(r, 300));
    expect(run!.child.exitCode).toBeNull();
    process.kill(pid, 'SIGTERM');
    const code = await run!.exit;
    expect(run!.stderr()).not.toMatch(/internal error|warning: system log/);
    expect(code).toBe(0);

    const entries = readJournal(join(dir, 'journal'), 'bridgewatch');
    const incidents = entries.filter((e) => e['BRIDGEWATCH_INCIDENT_ID'] !== undefined);
    expect(incidents.length).toBeGreaterThan(0);
    const final = incidents.find((e) => e['BRIDGEWATCH_PHASE'] === 'final');
    expect(final).toBeDefined();
    expect(final!['BRIDGEWATCH_KIND']).toBe('bridge-mac-flip');
    expect(final!['BRIDGEWATCH_IP']).toBe(lab.truth.expected.macChanges[0]!.ip);
    expect(final!['BRIDGEWATCH_SEVERITY']).toMatch(/^(warning|critical)$/);
    expect(final!['PRIORITY']).toBe(final!['BRIDGEWATCH_SEVERITY'] === 'critical' ? '2' : '4');
    expect(final!['SYSLOG_IDENTIFIER']).toBe('bridgewatch');
    expect(final!['_TRANSPORT']).toBe('journal');
    expect(final!['BRIDGEWATCH_IFACE']).toBe(bridge);
    expect(final!['BRIDGEWATCH_CAUSE']).toBe('bridge-lowest-mac');
    expect(final!['BRIDGEWATCH_MAC_CHANGES']).toContain(`->${OPENVZ_PORT_MAC}`);
    const outageMs = Number(final!['BRIDGEWATCH_OUTAGE_MS']);
    expect(Math.abs(outageMs - lab.truth.expected.outages[0]!.durationMs)).toBeLessThan(500);
    expect(final!['MESSAGE']).toContain('bridge-mac-flip');
    // The incident was logged while it happened, not only at the end.
    expect(incidents.some((e) => e['BRIDGEWATCH_PHASE'] === 'open')).toBe(true);

    const port = lab.truth.guests[0]!.port;
    const join_ = entries.find((e) => e['BRIDGEWATCH_KIND'] === 'link-port-join' && e['BRIDGEWATCH_IFNAME'] === port);
    expect(join_).toBeDefined();
    expect(join_!['BRIDGEWATCH_BRIDGE']).toBe(bridge);
    expect(join_!['PRIORITY']).toBe('6');

    // SIGTERM wrote the postmortem, stamped (the unit passes --keep-reports).
    const written = readdirSync(join(reports, bridge));
    expect(written.filter((f) => /^live-.+-\d{8}T\d{6}Z\.(md|html|json)$/.test(f))).toHaveLength(3);
  });
});
