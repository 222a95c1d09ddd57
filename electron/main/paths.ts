/**
 * Which paths a request may name (Open Recent, the examples, and every path in browser mode, where
 * the host's file dialog chooses them): absolute `.json` files anywhere the user's account may
 * read or write, symlinks resolved first. A save, and a new folder, are refused inside one of
 * the app's own folders (its install, the examples, its data folder), wherever the path came from
 * (a dialog, a recent file, a request). What an open reads back and what a save overwrites is
 * checked by the workflow handlers: workflow documents only.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { IpcFailure } from './ipc-table.ts';

export interface PathRoots {
  homeDir: string;
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
export function checkWorkflowPath(path: string, field = 'path'): string {
  if (!isAbsolute(path))
    throw new IpcFailure(`"${path}" is not an absolute path; give the full path of the .json file`, field);
  const full = resolve(path);
  if (!full.toLowerCase().endsWith('.json'))
    throw new IpcFailure(`"${path}" is not a workflow file; workflow files end with .json (name.dataflow.json)`, field);
  return full;
}

/** Refuses a path whose real place is inside one of the app's own folders; nothing is written there. */
function refuseAppFolders(path: string, real: string, roots: PathRoots, field: string): void {
  for (const folder of roots.appFolders) {
    if (!existsSync(folder.path)) continue;
    if (within(realpathSync(folder.path), real)) {
      throw new IpcFailure(
        `"${path}" is inside ${folder.what} (${folder.path}), which the app keeps for itself; nothing was written: save the workflow in a folder of your own, e.g. under ${roots.homeDir}`,
        field,
      );
    }
  }
}

/**
 * Checks where a workflow is saved: an explicit path passes `checkWorkflowPath` first (`explicit`);
 * any path, a dialog's too, is refused inside one of the app's own folders. Answers it resolved.
 */
export function checkSavePath(path: string, roots: PathRoots, explicit: boolean, field = 'path'): string {
  const full = explicit ? checkWorkflowPath(path, field) : resolve(path);
  refuseAppFolders(path, realTarget(full, field), roots, field);
  return full;
}

/** An existing folder, absolute, answered with its symlinks resolved. */
export function checkFolder(path: string, field = 'path'): string {
  if (!isAbsolute(path))
    throw new IpcFailure(`"${path}" is not an absolute path; give the full path of a folder`, field);
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    throw new IpcFailure(`the folder ${path} does not exist`, field);
  }
  if (!statSync(real).isDirectory()) throw new IpcFailure(`${path} is a file, not a folder`, field);
  return real;
}

/** Where a new folder `name` in `parent` goes (resolved), refused inside the app's own folders. */
export function checkNewFolder(parent: string, name: string, roots: PathRoots, field = 'parent'): string {
  const path = join(checkFolder(parent, field), name);
  refuseAppFolders(path, path, roots, field);
  return path;
}
