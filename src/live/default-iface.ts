/**
 * Default capture interface: the bridge that carries the default route, else `br0`.
 */
import { existsSync, readFileSync } from 'node:fs';

/** Interface names of IPv4 default routes in /proc/net/route format (Destination 00000000, Mask 00000000). */
export function defaultRouteInterfaces(procNetRoute: string): string[] {
  const out: string[] = [];
  for (const line of procNetRoute.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length >= 8 && cols[1] === '00000000' && cols[7] === '00000000' && cols[0]) out.push(cols[0]);
  }
  return out;
}

/** True when `/sys/class/net/NAME/bridge` exists (the kernel's mark of a bridge device). */
export function isBridge(name: string, sysfs = '/sys/class/net'): boolean {
  return /^[^/]{1,15}$/.test(name) && existsSync(`${sysfs}/${name}/bridge`);
}

/** The bridge carrying the default route, else `br0`. */
export function defaultInterface(procNetRoute = '/proc/net/route', sysfs = '/sys/class/net'): string {
  let text = '';
  try { text = readFileSync(procNetRoute, 'utf8'); } catch { /* no procfs: fall back */ }
  return defaultRouteInterfaces(text).find((name) => isBridge(name, sysfs)) ?? 'br0';
}
