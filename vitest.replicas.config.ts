/**
 * The replicas' tests (`npm run test:replicas`): several servers sharing a real `redis-server`, which
 * each test starts on a free port. A fresh machine has no redis-server, so they run apart from
 * `npm test` (CI installs Debian's package first). The three-replica test takes about a minute by
 * construction: it spends a rate-limited Halo's whole window several times over.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/replicas/**/*.test.ts'],
    testTimeout: 240_000,
    hookTimeout: 60_000,
    // Tests run in a random order (the seed is printed; --sequence.seed replays it), so that one leaning on what another left shows.
    sequence: { shuffle: { tests: true } },
  },
});
