/**
 * Writes manifest.json, the MCP bundle (MCPB 0.3) manifest that Claude Desktop installs in one
 * click. Its version comes from package.json and its tools from the catalog, so neither can drift
 * (a test compares the file with what this renders).
 *
 *   npm run manifest
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pkg from '../package.json' with { type: 'json' };
import { DEFAULT_SETTINGS } from '../src/mcp/settings.js';
import { catalog } from '../tools/index.js';

/**
 * Each setting a person fills in when installing the bundle. An optional one left empty reaches
 * the server as its unsubstituted `${user_config.x}` text, which the server reads as absent.
 */
const USER_CONFIG = {
  halo_url: {
    type: 'string',
    title: 'Halo URL',
    description: 'The web address of your Halo, such as https://acme.halopsa.com (the API is its /api).',
    required: true,
  },
  tenant: {
    type: 'string',
    title: 'Tenant',
    description: 'Only for Halo-hosted instances that name one under Configuration > Integrations > Halo API > API Details. Leave empty otherwise.',
    required: false,
  },
  client_id: {
    type: 'string',
    title: 'Client ID',
    description: 'The Client ID of a Client Credentials API application (Configuration > Integrations > Halo API > View Applications).',
    required: true,
  },
  client_secret: {
    type: 'string',
    title: 'Client Secret',
    description:
      'The Client Secret of a Client Credentials application; stored in the system keychain, never shown to the assistant. Leave empty after running npx halopsa-mcp login: the bundle then uses your sign-in.',
    required: false,
    sensitive: true,
  },
  read_only: {
    type: 'boolean',
    title: 'Read only',
    description: 'Only tools that read. Turn off to let the assistant create and update tickets, notes and records (each write can be previewed with dry_run).',
    required: false,
    default: true,
  },
  toolsets: {
    type: 'string',
    title: 'Toolsets',
    description: 'Comma separated: core, api, tickets, crm, assets, kb, projects, time, billing, sales, suppliers, reports, admin, or all.',
    required: false,
    default: DEFAULT_SETTINGS.toolsets.join(','),
  },
  scope: {
    type: 'string',
    title: 'Scopes',
    description:
      "The Halo scopes to ask for, space separated, such as all. Leave empty to ask for those the toolsets need (reads only when read-only); set it if Halo answers invalid_scope, to what the API application's Permissions tab grants.",
    required: false,
  },
  auth_url: {
    type: 'string',
    title: 'Authorisation server',
    description: "Only if Halo's API details page names an Authorisation Server other than the Halo URL followed by /auth. Leave empty otherwise.",
    required: false,
  },
  agent: {
    type: 'string',
    title: 'Your agent',
    description: 'Your name, email or id as a Halo agent, so that "my queue" and "my timesheet" are yours. Leave empty and "me" is the agent the API application logs in as.',
    required: false,
  },
  timezone: {
    type: 'string',
    title: 'Time zone',
    description: 'IANA time zone for "today" and "last 7 days", such as Europe/London. Leave empty for the system time zone.',
    required: false,
  },
} as const;

/** Each environment variable of the server, from its user_config field. */
const ENV = {
  HALO_URL: 'halo_url',
  HALO_TENANT: 'tenant',
  HALO_CLIENT_ID: 'client_id',
  HALO_CLIENT_SECRET: 'client_secret',
  HALO_READ_ONLY: 'read_only',
  HALO_TOOLSETS: 'toolsets',
  HALO_TIMEZONE: 'timezone',
  HALO_AGENT: 'agent',
  HALO_SCOPE: 'scope',
  HALO_AUTH_URL: 'auth_url',
} as const satisfies Record<string, keyof typeof USER_CONFIG>;

export function renderManifest(): string {
  // The tools of the default toolsets, once each: the read-only switch only hides some of them.
  const tools = catalog
    .filter((tool, index) => DEFAULT_SETTINGS.toolsets.includes(tool.toolset) && catalog.findIndex((other) => other.name === tool.name) === index)
    .map((tool) => ({ name: tool.name, description: tool.description }));
  const manifest = {
    manifest_version: '0.3',
    name: pkg.name,
    display_name: 'Halo PSA',
    version: pkg.version,
    description: 'Halo PSA and HaloITSM for Claude: find and work tickets, clients, assets and knowledge base articles, and reach every Halo API operation.',
    long_description:
      'Search tickets from a vague request, read a ticket with its history, add notes, create and update tickets, look up clients, users, assets and articles. Names work wherever ids do. A gateway reaches all 1,216 operations of Halo\'s API without loading them into every conversation. Installs read-only; writes preview with dry_run and never email a customer unless asked.',
    author: { name: 'halopsa-mcp contributors' },
    // A local file: Claude Desktop shows only icons inside the bundle.
    icon: 'icon.png',
    license: pkg.license,
    keywords: pkg.keywords,
    server: {
      type: 'node',
      entry_point: 'dist/cli.js',
      mcp_config: {
        command: 'node',
        args: ['${__dirname}/dist/cli.js'],
        env: Object.fromEntries(Object.entries(ENV).map(([name, field]) => [name, `\${user_config.${field}}`])),
      },
    },
    tools,
    tools_generated: true,
    compatibility: {
      platforms: ['darwin', 'win32', 'linux'],
      runtimes: { node: pkg.engines.node },
    },
    user_config: USER_CONFIG,
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(new URL('../manifest.json', import.meta.url), renderManifest());
}
