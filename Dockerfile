# The production image: build once, run the compiled API (configured by the environment).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY --from=build /app/dist ./dist
EXPOSE 3000
# Set after npm ci (which needs more). The API's live heap is ~55 MB under load; without a cap V8 lets
# garbage pile up in the old generation until RSS passes 340 MB (docs/performance.md, docs/operations.md).
ENV NODE_OPTIONS=--max-old-space-size=160
CMD ["node", "dist/apps/api/apps/api/src/main.js"]
