/**
 * Builds dist/ (and build/ for the lab and fuzz tools) once before any test file runs. Tests that run the real CLI as a child process
 * (inside network namespaces, through stdin, under setpriv) use dist/, so it must match src/.
 * A type error fails the whole run here, with tsc's own message, rather than as stale behaviour.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  for (const project of ['tsconfig.json', 'tools/tsconfig.json']) {
    execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', project], { cwd: root, stdio: 'inherit' });
  }
}
