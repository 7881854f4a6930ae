# syntax=docker/dockerfile:1
# warden: multi-stage build. The runtime image holds production dependencies, the compiled
# JavaScript, the bundled lexicons and the bundled model, and runs as a non-root user.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npx tsc -p tsconfig.build.json

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# --ignore-scripts: no build step here (dist/ comes from the build stage) and no download attempts.
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY lexicons ./lexicons
COPY models ./models
# Audit records (mount a volume here); set AUDIT_DIR= (empty) to turn them off.
RUN mkdir -p /var/lib/warden/audit && chown node:node /var/lib/warden/audit
ENV AUDIT_DIR=/var/lib/warden/audit
USER node
# HOST=0.0.0.0 needs API_KEYS_FILE / API_KEYS (or ALLOW_UNAUTHENTICATED=true). SIGHUP reloads; SIGTERM drains.
STOPSIGNAL SIGTERM
EXPOSE 8080
# Mount extra tables and add them: -v /etc/warden/lexicons:/lexicons -e LEXICON_DIRS=/app/lexicons:/lexicons
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/cli/main.js", "serve"]
