/** Default interface (src/live/default-iface.ts): the bridge with the default route, else br0. */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultInterface, defaultRouteInterfaces } from '../../src/live/default-iface.js';

// /proc/net/route as printed by Linux 6.18 (columns tab-separated): a default route via vmbr0 and
// the connected 192.0.2.0/24 route via eth1.
const ROUTE = [
  'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT',
  'eth1\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0',
  'vmbr0\t00000000\tFE0200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0',
  '',
].join('\n');

let dir = '';
afterEach(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

describe('default interface', () => {
  it('finds the default route interfaces', () => {
    expect(defaultRouteInterfaces(ROUTE)).toEqual(['vmbr0']);
    expect(defaultRouteInterfaces('Iface\tDestination\n')).toEqual([]);
  });

  it('picks the default-route interface when it is a bridge, else br0', () => {
    dir = mkdtempSync(join(tmpdir(), 'bwlv-route-'));
    const route = join(dir, 'route');
    writeFileSync(route, ROUTE);
    const sysfs = join(dir, 'net');
    mkdirSync(join(sysfs, 'vmbr0'), { recursive: true });
    expect(defaultInterface(route, sysfs)).toBe('br0'); // vmbr0 is not a bridge (no bridge/ folder)
    mkdirSync(join(sysfs, 'vmbr0', 'bridge'));
    expect(defaultInterface(route, sysfs)).toBe('vmbr0');
    expect(defaultInterface(join(dir, 'missing'), sysfs)).toBe('br0');
  });
});
