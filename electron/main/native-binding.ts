/**
 * better-sqlite3 for Electron's ABI, kept apart from the Node build in node_modules that tests and
 * the CLI load: a copy of the package is built for Electron in `.cache/electron-native/` (a
 * prebuilt binary from the package's release page through prebuild-install, else node-gyp against
 * Electron's headers; both download, so this needs the internet once per Electron version), and
 * the app hands the resulting file to better-sqlite3 as `nativeBinding`. `npm start` builds it
 * when Electron is present; packaging ships it as `resources/native/better_sqlite3.node`.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface BindingTarget {
  /** The project root (holds node_modules). */
  root: string;
  electronVersion: string;
  platform?: NodeJS.Platform;
  arch?: string;
}

/** Where the Electron build of the binding lives for this Electron version, platform and arch. */
function electronBindingPath({
  root,
  electronVersion,
  platform = process.platform,
  arch = process.arch,
}: BindingTarget): string {
  return join(root, '.cache', 'electron-native', `${electronVersion}-${platform}-${arch}`, 'better_sqlite3.node');
}

function run(command: string, args: string[], cwd: string): { ok: boolean; output: string } {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}`.trim() };
}

/** npm's own node-gyp (every npm install carries one). */
function nodeGyp(): string {
  if (process.env.npm_config_node_gyp && existsSync(process.env.npm_config_node_gyp))
    return process.env.npm_config_node_gyp;
  return join(
    dirname(process.execPath),
    '..',
    'lib',
    'node_modules',
    'npm',
    'node_modules',
    'node-gyp',
    'bin',
    'node-gyp.js',
  );
}

/** Builds the binding when it is not there yet; answers its path. Throws with both tools' output when neither worked. */
export function ensureElectronBinding(target: BindingTarget): string {
  const out = electronBindingPath(target);
  if (existsSync(out)) return out;
  const { root, electronVersion, platform = process.platform, arch = process.arch } = target;
  const require = createRequire(join(root, 'package.json'));
  const source = dirname(require.resolve('better-sqlite3/package.json'));
  const work = join(dirname(out), 'better-sqlite3');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  cpSync(source, work, { recursive: true, filter: (p) => !p.startsWith(join(source, 'build')) });

  const prebuilt = run(
    process.execPath,
    [
      require.resolve('prebuild-install/bin.js'),
      '--runtime',
      'electron',
      '--target',
      electronVersion,
      '--platform',
      platform,
      '--arch',
      arch,
    ],
    work,
  );
  const built = prebuilt.ok
    ? prebuilt
    : run(
        process.execPath,
        [
          nodeGyp(),
          'rebuild',
          '--release',
          '--runtime=electron',
          `--target=${electronVersion}`,
          `--arch=${arch}`,
          '--dist-url=https://electronjs.org/headers',
        ],
        work,
      );
  const binary = join(work, 'build', 'Release', 'better_sqlite3.node');
  if (!built.ok || !existsSync(binary)) {
    throw new Error(
      `could not build better-sqlite3 for Electron ${electronVersion} (${platform}-${arch}); this downloads a prebuilt binary or Electron's headers once, so it needs the internet.\nprebuild-install: ${prebuilt.output}\nnode-gyp: ${built.output}`,
    );
  }
  cpSync(binary, out);
  rmSync(work, { recursive: true, force: true });
  return out;
}
