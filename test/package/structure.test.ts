/**
 * Package structure (issue 14 item 11): what `npm pack` publishes, and the library boundaries a
 * linter cannot see. The published package holds the library and CLI only (no lab, fuzz or test
 * code); commander stays in src/cli/; atomic writes and pcapng block codes have one home each;
 * src/index.ts exports no CLI helpers or encoder internals; lint runs in CI before the tests.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(repo, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.relative(repo, path.join(e.parentPath, e.name)));
}

const src = sourceFiles('src').map((file) => ({ file, text: readFileSync(path.join(repo, file), 'utf8') }));

describe('published package', () => {
  it('npm pack lists no lab, fuzz or test files (dist/ is built by test/global-setup.ts)', () => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: repo, encoding: 'utf8' });
    const files = (JSON.parse(out) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/cli/main.js');
    expect(files.filter((f) => /(^|\/)(lab|fuzz|tools|test|tests)\//.test(f) || /\.test\.[jt]s$/.test(f))).toEqual([]);
  });
});

describe('library boundaries', () => {
  it('only src/cli/ imports commander', () => {
    const importers = src.filter((f) => /from 'commander'/.test(f.text)).map((f) => f.file);
    expect(importers.length).toBeGreaterThan(0);
    expect(importers.filter((f) => !f.startsWith('src/cli/'))).toEqual([]);
  });

  it('one module implements atomic writes (temporary file, fsync, link or rename into place)', () => {
    const writers = src.filter((f) => /\bfsyncSync\(/.test(f.text) || /\.tmp`/.test(f.text)).map((f) => f.file);
    expect(writers).toEqual(['src/atomic-file.ts']);
  });

  it('one module defines the pcapng block codes and byte-order magic', () => {
    const definers = src.filter((f) => /0x0a0d0d0a|0x1a2b3c4d/i.test(f.text)).map((f) => f.file);
    expect(definers).toEqual(['src/capture/pcapng-constants.ts']);
  });

  it('src/index.ts exports the library API without CLI helpers or encoder internals', async () => {
    const api = await import('../../src/index.js');
    for (const name of ['analyzeCaptures', 'readCaptures', 'decodePacket', 'Detector', 'renderHtml', 'PcapngWriter', 'planFromAnalysis']) {
      expect(api, name).toHaveProperty(name);
    }
    for (const name of ['exitCodeFor', 'parseFailOn', 'ProgressBar', 'shouldUseColor', 'DEFAULT_FAIL_ON', 'addReportOptions',
      'encodeSectionHeader', 'encodeInterfaceDescription', 'encodeEnhancedPacket']) {
      expect(api, name).not.toHaveProperty(name);
    }
    // Each export group is documented (a TSDoc block right above it).
    const index = readFileSync(path.join(repo, 'src/index.ts'), 'utf8');
    const groups = index.split(/\n\n+/).filter((block) => /^export /m.test(block));
    expect(groups.length).toBeGreaterThan(8);
    for (const block of groups) expect(block.trimStart().startsWith('/**'), block.slice(0, 80)).toBe(true);
  });
});

describe('lint in CI', () => {
  it('npm run lint runs ESLint and knip, and .ci/run runs it before the tests', () => {
    const pkg = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.lint).toMatch(/eslint/);
    expect(pkg.scripts.lint).toMatch(/knip/);
    const ci = readFileSync(path.join(repo, '.ci/run'), 'utf8');
    const lint = ci.indexOf('npm run -s lint');
    expect(lint).toBeGreaterThan(0);
    expect(lint).toBeLessThan(ci.indexOf('npm test'));
  });
});
