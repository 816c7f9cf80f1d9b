import type { Linter } from 'eslint';

/** The import boundaries of eslint.boundaries.js, typed for the test that plants crossings. */
declare const boundaries: Linter.Config[];
export default boundaries;
