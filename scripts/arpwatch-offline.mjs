/**
 * Runs `arpwatch -d -r FILE -f DATABASE` with no network: for every new station arpwatch looks up
 * a host name (a reverse DNS query, two with -d; -Q does not stop it), which would send queries for
 * the captures' addresses to the machine's resolver and wait up to 5 s for each one it drops. In an
 * empty network namespace (`unshare -n`, or `unshare -rn` when not root) the lookup fails at once
 * and nothing leaves the machine; host names then read `<unknown>`, as they do for documentation
 * addresses anyway.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

let flags;

/** The `unshare` flags that give a process an empty network namespace here, or null when none work. */
export function offlineNamespaceFlags() {
  flags ??= [['-n'], ['-rn']].find((f) => spawnSync('unshare', [...f, 'true']).status === 0) ?? null;
  return flags;
}

/** spawnSync's result of arpwatch run offline, or null when no namespace can be made here. */
export function arpwatchOffline(file, database, timeout = 30_000) {
  const netns = offlineNamespaceFlags();
  if (netns === null) return null;
  // arpwatch changes into its data directory: give it absolute paths.
  return spawnSync('unshare', [...netns, 'arpwatch', '-d', '-r', resolve(file), '-f', resolve(database)], { encoding: 'utf8', timeout });
}
