/**
 * Finds and reads the safety review's configuration (`dataflow.lint.json`, shared/lint/config.ts)
 * for the command line and the app: a file given, else the one in the first of the folders that
 * has one, else the defaults. An unreadable or invalid file throws an Error naming the file and
 * each key at fault.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_LINT_CONFIG, LINT_CONFIG_FILE, parseLintConfig, type LintConfig } from '../../shared/lint/config.ts';

/** Reads the configuration file at `path`. */
export async function readLintConfig(path: string): Promise<LintConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new Error(`cannot read ${path}`);
  }
  return parseLintConfig(text, path);
}

/** The `dataflow.lint.json` of the first folder of `dirs` that holds one, or the defaults. */
export async function findLintConfig(dirs: readonly string[]): Promise<LintConfig> {
  for (const dir of dirs) {
    const candidate = join(dir, LINT_CONFIG_FILE);
    const found = await stat(candidate).then(
      (s) => s.isFile(),
      () => false,
    );
    if (found) return readLintConfig(candidate);
  }
  return DEFAULT_LINT_CONFIG;
}
