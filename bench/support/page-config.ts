/**
 * The vite config of a benchmark page (bench/<page>/vite.config.ts): the page's folder as the root,
 * React, built into `dist/<outName>/` apart from the app's build (renderer/vite.config.ts), so the
 * shipped renderer does not carry it. bench/support/browser-page.ts runs the build.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig, type UserConfig } from 'vite';
import react from '@vitejs/plugin-react';

/** `pageDir`: the page's folder (`new URL('.', import.meta.url)` in its config). */
export function benchPageConfig(pageDir: URL, outName: string): UserConfig {
  return defineConfig({
    root: fileURLToPath(pageDir),
    base: './',
    plugins: [react()],
    build: {
      outDir: fileURLToPath(new URL(`../../dist/${outName}/`, pageDir)),
      emptyOutDir: true,
      target: 'es2022',
      chunkSizeWarningLimit: 2500,
    },
  });
}
