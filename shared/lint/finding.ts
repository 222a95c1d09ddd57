/**
 * What the safety review reports: findings (one rule, one place) and the rules it could not
 * evaluate. Plain data, the same for the command line, its JSON and SARIF output, and the editor:
 * a finding on a workflow names the node, the param and its form label and the index of the
 * planned statement it concerns (for a badge on the node card, a mark next to the statement in
 * the SQL preview, the Apply confirmation's list and a waiver keyed by code and node); a finding
 * on an SQL file names the file, line and column.
 */
import type { LintConfig } from './config.ts';
import { LINT_RULES, type LintCode, type LintSeverity } from './rules.ts';

export interface LintFinding {
  code: LintCode;
  /** The severity after the configuration. */
  severity: LintSeverity;
  /** What was found, naming the table, column or index, and the safe way when it depends on the case. */
  message: string;
  /** SQL input: the file and the 1-based line and column of the statement or clause. */
  file?: string;
  line?: number;
  column?: number;
  /** Workflow input: the node, its param and the param's label in the node's form. */
  node?: string;
  field?: string;
  fieldLabel?: string;
  /** Workflow input: the index of the planned statement in the node's SQL (the run result's `sql`). */
  step?: number;
  /** The statement the finding is about, as written or planned. */
  statement: string;
}

/** A rule that needs the live schema, left out because there was no connection; `count` statements it would have read. */
export interface NotEvaluated {
  code: LintCode;
  count: number;
}

export interface LintReport {
  /** What was linted: files, or a workflow. */
  inputs: string[];
  /** Statements read (SQL) or planned (workflow). */
  statements: number;
  findings: LintFinding[];
  notEvaluated: NotEvaluated[];
  /** The configuration file that applied (null: the defaults), and the PostgreSQL version the rules assumed (null: a workflow on SQLite). */
  config: string | null;
  postgresVersion: number | null;
  /** True when the rules read a live database (`--db`). */
  live: boolean;
  /** What the engine does that the findings assume (workflows: the lock_timeout and retries of locking statements). */
  notes: string[];
}

/** A schema change node of a workflow's plan: its params and the statements it would run, in order (what `Dialect.lintPlan` reads). */
export interface PlannedNode {
  node: string;
  params: Readonly<Record<string, unknown>>;
  statements: readonly string[];
}

/** What a dialect's rules found, before the configuration: findings, the rules not evaluated, statements read, notes. */
export interface LintResult {
  findings: RawFinding[];
  notEvaluated: Map<LintCode, number>;
  statements: number;
  notes: string[];
}

/** A finding before the configuration: the rule's default severity. */
export type RawFinding = Omit<LintFinding, 'severity'>;

/** Applies the configuration: drops rules turned off, sets the configured severities, sorts by input order. */
export function configure(raw: readonly RawFinding[], config: LintConfig): LintFinding[] {
  const out: LintFinding[] = [];
  for (const f of raw) {
    const set = config.rules[f.code];
    if (set === 'off') continue;
    out.push({ ...f, severity: set ?? LINT_RULES[f.code].severity });
  }
  return out;
}

/** The report of a review: its findings configured, the rules not evaluated that are not turned off. */
export function lintReport(
  inputs: string[],
  result: LintResult,
  config: LintConfig,
  postgresVersion: number | null,
  live: boolean,
): LintReport {
  return {
    inputs,
    statements: result.statements,
    findings: configure(result.findings, config),
    notEvaluated: [...result.notEvaluated]
      .map(([code, count]) => ({ code, count }))
      .filter((n) => config.rules[n.code] !== 'off'),
    config: config.path,
    postgresVersion,
    live,
    notes: result.notes,
  };
}

/** The counts of each severity. */
export function countBySeverity(findings: readonly LintFinding[]): Record<LintSeverity, number> {
  const n: Record<LintSeverity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) n[f.severity]++;
  return n;
}
