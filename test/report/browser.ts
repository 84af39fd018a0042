/**
 * Headless Chromium for the report tests: Debian's `chromium`, driven by playwright-core, with
 * the flags the task prescribes for headless runs (no network side-channels, no first-run UI).
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { skipWithout, tempDir } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** True when Chromium is missing outside CI (the suite is then skipped with a printed reason). */
export const skipWithoutChromium = skipWithout('chromium', spawnSync(CHROMIUM, ['--version'], { stdio: 'ignore' }).status === 0);

/**
 * Launches one browser and one temporary directory for the enclosing describe block, closed and
 * removed after it. Call inside `describe`; read the fields in tests (they are set in beforeAll).
 */
export function useBrowser(): { browser: Browser; tmp: ReturnType<typeof tempDir> } {
  const held = {} as { browser: Browser; tmp: ReturnType<typeof tempDir> };
  beforeAll(async () => {
    held.tmp = tempDir();
    held.browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });
  afterAll(async () => {
    await held.browser?.close();
    held.tmp?.cleanup();
  });
  return held;
}
