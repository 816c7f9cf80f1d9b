/** The import boundaries lint holds (eslint.boundaries.js): a planted crossing of each kind is refused, a permitted import is not. */
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import boundaries from '../eslint.boundaries.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const eslint = new ESLint({
  cwd: root,
  overrideConfigFile: true,
  overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, ...boundaries],
});

async function refusals(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: `${root}${file}` });
  return (result?.messages ?? []).filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message);
}

describe('import boundaries', () => {
  it.each([
    ['the sandbox importing the client', 'src/sandbox/planted.ts', "import { scopeAllows } from '../halo/scopes.js';"],
    ['the sandbox importing the MCP layer', 'src/sandbox/resources/planted.ts', "import { defineTool } from '../../mcp/tool.js';"],
    ['the sandbox importing the catalog', 'src/sandbox/planted.ts', "import { catalog } from '../../tools/index.js';"],
    ['the sandbox importing the settings', 'src/sandbox/planted.ts', "import type { Settings } from '../config/index.js';"],
    ['the client importing the MCP layer', 'src/halo/planted.ts', "import { toolErrorText } from '../mcp/errors.js';"],
    ['the client importing the MCP SDK', 'src/halo/planted.ts', "import { McpServer } from '@modelcontextprotocol/server';"],
    ['the sandbox importing the tool kit', 'src/sandbox/planted.ts', "import { haloTime } from '../toolkit/values.js';"],
    ['the client importing the tool kit', 'src/halo/planted.ts', "import { Resolver } from '../toolkit/resolve.js';"],
    ['the tool kit importing the server', 'src/toolkit/planted.ts', "import { createServer } from '../mcp/server.js';"],
    ['the tool kit importing the catalog', 'src/toolkit/planted.ts', "import { catalog } from '../../tools/index.js';"],
    ['the tool kit importing the MCP SDK', 'src/toolkit/planted.ts', "import { McpServer } from '@modelcontextprotocol/server';"],
    ['the MCP layer importing a transport', 'src/mcp/planted.ts', "import { serveStdio } from '../transports/stdio.js';"],
    ['the MCP layer importing the catalog', 'src/mcp/planted.ts', "import { catalog } from '../../tools/index.js';"],
    ['the catalog importing a transport', 'tools/planted.ts', "import { startHttpServer } from '../src/transports/http.js';"],
    ['a transport importing the configuration parser', 'src/transports/http/planted.ts', "import { httpOptionsFromEnv } from '../../config/index.js';"],
    ['a utility importing the client', 'src/util/planted.ts', "import { HaloClient } from '../halo/client.js';"],
  ])('refuses %s', async (_what, file, source) => {
    expect(await refusals(file, source)).toHaveLength(1);
  });

  it('lets each part import what it may', async () => {
    expect(await refusals('src/sandbox/planted.ts', "import { scopeAllows } from './scopes.js';")).toEqual([]);
    expect(await refusals('src/mcp/planted.ts', "import { HaloClient } from '../halo/client.js';")).toEqual([]);
    expect(await refusals('src/toolkit/planted.ts', "import { defineTool } from '../mcp/tool.js';")).toEqual([]);
    expect(await refusals('tools/planted.ts', "import { Resolver } from '../src/toolkit/resolve.js';")).toEqual([]);
    expect(await refusals('src/transports/planted.ts', "import { createServer } from '../mcp/server.js';")).toEqual([]);
    expect(await refusals('src/transports/http/planted.ts', "import type { HaloClientConfig } from '../../halo/config.js';")).toEqual([]);
  });
});
