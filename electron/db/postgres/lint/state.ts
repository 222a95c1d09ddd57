/**
 * What the safety rules know while they read statements in order: the tables and indexes the
 * inputs created (new tables are empty, so locking them harms nobody), the column types they
 * declared, the NOT NULL checks validated so far, the transaction a file is in and the timeouts
 * it set, and, with `--db`, the live schema (row estimates, columns, indexes, constraints) and
 * the server's estimates (EXPLAIN) and function volatility.
 */
import { aboutDuration, type LintThresholds } from '../../../../shared/lint/config.ts';
import type { RawFinding } from '../../../../shared/lint/finding.ts';
import type { LintCode } from '../../../../shared/lint/rules.ts';
import { findColumn, findTable, type Constraint, type Schema, type Table } from '../../../../shared/schema.ts';
import type { ParsedStatement } from './source.ts';

/** What only the live database can tell, read on demand. */
export interface LiveFacts {
  schema: Schema;
  /** The rows PostgreSQL estimates an UPDATE or DELETE touches (EXPLAIN, nothing run); null when it cannot plan it. */
  estimateRows(sql: string): Promise<number | null>;
  /** Whether the named function is volatile ('v'), stable ('s') or immutable ('i'); null when no such function exists. */
  volatility(name: string): Promise<'v' | 's' | 'i' | null>;
}

export interface LintOptions {
  /** PostgreSQL major version the rules assume (the server's with `--db`). */
  postgresVersion: number;
  thresholds: LintThresholds;
  live: LiveFacts | null;
  /**
   * Planned statements of a workflow: the engine runs them under lock_timeout with retries and in
   * its own transactions, so the timeout and transaction rules of SQL files do not apply.
   */
  planned: boolean;
}

/** The column a live CHECK constraint proves NOT NULL (`CHECK (col IS NOT NULL)`), if it is one. */
export function notNullCheckColumn(c: Constraint): string | undefined {
  if (c.kind !== 'check') return undefined;
  return /^[(\s]*"?([^"()\s]+)"?\s+IS\s+NOT\s+NULL[)\s]*$/i.exec(c.expression ?? '')?.[1];
}

/** A table a statement names: created by the inputs (empty), found live (with its row estimate), or unknown. */
export type TableState = { kind: 'new' } | { kind: 'live'; table: Table; rows: number } | { kind: 'unknown' };

/** Per file: the explicit transaction block it is in, the tables changed by DDL inside it, the timeouts set. */
export interface FileState {
  inTransaction: boolean;
  ddlInTransaction: Set<string>;
  lockTimeout: boolean;
  statementTimeout: boolean;
  timeoutsReported: boolean;
}

export function newFileState(): FileState {
  return {
    inTransaction: false,
    ddlInTransaction: new Set(),
    lockTimeout: false,
    statementTimeout: false,
    timeoutsReported: false,
  };
}

/** One finding as a rule reports it: the byte offset (in the statement's source) it points at. */
export type Emit = (code: LintCode, message: string, offset?: number) => void;

/** The state of one lint run over all inputs, in order. */
export class LintRun {
  /** Tables created by the file being read (the whole plan, for a workflow). */
  readonly createdHere = new Set<string>();
  /** Tables created by earlier files: applied long ago, perhaps, so only the live schema tells whether they hold rows. */
  readonly createdEarlier = new Set<string>();
  readonly createdIndexes = new Set<string>();
  /** `table.constraint` added by the inputs (a temporary CHECK dropped later loses no guarantee). */
  readonly addedConstraints = new Set<string>();
  /** `table.column` -> type text, as the inputs declared it. */
  readonly types = new Map<string, string>();
  /** table -> the column lists of the indexes the inputs created. */
  readonly indexes = new Map<string, string[][]>();
  /** NOT VALID CHECK (col IS NOT NULL) constraints by name, waiting for VALIDATE. */
  readonly pendingNotNull = new Map<string, string>();
  /** `table.column` with a validated CHECK (col IS NOT NULL). */
  readonly validatedNotNull = new Set<string>();
  readonly notEvaluated = new Map<LintCode, number>();
  readonly findings: RawFinding[] = [];
  statements = 0;

  constructor(readonly options: LintOptions) {}

  get live(): LiveFacts | null {
    return this.options.live;
  }

  get version(): number {
    return this.options.postgresVersion;
  }

  /** Counts a statement a live-schema rule would have read, when there is no connection. */
  skipped(code: LintCode): void {
    this.notEvaluated.set(code, (this.notEvaluated.get(code) ?? 0) + 1);
  }

  /** Starts the next file: what the previous one created is now an earlier migration's. */
  nextFile(): void {
    for (const t of this.createdHere) this.createdEarlier.add(t);
    this.createdHere.clear();
  }

  /**
   * A table created by the migrations being read and not yet live: created earlier in this file,
   * or in an earlier file when the live database (`--db`) does not have it yet.
   */
  isNew(name: string): boolean {
    if (this.createdHere.has(name)) return true;
    return this.createdEarlier.has(name) && this.live !== null && !findTable(this.live.schema, name);
  }

  table(name: string): TableState {
    if (this.isNew(name)) return { kind: 'new' };
    const table = this.live ? findTable(this.live.schema, name) : undefined;
    return table ? { kind: 'live', table, rows: table.rowEstimate } : { kind: 'unknown' };
  }

  /** True when locking the table can stall nobody: created by the inputs, or live and empty. */
  harmless(name: string): boolean {
    const t = this.table(name);
    return t.kind === 'new' || (t.kind === 'live' && t.rows === 0);
  }

  /** The declared type of a column: from the inputs, else the live schema. */
  columnType(table: string, column: string): string | undefined {
    const declared = this.types.get(`${table}.${column}`);
    if (declared !== undefined) return declared;
    const t = this.table(table);
    return t.kind === 'live' ? findColumn(t.table, column)?.type : undefined;
  }

  /** " (about N rows)" when the live row estimate is known. */
  rowsNote(table: string): string {
    const t = this.table(table);
    return t.kind === 'live' ? ` (about ${t.rows.toLocaleString('en-US')} rows)` : '';
  }
}

/** A statement with what rules need to report on it. */
export interface StatementContext {
  run: LintRun;
  file: FileState;
  stmt: ParsedStatement;
  emit: Emit;
}

/**
 * DF715: a statement that rewrites or scans `table` (`what` says which, e.g. "rewrites", "scans")
 * while holding `lock`: reported when the live row estimate reaches the threshold, with the
 * estimated duration; counted as not evaluated without a connection.
 */
export function heavy(ctx: StatementContext, table: string, what: string, lock: string, offset?: number): void {
  const { run } = ctx;
  if (run.isNew(table)) return;
  if (!run.live) return run.skipped('DF715');
  const t = run.table(table);
  if (t.kind !== 'live' || t.rows < run.options.thresholds.largeTableRows) return;
  const seconds = t.rows / run.options.thresholds.rowsPerSecond;
  ctx.emit(
    'DF715',
    `"${table}" has about ${t.rows.toLocaleString('en-US')} rows: the statement ${what} it under ${lock}, ${aboutDuration(seconds)} at ${run.options.thresholds.rowsPerSecond.toLocaleString('en-US')} rows/s`,
    offset,
  );
}
