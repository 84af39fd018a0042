/**
 * The parsers on the LAB team's recordings (samples/<scenario>/: ip-monitor.log from
 * `ip -ts monitor link`, bridge-monitor.log from `bridge -timestamp monitor link`, kernel.log from
 * the kernel log, all in the lab's host namespace on this kernel). Every line must parse, and each
 * link action in truth.json `events` (written by the lab when it acted: port-join/leave, the
 * bridge MAC change it read back from ip monitor, STP states polled from sysfs) must be found.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLinkLog } from '../../src/links/index.js';
import type { LinkEvent } from '../../src/links/types.js';
import { parseMac } from '../../src/net/mac.js';
import { diffMs, fromIso } from '../../src/time.js';

const SAMPLES = resolve(import.meta.dirname, '../../samples');
interface TruthEvent {
  t: string; action: string; port?: string; bridge?: string; mac?: string; fromMac?: string; toMac?: string; state?: string;
}

const dirs = existsSync(SAMPLES)
  ? readdirSync(SAMPLES).map((d) => join(SAMPLES, d)).filter((d) => existsSync(join(d, 'truth.json')) && existsSync(join(d, 'ip-monitor.log')))
  : [];
if (dirs.length === 0) console.log('links/lab-samples: no lab samples yet (samples/*/truth.json)');

/** Lab actions are stamped just before the command runs; the kernel event follows within this. */
const ACTION_SLACK_MS = 100;
/** STP states were polled from sysfs by the lab. */
const POLL_SLACK_MS = 300;
/**
 * The kernel log's wall-clock times are boot time + monotonic clock (dmesg --time-format=iso),
 * which drifts from the wall clock; observed here up to ~0.5 s.
 */
const KERNEL_CLOCK_SLACK_MS = 1000;

function near(events: LinkEvent[], t: string, slackMs: number, want: (e: LinkEvent) => boolean): LinkEvent | undefined {
  const at = fromIso(t)!;
  return events.find((e) => e.time !== null && Math.abs(diffMs(at, e.time)) <= slackMs && want(e));
}

describe.each(dirs.map((d) => [d.split('/').pop()!, d] as const))('lab sample %s', (_name, dir) => {
  const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as { events: TruthEvent[] };

  it('every line of the three logs parses, in the expected formats', async () => {
    const formats: Record<string, string[]> = {
      'ip-monitor.log': ['ip-monitor'], 'bridge-monitor.log': ['bridge-monitor'], 'kernel.log': ['dmesg', 'dmesg-T', 'journalctl', 'syslog'],
    };
    for (const [file, allowed] of Object.entries(formats)) {
      const path = join(dir, file);
      if (!existsSync(path) || readFileSync(path, 'utf8').trim() === '') continue;
      const log = await parseLinkLog(path);
      expect(allowed).toContain(log.format);
      expect(log.unparsed).toEqual([]);
    }
  });

  it('finds each link action of truth.json', async () => {
    const ip = (await parseLinkLog(join(dir, 'ip-monitor.log'))).events;
    const bridgeLog = join(dir, 'bridge-monitor.log');
    const kernelLog = join(dir, 'kernel.log');
    const br = existsSync(bridgeLog) ? (await parseLinkLog(bridgeLog)).events : [];
    const kernel = existsSync(kernelLog) ? (await parseLinkLog(kernelLog)).events : [];
    let checked = 0;
    for (const ev of truth.events) {
      if (ev.action === 'port-join' || ev.action === 'port-leave') {
        const found = near(ip, ev.t, ACTION_SLACK_MS, (e) => e.type === ev.action && e.ifname === ev.port);
        expect(found, `${ev.action} ${ev.port} at ${ev.t}`).toBeDefined();
        if (found && (found.type === 'port-join' || found.type === 'port-leave')) {
          expect(found.bridge).toBe(ev.bridge);
          if (ev.mac) expect(found.mac).toBe(parseMac(ev.mac));
        }
        checked++;
      } else if (ev.action === 'bridge-mac-change') {
        const found = near(ip, ev.t, 1, (e) => e.type === 'mac-change' && e.isBridge && e.ifname === ev.bridge);
        expect(found?.type === 'mac-change' && found.newMac).toBe(parseMac(ev.toMac!));
        // null when the log begins after the bridge's last change (first sighting of the bridge)
        if (found?.type === 'mac-change' && found.oldMac !== null) expect(found.oldMac).toBe(parseMac(ev.fromMac!));
        checked++;
      } else if (ev.action === 'stp-state' && ev.state !== 'forwarding') {
        // sysfs polling sees a state some ms after the kernel entered it; the bridge monitor and
        // the kernel log record the moment itself
        for (const [events, slack] of [[br, POLL_SLACK_MS], [kernel, KERNEL_CLOCK_SLACK_MS]] as const) {
          const first = events.find((e) => e.time !== null)?.time;
          if (!first || diffMs(first, fromIso(ev.t)!) < 0) continue; // the log started later
          const found = near(events, ev.t, slack, (e) => e.type === 'stp-state' && e.port === ev.port && e.state === ev.state);
          expect(found, `${ev.port} ${ev.state} at ${ev.t}`).toBeDefined();
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });
});
