/** The knowledge base: articles that explain a fix. */
import { z } from 'zod';
import { cursor, dryRun, format, limit, recordId } from '../src/toolkit/inputs.js';
import { recordOutput, searchOutput, writeOutput } from '../src/toolkit/outputs.js';
import { htmlArg, resourceTools, textArg } from '../src/toolkit/resource-tools.js';
import type { ResourceSpec } from '../src/mcp/resources.js';
import { completeIds } from '../src/toolkit/completion.js';
import { inline } from '../src/toolkit/markdown.js';
import { recordAnswer } from '../src/toolkit/budget.js';
import { loadTextShaper, type TextShaper } from '../src/toolkit/html-text.js';
import { isoUtc, optionalText } from '../src/toolkit/values.js';
import { fenced, singleLine } from '../src/toolkit/untrusted.js';
import { textOf } from '../src/util/text.js';
import { defineTool, type AnyTool } from '../src/mcp/tool.js';
import { wordSearchList } from '../src/toolkit/word-search.js';
import type { RecordOf } from '../src/halo/client.js';


export function kbSummary(article: RecordOf<'/KBArticle'>, shaper: TextShaper) {
  return {
    id: article.id as number,
    title: optionalText(article.name) ?? '',
    tags: optionalText(article.tag_string),
    summary: shaper.fromHtml(article.description_html ?? article.description, 200),
  };
}

export function kbDetail(article: RecordOf<'/KBArticle'>, shaper: TextShaper) {
  const lists = Array.isArray(article.faqlists) ? (article.faqlists as { name?: unknown }[]).map((list) => optionalText(list.name)).filter((name) => name !== null) : [];
  return {
    id: article.id as number,
    title: optionalText(article.name) ?? '',
    tags: optionalText(article.tag_string),
    body: fenced(shaper.fromHtml(article.description_html ?? article.description, 6_000)),
    resolution: fenced(shaper.fromHtml(article.resolution_html ?? article.resolution, 6_000)),
    updated: isoUtc(article.date_edited) ?? isoUtc(article.date_created),
    views: typeof article.view_count === 'number' ? article.view_count : 0,
    ...(lists.length > 0 ? { faq_lists: lists } : {}),
  };
}

/** How much of an article's body and resolution the word fallback looks in. */
const SEARCHED_TEXT_CHARS = 20_000;

export const searchKb = defineTool({
  name: 'halo_search_kb',
  title: 'Search the knowledge base',
  description: 'Find knowledge base articles about a problem or a procedure.',
  toolset: 'core',
  access: 'read',
  input: z.strictObject({
    query: z.string().optional().describe('Words in the title, body or tags; else each word'),
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
  label: 'knowledge base article',
  path: '/KBArticle',
  tools: {
    create: { name: 'halo_create_kb_article', title: 'Create a knowledge base article' },
    update: { name: 'halo_update_kb_article', title: 'Update a knowledge base article' },
  },
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
  label: 'FAQ list',
  path: '/FAQLists',
  tools: {
    list: { name: 'halo_list_faq_lists', title: 'List FAQ lists' },
  },
  paged: false,
  project: (list) => ({ id: list.id, name: optionalText(list.name) ?? '' }),
});

function kbMarkdown(article: ReturnType<typeof kbDetail>): string {
  return [`# ${inline(article.title)}`, article.tags ? `_Tags: ${inline(article.tags)}_` : undefined, article.body, ...(article.resolution ? ['## Resolution', article.resolution] : [])]
    .filter((part) => part !== undefined && part !== '')
    .join('\n\n');
}

export const kbResource: ResourceSpec = {
  name: 'kb_article',
  uriTemplate: 'halo://kb/{id}',
  title: 'Knowledge base article',
  description: 'A Halo knowledge base article',
  markdown: true,
  list: async ({ halo, signal }, limit) => {
    const { items } = await halo.list('/KBArticle', { count: limit }, { signal });
    return items.map((article) => ({ id: Number(article.id), name: singleLine(textOf(article.name)) }));
  },
  complete: (halo, value) => completeIds(halo, '/KBArticle', value),
  read: async (id, { halo, signal }) => {
    const [article, text] = await Promise.all([halo.get('/KBArticle', id, { includedetails: true }, { signal }), loadTextShaper()]);
    return { markdown: kbMarkdown(kbDetail(article, text)) };
  },
};

/** The area's tools, in the order a model should meet them. */
export const tools: readonly AnyTool[] = [searchKb, getKbArticle, ...kbWriteTools, archiveKbArticle, ...faqListTools];

export const resources = [kbResource];
