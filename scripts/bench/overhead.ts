/**
 * Per-call overhead: one tool call through the MCP server (in-memory transport: validation, name
 * resolution, the Halo client, shaping, the protocol) against the same Halo request made directly
 * with undici, both against the sandbox on loopback, alternated so that both see the same machine.
 */
import { Agent, request } from 'undici';
import type { Sandbox } from '../../src/sandbox/index.js';
import type { Harness } from './harness.js';
import { percentile, round } from './stats.js';

export interface Overhead {
  tool: string;
  calls: number;
  toolP50Ms: number;
  toolP99Ms: number;
  directP50Ms: number;
  directP99Ms: number;
  /** Tool p50 minus direct p50. */
  addedP50Ms: number;
}

export async function perCallOverhead(sandbox: Sandbox, harness: Harness, calls: number): Promise<Overhead> {
  const tokenResponse = await fetch(`${sandbox.url}/auth/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: sandbox.clientId, client_secret: sandbox.clientSecret, scope: 'all' }),
  });
  const { access_token: bearer } = (await tokenResponse.json()) as { access_token: string };
  const agent = new Agent({ keepAliveTimeout: 10_000, connections: 16 });
  const direct = async (id: number) => {
    const response = await request(`${sandbox.url}/api/Asset/${id}?includedetails=true`, { dispatcher: agent, headers: { authorization: `Bearer ${bearer}`, accept: 'application/json' } });
    // The tool parses the answer too.
    return JSON.parse(await response.body.text()) as unknown;
  };
  const viaTool = (id: number) => harness.call('halo_get_asset', { id });
  const toolTimes: number[] = [];
  const directTimes: number[] = [];
  for (let i = 0; i < 30; i++) {
    await viaTool(1 + (i % 50));
    await direct(1 + (i % 50));
  }
  for (let i = 0; i < calls; i++) {
    const id = 1 + (i % 50);
    let started = performance.now();
    await viaTool(id);
    toolTimes.push(performance.now() - started);
    started = performance.now();
    await direct(id);
    directTimes.push(performance.now() - started);
  }
  await agent.close();
  const toolP50Ms = round(percentile(toolTimes, 50), 2);
  const directP50Ms = round(percentile(directTimes, 50), 2);
  return {
    tool: 'halo_get_asset (GET /Asset/{id})',
    calls,
    toolP50Ms,
    toolP99Ms: round(percentile(toolTimes, 99), 2),
    directP50Ms,
    directP99Ms: round(percentile(directTimes, 99), 2),
    addedP50Ms: round(toolP50Ms - directP50Ms, 2),
  };
}
