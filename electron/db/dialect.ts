/**
 * One dialect = driver + planner (`<dialect>/plan/`) + introspect + capability flags + the
 * migration lock (Kysely's Dialect and DialectAdapter). Every SQL statement the product runs
 * against a user database is built in electron/db/, a schema change by its dialect's planner;
 * nothing else concatenates SQL. Dialect differences are members of this interface, implemented
 * in electron/db/<dialect>/, never `if (dialect.name === ...)` elsewhere.
 */
import type { ColumnType } from '../../shared/column-type.ts';
import type { LintThresholds } from '../../shared/lint/config.ts';
import type { LintResult, PlannedNode } from '../../shared/lint/finding.ts';
import type { Schema, DialectName } from '../../shared/schema.ts';
import type { SchemaModificationParams } from '../../shared/nodes/schema-modification.ts';
import type { Driver } from './driver.ts';
import type { TimingRuns } from './query-timing.ts';
import type { Database } from './connect.ts';
import type { LockHolder, LockOwner, MigrationLock } from './migration-lock.ts';
import type { MigrationReader } from './migration-reader.ts';
import type { PlanProblem } from './plan-problem.ts';

export interface Capabilities {
  /** DDL can be rolled back inside a transaction. */
  supportsTransactionalDdl: boolean;
  /** ALTER COLUMN SET/DROP NOT NULL without a rebuild. */
  canAlterNotNull: boolean;
  /** ALTER COLUMN TYPE / SET DEFAULT / ADD CONSTRAINT UNIQUE|FK|PK without a rebuild. */
  canAlterInPlace: boolean;
  /** CREATE INDEX CONCURRENTLY. */
  supportsConcurrentIndex: boolean;
  /** ADD CONSTRAINT ... NOT VALID + VALIDATE CONSTRAINT. */
  supportsNotValid: boolean;
  /** Array column types. */
  supportsArrays: boolean;
}

/** One statement of a plan: what the SQL preview shows and what the executor runs. */
export interface Step {
  sql: string;
  /** Why this step exists, shown as an SQL comment in the preview. */
  comment: string;
  /** False for statements that cannot run inside a transaction (CREATE INDEX CONCURRENTLY). */
  transactional: boolean;
  /** The statement that undoes this one, where one exists. */
  reverse?: string;
  /** True when the step loses data or structure (drops); apply asks for confirmation. */
  destructive?: boolean;
  /** True for DDL that takes a strong lock; PostgreSQL runs it under lock_timeout with retries. */
  locking?: boolean;
  /**
   * The transaction ends after this step when the node's steps run on their own (apply, outside a
   * transaction scope): the steps up to here commit, so the strong lock this step took is released
   * before the next step, which would otherwise hold it through a long scan (PostgreSQL's
   * `ADD CONSTRAINT ... NOT VALID`, then `VALIDATE CONSTRAINT`). When a later step fails, the
   * committed steps are undone with their `reverse`, newest first. In rehearse and inside a
   * transaction scope all steps share the one transaction.
   */
  commitAfter?: boolean;
  /**
   * True for the product's own bookkeeping (migration records, backfill checkpoints): shown and
   * run like any step, but not counted in the node's rows affected.
   */
  bookkeeping?: boolean;
}

export interface Plan {
  steps: Step[];
  problems: PlanProblem[];
  /** The schema as it will be once the steps ran (plan mode carries it to the next node). */
  after: Schema;
  /**
   * Set when the change is in the schema already, exactly as the operation would make it
   * (electron/db/reapply.ts): what is there, for the node's `already applied` note. The plan then
   * has no steps and `after` is the schema as it is.
   */
  alreadyApplied?: string;
}

/** Options of `Dialect.planSchemaChange`. */
export interface SchemaPlanOptions {
  /**
   * Run the plan-time data checks (default true). False skips only the checks that the planned
   * statements themselves enforce atomically: duplicates before a UNIQUE index, key or rebuild,
   * rows without a parent before a foreign key's validation or a rebuild's foreign_key_check, NULLs
   * before SET NOT NULL. If the data breaks the constraint, the statement fails and its
   * transaction rolls back. The SchemaModificationNode sets it false only in the rehearse or apply
   * pass that follows a preflight plan, which ran the checks moments before; plan mode always checks.
   */
  probeData?: boolean;
  /**
   * What the workflow's later nodes do after this one, in the order they run (the engine passes
   * them): the already-applied check of an add_column (electron/db/reapply.ts) compares a column
   * that is there with the one this node adds as those nodes then change it. The zero-downtime
   * pattern adds a column NULL, backfills it and makes it NOT NULL: run again, its first node
   * finds the column NOT NULL, which is what the workflow leaves.
   */
  later?: readonly LaterChange[];
}

/** A SchemaModificationNode that runs after the one being planned: its id and its params (none of them a reference). */
export interface LaterChange {
  node: string;
  params: SchemaModificationParams;
}

/**
 * True for a database error that says the data breaks a constraint (PostgreSQL SQLSTATE class 23,
 * SQLite SQLITE_CONSTRAINT and its extended codes), as opposed to a malformed statement or a lock.
 */
export function isConstraintViolation(code: string | undefined): boolean {
  return code !== undefined && (/^23[0-9A-Z]{3}$/.test(code) || code.startsWith('SQLITE_CONSTRAINT'));
}

/**
 * True for a database error that says a lock was not granted in time (PostgreSQL SQLSTATE 55P03
 * under lock_timeout, SQLite SQLITE_BUSY / SQLITE_LOCKED and their extended codes).
 */
export function isLockUnavailable(code: string | undefined): boolean {
  return code !== undefined && (code === '55P03' || /^SQLITE_(BUSY|LOCKED)/.test(code));
}

/** What a dialect's metrics.ts reads for the MonitoringNode. */
export interface MetricsReader {
  tableSize(
    db: Database,
    table: string,
  ): Promise<{
    totalBytes: number | null;
    tableBytes: number | null;
    indexBytes: number | null;
    estimated: boolean;
  } | null>;
  rowCount(db: Database, table: string): Promise<number>;
  indexUsage(db: Database, table: string): Promise<{ name: string; sizeBytes: number | null; scans: number | null }[]>;
  /** Times a read-only query as `runs` says: each time in ms, and the query plan. */
  timeQuery(db: Database, sql: string, runs: TimingRuns): Promise<{ timesMs: number[]; plan: unknown }>;
  /** Why a metric has no value on this dialect: index scans it does not count, sizes it only estimates. */
  unavailable: { scans?: string; sizes?: string };
  /**
   * The most expensive statements the database tracked, most expensive first, at most `limit`:
   * read-only SELECTs on user tables that run as they are (no parameters). PostgreSQL:
   * pg_stat_statements by total execution time, when the extension is installed in the database.
   * `unavailable` says why there are none to read (SQLite tracks no statements). Reads only.
   */
  expensiveStatements(
    db: Database,
    limit: number,
  ): Promise<{ source: string; statements: string[] } | { unavailable: string }>;
}

/** Column types of the product's own tracking tables (`dataflow_migrations`, its events, the lock row). */
export interface BookkeepingTypes {
  text: string;
  bool: string;
  time: string;
  int: string;
  /** A generated integer primary key. */
  serial: string;
}

/** The outcome of a check of user SQL text. */
export type ExpressionCheck = { ok: true } | { ok: false; error: string };

/**
 * SQLite's WAL checkpoints of the connection: `read*` are read-only queries (one row
 * `journal_mode`; one row `wal_autocheckpoint`, the threshold of `PRAGMA wal_autocheckpoint`; one
 * row `log` and `checkpointed`, the WAL's frames and those of them copied into the database file),
 * `set` the step that changes the threshold (0: no commit checkpoints), `checkpoint` the step that
 * copies the WAL into the database file now. Checkpoints decide when committed pages reach the
 * database file, not whether a commit is durable.
 */
export interface WalCheckpointing {
  readJournalMode: string;
  readThreshold: string;
  readPending: string;
  set(pages: number, why: string): Step;
  checkpoint(why: string): Step;
}

/** The limits of one data batch, in ms. */
export interface BatchLimitValues {
  /** How long a statement of the batch may wait for a lock (a row another session locked). */
  lockTimeoutMs: number;
  /** How long one statement of the batch may run, lock waits included. */
  statementTimeoutMs: number;
}

/**
 * How a data batch (DataBackfillNode, DataMigrationNode) is kept short when another session holds
 * locks it needs: the batch's transaction runs under a lock wait limit and a statement time limit,
 * and a batch that hits one is rolled back and retried (checkpointed-walk.ts). Without such limits
 * a batch waiting on one locked row keeps the locks of the rows it already wrote, and their writers
 * wait as long as it does. PostgreSQL only (postgres/batch-limits.ts); SQLite has one writer at a time.
 */
export interface BatchLimits {
  /** The limits a batch runs under, derived from the batch target duration. */
  readonly limits: BatchLimitValues;
  /** Retries of a batch that hit a limit, before the node fails (the batches before stay committed). */
  readonly retries: number;
  /** The wait before the first retry, doubling for each further one. */
  readonly backoffMs: number;
  /** Query: one row `{lock_timeout, statement_timeout}`, the connection's settings now. */
  readonly readSettings: string;
  /** The step setting both limits until the end of the current transaction (or until `restore`). */
  set(limits: BatchLimitValues): Step;
  /** The step putting back the settings `readSettings` read, inside the same transaction. */
  restore(settings: Record<string, unknown>): Step;
  /** Which limit the error code says was hit: `lock`, `statement`, or null for any other error. */
  limitHit(code: string | undefined): 'lock' | 'statement' | null;
  /**
   * Query: the other sessions holding locks on `table`, one row each
   * `{session, application, state, seconds, query}`, longest-running first.
   */
  lockHoldersSql(table: string): string;
}

/** How the migration lock is taken (`Dialect.acquireMigrationLock`; defaults applied by migration-lock.ts). */
export interface MigrationLockOptions {
  /** How long to wait for another run's lock, in ms. */
  waitMs: number;
  /** Release drops `dataflow_migration_lock` again when this acquisition created it and it is unused. */
  dropCreatedTable: boolean;
}

/** What a schema read can take from an earlier one (Dialect.introspect). */
export interface SchemaRefresh {
  /** The schema read before. */
  schema: Schema;
  /** The tables written since, by name (a name no longer there was dropped or renamed). */
  tables: Iterable<string>;
}

/** How a schema read reads (Dialect.introspect). */
export interface SchemaReadOptions {
  /**
   * Read each table's details (columns, indexes, constraints, row estimate) on first use, where
   * the dialect can (SQLite): for a schema read only, on a connection left open and unchanged
   * while the schema is in use (a plan). See shared/deferred-tables.ts.
   */
  deferDetails?: boolean;
}

export interface Dialect {
  readonly name: DialectName;
  readonly capabilities: Capabilities;
  quoteIdent(name: string): string;
  /** A value rendered as an SQL literal of this dialect (strings escaped, booleans per dialect). */
  literal(value: string | number | boolean | null): string;
  /** A parsed column type in this dialect's spelling; throws for types it cannot hold (arrays on SQLite). */
  renderType(type: ColumnType): string;
  /**
   * `expr` as the product writes it into a column of declared type `declared` (null: unknown):
   * SQLite rounds a REAL to a decimal(p,s) column's scale, as PostgreSQL's numeric does itself.
   * `row` is SQL naming a column of the row the value is computed for (`"t"."id"`), so that
   * `expr` is computed for each row even where it names none of the row's columns.
   */
  assignedValue(expr: string, declared: string | null, row: string): string;
  /** Positional parameter placeholder, 1-based. */
  placeholder(index: number): string;
  /**
   * A query returning one row `{name}` for each of `names` that is a table of the connection's
   * current schema (the product's own tables: created on first use, looked up before reading).
   */
  existingTablesSql(names: readonly string[]): { sql: string; params: string[] };
  /** SQL to open a transaction (`BEGIN IMMEDIATE` on SQLite), with an isolation level where supported. */
  beginSql(isolation?: string): string;
  /**
   * The connection's schema. With `refresh`, only the tables it names (changed since
   * `refresh.schema` was read), tables that appeared since, the views and the triggers are read
   * again; every other table is `refresh.schema`'s, the same object. `options.deferDetails` is
   * for a read without `refresh`; a dialect that cannot defer reads every table whole.
   */
  introspect(driver: Driver, refresh?: SchemaRefresh, options?: SchemaReadOptions): Promise<Schema>;
  /** Sizes, counts, index usage and query timings (MonitoringNode). */
  readonly metrics: MetricsReader;
  /**
   * Turns one SchemaModificationNode operation into steps, from the schema given (live or, in
   * plan mode, the simulated result of earlier nodes). `driver` is used read-only, for the
   * plan-time data checks (rows present, duplicates, NULLs); `options.probeData` false skips the
   * checks the statements enforce themselves (see SchemaPlanOptions).
   */
  planSchemaChange(
    params: SchemaModificationParams,
    schema: Schema,
    driver: Driver,
    options?: SchemaPlanOptions,
  ): Promise<Plan>;
  /**
   * Runs one step on the driver. PostgreSQL runs `locking` steps under lock_timeout with bounded
   * retries (savepoint-protected inside a transaction). Returns rows affected.
   */
  executeStep(driver: Driver, step: Step): Promise<number>;
  /** Column types of the migration tracking tables and the lock row. */
  readonly bookkeepingTypes: BookkeepingTypes;
  /** SQL value naming the connection's session in the lock row (PostgreSQL's `pg_backend_pid()`), or `NULL`. */
  readonly sessionIdSql: string;
  /**
   * Takes the migration lock for a run on `db`'s connection, waiting up to `options.waitMs` for
   * another run, then failing with MigrationLockError naming the holder. Reached through
   * `acquireMigrationLock` (migration-lock.ts), which refuses a connection inside a transaction.
   * PostgreSQL: a session advisory lock plus a row naming the holder (postgres/migration-lock.ts);
   * SQLite: a lock row with heartbeat and expiry, under a short busy timeout (sqlite/migration-lock.ts).
   */
  acquireMigrationLock(db: Database, owner: LockOwner, options: MigrationLockOptions): Promise<MigrationLock>;
  /**
   * True when the run that `holder` (the lock row) describes still holds the migration lock:
   * PostgreSQL asks pg_locks for its session, SQLite checks expiry and whether its process lives.
   */
  holdsMigrationLock(reader: MigrationReader, holder: LockHolder): Promise<boolean>;
  /**
   * A batch key `expr` projected as `<prefix>_text` and `<prefix>_kind` (see data-sql.ts KeyValue),
   * so that `keyLiteral` writes it back exactly.
   */
  keyProjection(expr: string, prefix: string): string;
  /** Whether min()/max() apply to a key of the declared `type` (lower case), in ORDER BY's order. */
  keyHasMinMax(type: string): boolean;
  /** The limits and retries of data batches meeting other sessions' locks (PostgreSQL); null where there are none. */
  readonly batchLimits: BatchLimits | null;
  /** The connection's WAL checkpoint threshold, where the database has one (SQLite); null otherwise. */
  readonly walCheckpointing: WalCheckpointing | null;
  /**
   * The dialect's own check of a user's expression (a backfill `calculation`, a `where`), after
   * the shared lexer check of electron/db/expression-check.ts accepted it.
   */
  checkExpression(text: string): Promise<ExpressionCheck>;
  /** The dialect's own check of a read-only query (monitoring `queries`), after the shared lexer check. */
  checkReadOnlyQuery(text: string): Promise<ExpressionCheck>;
  /**
   * The safety review (docs/lint.md) of the statements a workflow's schema changes would run,
   * against the live schema (`schema`, introspected before the run): PostgreSQL parses each
   * statement (postgres/lint/), SQLite reads its table rebuilds (sqlite/lint.ts). Findings name
   * the node and the index of the statement; `notes` say what the engine adds (lock timeouts).
   */
  lintPlan(
    nodes: readonly PlannedNode[],
    driver: Driver,
    schema: Schema,
    thresholds: LintThresholds,
  ): Promise<LintResult>;
}
