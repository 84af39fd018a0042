/** `bridgewatch --version` prints package.json's version and exits 0 (issue 14, item 2). */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';

const ROOT = resolve(import.meta.dirname, '../..');

afterEach(() => { vi.restoreAllMocks(); });

describe('bridgewatch --version', () => {
  it('prints the package.json version and exits 0', async () => {
    const pkg = JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')) as { version: string };
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => { out.push(String(s)); return true; });
    expect(await main(['--version'])).toBe(0);
    expect(out.join('').trim()).toBe(pkg.version);
  });

  it('ships an MIT LICENSE naming the authors', () => {
    const text = readFileSync(`${ROOT}/LICENSE`, 'utf8');
    expect(text).toMatch(/^MIT License/);
    expect(text).toContain('Copyright (c) 2026 the bridgewatch authors');
  });
});
