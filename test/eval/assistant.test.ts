/**
 * The technician requests of `npm run eval:assistant`, each answered right on a fresh demo tenant in
 * the calls a model makes for it: a tool change that makes an everyday request answer wrong fails here.
 */
import { describe, expect, it } from 'vitest';
import { runEval, type RequestResult } from '../../scripts/eval/run.js';

describe('the technician requests', () => {
  it('are each answered right, checked against the tenant', { timeout: 120_000 }, async () => {
    const results: RequestResult[] = await runEval();
    expect(results.length).toBeGreaterThanOrEqual(12);
    for (const { request, answer, expected } of results) expect(answer, `${request.id}: ${request.ask}`).toEqual(expected);
  });
});
