/**
 * The reverse of a recorded run's schema changes, state-based like Atlas's `migrate down`: from
 * the schema before the run and the schema after its applied nodes (the run record's snapshots),
 * the SchemaModificationNodes that bring the database back, and what cannot be brought back
 * because the data it needs is gone. Pure: no database. Renames are told from the nodes' own
 * before/after schemas (a node that dropped one table or column and added one of the same
 * definition renamed it), so a renamed column is renamed back, not dropped and added.
 */
import { parseColumnType, type ColumnType } from '../../shared/column-type.ts';
import { diffSchemas } from '../../shared/diff.ts';
import type { Change } from '../../shared/diff-types.ts';
import type { Column, Constraint, Index, Schema, Table } from '../../shared/schema.ts';
import type { WorkflowNode } from '../../shared/workflow.ts';

/** What a rollback cannot bring back: the object, why, and what the user can do. */
export interface MissingData {
  /** The node of the rolled-back run that destroyed it, when the record tells. */
  node: string | null;
  /** `column users.email`, `table legacy_orders`. */
  object: string;
  why: string;
  fix: string;
}

/** A backed-up column the rollback can restore (the prior backup, electron/db/backups.ts). */
export interface RestorableColumn {
  table: string;
  column: string;
  /** Restores the values: the node(s) to run once the column is back with its old type. */
  restore(): WorkflowNode[];
}

/** One node of the rolled-back run as the reverse needs it: its id and its schemas. */
export interface RecordedChange {
  nodeId: string;
  before: Schema;
  after: Schema;
}

/** The reverse nodes, in order, and what they cannot bring back. */
export interface ReverseChanges {
  nodes: WorkflowNode[];
  /** Node ids of reverse nodes that drop what the run added (their DF801/DF802 finding is expected). */
  drops: string[];
  missing: MissingData[];
  /** Tables the run changed, by their names before and after it (a later run touching one depends on it). */
  tables: Set<string>;
}

/** Renames a run made: table now -> table before, and per table (its name before) column now -> column before. */
interface Renames {
  tables: Map<string, string>;
  columns: Map<string, Map<string, string>>;
}

const sameColumn = (a: Column, b: Column) =>
  a.type === b.type && a.nullable === b.nullable && a.default === b.default && a.primaryKey === b.primaryKey;

const sameColumns = (a: Table, b: Table) =>
  a.columns.length === b.columns.length && a.columns.every((c, i) => b.columns[i] && sameColumn(c, b.columns[i]!));

/** Each node's renames, composed in run order. */
function findRenames(nodes: readonly RecordedChange[]): Renames {
  const renames: Renames = { tables: new Map(), columns: new Map() };
  const original = (table: string) => renames.tables.get(table) ?? table;
  for (const n of nodes) {
    const changes = diffSchemas(n.before, n.after).changes;
    const droppedTables = changes.filter((c) => c.kind === 'table_dropped');
    const addedTables = changes.filter((c) => c.kind === 'table_added');
    if (
      droppedTables.length === 1 &&
      addedTables.length === 1 &&
      sameColumns(droppedTables[0]!.before, addedTables[0]!.after)
    ) {
      const [from, to] = [droppedTables[0]!.table, addedTables[0]!.table];
      const orig = original(from);
      renames.tables.delete(from);
      if (orig !== to) renames.tables.set(to, orig);
      const cols = renames.columns.get(orig);
      if (cols) renames.columns.set(orig, cols);
      continue;
    }
    const tables = new Set(changes.map((c) => ('table' in c ? c.table : '')));
    for (const table of tables) {
      const dropped = changes.filter((c) => c.kind === 'column_dropped' && c.table === table);
      const added = changes.filter((c) => c.kind === 'column_added' && c.table === table);
      if (dropped.length !== 1 || added.length !== 1) continue;
      const [d, a] = [dropped[0]!, added[0]!];
      if (
        d.kind !== 'column_dropped' ||
        a.kind !== 'column_added' ||
        !sameColumn(d.before, { ...a.after, name: d.column })
      )
        continue;
      const cols = renames.columns.get(original(table)) ?? new Map<string, string>();
      const orig = cols.get(d.column) ?? d.column;
      cols.delete(d.column);
      if (orig !== a.column) cols.set(a.column, orig);
      renames.columns.set(original(table), cols);
    }
  }
  return renames;
}

/** `after` with the run's renames undone: the schema to compare with `before` for everything else. */
function undoRenames(after: Schema, renames: Renames): Schema {
  const tables = after.tables.map((t): Table => {
    const name = renames.tables.get(t.name) ?? t.name;
    const cols = renames.columns.get(name);
    if (name === t.name && !cols) return t;
    const col = (c: string) => cols?.get(c) ?? c;
    const renamedCols = (list: string[]) => list.map(col);
    return {
      ...t,
      name,
      columns: t.columns.map((c) => ({ ...c, name: col(c.name) })),
      indexes: t.indexes.map((i): Index => ({ ...i, table: name, columns: renamedCols(i.columns), sql: null })),
      constraints: t.constraints.map((c): Constraint => ({ ...c, table: name, columns: renamedCols(c.columns) })),
    };
  });
  return { ...after, tables };
}

/** True when every value of type `from` is kept exactly by type `to` (so the change back loses nothing). */
export function widens(from: string, to: string): boolean {
  if (from === to) return true;
  const [a, b] = [parseColumnType(from), parseColumnType(to)];
  if (!a.ok || !b.ok || a.type.arrayDims !== b.type.arrayDims) return false;
  return typeWidens(a.type, b.type);
}

const INTEGER_RANK: Record<string, number> = { smallint: 1, integer: 2, bigint: 3 };
const INTEGER_DIGITS: Record<string, number> = { smallint: 5, integer: 10, bigint: 19 };
const TEXTS = new Set(['text', 'varchar', 'char']);

function typeWidens(a: ColumnType, b: ColumnType): boolean {
  if (TEXTS.has(a.base) && b.base === 'text') return true;
  if (TEXTS.has(a.base) && b.base === 'varchar')
    return b.length === undefined || (a.length !== undefined && a.length <= b.length);
  if (a.base in INTEGER_RANK) {
    if (b.base in INTEGER_RANK) return INTEGER_RANK[a.base]! <= INTEGER_RANK[b.base]!;
    if (b.base === 'numeric')
      return b.precision === undefined || b.precision - (b.scale ?? 0) >= INTEGER_DIGITS[a.base]!;
    return b.base === 'text';
  }
  if (a.base === 'numeric' && b.base === 'numeric') {
    if (b.precision === undefined) return true;
    if (a.precision === undefined) return false;
    return (b.scale ?? 0) >= (a.scale ?? 0) && b.precision - (b.scale ?? 0) >= a.precision - (a.scale ?? 0);
  }
  if (a.base === 'real') return b.base === 'double precision';
  if (a.base === 'json') return b.base === 'text';
  if (a.base === 'jsonb') return b.base === 'json' || b.base === 'text';
  return a.base === 'date' && b.base === 'timestamp';
}

const node = (id: string, params: Record<string, unknown>, type: string): WorkflowNode => ({
  id,
  type,
  params,
  position: { x: 0, y: 0 },
});

const defaultParam = (c: Column) => (c.default === null ? {} : { default_value: { sql: c.default } });

/** The node of the run whose own change was this one (the first that made it), or null. */
function culprit(nodes: readonly RecordedChange[], match: (c: Change) => boolean): string | null {
  for (const n of nodes) if (diffSchemas(n.before, n.after).changes.some(match)) return n.nodeId;
  return null;
}

/**
 * The reverse of the changes from `before` to `after` (what the run's applied nodes did).
 * `restorable` names the columns whose old values a backup kept. Order: renames back, then drops
 * of what was added, column changes back, re-creations of what was dropped (tables, columns with
 * their values, indexes, constraints).
 */
export function reverseChanges(
  before: Schema,
  after: Schema,
  nodes: readonly RecordedChange[],
  restorable: readonly RestorableColumn[] = [],
): ReverseChanges {
  const renames = findRenames(nodes);
  const changes = diffSchemas(before, undoRenames(after, renames)).changes;
  const out: WorkflowNode[] = [];
  const drops: string[] = [];
  const missing: MissingData[] = [];
  const tables = new Set<string>();
  const ids = new Set<string>();
  const add: Add = (base, params, drop = false, type = 'SchemaModificationNode') => {
    const clean = base.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 90);
    let id = clean;
    for (let i = 2; ids.has(id); i++) id = `${clean}_${i}`;
    ids.add(id);
    out.push(node(id, params, type));
    if (drop) drops.push(id);
    return id;
  };
  const rowsOf = (table: string) => before.tables.find((t) => t.name === table)?.rowEstimate ?? 0;

  for (const [now, was] of renames.tables) {
    tables.add(now).add(was);
    add(`rename_table_${now}_back`, { table: now, operation: 'rename_table', new_name: was });
  }
  for (const [table, cols] of renames.columns)
    for (const [now, was] of cols) {
      tables.add(table);
      add(`rename_column_${table}_${now}_back`, { table, operation: 'rename_column', column_name: now, new_name: was });
    }

  // Each change's reverse goes to its phase: what depends on a column goes before its drop, what a
  // re-created column carries comes after it.
  const phases: (() => void)[][] = [[], [], [], [], [], [], [], []];
  const at = (phase: number, f: () => void) => phases[phase]!.push(f);
  // An index or constraint on columns the run added goes with them when they are dropped.
  const addedColumns = new Set(changes.flatMap((c) => (c.kind === 'column_added' ? [`${c.table}.${c.column}`] : [])));
  const onAddedOnly = (table: string, columns: readonly string[]) =>
    columns.length > 0 && columns.every((col) => addedColumns.has(`${table}.${col}`));
  for (const c of changes) {
    if ('table' in c) tables.add(c.table);
    switch (c.kind) {
      case 'constraint_added':
        if (onAddedOnly(c.table, c.after.columns)) break;
        at(0, () =>
          add(`drop_constraint_${c.constraint}`, {
            table: c.table,
            operation: 'drop_constraint',
            constraint_name: c.constraint,
          }),
        );
        break;
      case 'index_added':
        if (!c.after.constraintBacked && !onAddedOnly(c.table, c.after.columns))
          at(0, () => add(`drop_index_${c.index}`, { table: c.table, operation: 'drop_index', index_name: c.index }));
        break;
      case 'column_changed':
        at(1, () => reverseColumn(c, rowsOf(c.table), nodes, restorable, add, missing));
        break;
      case 'column_added':
        at(2, () =>
          add(
            `drop_column_${c.table}_${c.column}`,
            { table: c.table, operation: 'drop_column', column_name: c.column },
            true,
          ),
        );
        break;
      case 'table_added':
        at(3, () => add(`drop_table_${c.table}`, { table: c.table, operation: 'drop_table' }, true));
        break;
      case 'table_dropped':
        if (c.before.rowEstimate > 0)
          missing.push({
            node: culprit(nodes, (x) => x.kind === 'table_dropped' && x.table === c.table),
            object: `table ${c.table}`,
            why: `it was dropped with its ${c.before.rowEstimate} row(s), and no backup of them was kept`,
            fix: 'restore the table from a database backup, then roll back the rest by hand',
          });
        else at(4, () => recreateTable(c.before, add));
        break;
      case 'column_dropped': {
        const backup = restorable.find((r) => r.table === c.table && r.column === c.column);
        if (rowsOf(c.table) > 0 && !backup) {
          missing.push({
            node: culprit(nodes, (x) => x.kind === 'column_dropped' && x.table === c.table && x.column === c.column),
            object: `column ${c.table}.${c.column}`,
            why: `it was dropped with the values of ${rowsOf(c.table)} row(s), and no backup of them was kept`,
            fix: 'restore the values from a database backup, or keep a prior backup next time (on by default for drop_column below its size limit)',
          });
          break;
        }
        at(5, () => readdColumn(c.table, c.before, rowsOf(c.table) > 0 ? backup : undefined, add));
        break;
      }
      case 'index_dropped':
        if (!c.before.constraintBacked) at(6, () => recreateIndex(c.before, add));
        break;
      case 'constraint_dropped':
        at(7, () => recreateConstraint(c.before, add));
        break;
      case 'index_changed':
        if (!c.before.constraintBacked) {
          at(0, () => add(`drop_index_${c.index}`, { table: c.table, operation: 'drop_index', index_name: c.index }));
          at(6, () => recreateIndex(c.before, add));
        }
        break;
      case 'constraint_changed':
        at(0, () =>
          add(`drop_constraint_${c.constraint}`, {
            table: c.table,
            operation: 'drop_constraint',
            constraint_name: c.constraint,
          }),
        );
        at(7, () => recreateConstraint(c.before, add));
        break;
      case 'view_added':
      case 'view_dropped':
      case 'trigger_added':
      case 'trigger_dropped':
        missing.push({
          node: culprit(nodes, (x) => x.kind === c.kind),
          object: c.kind.startsWith('view')
            ? `view ${'view' in c ? c.view : ''}`
            : `trigger ${'trigger' in c ? c.trigger : ''}`,
          why: 'views and triggers are not reversed automatically',
          fix: 'write the reverse by hand (a workflow with the view or trigger SQL)',
        });
        break;
      case 'view_changed':
      case 'trigger_changed':
        // The text a rename or a rebuild rewrote: reversing the rename rewrites it back.
        break;
    }
  }
  for (const phase of phases) for (const f of phase) f();
  return { nodes: out, drops, missing, tables };
}

/** Adds a reverse node (a SchemaModificationNode unless `type` says otherwise) under a free id made from `base`. */
type Add = (base: string, params: Record<string, unknown>, drop?: boolean, type?: string) => string;

function reverseColumn(
  c: Extract<Change, { kind: 'column_changed' }>,
  rows: number,
  nodes: readonly RecordedChange[],
  restorable: readonly RestorableColumn[],
  add: Add,
  missing: MissingData[],
): void {
  const { table, column, before, after } = c;
  const culpritNode = () =>
    culprit(nodes, (x) => x.kind === 'column_changed' && x.table === table && x.column === column);
  if (c.fields.includes('primaryKey') || c.fields.includes('identity')) {
    missing.push({
      node: culpritNode(),
      object: `column ${table}.${column}`,
      why: `its ${c.fields.filter((f) => f === 'primaryKey' || f === 'identity').join(' and ')} changed, which is not reversed automatically`,
      fix: 'write the reverse by hand',
    });
    return;
  }
  if (c.fields.includes('type')) {
    const backup = restorable.find((r) => r.table === table && r.column === column);
    if (widens(before.type, after.type) || rows === 0 || backup) {
      add(`retype_${table}_${column}_back`, {
        table,
        operation: 'alter_column_type',
        column_name: column,
        column_type: before.type,
      });
      if (backup && !widens(before.type, after.type) && rows > 0) for (const n of backup.restore()) addNode(add, n);
    } else {
      missing.push({
        node: culpritNode(),
        object: `column ${table}.${column}`,
        why: `its type changed from ${before.type} to ${after.type}, which loses values (the change back cannot recover them), and no backup of the old values was kept`,
        fix: 'restore the values from a database backup, or keep a prior backup next time (on by default for a lossy alter_column_type below its size limit)',
      });
      return;
    }
  }
  if (c.fields.includes('default')) {
    if (before.default === null)
      add(`drop_default_${table}_${column}`, { table, operation: 'drop_default', column_name: column });
    else
      add(`set_default_${table}_${column}`, {
        table,
        operation: 'set_default',
        column_name: column,
        default_value: { sql: before.default },
      });
  }
  if (c.fields.includes('nullable')) {
    if (!before.nullable)
      add(`not_null_${table}_${column}`, {
        table,
        operation: 'add_constraint',
        constraint_type: 'not_null',
        column_name: column,
      });
    else
      missing.push({
        node: culpritNode(),
        object: `column ${table}.${column}`,
        why: 'it was made NOT NULL, and no SchemaModificationNode operation drops NOT NULL yet',
        fix: 'drop the NOT NULL by hand (ALTER TABLE ... ALTER COLUMN ... DROP NOT NULL), then roll back again',
      });
  }
}

/** Adds an already built node (a restore) under a free id. */
function addNode(add: Add, n: WorkflowNode): void {
  add(n.id, n.params, false, n.type);
}

function recreateTable(t: Table, add: Add): void {
  const pk = t.columns.filter((c) => c.primaryKey).map((c) => c.name);
  add(`create_table_${t.name}`, {
    table: t.name,
    operation: 'create_table',
    columns: t.columns.map((c) => ({
      name: c.name,
      type: c.type,
      nullable: c.nullable,
      ...defaultParam(c),
      ...(c.identity && { identity: true }),
    })),
    ...(pk.length > 0 && { primary_key: pk }),
  });
  for (const i of t.indexes) if (!i.constraintBacked) recreateIndex(i, add);
  for (const c of t.constraints) if (c.kind !== 'primary_key') recreateConstraint(c, add);
}

function readdColumn(table: string, c: Column, backup: RestorableColumn | undefined, add: Add): void {
  const restore = backup?.restore() ?? [];
  // With values to restore, the column comes back nullable, is filled, then made NOT NULL.
  const notNullLater = !c.nullable && restore.length > 0 && c.default === null;
  add(`add_column_${table}_${c.name}`, {
    table,
    operation: 'add_column',
    column_name: c.name,
    column_type: c.type,
    nullable: notNullLater ? true : c.nullable,
    ...defaultParam(c),
  });
  for (const n of restore) addNode(add, n);
  if (notNullLater)
    add(`not_null_${table}_${c.name}`, {
      table,
      operation: 'add_constraint',
      constraint_type: 'not_null',
      column_name: c.name,
    });
}

function recreateIndex(i: Index, add: Add): void {
  add(`create_index_${i.name}`, {
    table: i.table,
    operation: 'create_index',
    index_name: i.name,
    columns: i.columns,
    ...(i.unique && { unique: true }),
    ...(i.where !== null && { where: i.where }),
  });
}

function recreateConstraint(c: Constraint, add: Add): void {
  const base = { table: c.table, operation: 'add_constraint', constraint_name: c.name };
  switch (c.kind) {
    case 'unique':
    case 'primary_key':
      add(`add_constraint_${c.name}`, { ...base, constraint_type: c.kind, columns: c.columns });
      break;
    case 'check':
      add(`add_constraint_${c.name}`, { ...base, constraint_type: 'check', expression: c.expression ?? 'true' });
      break;
    case 'foreign_key':
      add(`add_constraint_${c.name}`, {
        ...base,
        constraint_type: 'foreign_key',
        column_name: c.columns[0],
        references: {
          table: c.references?.table,
          column: c.references?.columns[0],
          ...(c.references?.onDelete && { on_delete: c.references.onDelete }),
        },
      });
      break;
  }
}
