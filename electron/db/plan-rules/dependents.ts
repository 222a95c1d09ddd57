/**
 * Plan rules of the dependents family (DF4xx): what else reads an object a change drops or
 * changes. The dialect finds the dependents (PostgreSQL from the catalog's view dependencies,
 * SQLite from the text of its views and triggers); the rules say it.
 */
import type { Constraint, Schema } from '../../../shared/schema.ts';
import { tablesReferencing } from '../../../shared/schema-names.ts';
import type { PlanBuilder } from '../plan-builder.ts';

/**
 * DF401: views or triggers (`users`, as `view "v"` / `trigger "t"`) read what `action` ("drop
 * column "email"", "drop table "users"", "change the type of "age"") touches. False after the error.
 */
export function noReaders(b: PlanBuilder, field: string, action: string, users: readonly string[]): boolean {
  if (users.length === 0) return true;
  const many = users.length > 1;
  b.error(
    'DF401',
    field,
    `cannot ${action}: ${users.join(', ')} use${many ? '' : 's'} it; drop or change ${many ? 'them' : 'it'} first`,
  );
  return false;
}

/** DF402: foreign keys (of tables `fks[].table`) reference what `action` drops. False after the errors. */
export function noReferences(
  b: PlanBuilder,
  field: string,
  action: string,
  fks: readonly { table: string; constraint: Constraint }[],
): boolean {
  for (const fk of fks)
    b.error(
      'DF402',
      field,
      `cannot ${action}: foreign key "${fk.constraint.name}" of table "${fk.table}" references it; drop that foreign key first`,
    );
  return fks.length === 0;
}

/**
 * Foreign keys of any table that reference `table`; with `column`, only those that read it (a
 * table's own foreign key over the column goes with the column and does not count).
 */
export function referencesTo(
  schema: Schema,
  table: string,
  column?: string,
): { table: string; constraint: Constraint }[] {
  return tablesReferencing(schema, table).flatMap((o) =>
    o.constraints
      .filter(
        (k) =>
          k.kind === 'foreign_key' &&
          k.references?.table === table &&
          (column === undefined ||
            (k.references.columns.includes(column) && !(o.name === table && k.columns.includes(column)))),
      )
      .map((constraint) => ({ table: o.name, constraint })),
  );
}
