/**
 * The safety review's configuration for a workflow open in the app: the `dataflow.lint.json` next
 * to its file, else the defaults (an unsaved document has none). An invalid file is refused,
 * naming the file and each key at fault, with the field `filePath`.
 */
import { dirname } from 'node:path';
import type { LintConfig } from '../../../shared/lint/config.ts';
import { DEFAULT_LINT_CONFIG } from '../../../shared/lint/config.ts';
import { findLintConfig } from '../../engine/lint-config.ts';
import { IpcFailure } from '../ipc-table.ts';

export async function lintConfigFor(filePath: string | undefined): Promise<LintConfig> {
  if (!filePath) return DEFAULT_LINT_CONFIG;
  try {
    return await findLintConfig([dirname(filePath)]);
  } catch (e) {
    throw new IpcFailure(`the safety review's configuration is invalid: ${(e as Error).message}`, 'filePath');
  }
}
