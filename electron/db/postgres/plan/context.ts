/**
 * The PostgreSQL plan builder: what every operation planner shares beyond the steps and problems
 * (plan-builder.ts): lookups that report what is missing, the server version, default checking
 * compiled on the scratch table, the model of the schema after, and the step sequences several
 * operations use (NOT NULL the cheap way, unique index then constraint).
 */
import { formatColumnType, parseColumnType, type ColumnType } from '../../../../shared/column-type.ts';
import type {
  OperationParams,
  SchemaModificationParams,
  SchemaOperationName,
} from '../../../../shared/nodes/schema-modification.ts';
import { chooseConstraintName } from '../../../../shared/schema-apply.ts';
import { findTable, type Schema } from '../../../../shared/schema.ts';
import { stringifyJson } from '../../../../shared/json-text.ts';
import { PlanBuilder } from '../../plan-builder.ts';
import type { RuleFeed } from '../../plan-rules/feed.ts';
import { defaultMismatch, oneExpression } from '../../plan-rules/values.ts';
import type { Driver } from '../../driver.ts';
import { canonicalDefault } from '../canonical.ts';
import { literalMismatch, modelLiteral } from './values.ts';
import { literal, quoteIdent as qi, renderType } from '../render.ts';
import { onScratch, SCRATCH, scratchDefault } from './scratch.ts';

/**
 * PostgreSQL compares quoted names exactly; tables, views, indexes and constraints share the
 * namespace checked. Every table has the system columns tableoid, xmin, cmin, xmax, cmax and ctid,
 * and before PostgreSQL 12 oid too (12 made oid an ordinary column name).
 */
export function pgRules(version: number): RuleFeed {
  const system = ['tableoid', 'xmin', 'cmin', 'xmax', 'cmax', 'ctid', ...(version < 120000 ? ['oid'] : [])];
  return {
    sameName: (a, b) => a === b,
    namespace: ['table', 'view', 'index', 'constraint'],
    // A table or index named like a system catalog's relation (pg_class...) would be hidden by it:
    // pg_catalog comes first in every search_path, so the product's own ALTER and DROP would reach
    // the catalog's, not the user's.
    reserved: /^pg_/i,
    systemColumns: { names: system, why: 'every PostgreSQL table has a system column of that name' },
  };
}

/** A default ready to embed: `sql` for the statement, `model` for the schema after. */
export interface Default {
  sql: string;
  model: string | null;
  /** Evaluated once and stored (no table rewrite on ADD COLUMN). */
  constant: boolean;
  isNull: boolean;
}

/** A correction of the model's schema after, with the text PostgreSQL will store. */
export type Patch = (after: Schema) => void;

export class PgPlan<P extends SchemaModificationParams = SchemaModificationParams> extends PlanBuilder<P> {
  readonly patches: Patch[] = [];
  /** Params as the model should apply them (names chosen by the planner, the columns a CHECK reads). */
  model: P;

  constructor(
    p: P,
    schema: Schema,
    driver: Driver,
    /** server_version_num */
    readonly version: number,
    /** Lock wait allowed to a data probe or a scratch compile. */
    readonly lockMs: number,
    probeData: boolean,
  ) {
    super(p, schema, driver, probeData, pgRules(version));
    this.model = { ...p };
  }

  get t(): string {
    return qi(this.p.table);
  }

  type(text: string, field: string, label = ''): ColumnType | undefined {
    const parsed = parseColumnType(text);
    if (!parsed.ok) this.error('DF201', field, `${label}${parsed.error}`);
    return parsed.ok ? parsed.type : undefined;
  }

  /** Checks SQL text a user wrote; returns it parenthesised for embedding, or undefined. */
  expression(text: string | undefined, field: string): string | undefined {
    if (text === undefined) return undefined;
    const problem = oneExpression(text, field);
    if (problem) this.report(problem);
    return problem ? undefined : `(${text.trim()})`;
  }

  viewsReading(entry: string): string[] {
    return this.schema.views.filter((v) => v.dependsOn.includes(entry)).map((v) => v.name);
  }

  /**
   * A default value: literal checked against the type family, or `{sql}` checked as one
   * expression; then compiled by PostgreSQL on a scratch column of the type (catches a bad
   * cast or value, tells whether it is stored as a constant, gives the text it will store).
   */
  async resolveDefault(
    value: SchemaModificationParams['default_value'],
    type: ColumnType,
    field: string,
    label = '',
  ): Promise<Default | undefined> {
    if (value === undefined) return undefined;
    if (value === null) return { sql: 'NULL', model: null, constant: true, isNull: true };
    let sql: string;
    if (typeof value === 'object') {
      const expr = this.expression(value.sql, field);
      if (!expr) return undefined;
      sql = expr;
    } else {
      const expected = literalMismatch(value, type);
      if (expected) {
        this.report(defaultMismatch(field, value, type, expected, label));
        return undefined;
      }
      try {
        sql = literal(value);
      } catch (e) {
        this.error('DF203', field, `${label}${(e as Error).message}`);
        return undefined;
      }
    }
    const canonType = formatColumnType(type);
    const compiled = await onScratch(this.driver, [], this.lockMs, async () => {
      await this.driver.query(`ALTER TABLE ${SCRATCH} ADD COLUMN dataflow_default ${renderType(type)} DEFAULT ${sql}`);
      return scratchDefault(this.driver, 'dataflow_default');
    });
    if (!compiled.ok && compiled.rejected) {
      this.error(
        'DF203',
        field,
        `${label}the default ${typeof value === 'object' ? value.sql : stringifyJson(value)} does not fit ${canonType}: ${compiled.message}`,
      );
      return undefined;
    }
    if (!compiled.ok) {
      this.warn('DF602', field, `${label}the default was checked only lexically (${compiled.message})`);
      return {
        sql,
        model: typeof value === 'object' ? value.sql.trim() : modelLiteral(value),
        constant: typeof value !== 'object',
        isNull: false,
      };
    }
    const { expr, constant } = compiled.value;
    return {
      sql,
      model: canonicalDefault(expr, canonType),
      constant: constant || expr === null,
      isNull: expr === null,
    };
  }

  patchDefault(column: string, d: Default | undefined, table = this.p.table): void {
    if (d)
      this.patches.push((after) => {
        const c = findTable(after, table)?.columns.find((x) => x.name === column);
        if (c) c.default = d.model;
      });
  }

  /**
   * Steps making `columns` NOT NULL the cheap way. With `around` (PostgreSQL 12+ only), those
   * steps run instead of SET NOT NULL, between the validations and the drop of the temporary CHECKs.
   */
  notNullSteps(columns: string[], around?: () => void): void {
    if (this.version < 120000) {
      for (const c of columns) {
        this.add(
          `ALTER TABLE ${this.t} ALTER COLUMN ${qi(c)} SET NOT NULL`,
          `make ${c} NOT NULL (scans the table under an ACCESS EXCLUSIVE lock before PostgreSQL 12)`,
          {
            locking: true,
            reverse: `ALTER TABLE ${this.t} ALTER COLUMN ${qi(c)} DROP NOT NULL`,
          },
        );
      }
      return;
    }
    const names = columns.map((c) => chooseConstraintName(this.schema, this.p.table, 'not_null', [c]));
    columns.forEach((c, i) => {
      const n = qi(names[i]!);
      this.add(
        `ALTER TABLE ${this.t} ADD CONSTRAINT ${n} CHECK (${qi(c)} IS NOT NULL) NOT VALID`,
        `not null on ${c}, step 1: a CHECK that new rows must pass (no scan, brief lock)`,
        {
          locking: true,
          reverse: `ALTER TABLE ${this.t} DROP CONSTRAINT ${n}`,
          commitAfter: true,
        },
      );
      this.add(
        `ALTER TABLE ${this.t} VALIDATE CONSTRAINT ${n}`,
        `not null on ${c}, step 2: check existing rows (SHARE UPDATE EXCLUSIVE: reads and writes continue)`,
        { commitAfter: true },
      );
    });
    if (around) around();
    else {
      for (const c of columns) {
        this.add(
          `ALTER TABLE ${this.t} ALTER COLUMN ${qi(c)} SET NOT NULL`,
          `not null on ${c}, step 3: SET NOT NULL (the valid CHECK spares the scan)`,
          {
            locking: true,
            reverse: `ALTER TABLE ${this.t} ALTER COLUMN ${qi(c)} DROP NOT NULL`,
          },
        );
      }
    }
    columns.forEach((c, i) => {
      this.add(
        `ALTER TABLE ${this.t} DROP CONSTRAINT ${qi(names[i]!)}`,
        `not null on ${c}, last step: drop the temporary CHECK`,
        { locking: true },
      );
    });
  }

  /**
   * A unique index built first (under SHARE, or CONCURRENTLY without blocking writes), then
   * attached as the constraint (a brief ACCESS EXCLUSIVE lock, no scan).
   */
  keySteps(kind: 'unique' | 'primary_key', cols: string[], name: string, concurrently: boolean): void {
    const n = qi(name);
    const list = cols.map(qi).join(', ');
    this.add(
      `CREATE UNIQUE INDEX${concurrently ? ' CONCURRENTLY' : ''} ${n} ON ${this.t} (${list})`,
      concurrently
        ? `build the unique index for ${name} without blocking writes (cannot run in a transaction; if it fails, drop the INVALID index ${name})`
        : `build the unique index for ${name} (SHARE lock: reads continue, writes wait)`,
      concurrently
        ? { transactional: false, reverse: `DROP INDEX CONCURRENTLY IF EXISTS ${n}` }
        : { locking: true, reverse: `DROP INDEX IF EXISTS ${n}` },
    );
    this.add(
      `ALTER TABLE ${this.t} ADD CONSTRAINT ${n} ${kind === 'unique' ? 'UNIQUE' : 'PRIMARY KEY'} USING INDEX ${n}`,
      `attach the index as ${kind === 'unique' ? 'UNIQUE' : 'PRIMARY KEY'} constraint ${name} (no scan)`,
      {
        locking: true,
        reverse: `ALTER TABLE ${this.t} DROP CONSTRAINT ${n}`,
      },
    );
  }
}

/** The builder of operation `O`, its params typed by the operation. */
export type OperationPlan<O extends SchemaOperationName> = PgPlan<OperationParams<O>>;
