/**
 * The host's file dialog (browser mode, where there is no native one): a folder's subfolders and
 * workflow files, the places to jump to, and new folders. Any folder the user's account may read
 * is listed; new folders are refused in the app's own folders, like saves (paths.ts).
 */
import { accessSync, constants, mkdirSync, readdirSync, statSync, type Dirent } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FolderListing } from '../../../shared/ipc.ts';
import type { AppContext } from '../core.ts';
import { IpcFailure, type IpcMainLike } from '../ipc-table.ts';
import { checkFolder, checkNewFolder } from '../paths.ts';

/** A listing shows at most this many entries (a folder of 100,000 files stays usable). */
const MAX_ENTRIES = 2000;

function isFolder(dir: string, e: Dirent): boolean {
  if (e.isDirectory()) return true;
  if (!e.isSymbolicLink()) return false;
  try {
    return statSync(join(dir, e.name)).isDirectory();
  } catch {
    return false; // a broken link
  }
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function places(ctx: AppContext): FolderListing['places'] {
  const recent = [...new Set(ctx.store.recentFiles().map((r) => dirname(r.path)))];
  return { home: ctx.options.homeDir, examples: ctx.options.examplesDir, recent };
}

export function registerFilesHandlers(ipc: IpcMainLike, ctx: AppContext): void {
  ipc.handle('files.list', (_sender, { path }) => {
    const folder = checkFolder(path ?? ctx.options.homeDir);
    let dirents: Dirent[];
    try {
      dirents = readdirSync(folder, { withFileTypes: true });
    } catch (e) {
      throw new IpcFailure(
        `cannot list ${folder}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        'path',
      );
    }
    const entries = dirents
      .filter((e) => !e.name.startsWith('.'))
      .map((e) => ({ name: e.name, folder: isFolder(folder, e) }))
      .filter((e) => e.folder || e.name.toLowerCase().endsWith('.json'))
      .sort((a, b) => Number(b.folder) - Number(a.folder) || a.name.localeCompare(b.name));
    const parent = dirname(folder);
    return {
      path: folder,
      parent: parent === folder ? null : parent,
      entries: entries.slice(0, MAX_ENTRIES),
      more: Math.max(0, entries.length - MAX_ENTRIES),
      writable: writable(folder),
      places: places(ctx),
    };
  });

  ipc.handle('files.mkdir', (_sender, { parent, name }) => {
    const path = checkNewFolder(parent, name, ctx.roots());
    try {
      mkdirSync(path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new IpcFailure(
        code === 'EEXIST'
          ? `${path} exists already; open it, or choose another name`
          : `cannot create ${path}: ${code === 'EACCES' ? 'your account may not write in this folder' : (e as Error).message}`,
        'name',
      );
    }
    return { path };
  });
}
