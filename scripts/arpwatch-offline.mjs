/**
 * Runs `arpwatch -d -r FILE -f DATABASE` with no network: for every new station arpwatch looks up
 * a host name (a reverse DNS query, two with -d; -Q does not stop it), which would send queries for
 * the captures' addresses to the machine's resolver and wait up to 5 s for each one it drops. In an
 * empty network namespace (`unshare -n`, or `unshare -rn` when not root) the lookup fails at once
 * and nothing leaves the machine; host names then read `<unknown>`, as they do for documentation
 * addresses anyway. Returns spawnSync's result, or null when no namespace can be made here.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

let flags;

export function arpwatchOffline(file, database, timeout = 30_000) {
  flags ??= [['-n'], ['-rn']].find((f) => spawnSync('unshare', [...f, 'true']).status === 0) ?? null;
  if (flags === null) return null;
  // arpwatch changes into its data directory: give it absolute paths.
  return spawnSync('unshare', [...flags, 'arpwatch', '-d', '-r', resolve(file), '-f', resolve(database)], { encoding: 'utf8', timeout });
}
