/** The catalog against the tool contract, and the filters that decide what a configuration shows. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { catalog } from '../../tools/index.js';
import { selectTools, whyHidden } from '../../src/mcp/select.js';
import { describeTool } from '../../src/mcp/server.js';
import { DEFAULT_SETTINGS, type ServerSettings } from '../../src/mcp/settings.js';
import { TOOLSETS, annotationsFor, type AnyTool } from '../../src/mcp/tool.js';

const settings = (overrides: Partial<ServerSettings>): ServerSettings => ({ ...DEFAULT_SETTINGS, ...overrides });

/** A fake tool, to test filtering on kinds of tool the catalog may not have yet. */
function fakeTool(name: string, toolset: AnyTool['toolset'], access: AnyTool['access']): AnyTool {
  return { name, title: name, description: name, toolset, access, input: z.strictObject({}), output: z.object({}), handler: () => Promise.resolve({}) };
}

describe('the catalog', () => {
  it('offers the core tools by their contract names', () => {
    expect(catalog.filter((tool) => tool.toolset === 'core').map((tool) => tool.name).sort()).toEqual(
      [
        'halo_search_tickets',
        'halo_my_queue',
        'halo_time_report',
        'halo_get_ticket',
        'halo_create_ticket',
        'halo_update_ticket',
        'halo_add_note',
        'halo_list_ticket_actions',
        'halo_close_ticket',
        'halo_search_clients',
        'halo_get_client',
        'halo_search_users',
        'halo_get_user',
        'halo_search_assets',
        'halo_get_asset',
        'halo_search_kb',
        'halo_get_kb_article',
        'halo_lookup',
        'halo_whoami',
      ].sort(),
    );
  });

  it.each(catalog.map((tool) => [tool.name, tool] as const))('%s follows the tool contract', (_name, tool) => {
    expect(tool.name).toMatch(/^halo_[a-z]+(_[a-z]+)*$/);
    expect(tool.name.length).toBeLessThan(64);
    expect(tool.title.trim().length).toBeGreaterThan(0);
    expect(tool.description.length).toBeGreaterThan(10);
    expect(tool.description.length).toBeLessThan(1024);
    expect(TOOLSETS).toContain(tool.toolset);
    const described = describeTool(tool);
    expect(described.inputSchema.type).toBe('object');
    expect(described.outputSchema).toBeUndefined();
    // Every argument tells a model what it is for.
    for (const [argument, schema] of Object.entries(described.inputSchema.properties ?? {})) {
      expect((schema as { description?: string }).description, `${tool.name}.${argument}`).toBeTruthy();
    }
  });

  it('derives annotations from the access kind that a client reads right with MCP defaults for hints left out', () => {
    // MCP's defaults for a hint that is not written.
    const read = (annotations: Record<string, unknown> | undefined) => ({
      readOnly: annotations?.readOnlyHint ?? false,
      destructive: annotations?.destructiveHint ?? true,
      idempotent: annotations?.idempotentHint ?? false,
      openWorld: annotations?.openWorldHint ?? true,
    });
    for (const tool of catalog) {
      const annotations = describeTool(tool).annotations;
      expect(annotations).toEqual(annotationsFor(tool));
      const hints = read(annotations);
      expect(hints.readOnly, tool.name).toBe(tool.access === 'read');
      expect(hints.openWorld, tool.name).toBe(true);
      if (tool.access === 'read') continue;
      expect(hints.destructive, tool.name).toBe(tool.access === 'destructive');
      expect(hints.idempotent, tool.name).toBe(tool.access === 'destructive' && tool.idempotent !== false);
    }
    expect(annotationsFor({ access: 'read' })).toEqual({ readOnlyHint: true });
    expect(annotationsFor({ access: 'destructive' })).toEqual({ destructiveHint: true, idempotentHint: true });
    expect(annotationsFor({ access: 'destructive', idempotent: false })).toEqual({ destructiveHint: true });
    const gatewayDeletes = catalog.find((tool) => tool.name === 'halo_call_operation' && tool.access === 'destructive');
    expect(gatewayDeletes && annotationsFor(gatewayDeletes).idempotentHint).toBeUndefined();
  });

  it('gives writes a dry run', () => {
    for (const tool of catalog.filter((candidate) => candidate.access !== 'read')) {
      expect(Object.keys(describeTool(tool).inputSchema.properties ?? {}), tool.name).toContain('dry_run');
    }
  });

  it('keeps the schemas free of what costs tokens and says nothing', () => {
    const json = JSON.stringify(catalog.map(describeTool));
    expect(json).not.toContain('$schema');
    expect(json).not.toContain('"additionalProperties":false');
    expect(json).not.toContain(String(Number.MAX_SAFE_INTEGER));
  });
});

describe('tool selection', () => {
  const tools = [
    fakeTool('halo_read_thing', 'core', 'read'),
    fakeTool('halo_write_thing', 'core', 'write'),
    fakeTool('halo_delete_thing', 'core', 'destructive'),
    fakeTool('halo_read_invoice', 'billing', 'read'),
    fakeTool('halo_write_invoice', 'billing', 'write'),
  ];
  const names = (overrides: Partial<ServerSettings>) => selectTools(tools, settings(overrides)).map((tool) => tool.name);

  it('shows the core toolset by default, without destructive tools', () => {
    expect(names({})).toEqual(['halo_read_thing', 'halo_write_thing']);
  });

  it('adds toolsets, all of them, or single tools by name', () => {
    expect(names({ toolsets: ['billing'] })).toEqual(['halo_read_invoice', 'halo_write_invoice']);
    expect(names({ toolsets: ['all'] })).toEqual(['halo_read_thing', 'halo_write_thing', 'halo_read_invoice', 'halo_write_invoice']);
    expect(names({ enabledTools: ['halo_read_invoice'] })).toEqual(['halo_read_thing', 'halo_write_thing', 'halo_read_invoice']);
  });

  it('hides disabled tools, and destructive ones unless allowed', () => {
    expect(names({ disabledTools: ['halo_write_thing'] })).toEqual(['halo_read_thing']);
    expect(names({ allowDestructive: true })).toEqual(['halo_read_thing', 'halo_write_thing', 'halo_delete_thing']);
  });

  it('lets read-only mode win over everything', () => {
    expect(names({ readOnly: true, toolsets: ['all'], allowDestructive: true, enabledTools: ['halo_write_invoice'] })).toEqual(['halo_read_thing', 'halo_read_invoice']);
  });

  it('says which setting hides a tool, read-only first, and nothing for a tool shown or unknown', () => {
    const why = (name: string, overrides: Partial<ServerSettings>) => whyHidden(catalog, name, settings(overrides));
    expect(why('halo_add_note', { readOnly: true, allowDestructive: true })).toMatch(/^read-only mode/);
    expect(why('halo_delete_ticket', { toolsets: ['all'] })).toMatch(/--allow-destructive/);
    expect(why('halo_add_note', { disabledTools: ['halo_add_note'] })).toMatch(/--disabled-tools/);
    expect(why('halo_search_invoices', { toolsets: ['core'] })).toBe('it is in the toolset "billing", which is not enabled: add it with --toolsets (HALO_TOOLSETS)');
    expect(why('halo_run_sql', { toolsets: ['reports'] })).toMatch(/--allow-sql/);
    expect(why('halo_add_note', {})).toBeUndefined();
    expect(why('halo_no_such_tool', {})).toBeUndefined();
  });
});
