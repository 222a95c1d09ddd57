/**
 * The safety review's configuration, `dataflow.lint.json`: rules turned off or given another
 * severity, the thresholds of the rules that read the live schema, and the PostgreSQL version
 * assumed when no connection tells it. Found next to the input, else in the working directory,
 * or given with `--config` (electron/cli/lint.ts finds it; this module only reads and applies it).
 */
import * as z from 'zod';
import { LINT_SEVERITIES, isLintCode, type LintCode, type LintSeverity } from './rules.ts';

export const LINT_CONFIG_FILE = 'dataflow.lint.json';

export interface LintThresholds {
  /** A table with at least this many rows (by the row estimate) is large: DF715. */
  largeTableRows: number;
  /** Rows per second a rewrite or validating scan is assumed to read, for the durations of DF715. */
  rowsPerSecond: number;
  /** An UPDATE estimated to change at least this many rows is a backfill to batch: DF809. */
  unbatchedUpdateRows: number;
}

/**
 * The defaults. 250,000 rows/s is a conservative figure for a rewrite or a validating scan of a
 * narrow table on SSD storage; measure yours (the time of a rewrite of a copy of the table) and
 * set it here for better estimates.
 */
export const DEFAULT_THRESHOLDS: LintThresholds = {
  largeTableRows: 1_000_000,
  rowsPerSecond: 250_000,
  unbatchedUpdateRows: 100_000,
};

/** The PostgreSQL version assumed without `--db`, `--pg-version` or `postgresVersion`: the oldest release still supported upstream. */
export const DEFAULT_POSTGRES_VERSION = 15;

/** Seconds as "about 40 s", "about 12 min", "about 3.0 h": the estimated durations of DF715 and DF716. */
export function aboutDuration(seconds: number): string {
  if (seconds < 90) return `about ${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 5400) return `about ${Math.round(seconds / 60)} min`;
  return `about ${(seconds / 3600).toFixed(1)} h`;
}

export interface LintConfig {
  /** Rules set to `off`, or to another severity than the catalogue's. */
  rules: Partial<Record<LintCode, LintSeverity | 'off'>>;
  thresholds: LintThresholds;
  /** The PostgreSQL major version assumed without a connection, when set. */
  postgresVersion: number | null;
  /** The file it was read from; null for the defaults. */
  path: string | null;
}

export const DEFAULT_LINT_CONFIG: LintConfig = {
  rules: {},
  thresholds: DEFAULT_THRESHOLDS,
  postgresVersion: null,
  path: null,
};

const positive = z.number().int().positive();

const fileSchema = z
  .object({
    rules: z
      .record(z.string(), z.enum([...LINT_SEVERITIES, 'off'], { error: 'must be "error", "warning", "info" or "off"' }))
      .optional(),
    thresholds: z
      .object({ largeTableRows: positive, rowsPerSecond: positive, unbatchedUpdateRows: positive })
      .partial()
      .strict()
      .optional(),
    postgresVersion: z.number().int().min(9).max(99).optional(),
  })
  .strict();

/** Reads the text of a config file; throws an Error naming the file and each key at fault. */
export function parseLintConfig(text: string, path: string): LintConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${path}: not JSON: ${(e as Error).message}`);
  }
  const r = fileSchema.safeParse(json);
  const problems = r.success ? [] : r.error.issues.map((i) => `${i.path.join('.') || '(top level)'} ${i.message}`);
  const given = (json as { rules?: unknown } | null)?.rules;
  for (const code of typeof given === 'object' && given !== null ? Object.keys(given) : []) {
    if (!isLintCode(code)) problems.unshift(`rules.${code} is not a rule code (the codes are listed in docs/lint.md)`);
  }
  if (!r.success || problems.length > 0) throw new Error(`${path}: ${problems.join('; ')}`);
  return {
    rules: (r.data.rules ?? {}) as LintConfig['rules'],
    thresholds: { ...DEFAULT_THRESHOLDS, ...r.data.thresholds },
    postgresVersion: r.data.postgresVersion ?? null,
    path,
  };
}
