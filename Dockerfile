# handle-bot's image, built from the same steps CI checks outside a container
# (scripts/production.sh; CI runs its `verify`).
#   docker build -t handle-bot .
#   docker run --env-file .env -v handle-bot-data:/data -p 3000:3000 handle-bot
# Node 20.19+ (22 and 24 work unchanged): change NODE_IMAGE to move.
ARG NODE_IMAGE=node:20-bookworm-slim

# ---- what compiling better-sqlite3 needs (when no prebuilt binary can be fetched) ---------------
FROM ${NODE_IMAGE} AS toolchain
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*

# ---- build: every dependency, then bundle into dist/ ---------------------------------------------
FROM toolchain AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
RUN sh scripts/production.sh install-dev
COPY tsconfig.json ./
COPY src ./src
COPY commands ./commands
RUN sh scripts/production.sh build

# ---- production dependencies only (no TypeScript, no test tools) -------------------------------
FROM toolchain AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
RUN sh scripts/production.sh install-prod

# ---- the image: compiled code, production dependencies, a non-root user ------------------------
FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    DATA_DIR=/data \
    HEALTH_PORT=8080 \
    LOG_FORMAT=json
WORKDIR /app
COPY --from=deps /app/package.json /app/package-lock.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/commands/slack-manifest.json ./commands/slack-manifest.json
COPY scripts/readyz.mjs ./scripts/readyz.mjs
# The data folder (SQLite file and generated secret) is the one thing to keep: a volume, owned by
# the unprivileged `node` user the bot runs as.
RUN mkdir -p /data && chown node:node /data && chmod 700 /data
USER node
VOLUME ["/data"]
# 3000: Slack's HTTP mode (SLACK_PORT); 8080: /livez, /readyz, /metrics (HEALTH_PORT).
EXPOSE 3000 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["node", "scripts/readyz.mjs"]
CMD ["node", "dist/src/cli.js", "start"]
