/**
 * No comment cites a file that is not in the repository. In the comments of the source files, a
 * path under one of the repository's own folders (`electron/main/core.ts`, `docs/nodes.md`,
 * `bench/support/`) must exist, and a bare file name (`run-manager.ts`, `nodes.md`) must name a
 * file somewhere in the repository, so a rename or a move that forgets a comment fails here.
 * Generated and user files (`out/`, `dist/`, a bundle's `main.js`, `store.db`, `file.py`) are not
 * looked at.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SKIP = new Set(['node_modules', 'dist', 'out', '.git', 'test-results', 'playwright-report', 'coverage']);
const SOURCE = /\.(ts|tsx|mjs|js|css|html)$/;

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(e.name)) continue;
    if (e.isDirectory()) walk(join(dir, e.name), out);
    else if (e.isFile()) out.push(relative(ROOT, join(dir, e.name)));
  }
  return out;
}

const files = walk(ROOT);
const paths = new Set(files);
const folders = new Set(
  files.flatMap((f) =>
    f
      .split('/')
      .slice(0, -1)
      .map((_, i, parts) => parts.slice(0, i + 1).join('/')),
  ),
);
const names = new Set(files.map((f) => f.split('/').pop()!));
const TOP = new Set(['electron', 'shared', 'renderer', 'test', 'e2e', 'bench', 'scripts', 'docs', 'assets', 'bin']);

const COMMENT = /\/\/[^\n]*|\/\*[\s\S]*?\*\/|<!--[\s\S]*?-->/g;
/** A path under a top folder, or a bare file name with a source or doc extension. */
const CITED = /(?<![\w@$.:/<-])((?:[\w-]+\/)+[\w.-]*|[\w-]+(?:\.[\w-]+)*\.(?:ts|tsx|mjs|js|md|css|html))(?![\w/])/g;

/** What `comment` cites that is not in the repository. */
function missing(comment: string): string[] {
  const out: string[] = [];
  for (const [, cited] of comment.matchAll(CITED)) {
    const path = cited!.replace(/[.]$/, '').replace(/\/$/, '');
    if (!path.includes('/')) {
      // A bare .js name is a build output (main.js of a bundle); sources are .ts.
      if (/\.(ts|tsx|mjs|md|css|html)$/.test(path) && !names.has(path)) out.push(path);
    } else if (TOP.has(path.split('/')[0]!) && !paths.has(path) && !folders.has(path)) out.push(path);
  }
  return out;
}

describe('comments cite files of the repository', () => {
  it('finds what a comment cites, and what is not there', () => {
    expect(missing('// see electron/main/core.ts and run-manager.ts, docs/nodes.md "Running"')).toEqual([]);
    expect(missing('/** the SQL modules of electron/db/ and bench/support/ */')).toEqual([]);
    expect(missing('// see electron/main/runs.ts and protocol.ts, NODES.md')).toEqual([
      'electron/main/runs.ts',
      'protocol.ts',
      'NODES.md',
    ]);
    expect(missing('// writes out/main/index.js, main.js, store.db and file.py')).toEqual([]);
  });

  it('in every source file', () => {
    const problems: string[] = [];
    // This file is left out: its examples cite missing files on purpose.
    for (const file of files.filter((f) => SOURCE.test(f) && f !== 'test/comment-paths.test.ts')) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const m of text.matchAll(COMMENT)) {
        const line = text.slice(0, m.index).split('\n').length;
        for (const path of missing(m[0])) problems.push(`${file}:${line}: ${path}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
