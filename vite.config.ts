import { defineConfig } from 'vite';

// The dashboard lives in web/; its build is served by the Fastify server from dist/web.
export default defineConfig({
  root: 'web',
  base: './',
  build: { outDir: '../dist/web', emptyOutDir: true },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
