import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Lab and live tests build network namespaces: run files one at a time so they never compete.
    fileParallelism: false,
    reporters: ['default', ['json', { outputFile: 'reports/.vitest-results.json' }]],
  },
});
