/**
 * Bundles the Electron app into `out/` with esbuild (what `npm start` launches and what
 * electron-builder packs): `out/main/index.js` (ESM), `out/preload/index.cjs` (CommonJS, as a
 * sandboxed preload must be), `out/worker/run-worker.js` with the engine's code runners beside it,
 * and `out/renderer/` (a copy of the built renderer). npm packages stay external (electron-builder
 * ships them). In the worker, `import.meta.url` points into `app.asar.unpacked`, where the runners
 * are unpacked, so python3 and node can read them.
 *
 * CLI, for packaging: `node --import tsx electron/main/bundle.ts [--native]`; `--native` also
 * builds better-sqlite3 for this Electron, platform and arch (native-binding.ts) into
 * `out/native/`, which electron-builder ships as `resources/native/`.
 */
import { build, type BuildOptions } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RUNNERS = join(ROOT, 'electron', 'engine', 'executors');

export interface BundleResult {
  outDir: string;
  files: string[];
}

export async function bundleElectron(
  outDir = join(ROOT, 'out'),
  rendererDir = join(ROOT, 'dist', 'renderer'),
): Promise<BundleResult> {
  if (!existsSync(join(rendererDir, 'index.html')))
    throw new Error(`the renderer is not built (no ${rendererDir}/index.html): run npm run build first`);
  rmSync(outDir, { recursive: true, force: true });
  const common: BuildOptions = {
    bundle: true,
    platform: 'node',
    target: 'node22',
    logLevel: 'silent',
    legalComments: 'none',
    external: ['electron'],
  };
  await build({
    ...common,
    entryPoints: [join(ROOT, 'electron/main/index.ts')],
    outfile: join(outDir, 'main/index.js'),
    format: 'esm',
    packages: 'external',
  });
  await build({
    ...common,
    entryPoints: [join(ROOT, 'electron/preload/index.ts')],
    outfile: join(outDir, 'preload/index.cjs'),
    format: 'cjs',
  });
  await build({
    ...common,
    entryPoints: [join(ROOT, 'electron/worker/run-worker.ts')],
    outfile: join(outDir, 'worker/run-worker.js'),
    format: 'esm',
    packages: 'external',
    define: { 'import.meta.url': '__dataflowModuleUrl' },
    banner: { js: "const __dataflowModuleUrl = import.meta.url.replace('/app.asar/', '/app.asar.unpacked/');" },
  });
  for (const runner of readdirSync(RUNNERS).filter((f) => /\.(py|mjs)$/.test(f)))
    cpSync(join(RUNNERS, runner), join(outDir, 'worker', runner));
  mkdirSync(join(outDir, 'renderer'), { recursive: true });
  cpSync(rendererDir, join(outDir, 'renderer'), { recursive: true });
  const files = readdirSync(outDir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
  return { outDir, files };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { outDir, files } = await bundleElectron();
  if (process.argv.includes('--native')) {
    const { ensureElectronBinding } = await import('./native-binding.ts');
    const { version } = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')) as {
      version: string;
    };
    mkdirSync(join(outDir, 'native'), { recursive: true });
    cpSync(
      ensureElectronBinding({ root: ROOT, electronVersion: version }),
      join(outDir, 'native', 'better_sqlite3.node'),
    );
  }
  process.stdout.write(
    `bundled the Electron app into ${outDir} (${files.length} files${process.argv.includes('--native') ? ', and the native binding' : ''})\n`,
  );
}
