/**
 * The shape of the tree (docs/architecture.md): data flows capture -> decode -> detect -> correlate
 * -> pipeline, and no module imports one that (directly or not) imports it back. Type-only imports
 * count too: a loop of types still ties the floors together.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(__dirname, '../../src');

/** Every .ts file under src/, relative to it, with the src/ files it imports (or re-exports from). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts')) graph.set(relative(SRC, path), importsOf(path));
    }
  };
  walk(SRC);
  return graph;
}

function importsOf(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s+'(\.{1,2}\/[^']+)'/gms)) {
    out.push(relative(SRC, resolve(dirname(path), m[1]!.replace(/\.js$/, '.ts'))));
  }
  return out;
}

/** Import loops, each as a list of files (Tarjan's strongly connected components of size > 1). */
function loops(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next); low.set(v, next); next++;
    stack.push(v); onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do { w = stack.pop()!; onStack.delete(w); component.push(w); } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

/**
 * The stages, lowest first: a stage may import from lower stages and from the shared leaves
 * (errors, time, version, atomic file writing, net/), never from a higher stage or from what drives it.
 */
const STAGES: Record<string, number> = { capture: 1, decode: 2, links: 2, detect: 3, correlate: 4, pipeline: 5 };
const LEAVES = new Set(['errors.ts', 'time.ts', 'version.ts', 'atomic-file.ts']);

function stageOf(file: string): number | null {
  const top = file.split('/')[0]!;
  if (top === 'net' || LEAVES.has(file)) return 0;
  return STAGES[top] ?? null;
}

describe('the import graph of src/', () => {
  const graph = importGraph();

  it('has no import loops (type-only imports included)', () => {
    expect(graph.size).toBeGreaterThan(50);
    expect(loops(graph)).toEqual([]);
  });

  it('lets data flow one way: each stage imports only lower stages and shared leaves', () => {
    const upward: string[] = [];
    for (const [file, deps] of graph) {
      const from = stageOf(file);
      if (from === null || from === 0) continue;
      for (const dep of deps) {
        const to = stageOf(dep);
        // The pipeline assembles the Analysis, whose types live in src/analysis.ts.
        if (from === STAGES.pipeline && dep === 'analysis.ts') continue;
        if (to === null || to > from || (to === from && dep.split('/')[0] !== file.split('/')[0])) upward.push(`${file} -> ${dep}`);
      }
    }
    expect(upward).toEqual([]);
  });
});
