/**
 * The built renderer's files, and nothing outside its folder: URL paths are decoded, resolved and
 * checked against the folder's real path (symlinks included) before anything is read.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { extname, isAbsolute, join, relative } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticFile {
  path: string;
  contentType: string;
  size: number;
}

/** The file a URL path names inside `root` (`/` is index.html), or null when there is none or it lies outside. */
export function resolveStatic(root: string, urlPath: string): StaticFile | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const rel = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  if (!existsSync(root)) return null;
  const realRoot = realpathSync(root);
  const candidate = join(realRoot, rel);
  if (!existsSync(candidate)) return null;
  const real = realpathSync(candidate);
  const inside = relative(realRoot, real);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return null;
  const stat = statSync(real);
  if (!stat.isFile()) return null;
  return { path: real, contentType: TYPES[extname(real).toLowerCase()] ?? 'application/octet-stream', size: stat.size };
}
