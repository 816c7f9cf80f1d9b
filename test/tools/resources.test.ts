/** Resources a person browses, prompts for daily work, and the instructions a model reads. */
import { describe, expect, it } from 'vitest';
import { connectMcp } from '../helpers/mcp.js';
import { useSandboxMcp } from '../helpers/setup.js';

// Every test checks that its own requests kept to what Halo documents and the sandbox emulates.
const { sandbox, mcp } = useSandboxMcp({ conformance: true });

function text(result: { contents: ({ text: string } | { blob: string })[] }): string {
  const first = result.contents[0];
  return first && 'text' in first ? first.text : '';
}

describe('resources', () => {
  it('offers templates for tickets, clients, articles and attachments', async () => {
    const { resourceTemplates } = await mcp.client.listResourceTemplates();
    expect(resourceTemplates.map((template) => template.uriTemplate).sort()).toEqual(['halo://attachments/{id}', 'halo://clients/{id}', 'halo://kb/{id}', 'halo://tickets/{id}']);
  });

  it('lists at most 50 recent open tickets, clients and articles', async () => {
    const { resources } = await mcp.client.listResources();
    const tickets = resources.filter((resource) => resource.uri.startsWith('halo://tickets/'));
    expect(tickets.length).toBeGreaterThan(0);
    expect(tickets.length).toBeLessThanOrEqual(50);
    expect(resources.some((resource) => resource.uri === 'halo://clients/2')).toBe(true);
    expect(resources.some((resource) => resource.uri.startsWith('halo://kb/'))).toBe(true);
  });

  it('reads a ticket as Markdown', async () => {
    const markdown = text(await mcp.client.readResource({ uri: 'halo://tickets/1' }));
    expect(markdown).toMatch(/^# Ticket #1: /);
    expect(markdown).toMatch(/- \*\*Status:\*\* /);
    expect(markdown).toMatch(/## Latest actions/);
    expect(markdown).not.toMatch(/<p>/);
  });

  it("shows a ticket's newest actions by date, and how many there are", async () => {
    const ticket = await mcp.halo.upsert('/Tickets', { summary: 'Resource history', client_id: 2 });
    // Added in an order that is not the order they happened in; Halo lists them as added.
    const days = [3, 7, 1, 5, 2, 6, 4];
    await mcp.halo.request({
      method: 'POST',
      path: '/Actions',
      body: days.map((day) => ({ ticket_id: ticket.id, outcome: 'Note', note: `day ${day}`, datetime: `2026-02-0${day}T09:00:00` })),
    });
    const markdown = text(await mcp.client.readResource({ uri: `halo://tickets/${String(ticket.id)}` }));
    expect(markdown).toMatch(/## Latest actions\n\n_5 of 7 actions, newest first\._/);
    expect([...markdown.matchAll(/^day (\d)$/gm)].map((match) => match[1])).toEqual(['7', '6', '5', '4', '3']);
  });

  it('reads a client with its open tickets, and an article', async () => {
    expect(text(await mcp.client.readResource({ uri: 'halo://clients/2' }))).toMatch(/^# Acme Manufacturing[\s\S]*## Open tickets\n\n- #\d+ /);
    expect(text(await mcp.client.readResource({ uri: 'halo://kb/1' }))).toMatch(/^# How to reset a user's MFA registration[\s\S]*## Resolution/);
  });

  it('says so when the record does not exist, naming the resource', async () => {
    // MCP's resource-not-found error: -32602 (the number 2026-07-28 requires, and the only one the SDK sends), with the URI.
    await expect(mcp.client.readResource({ uri: 'halo://tickets/999999' })).rejects.toMatchObject({
      code: -32602,
      message: expect.stringMatching(/404/) as unknown,
      data: { uri: 'halo://tickets/999999' },
    });
  });

  it('completes ids by search', async () => {
    const { completion } = await mcp.client.complete({ ref: { type: 'ref/resource', uri: 'halo://clients/{id}' }, argument: { name: 'id', value: 'brightwater' } });
    expect(completion.values).toEqual(['4']);
    const tickets = await mcp.client.complete({ ref: { type: 'ref/resource', uri: 'halo://tickets/{id}' }, argument: { name: 'id', value: 'vpn' } });
    expect(tickets.completion.values.length).toBeGreaterThan(0);
  });
});

describe('prompts', () => {
  it('offers the four prompts of daily work', async () => {
    const { prompts } = await mcp.client.listPrompts();
    expect(prompts.map((prompt) => prompt.name).sort()).toEqual(['draft_reply', 'kb_from_ticket', 'summarise_client', 'triage_ticket']);
  });

  it("completes a prompt's ticket number and client as they are typed, from Halo", async () => {
    const tickets = await mcp.client.complete({ ref: { type: 'ref/prompt', name: 'triage_ticket' }, argument: { name: 'ticket_id', value: 'vpn' } });
    expect(tickets.completion.values.length).toBeGreaterThan(0);
    expect(tickets.completion.values.every((value) => /^\d+$/.test(value))).toBe(true);
    const clients = await mcp.client.complete({ ref: { type: 'ref/prompt', name: 'summarise_client' }, argument: { name: 'client', value: 'brightwater' } });
    expect(clients.completion.values).toEqual(['Brightwater Dental']);
    // Nothing typed yet: nothing to search for.
    const empty = await mcp.client.complete({ ref: { type: 'ref/prompt', name: 'triage_ticket' }, argument: { name: 'ticket_id', value: '' } });
    expect(empty.completion.values).toEqual([]);
  });

  it('fills a prompt with its arguments and the tools to use', async () => {
    const { messages } = await mcp.client.getPrompt({ name: 'draft_reply', arguments: { ticket_id: '42', tone: 'brief' } });
    const body = messages[0]?.content.type === 'text' ? messages[0].content.text : '';
    expect(body).toMatch(/ticket #42 in a brief tone/);
    expect(body).toMatch(/send nothing/i);
    expect(body).toMatch(/dry_run: true/);
  });

  it('has a knowledge base article drafted from the whole history, not its latest actions', async () => {
    const { messages } = await mcp.client.getPrompt({ name: 'kb_from_ticket', arguments: { ticket_id: '7' } });
    const body = messages[0]?.content.type === 'text' ? messages[0].content.text : '';
    expect(body).toMatch(/whole history with halo_list_ticket_actions .*following next_cursor/);
    expect(body).toMatch(/history_cut/);
  });

  it('leaves out prompts whose tools a read-only server does not have', async () => {
    const readOnly = await connectMcp(sandbox, { readOnly: true });
    try {
      const { prompts } = await readOnly.client.listPrompts();
      expect(prompts.map((prompt) => prompt.name)).not.toContain('draft_reply');
      expect(readOnly.client.getInstructions()).toMatch(/read-only/);
      const { tools } = await readOnly.client.listTools();
      expect(tools.every((tool) => tool.annotations?.readOnlyHint === true)).toBe(true);
    } finally {
      await readOnly.close();
    }
  });

  it('names no tool the server hides: triage proposes changes without pointing at a write a read-only server lacks', async () => {
    const triage = async (harness: typeof mcp) => {
      const { messages } = await harness.client.getPrompt({ name: 'triage_ticket', arguments: { ticket_id: '12' } });
      return messages[0]?.content.type === 'text' ? messages[0].content.text : '';
    };
    expect(await triage(mcp)).toMatch(/apply the changes with halo_update_ticket, first with dry_run: true/);
    const readOnly = await connectMcp(sandbox, { readOnly: true });
    try {
      const text = await triage(readOnly);
      expect(text).not.toMatch(/halo_update_ticket/);
      expect(text).toMatch(/this server cannot, so I will make the changes in Halo/);
    } finally {
      await readOnly.close();
    }
  });
});

describe('instructions', () => {
  it('tell a model about names, cursors, dry runs and private notes', () => {
    const instructions = mcp.client.getInstructions() ?? '';
    expect(instructions).toMatch(/name or an id/);
    expect(instructions).toMatch(/next_cursor/);
    expect(instructions).toMatch(/dry_run: true/);
    expect(instructions).toMatch(/private unless private: false/);
    expect(instructions).toMatch(/Europe\/London/);
  });
});
