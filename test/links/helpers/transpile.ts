/**
 * Builds a runnable copy of a few src/ files for a child `node` process (Node 20 cannot run .ts):
 * follows relative imports from an entry, transpiles each file with TypeScript's transpileModule
 * (no type check) into a folder under node_modules/.cache so bare imports (`netlink`) resolve.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(import.meta.dirname, '../../..');

/** Transpiles `entry` (path under the repo) and its relative imports; returns the output folder. */
export function transpileTree(entries: string[], tag: string): { dir: string; cleanup: () => void } {
  const dir = join(ROOT, 'node_modules', '.cache', `bridgewatch-${tag}-${process.pid}`);
  const todo = entries.map((e) => resolve(ROOT, e));
  const done = new Set<string>();
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (done.has(file)) continue;
    done.add(file);
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(/from '(\.{1,2}\/[^']+)\.js'/g)) todo.push(resolve(dirname(file), `${m[1]}.ts`));
    const out = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
      fileName: file,
    });
    const target = join(dir, relative(ROOT, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, out.outputText);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
