# The telephony service. TypeScript runs through tsx (`npm start`), so no build step.
FROM node:20-slim

ENV NODE_ENV=production
WORKDIR /app

# Dependencies first: this layer is rebuilt only when the lock file changes.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

COPY tsconfig.json ./
COPY src ./src
COPY config ./config

# The image's unprivileged user; nothing in the service needs root.
USER node
EXPOSE 8080
CMD ["npm", "start"]
