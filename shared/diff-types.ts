/**
 * The schema diff as plain data (Atlas's `Change` union): what changed between two neutral
 * schema models. Produced by `diffSchemas` (shared/diff.ts), part of every apply/rehearse result.
 */
import type { Column, Constraint, Index, Table, Trigger, View } from './schema.ts';

/** What can change about a column (`identity`: whether the database numbers it). */
export type ColumnField = 'type' | 'nullable' | 'default' | 'primaryKey' | 'identity';

export type Change =
  | { kind: 'table_added'; table: string; after: Table }
  | { kind: 'table_dropped'; table: string; before: Table }
  | { kind: 'column_added'; table: string; column: string; after: Column }
  | { kind: 'column_dropped'; table: string; column: string; before: Column }
  | {
      kind: 'column_changed';
      table: string;
      column: string;
      before: Column;
      after: Column;
      fields: ColumnField[];
    }
  | { kind: 'index_added'; table: string; index: string; after: Index }
  | { kind: 'index_dropped'; table: string; index: string; before: Index }
  | { kind: 'index_changed'; table: string; index: string; before: Index; after: Index }
  | { kind: 'constraint_added'; table: string; constraint: string; after: Constraint }
  | { kind: 'constraint_dropped'; table: string; constraint: string; before: Constraint }
  | { kind: 'constraint_changed'; table: string; constraint: string; before: Constraint; after: Constraint }
  | { kind: 'view_added'; view: string; after: View }
  | { kind: 'view_dropped'; view: string; before: View }
  | { kind: 'view_changed'; view: string; before: View; after: View }
  | { kind: 'trigger_added'; table: string; trigger: string; after: Trigger }
  | { kind: 'trigger_dropped'; table: string; trigger: string; before: Trigger }
  | { kind: 'trigger_changed'; table: string; trigger: string; before: Trigger; after: Trigger };

/** Before/after DDL of one changed table (null where the table did not exist). */
export interface TableDdl {
  table: string;
  before: string | null;
  after: string | null;
}

export interface SchemaDiff {
  changes: Change[];
  tables: TableDdl[];
}
