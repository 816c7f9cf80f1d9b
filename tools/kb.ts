/** The knowledge base: articles that explain a fix. */
import { z } from 'zod';
import { cursor, format, limit, listOutput, recordId, recordOutput } from '../src/mcp/inputs.js';
import { kbDetail, kbSummary } from '../src/mcp/projections.js';
import { pagedList, recordWithinBudget } from '../src/mcp/shape.js';
import { defineTool } from '../src/mcp/tool.js';

type HaloRecord = Record<string, unknown>;

export const searchKb = defineTool({
  name: 'halo_search_kb',
  title: 'Search the knowledge base',
  description: 'Find knowledge base articles about a problem or a procedure.',
  toolset: 'core',
  access: 'read',
  input: z.strictObject({
    query: z.string().optional().describe('Words in the title, body or tags'),
    limit,
    cursor,
  }),
  output: listOutput,
  handler: (args, context) =>
    pagedList(context, {
      tool: 'halo_search_kb',
      args,
      path: '/KBArticle',
      query: { search: args.query },
      project: (article) => kbSummary(article, context.text),
    }),
});

export const getKbArticle = defineTool({
  name: 'halo_get_kb_article',
  title: 'Get a knowledge base article',
  description: 'Read one knowledge base article by id, as plain text.',
  toolset: 'core',
  access: 'read',
  input: z.strictObject({ id: recordId('Article id'), format }),
  output: recordOutput,
  handler: async (args, context) => {
    const article = await context.halo.get<HaloRecord>('/KBArticle', args.id, { includedetails: true }, { signal: context.signal });
    return recordWithinBudget(args.format === 'full' ? article : kbDetail(article, context.text), context.settings.maxResultChars);
  },
});
