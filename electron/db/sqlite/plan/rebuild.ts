/**
 * The table rebuild of sqlite.org/lang_altertable.html ("making other kinds of table schema
 * changes"), for every change ALTER TABLE cannot make: create new_X with the new definition,
 * copy every row, drop X, rename new_X to X, recreate X's indexes and triggers and the views and
 * triggers that read X, then PRAGMA foreign_key_check.
 *
 * Every step is transactional: the executor runs them in one transaction, so a failure leaves X
 * as it was. Foreign keys need no PRAGMA toggling: the driver keeps `foreign_keys` OFF on its
 * connection (see driver.ts), which is what lets X be dropped and renamed under the tables that
 * reference it; the foreign_key_check steps verify the result instead.
 */
import type { Index, Schema, Table, Trigger, View } from '../../../../shared/schema.ts';
import { tablesHoldingName, tablesReferencingAnyCase } from '../../../../shared/schema-names.ts';
import type { Step } from '../../dialect.ts';
import {
  automaticIndexes,
  literal,
  quoteIdent,
  renderCreateIndex,
  renderCreateTable,
  rowidAlias,
  type TableExtras,
} from '../render.ts';
import { referencedNames } from '../tokens.ts';

export interface RebuildInput {
  schema: Schema;
  /** X as it is. */
  before: Table;
  /** X as it will be (same name); column types already in SQLite's declared spelling. */
  after: Table;
  extras: TableExtras;
  /**
   * SQL over X's row giving each column of `after` its value; a column without an entry is left
   * to its default (a column added by this change).
   */
  sources: ReadonlyMap<string, string>;
  /** Why the table is rebuilt, for the step comments. */
  reason: string;
  /** Marks the DROP of the old table destructive (the change loses a column or a constraint). */
  destructive: boolean;
}

export interface Rebuild {
  steps: Step[];
  /** X after the rebuild as introspection will report it. */
  table: Table;
}

const ROWID_NAMES = ['rowid', 'oid', '_rowid_'];

/** Views that read `table`, directly or through other views, in their original order. */
export function dependentViews(schema: Schema, table: string): View[] {
  const names = new Set([table.toLowerCase()]);
  const out: View[] = [];
  for (let grew = true; grew;) {
    grew = false;
    for (const v of schema.views) {
      if (out.includes(v)) continue;
      if (v.dependsOn.some((d) => names.has(d.toLowerCase()))) {
        out.push(v);
        names.add(v.name.toLowerCase());
        grew = true;
      }
    }
  }
  return schema.views.filter((v) => out.includes(v));
}

/** Triggers on other tables (not on `table`, not on `views`) whose body names `table` or one of `views`. */
export function dependentTriggers(schema: Schema, table: string, views: readonly View[]): Trigger[] {
  const names = [table, ...views.map((v) => v.name)];
  const owners = new Set(names.map((n) => n.toLowerCase()));
  return schema.triggers.filter((t) => !owners.has(t.table.toLowerCase()) && referencedNames(t.sql, names).length > 0);
}

/** A table name not used by any table, view or index of the schema. */
function freeName(schema: Schema, base: string): string {
  const used = (name: string) => {
    const key = name.toLowerCase();
    const same = (n: string) => n.toLowerCase() === key;
    return (
      tablesHoldingName(schema, name).some((t) => same(t.name) || t.indexes.some((i) => same(i.name))) ||
      schema.views.some((v) => same(v.name))
    );
  };
  let name = base;
  for (let n = 2; used(name); n++) name = `${base}_${n}`;
  return name;
}

/** The steps that rebuild `input.before` as `input.after`, and the table as introspection will read it afterwards. */
export function rebuildSteps(input: RebuildInput): Rebuild {
  const { schema, before, after, extras, sources, reason } = input;
  const x = before.name;
  const q = quoteIdent;
  const tmp = freeName(schema, `new_${x}`);
  const views = dependentViews(schema, x);
  const viewNames = new Set(views.map((v) => v.name.toLowerCase()));
  const others = dependentTriggers(schema, x, views);
  const onViews = schema.triggers.filter((t) => viewNames.has(t.table.toLowerCase()));
  const own = schema.triggers.filter((t) => t.table.toLowerCase() === x.toLowerCase());
  const step = (sql: string, comment: string, more: Partial<Step> = {}): Step => ({
    sql,
    comment,
    transactional: true,
    ...more,
  });
  const steps: Step[] = [];

  for (const t of others)
    steps.push(
      step(
        `DROP TRIGGER ${q(t.name)}`,
        `rebuild of "${x}": drop trigger "${t.name}" (it names "${x}"), recreated below`,
      ),
    );
  for (const v of views)
    steps.push(
      step(
        `DROP VIEW ${q(v.name)}`,
        `rebuild of "${x}": drop view "${v.name}" (it reads "${x}"), recreated below with its triggers`,
      ),
    );

  steps.push(step(renderCreateTable(after, tmp, extras), `rebuild of "${x}" (${reason}): the new definition`));
  const copied = after.columns.filter((c) => sources.has(c.name) && !extras.generated.has(c.name));
  const targets = copied.map((c) => q(c.name));
  const values = copied.map((c) => sources.get(c.name) as string);
  const anyRowidName = [...before.columns, ...after.columns].some((c) => ROWID_NAMES.includes(c.name.toLowerCase()));
  if (!extras.withoutRowid && rowidAlias(after, extras) === null && !anyRowidName) {
    targets.unshift('rowid');
    values.unshift('rowid');
  }
  steps.push(
    step(
      `INSERT INTO ${q(tmp)} (${targets.join(', ')}) SELECT ${values.join(', ')} FROM ${q(x)}`,
      `rebuild of "${x}": copy every row`,
    ),
  );
  if (extras.autoincrement !== null && rowidAlias(after, extras) === extras.autoincrement) {
    steps.push(
      step(
        `DELETE FROM sqlite_sequence WHERE name = ${literal(tmp)}`,
        `rebuild of "${x}": keep the AUTOINCREMENT counter`,
      ),
    );
    steps.push(
      step(
        `INSERT INTO sqlite_sequence (name, seq) SELECT ${literal(tmp)}, seq FROM sqlite_sequence WHERE name = ${literal(x)}`,
        `rebuild of "${x}": keep the AUTOINCREMENT counter`,
      ),
    );
  }
  steps.push(
    step(`DROP TABLE ${q(x)}`, `rebuild of "${x}": drop the old table`, input.destructive ? { destructive: true } : {}),
  );
  steps.push(step(`ALTER TABLE ${q(tmp)} RENAME TO ${q(x)}`, `rebuild of "${x}": the new table takes the name`));

  const indexes: Index[] = [];
  for (const ix of after.indexes.filter((i) => !i.constraintBacked)) {
    const kept = before.indexes.find((i) => i.name === ix.name && !i.constraintBacked);
    const sql = kept?.sql ?? renderCreateIndex(ix);
    indexes.push({ ...ix, sql });
    steps.push(step(sql, `rebuild of "${x}": recreate index "${ix.name}"`));
  }
  for (const v of views) steps.push(step(v.sql, `rebuild of "${x}": recreate view "${v.name}"`));
  for (const t of [...own, ...onViews, ...others])
    steps.push(step(t.sql, `rebuild of "${x}": recreate trigger "${t.name}"`));

  const children = tablesReferencingAnyCase(schema, x).filter((t) => t.name !== x);
  for (const t of [after, ...children]) {
    steps.push(
      step(
        `PRAGMA foreign_key_check(${q(t.name)})`,
        `rebuild of "${x}": foreign key check of "${t.name}" (must return no rows)`,
      ),
    );
  }
  const table: Table = {
    ...after,
    indexes: [...indexes, ...automaticIndexes(after, extras)].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    ),
    ddl: renderCreateTable(after, x, extras),
  };
  return { steps, table };
}
