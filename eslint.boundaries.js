/**
 * Which part of the project may import which, held by lint so that CI fails on a crossing:
 * the sandbox (an emulator of Halo) shares nothing with the client, the MCP layer, the tool kit or
 * the catalog, or a wrong belief about Halo would pass its own tests; the Halo client knows nothing
 * of MCP or of the tools; the Halo tool kit (src/toolkit) builds on the tool contract alone; the MCP
 * layer is handed the catalog rather than importing it (the catalog imports the MCP layer); neither
 * the MCP layer nor the catalog knows the transport that carries it; a transport is handed its
 * options, already validated, and does not know the configuration parser (src/config) that made
 * them; the utilities every part shares (src/util) depend on no part.
 * `test/boundaries.test.ts` plants a crossing of each kind and expects lint to refuse it.
 */
const SANDBOX_MAY_NOT = ['**/halo/**', '**/mcp/**', '**/toolkit/**', '**/tools/**', '**/transports/**', '**/commands/**', '**/gateway/**', '**/config/**', '**/main', '**/main.js', '@modelcontextprotocol/*'];
const CLIENT_MAY_NOT = ['**/mcp/**', '**/replicas/**', '@redis/*', '**/toolkit/**', '**/tools/**', '**/transports/**', '**/commands/**', '**/sandbox/**', '@modelcontextprotocol/*'];
const MCP_MAY_NOT = ['**/transports/**', '**/tools/**'];
/** The kit builds tools on the contract (`src/mcp/tool.ts`) and knows nothing else of the MCP layer. */
const TOOLKIT_MAY_NOT = ['**/mcp/**', '!**/mcp/tool.js', '**/tools/**', '**/transports/**', '**/commands/**', '**/sandbox/**', '@modelcontextprotocol/*'];
const CATALOG_MAY_NOT = ['**/transports/**'];
const TRANSPORT_MAY_NOT = ['**/config/**'];
const UTIL_MAY_NOT = ['**/halo/**', '**/mcp/**', '**/toolkit/**', '**/tools/**', '**/transports/**', '**/commands/**', '**/sandbox/**', '**/gateway/**', '@modelcontextprotocol/*'];

/** One rule per part: the patterns its files may not import, and why. */
const forbid = (files, patterns, why) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns: [{ group: patterns, message: why }] }] },
});

export default [
  forbid(['src/sandbox/**/*.ts'], SANDBOX_MAY_NOT, 'The sandbox emulates Halo on its own evidence and shares nothing with the client, the MCP layer or the catalog.'),
  forbid(['src/halo/**/*.ts'], CLIENT_MAY_NOT, 'The Halo client knows Halo only: nothing of MCP, the tools or the sandbox.'),
  forbid(['src/mcp/**/*.ts'], MCP_MAY_NOT, 'The MCP layer is handed the catalog (createServer takes it) and does not know the transport that carries it.'),
  forbid(['src/toolkit/**/*.ts'], TOOLKIT_MAY_NOT, 'The Halo tool kit serves the catalog: it builds on the tool contract alone, and knows neither the server, the catalog nor the transport.'),
  forbid(['tools/**/*.ts'], CATALOG_MAY_NOT, 'The catalog does not know the transport that carries it.'),
  forbid(['src/transports/**/*.ts'], TRANSPORT_MAY_NOT, 'A transport is handed its options and does not know the configuration parser; types it needs live in the transport.'),
  forbid(['src/util/**/*.ts'], UTIL_MAY_NOT, 'Utilities serve every part of the project and depend on none of them.'),
];
