/**
 * Writes docs/tools.md: every tool with its toolset, access kind and purpose, generated from the
 * catalog so that it cannot drift (a test compares the file with what this renders).
 *
 *   npm run docs:tools
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { catalog } from '../tools/index.js';
import { TOOLSETS } from '../src/mcp/tool.js';

const ROLES = `## Choosing toolsets

\`core\` and \`api\` are on by default: the daily ticket work, and a gateway to every other operation of
Halo's API. Add toolsets with \`HALO_TOOLSETS\` (or \`--toolsets\`), comma separated; each adds only its
own tools, so a configuration pays in tokens only for what it uses.

| Role | HALO_TOOLSETS | Why |
|---|---|---|
| Service desk technician | \`core,api,tickets,time\` | Tickets, notes, children and links, attachments, approvals, the queue, logging time |
| Service desk lead | \`core,api,tickets,crm,reports\` | Adds client overviews and saved reports |
| Project manager | \`core,api,projects,time\` | Projects, tasks, time against budget, the calendar |
| Finance | \`core,api,billing,sales,suppliers\` | Invoices, contracts, quotations, orders, opportunities, suppliers and stock |
| Administrator | \`core,api,admin,assets,kb\` | Configuration, webhooks, audit trail, assets, knowledge base |
| Read-only reporting | \`core,api,reports\` with \`HALO_READ_ONLY=true\` | Looks, never changes |

Destructive tools (deletes, merges) are hidden unless \`HALO_ALLOW_DESTRUCTIVE=true\`, and ask before
they act. The SQL tools (\`halo_run_sql\`, \`halo_list_sql_tables\`, \`halo_describe_sql_table\`) are hidden
unless \`HALO_ALLOW_SQL=true\`. \`HALO_READ_ONLY=true\` hides every tool that writes, whatever else is set.
`;

function escape(text: string): string {
  return text.replace(/\|/g, '\\|');
}

export function renderToolsDoc(): string {
  const sections = TOOLSETS.map((toolset) => {
    const tools = catalog.filter((tool, index) => tool.toolset === toolset && catalog.findIndex((other) => other.name === tool.name) === index);
    if (tools.length === 0) return '';
    const rows = tools.map((tool) => {
      const variants = catalog.filter((other) => other.name === tool.name).map((other) => other.access);
      return `| \`${tool.name}\` | ${variants.join(' / ')} | ${escape(tool.description)} |`;
    });
    return [`## \`${toolset}\``, '', '| Tool | Access | Purpose |', '|---|---|---|', ...rows, ''].join('\n');
  }).filter(Boolean);
  const count = new Set(catalog.map((tool) => tool.name)).size;
  return [
    '# Tools',
    '',
    `${count} tools in ${sections.length} toolsets. This file is generated from the catalog by \`npm run docs:tools\`; a test keeps it in sync.`,
    '',
    ROLES,
    ...sections,
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(new URL('../docs/tools.md', import.meta.url), renderToolsDoc());
}
