/**
 * Namespace bookkeeping. Every namespace the lab creates is registered here first, so that it is
 * removed on normal exit, on failure, and on SIGINT/SIGTERM (Ctrl-C) — the signal handlers are
 * installed only while a run is active, so importing the library changes nothing.
 */
import { execFileSync } from 'node:child_process';
import { killAllChildrenSync } from './exec.js';

const activeNamespaces = new Set<string>();
let handlersInstalled = false;

/** Prefix of every lab namespace: `bwlab-<pid>-<run>-<role>`. */
export const NAMESPACE_PREFIX = 'bwlab-';

function onSignal(signal: NodeJS.Signals): void {
  cleanupSync();
  process.stderr.write(`bridgewatch lab: ${signal}: namespaces removed\n`);
  // Re-raise the default behaviour (exit 128+n) now that nothing is left behind.
  process.exit(signal === 'SIGINT' ? 130 : 143);
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', cleanupSync);
}

function removeHandlers(): void {
  if (!handlersInstalled) return;
  handlersInstalled = false;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  process.off('exit', cleanupSync);
}

/** Records a namespace before it is created (so a failure half-way still removes it). */
export function registerNamespace(ns: string): void {
  activeNamespaces.add(ns);
  installHandlers();
}

/** Removes one namespace (ignoring "not found") and forgets it. */
export function deleteNamespaceSync(ns: string): void {
  try {
    execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
  } catch { /* already gone */ }
  activeNamespaces.delete(ns);
  if (activeNamespaces.size === 0) removeHandlers();
}

/** Kills every lab child and removes every registered namespace. Safe to call repeatedly. */
export function cleanupSync(): void {
  killAllChildrenSync();
  for (const ns of [...activeNamespaces]) deleteNamespaceSync(ns);
}

/** Removes the registered namespaces whose name starts with `prefix` (one run's). */
export function cleanupNamespacesSync(prefix: string): void {
  for (const ns of [...activeNamespaces]) if (ns.startsWith(prefix)) deleteNamespaceSync(ns);
}

/** Lab namespaces currently present on the machine (`ip netns list`), optionally for one pid. */
export function listLabNamespaces(pid?: number): string[] {
  let out = '';
  try {
    // stderr ignored: `ip netns list` complains when another process deletes a namespace meanwhile.
    out = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return [];
  }
  const prefix = pid === undefined ? NAMESPACE_PREFIX : `${NAMESPACE_PREFIX}${pid}-`;
  return out
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter((n) => n.startsWith(prefix));
}

/**
 * Removes namespaces left by lab processes that no longer exist (e.g. killed with SIGKILL, which no
 * handler can catch). Namespaces of live processes are left alone. Returns the names removed.
 */
export function removeStaleNamespaces(): string[] {
  const removed: string[] = [];
  for (const ns of listLabNamespaces()) {
    const pid = Number(/^bwlab-(\d+)-/.exec(ns)?.[1]);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let alive = true;
    try { process.kill(pid, 0); } catch (e) { alive = (e as NodeJS.ErrnoException).code === 'EPERM'; }
    if (alive) continue;
    try { execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' }); removed.push(ns); } catch { /* raced */ }
  }
  return removed;
}
