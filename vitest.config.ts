import { defineConfig } from 'vitest/config';

/** The tests that reach the server through the MCP harness (test/helpers/mcp.ts): tools, resources and prompts. */
const THROUGH_MCP = ['test/mcp/**/*.test.ts', 'test/tools/**/*.test.ts', 'test/toolkit/**/*.test.ts', 'test/security/gateway.test.ts', 'test/security/sql-guard.test.ts', 'test/security/untrusted-text.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Tests run in a random order (the seed is printed; --sequence.seed replays it), so that one leaning on what another left shows.
    sequence: { shuffle: { tests: true } },
    projects: [
      {
        extends: true,
        test: {
          name: 'mcp 2025-11-25',
          include: ['test/**/*.test.ts'],
          // The reliability suite runs on its own (npm run test:reliability): it takes minutes, not seconds; the
          // browser and replicas tests too (npm run test:browser, test:replicas): they need a Chromium and a
          // redis-server that a fresh machine lacks.
          exclude: ['test/reliability/**', 'test/browser/**', 'test/replicas/**', '**/node_modules/**'],
        },
      },
      {
        // The same tool, resource and prompt tests again, spoken at 2026-07-28: both revisions must pass them.
        extends: true,
        test: { name: 'mcp 2026-07-28', include: THROUGH_MCP, env: { MCP_TEST_REVISION: '2026-07-28' } },
      },
    ],
  },
});
