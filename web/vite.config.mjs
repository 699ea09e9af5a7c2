// The dashboard's build: Preact + TypeScript through Vite into web/dist (index.html and hashed
// assets/ only — the server serves nothing else). No inline scripts or styles are emitted, so the
// server's Content-Security-Policy can stay at 'self'.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  publicDir: false,
  logLevel: 'warn',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  // The graph layout's worker (web/src/components/layout-worker.ts) as an ES module file under assets/.
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: true,
    target: 'es2022',
    // The polyfill would be injected as an inline script, which the CSP refuses.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1500,
  },
});
