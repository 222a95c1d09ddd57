/**
 * Builds the schema browser benchmark page (bench/schema-browser.ts drives it) into dist/bench-schema/,
 * apart from the app's build (renderer/vite.config.ts), so the shipped renderer does not carry it.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/bench-schema/', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2500,
  },
});
