import { defineConfig } from 'vite';

// Resolved from this file, so the build works from any working directory.
const here = (relative: string): string => decodeURIComponent(new URL(relative, import.meta.url).pathname);

const apiTarget = process.env.TWOFOLD_API_URL ?? 'http://localhost:3000';

// The customer's pages talk to the API over HTTP only; in `vite dev` the API routes are proxied.
const apiPrefixes = ['/auth', '/me', '/dev'];

export default defineConfig({
  root: here('.'),
  base: '/account/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: here('../../dist/account'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1000,
    rolldownOptions: {
      // MUI marks its modules 'use client' for React Server Components; meaningless in a SPA bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
      output: {
        // Vendor groups change less often than the pages' own code, so they stay cached.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|react-router|react-router-dom|scheduler)[\\/]/, priority: 40 },
            { name: 'mui', test: /node_modules[\\/](@mui|@emotion|@popperjs)[\\/]/, priority: 20 },
            { name: 'vendor', test: /node_modules[\\/]/, priority: 10 },
          ],
        },
      },
    },
  },
  server: {
    port: 5174,
    proxy: Object.fromEntries(apiPrefixes.map((prefix) => [prefix, { target: apiTarget, changeOrigin: false }])),
  },
});
