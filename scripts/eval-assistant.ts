/**
 * Technician requests put to the server as a model puts them, on a fresh demo tenant: for each, the
 * calls made, the o200k tokens of the results a model reads, and whether the answer was right
 * (checked against the tenant's data). Exits 1 when an answer is wrong.
 *
 *   npm run eval:assistant            (add --calls to list every call and answer)
 */
import { runEval } from './eval/run.js';

const showCalls = process.argv.includes('--calls');
const results = await runEval();
for (const { request, calls, answer, expected, right } of results) {
  if (!showCalls && right) continue;
  process.stderr.write(`\n${request.id}: ${request.ask}\n`);
  for (const call of calls) process.stderr.write(`  ${call.tool} ${JSON.stringify(call.args)} -> ${call.tokens} tokens${call.isError ? ' (error)' : ''}\n`);
  process.stderr.write(`  answer:   ${JSON.stringify(answer)}\n`);
  if (!right) process.stderr.write(`  expected: ${JSON.stringify(expected)}\n`);
}
const total = (pick: (result: (typeof results)[number]) => number) => results.reduce((sum, result) => sum + pick(result), 0);
const right = results.filter((result) => result.right).length;
process.stdout.write(
  [
    '',
    '| Request | Calls | Result tokens (o200k) | Answer |',
    '|---|---:|---:|---|',
    ...results.map((result) => `| ${result.request.id} | ${result.calls.length} | ${result.tokens} | ${result.right ? 'right' : 'WRONG'} |`),
    `| **total (${results.length} requests)** | **${total((result) => result.calls.length)}** | **${total((result) => result.tokens)}** | **${right} right** |`,
    '',
  ].join('\n'),
);
process.exitCode = right === results.length ? 0 : 1;
