/** The text of a tool result: lists as a table a model reads in half the tokens, everything else as JSON. */
import { countTokens } from 'gpt-tokenizer';
import { describe, expect, it } from 'vitest';
import { resultText } from '../../src/mcp/result-text.js';
import { useSandboxMcp } from '../helpers/setup.js';

describe('resultText', () => {
  it('writes a list as its paging line, a header and one line per item, references by name', () => {
    const text = resultText({
      items: [
        { id: 7, summary: 'Printer offline', status: { id: 2, name: 'In Progress' }, agent: null },
        { id: 8, summary: 'VPN down', status: { id: 1, name: 'New' }, agent: { id: 4, name: 'Jane Doe' }, tags: ['vpn', 'remote'] },
      ],
      total: 40,
      next_cursor: 'abc',
    });
    expect(text.split('\n')).toEqual([
      '{"total":40,"next_cursor":"abc"}',
      'id|summary|status|agent|tags',
      '7|Printer offline|In Progress||',
      '8|VPN down|New|Jane Doe|["vpn","remote"]',
    ]);
  });

  it('quotes text that would break a line or a column, and keeps other objects whole', () => {
    const text = resultText({
      items: [{ note: 'line one\nline two', title: 'a | b', quoted: '"hi"', site: { id: 3, name: 'HQ', phone: '1' }, tags: ['x|y'] }],
      total: 1,
      next_cursor: null,
    });
    expect(text.split('\n')[2]).toBe('"line one\\nline two"|"a | b"|"\\"hi\\""|{"id":3,"name":"HQ","phone":"1"}|"[\\"x|y\\"]"');
    expect(text.split('\n')).toHaveLength(3);
  });

  it('writes times in a table to the minute, and leaves a record its seconds', () => {
    const text = resultText({
      items: [{ id: 7, opened: '2026-11-21T14:03:48Z', note: '2026-11-21T14:03:48Z was when it broke', local: '2026-11-21T14:03:48+01:00' }],
      total: 1,
      next_cursor: null,
    });
    expect(text.split('\n')[2]).toBe('7|2026-11-21T14:03Z|2026-11-21T14:03:48Z was when it broke|2026-11-21T14:03:48+01:00');
    expect(resultText({ id: 7, opened: '2026-11-21T14:03:48Z' })).toBe('{"id":7,"opened":"2026-11-21T14:03:48Z"}');
  });

  it('writes an empty list and any other result as JSON', () => {
    expect(resultText({ items: [], total: 0, next_cursor: null })).toBe('{"items":[],"total":0,"next_cursor":null}');
    expect(resultText({ id: 1, status: { id: 2, name: 'New' } })).toBe('{"id":1,"status":{"id":2,"name":"New"}}');
    expect(resultText({ items: [1, 2], total: 2 })).toBe('{"items":[1,2],"total":2}');
  });
});

describe('a search result as a model reads it', () => {
  const { mcp } = useSandboxMcp();

  it('holds every item of the structured result in under 60% of the tokens of its JSON', async () => {
    const result = await mcp.call('halo_search_tickets', { limit: 25 });
    const items = result.data.items as { id: number; summary: string }[];
    expect(items).toHaveLength(25);
    const lines = result.text.split('\n');
    expect(lines).toHaveLength(27);
    items.forEach((item, index) => expect(lines[index + 2]?.startsWith(`${item.id}|`)).toBe(true));
    expect(countTokens(result.text)).toBeLessThan(0.6 * countTokens(JSON.stringify(result.data)));
  });
});
