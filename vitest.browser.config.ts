/**
 * The tests in a real browser (`npm run test:browser`): headless Chromium from the system's
 * package, which a fresh machine lacks, so they run apart from `npm test` (CI installs it first).
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
