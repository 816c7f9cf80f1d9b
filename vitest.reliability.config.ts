/** The reliability suite (`npm run test:reliability`): faults, fuzzing, soak and the secret scan, apart from the unit suite. */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/reliability/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 60_000,
    // Tests run in a random order (the seed is printed; --sequence.seed replays it), so that one leaning on what another left shows.
    sequence: { shuffle: { tests: true } },
  },
});
