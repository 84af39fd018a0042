/**
 * Builds dist/ once before any test file runs. Tests that run the real CLI as a child process
 * (inside network namespaces, through stdin, under setpriv) use dist/, so it must match src/.
 * A type error fails the whole run here, with tsc's own message, rather than as stale behaviour.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', 'tsconfig.json'], {
    cwd: root,
    stdio: 'inherit',
  });
}
