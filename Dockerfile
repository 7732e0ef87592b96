# The telephony service: TypeScript compiled once at build time, run by plain Node at run time.
# Node 22 is a maintained LTS line; CI runs the test suite on this same version (.ci/run).

# --- build: the compiler and the dev dependencies live only in this stage ---
FROM node:22-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/copy-build-assets.mjs ./scripts/
COPY src ./src
# The browser pages (web/build.mjs bundles them into web/dist, served under /app/).
COPY web ./web
RUN npm run build

# --- run: production dependencies, the compiled service, the example config ---
FROM node:22-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist
COPY config ./config

# The recording archive's folders (the example's fs store), owned by the service's user so that
# the named volumes mounted there start writable.
RUN mkdir -p var/recordings var/recordings-archive && chown -R node:node var
# The image's unprivileged user; nothing in the service needs root.
USER node
EXPOSE 8080
# Plain node, not npm: signals (SIGTERM for a graceful drain) reach the service itself.
CMD ["node", "dist/app/main.js"]
