# Lookout container image: `docker build -t lookout .` from a clone.
# Build stage compiles TypeScript (npm ci runs `prepare`); the runtime stage
# carries only dist/ and production dependencies, runs as the unprivileged
# `node` user, and keeps learned state on a volume.
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json tsconfig.json ./
COPY src ./src
RUN npm ci --no-audit --no-fund && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    LOOKOUT_ANALYSIS__STATE_PATH=/var/lib/lookout
WORKDIR /app
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY LICENSE README.md ./
RUN mkdir -p /var/lib/lookout /etc/lookout && chown node:node /var/lib/lookout
USER node
VOLUME ["/var/lib/lookout"]
# HTTP source (+ /healthz, /readyz, /metrics, /v1/streams) and Forward source.
EXPOSE 8080 24224
# No curl in the slim image: Node's fetch does the check. It assumes the default sources.http.port (8080).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM drains every open window through analysis and the sinks (shutdown.drain_timeout_seconds, 30 s by
# default): give `docker stop` more than that, e.g. `docker stop -t 60`, or stop_grace_period in compose.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "/app/dist/cli.js"]
CMD ["serve"]
