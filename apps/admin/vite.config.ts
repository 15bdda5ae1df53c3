import { defineConfig } from 'vite';

// Resolved from this file, so the build works from any working directory.
const here = (relative: string): string => decodeURIComponent(new URL(relative, import.meta.url).pathname);

const apiTarget = process.env.TWOFOLD_API_URL ?? 'http://localhost:3000';

// The console is served at /admin/ and the API's back-office routes also live under /admin/…:
// only the API prefixes are proxied; everything else under /admin/ is the console itself.
const apiPrefixes = ['auth', 'me', 'customers', 'audit-events', 'stats', 'staff'];

export default defineConfig({
  root: here('.'),
  base: '/admin/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: here('../../dist/admin'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1000,
    rolldownOptions: {
      // MUI marks its modules 'use client' for React Server Components; meaningless in a SPA bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
      output: {
        // Vendor groups change less often than the console's own code, so they stay cached.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 40 },
            { name: 'charts', test: /node_modules[\\/](recharts|d3-[^\\/]+|victory-vendor|decimal\.js-light)[\\/]/, priority: 30 },
            { name: 'mui', test: /node_modules[\\/](@mui|@emotion|@popperjs)[\\/]/, priority: 20 },
            { name: 'vendor', test: /node_modules[\\/]/, priority: 10 },
          ],
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      [`^/admin/(${apiPrefixes.join('|')})(/|\\?|$)`]: { target: apiTarget, changeOrigin: false },
      '/dev': { target: apiTarget, changeOrigin: false },
    },
  },
});
