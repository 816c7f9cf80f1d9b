/** Puts every request to a fresh demo tenant and checks each answer against the tenant's data. */
import { isDeepStrictEqual } from 'node:util';
import { openTenant, type CallRecord } from './harness.js';
import { REQUESTS, TECHNICIAN, type EvalRequest } from './requests.js';

export interface RequestResult {
  request: EvalRequest;
  calls: CallRecord[];
  tokens: number;
  answer: unknown;
  expected: unknown;
  right: boolean;
}

export async function runEval(): Promise<RequestResult[]> {
  // One technician's install: HALO_AGENT names whom "me" means.
  const tenant = await openTenant({ agent: TECHNICIAN });
  const results: RequestResult[] = [];
  try {
    for (const request of REQUESTS) {
      let answer: unknown;
      try {
        answer = await request.answer(tenant.model);
      } catch (error) {
        answer = { failed: error instanceof Error ? error.message : String(error) };
      }
      const calls = tenant.takeCalls();
      const expected = await request.truth(tenant.truth);
      results.push({ request, calls, tokens: calls.reduce((sum, call) => sum + call.tokens, 0), answer, expected, right: isDeepStrictEqual(answer, expected) });
    }
  } finally {
    await tenant.close();
  }
  return results;
}
