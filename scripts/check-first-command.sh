#!/usr/bin/env bash
# The README's first command, exactly as written there, run as a person runs it in a fresh clone:
# it installs, builds and serves MCP over stdio against the demo Halo. Nothing but the protocol may
# reach stdout on the way (an MCP client reads npm's own "added 320 packages" as a broken message),
# so this sends an initialize, waits for the answer, and checks every line of stdout.
#
# It runs `npm ci`, so .ci/run uses it as its install step.
set -euo pipefail
cd "$(dirname "$0")/.."

command=$(awk '/^```sh$/ { inside = 1; next } inside { print; exit }' README.md | sed 's/[[:space:]]*#.*$//')
echo "The README's first command: $command"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkfifo "$work/stdin"
bash -c "$command" <"$work/stdin" >"$work/stdout" 2>"$work/stderr" &
pid=$!
exec 3>"$work/stdin"
printf '%s\n' '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"readme","version":"1"}}}' >&3
# npm ci and the build come first: minutes on a cold cache.
for _ in $(seq 900); do
  if grep -q '"id":1' "$work/stdout" || ! kill -0 "$pid" 2>/dev/null; then break; fi
  sleep 1
done
# Closing stdin ends the server, as a client that goes away does.
exec 3>&-
if ! wait "$pid"; then
  echo "The README's first command failed:" >&2
  cat "$work/stderr" >&2
  exit 1
fi
node - "$work/stdout" <<'EOF'
const { readFileSync } = require('node:fs');
const lines = readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean);
const notProtocol = lines.filter((line) => {
  try {
    return JSON.parse(line).jsonrpc !== '2.0';
  } catch {
    return true;
  }
});
if (notProtocol.length > 0) {
  console.error(`stdout carried more than the protocol:\n${notProtocol.join('\n')}`);
  process.exit(1);
}
const answer = lines.map((line) => JSON.parse(line)).find((message) => message.id === 1);
if (answer?.result?.serverInfo?.name !== 'halopsa-mcp') {
  console.error(`no initialize answer from halopsa-mcp on stdout:\n${lines.join('\n')}`);
  process.exit(1);
}
console.log(`ok: stdout held only the protocol (${lines.length} line), and the demo server answered initialize`);
EOF
