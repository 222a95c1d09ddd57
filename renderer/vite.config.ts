/**
 * Builds the renderer into dist/renderer/: the app (index.html) and nothing else; the canvas
 * benchmark page has its own build (bench/canvas-page/vite.config.ts). Relative base, so the files
 * load from file:// in Electron and from the web host.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer/', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2500,
    rollupOptions: { input: { index: fileURLToPath(new URL('index.html', import.meta.url)) } },
  },
});
