# halopsa-mcp over Streamable HTTP, for hosted agents.
#   docker build -t halopsa-mcp .
#   docker run --rm -p 3000:3000 --env-file halo.env halopsa-mcp
# halo.env holds HALO_URL, HALO_CLIENT_ID, HALO_CLIENT_SECRET (and HALO_TENANT where Halo names one)
# and HALO_MCP_TOKENS: bound beyond loopback, the server refuses to start without bearer tokens.
# Over stdio instead: docker run -i --rm --env-file halo.env halopsa-mcp --read-only

FROM node:20-alpine AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
COPY tools ./tools
RUN npm run build && find dist -name "*.map" -delete

FROM node:20-alpine
ENV NODE_ENV=production
WORKDIR /app
# dist/ carries every dependency (see scripts/build.ts); package.json makes it an ES module package.
COPY package.json ./
COPY --from=build /src/dist ./dist
USER node
EXPOSE 3000
# /readyz answers 200 once the server can mint a Halo token.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD wget -q -O /dev/null "http://127.0.0.1:${HALO_MCP_HTTP_PORT:-3000}/readyz" || exit 1
ENTRYPOINT ["node", "/app/dist/cli.js"]
CMD ["--http", "--host", "0.0.0.0"]
