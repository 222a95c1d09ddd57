/**
 * One dialect = driver + sqlgen (planner) + introspect + capability flags (Kysely's Dialect).
 * Every SQL statement the product runs against a user database is built by a dialect's sqlgen;
 * nothing else concatenates SQL. Dialect differences are expressed here as capabilities, not as
 * `if (dialect === ...)` elsewhere.
 */
import type { ColumnType } from '../../shared/column-type.ts';
import type { Schema, DialectName } from '../../shared/schema.ts';
import type { SchemaModificationParams } from '../../shared/nodes/schema-modification.ts';
import type { Driver } from './driver.ts';

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
  /** Session advisory locks (otherwise a lock row in dataflow_migration_lock). */
  supportsAdvisoryLock: boolean;
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
   * True for the product's own bookkeeping (migration records, backfill checkpoints): shown and
   * run like any step, but not counted in the node's rows affected.
   */
  bookkeeping?: boolean;
}

/** A reason the change cannot succeed (error) or deserves attention (warning), found at plan time. */
export interface PlanProblem {
  severity: 'error' | 'warning';
  /** The param at fault. */
  field?: string;
  message: string;
}

export interface Plan {
  steps: Step[];
  problems: PlanProblem[];
  /** The schema as it will be once the steps ran (plan mode carries it to the next node). */
  after: Schema;
}

export interface Dialect {
  readonly name: DialectName;
  readonly capabilities: Capabilities;
  quoteIdent(name: string): string;
  /** A value rendered as an SQL literal of this dialect (strings escaped, booleans per dialect). */
  literal(value: string | number | boolean | null): string;
  /** A parsed column type in this dialect's spelling; throws for types it cannot hold (arrays on SQLite). */
  renderType(type: ColumnType): string;
  /** Positional parameter placeholder, 1-based. */
  placeholder(index: number): string;
  /** SQL to open a transaction (`BEGIN IMMEDIATE` on SQLite), with an isolation level where supported. */
  beginSql(isolation?: string): string;
  introspect(driver: Driver): Promise<Schema>;
  /**
   * Turns one SchemaModificationNode operation into steps, from the schema given (live or, in
   * plan mode, the simulated result of earlier nodes). `driver` is used read-only, for the
   * plan-time data checks (rows present, duplicates, NULLs).
   */
  planSchemaChange(params: SchemaModificationParams, schema: Schema, driver: Driver): Promise<Plan>;
  /**
   * Runs one step on the driver. PostgreSQL runs `locking` steps under lock_timeout with bounded
   * retries (savepoint-protected inside a transaction). Returns rows affected.
   */
  executeStep(driver: Driver, step: Step): Promise<number>;
}
