/**
 * The `halopsa-mcp` command's entry. It checks the Node.js version before it loads anything else:
 * the rest (the MCP SDK, undici, pino) needs the version in `engines`, and on an older Node it
 * would fail somewhere inside a dependency, with a message that names neither Node nor a fix.
 * So this file uses nothing newer than what any Node of the last years runs.
 */
/** The floor of `engines.node` in package.json (a test holds the two together). */
const MINIMUM_NODE = { major: 20, minor: 19 };

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < MINIMUM_NODE.major || (major === MINIMUM_NODE.major && minor < MINIMUM_NODE.minor)) {
  const running = major < MINIMUM_NODE.major ? `${major}.x` : process.versions.node;
  process.stderr.write(`halopsa-mcp needs Node.js ${MINIMUM_NODE.major}.${MINIMUM_NODE.minor} or later (this is ${running}).\nInstall a newer Node.js, or in Claude Desktop use the one-click bundle, which runs on Claude Desktop's own.\n`);
  process.exit(1);
}
await import('./main.js');
