/** Paths as the host gives them (POSIX or Windows), taken apart and joined in the page without Node. */

function separator(path: string): string {
  return path.includes('\\') && !path.includes('/') ? '\\' : '/';
}

export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? '';
}

export function folderOf(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i <= 0 ? path.slice(0, i + 1) || separator(path) : path.slice(0, i);
}

export function joinPath(folder: string, name: string): string {
  const sep = separator(folder);
  return folder.endsWith(sep) ? `${folder}${name}` : `${folder}${sep}${name}`;
}
