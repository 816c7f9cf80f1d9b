/**
 * Technician requests put to the server as a model puts them, on a fresh demo tenant: for each, the
 * calls made, the o200k tokens of the results a model reads, and whether the answer was right
 * (checked against the tenant's data). Exits 1 when an answer is wrong.
 *
 *   npm run eval:assistant            (add --calls to list every call)
 */
import { isDeepStrictEqual } from 'node:util';
import { openTenant } from './eval/harness.js';
import { REQUESTS } from './eval/requests.js';

const showCalls = process.argv.includes('--calls');
const tenant = await openTenant();
const rows: string[] = [];
let totalCalls = 0;
let totalTokens = 0;
let wrong = 0;
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
    const right = isDeepStrictEqual(answer, expected);
    const tokens = calls.reduce((sum, call) => sum + call.tokens, 0);
    totalCalls += calls.length;
    totalTokens += tokens;
    if (!right) wrong++;
    rows.push(`| ${request.id} | ${calls.length} | ${tokens} | ${right ? 'right' : 'WRONG'} |`);
    if (showCalls || !right) {
      process.stderr.write(`\n${request.id}: ${request.ask}\n`);
      for (const call of calls) process.stderr.write(`  ${call.tool} ${JSON.stringify(call.args)} -> ${call.tokens} tokens${call.isError ? ' (error)' : ''}\n`);
      process.stderr.write(`  answer:   ${JSON.stringify(answer)}\n`);
      if (!right) process.stderr.write(`  expected: ${JSON.stringify(expected)}\n`);
    }
  }
} finally {
  await tenant.close();
}
process.stdout.write(
  ['', '| Request | Calls | Result tokens (o200k) | Answer |', '|---|---:|---:|---|', ...rows, `| **total (${REQUESTS.length} requests)** | **${totalCalls}** | **${totalTokens}** | **${REQUESTS.length - wrong} right** |`, ''].join('\n'),
);
process.exitCode = wrong > 0 ? 1 : 0;
