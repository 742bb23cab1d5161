# syntax=docker/dockerfile:1
# gomall: one image for every role (serve, consume, the operations commands), picked by the
# command after the entrypoint: `docker run gomall serve --env prod`.
ARG NODE_VERSION=20

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
# Dependencies first: this layer is reused until package*.json change.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY commands ./commands
COPY src ./src
RUN npm run build

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
# mariadb-dump and mariadb, so `gomall backup` works inside the container too.
RUN apt-get update \
    && apt-get install -y --no-install-recommends mariadb-client \
    && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# Without the manifest oclif imports every command at start-up, before tracing can patch them.
COPY --from=build /app/oclif.manifest.json ./
COPY bin ./bin
COPY conf ./conf
COPY lua ./lua
COPY scenarios ./scenarios
# The pid file (server.pid_file) and backups (backup.dir) are written under /app.
RUN mkdir -p run backups && chown node:node run backups
USER node
EXPOSE 8080
# node, not curl or wget: the slim image has neither. Follows GOMALL_SERVER__PORT when set.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.GOMALL_SERVER__PORT || 8080) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "bin/run.js"]
CMD ["serve", "--env", "prod"]
