/**
 * Builds dist/ (and build/ for the lab and fuzz tools) once before any test file runs. Tests that
 * run the real CLI as a child process (inside network namespaces, through stdin, under setpriv) use
 * dist/, so it must match src/.
 * A type error fails the whole run here, with tsc's own message, rather than as stale behaviour.
 * Both output folders are emptied first, so a module deleted or moved in src/ leaves nothing behind.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  for (const out of ['dist', 'build']) rmSync(`${root}${out}`, { recursive: true, force: true });
  for (const project of ['tsconfig.json', 'tools/tsconfig.json']) {
    execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', project], { cwd: root, stdio: 'inherit' });
  }
}
