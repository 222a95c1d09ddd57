/**
 * Which workflow files a request may name explicitly (Open Recent, examples, and every path in
 * browser mode): `.json` files under the user's home or the examples folder, or a recent file.
 * Symlinks are resolved before the check, so a link cannot lead out of those folders. A save
 * goes further: never into one of the app's own folders (its install, the examples, its data
 * folder), wherever the path came from (a dialog, a recent file, a request).
 */
import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { IpcFailure } from './ipc-table.ts';

export interface PathRoots {
  homeDir: string;
  examplesDir: string;
  recent: readonly string[];
  /** The app's own folders, where no workflow is saved: the install, the examples, the data folder. */
  appFolders: readonly { path: string; what: string }[];
}

function within(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The real path of `path`, or of its folder for a file that does not exist yet. */
function realTarget(path: string, field: string): string {
  if (existsSync(path)) return realpathSync(path);
  const dir = dirname(path);
  if (!existsSync(dir)) throw new IpcFailure(`the folder ${dir} does not exist`, field);
  return join(realpathSync(dir), basename(path));
}

/** Checks an explicit workflow path; answers it resolved. `field` names the payload field. */
export function checkWorkflowPath(path: string, roots: PathRoots, field = 'path'): string {
  if (!isAbsolute(path))
    throw new IpcFailure(`"${path}" is not an absolute path; give the full path of the .json file`, field);
  const full = resolve(path);
  if (!full.toLowerCase().endsWith('.json'))
    throw new IpcFailure(`"${path}" is not a workflow file; workflow files end with .json (name.dataflow.json)`, field);
  if (roots.recent.includes(full)) return full;
  const real = realTarget(full, field);
  const allowed = [roots.homeDir, roots.examplesDir].filter(existsSync).map((r) => realpathSync(r));
  if (!allowed.some((root) => within(root, real))) {
    throw new IpcFailure(
      `"${path}" is outside the folders the app may open: your home folder (${roots.homeDir}) and the examples (${roots.examplesDir})`,
      field,
    );
  }
  return full;
}

/**
 * Checks where a workflow is saved: an explicit path passes `checkWorkflowPath` first (`explicit`);
 * any path, a dialog's too, is refused inside one of the app's own folders. Answers it resolved.
 */
export function checkSavePath(path: string, roots: PathRoots, explicit: boolean, field = 'path'): string {
  const full = explicit ? checkWorkflowPath(path, roots, field) : resolve(path);
  const real = realTarget(full, field);
  for (const folder of roots.appFolders) {
    if (!existsSync(folder.path)) continue;
    const root = realpathSync(folder.path);
    if (within(root, real)) {
      throw new IpcFailure(
        `"${path}" is inside ${folder.what} (${folder.path}), which the app keeps for itself; nothing was written: save the workflow in a folder of your own, e.g. under ${roots.homeDir}`,
        field,
      );
    }
  }
  return full;
}
