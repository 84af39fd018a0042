#!/usr/bin/env node
/**
 * `npm run fuzz -- --seed S --cases N ...`: compiles tools/ to build/ (others' work in progress may
 * not typecheck; tsc still emits, and only build/tools/fuzz and what it imports are needed), then runs
 * build/tools/fuzz/cli.js with the arguments. See tools/fuzz/cli.ts and docs/hardening.md.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
if (process.env.FUZZ_NO_BUILD !== '1') spawnSync('npx', ['tsc', '-p', 'tools/tsconfig.json'], { cwd: root, stdio: 'ignore' });
if (!existsSync(`${root}build/tools/fuzz/cli.js`)) {
  process.stderr.write('fuzz: build/tools/fuzz/cli.js missing: the build failed (run npx tsc -p tools to see why)\n');
  process.exit(2);
}
const r = spawnSync(process.execPath, [`${root}build/tools/fuzz/cli.js`, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 2);
