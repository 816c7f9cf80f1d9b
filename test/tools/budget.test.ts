/**
 * The context budget, counted with the o200k tokenizer: what the default tool list costs every
 * conversation, and what reading a ticket with a long HTML email thread costs.
 */
import { countTokens } from 'gpt-tokenizer';
import { describe, expect, it } from 'vitest';
import { useSandboxMcp } from '../helpers/setup.js';

const { mcp } = useSandboxMcp();

describe('token budget', () => {
  it('keeps the default tools/list under 4,000 tokens', async () => {
    const listed = await mcp.client.listTools();
    expect(listed.tools.length).toBeGreaterThanOrEqual(17);
    expect(countTokens(JSON.stringify(listed))).toBeLessThan(4_000);
  });

  it('keeps halo_get_ticket on the ticket with the longest HTML under 2,000 tokens', async () => {
    const { items } = await mcp.halo.list('/Tickets', { domain: 'reqs' });
    const longest = items.reduce((a, b) => ((b.details ?? '').length > (a.details ?? '').length ? b : a));
    expect(longest.details?.length).toBeGreaterThan(5_000);
    const raw = await mcp.halo.get('/Tickets', Number(longest.id));
    const { isError, text } = await mcp.call('halo_get_ticket', { id: longest.id });
    expect(isError).toBe(false);
    expect(countTokens(text)).toBeLessThan(2_000);
    expect(countTokens(text)).toBeLessThan(countTokens(JSON.stringify(raw)) / 5);
  });
});
