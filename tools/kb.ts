/** The knowledge base: articles that explain a fix. */
import { z } from 'zod';
import { cursor, dryRun, format, limit, recordId, recordOutput, searchOutput, writeOutput } from '../src/toolkit/inputs.js';
import { htmlArg, resourceTools, textArg } from '../src/toolkit/resource-tools.js';
import { kbDetail, kbSummary } from '../src/toolkit/projections.js';
import { optionalText, recordAnswer } from '../src/toolkit/shape.js';
import { defineTool } from '../src/mcp/tool.js';
import { wordSearchList } from '../src/toolkit/word-search.js';

/** How much of an article's body and resolution the word fallback looks in. */
const SEARCHED_TEXT_CHARS = 20_000;

export const searchKb = defineTool({
  name: 'halo_search_kb',
  title: 'Search the knowledge base',
  description: 'Find knowledge base articles about a problem or a procedure.',
  toolset: 'core',
  access: 'read',
  input: z.strictObject({
    query: z.string().optional().describe('Words in the title, body or tags: phrase, else all words'),
    limit,
    cursor,
  }),
  output: searchOutput,
  handler: (args, context) =>
    wordSearchList(context, {
      tool: 'halo_search_kb',
      args,
      path: '/KBArticle',
      query: { search: args.query },
      text: args.query,
      plural: 'articles',
      searchable: (article) =>
        [
          String(article.id),
          optionalText(article.name),
          optionalText(article.tag_string),
          context.text.fromHtml(article.description_html ?? article.description, SEARCHED_TEXT_CHARS),
          context.text.fromHtml(article.resolution_html ?? article.resolution, SEARCHED_TEXT_CHARS),
        ].join(' '),
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
    const article = await context.halo.get('/KBArticle', args.id, { includedetails: true }, { signal: context.signal });
    return recordAnswer(article, args, () => kbDetail(article, context.text), context.settings.maxResultChars);
  },
});

export const kbWriteTools = resourceTools({
  toolset: 'kb',
  noun: 'kb_article',
  plural: 'kb_articles',
  label: 'knowledge base article',
  path: '/KBArticle',
  ops: ['create', 'update'],
  fields: {
    title: textArg('name', 'Title'),
    body: htmlArg('description_html', 'The article, plain text'),
    resolution: htmlArg('resolution_html', 'Resolution steps, plain text'),
    tags: textArg('tag_string', 'Tags, comma separated'),
  },
  required: ['title', 'body'],
  project: (article, text) => kbDetail(article, text),
});

export const archiveKbArticle = defineTool({
  name: 'halo_archive_kb_article',
  title: 'Archive a knowledge base article',
  description: 'Take an article out of use (mark it inactive), or bring it back with restore.',
  toolset: 'kb',
  access: 'write',
  input: z.strictObject({ id: recordId('Article id'), restore: z.boolean().default(false).describe('Make it active again'), dry_run: dryRun }),
  output: writeOutput,
  handler: async (args, context) => {
    // Fetch first: the id must name an article that exists, or Halo's upsert would create one.
    await context.halo.get('/KBArticle', args.id, {}, { signal: context.signal });
    const body = { id: args.id, inactive: !args.restore };
    if (args.dry_run) return { dry_run: true, request: { method: 'POST', path: '/KBArticle', body: [body] } };
    const stored = await context.halo.upsert('/KBArticle', body, { signal: context.signal });
    return { dry_run: false, id: args.id, inactive: stored.inactive === true };
  },
});

export const faqListTools = resourceTools({
  toolset: 'kb',
  noun: 'faq_list',
  plural: 'faq_lists',
  label: 'FAQ list',
  path: '/FAQLists',
  ops: ['list'],
  paged: false,
  project: (list) => ({ id: list.id, name: optionalText(list.name) ?? '' }),
});
