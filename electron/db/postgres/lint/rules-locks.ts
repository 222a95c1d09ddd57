/**
 * Family 7 (locks and rewrites) and the rules that read the live rows and indexes (DF301, DF505):
 * what takes a strong lock for long, rewrites or scans a table, or fails inside a transaction.
 * A table the inputs created, or a live table with no rows, is harmless to lock and not reported.
 */
import { parseColumnType } from '../../../../shared/column-type.ts';
import { binaryCompatible } from '../plan/columns.ts';
import { heavy, notNullCheckColumn, type StatementContext } from './state.ts';
import {
  calledFunctions,
  child,
  findAll,
  kindOf,
  list,
  num,
  relname,
  strings,
  text,
  typeNameOf,
  typeText,
} from './tree.ts';
import type { PgNode } from './source.ts';

const SERIAL = new Set(['serial', 'bigserial', 'smallserial', 'serial2', 'serial4', 'serial8']);

/** Built-in functions known to be volatile: a default calling one is computed per row. */
const VOLATILE = new Set([
  'random',
  'random_normal',
  'gen_random_uuid',
  'uuidv4',
  'uuidv7',
  'uuid_generate_v1',
  'uuid_generate_v1mc',
  'uuid_generate_v4',
  'clock_timestamp',
  'timeofday',
  'nextval',
  'txid_current',
  'pg_current_xact_id',
]);

/** Built-in functions known to be stable or immutable: a default calling them is evaluated once (PostgreSQL 11+). */
const NOT_VOLATILE = new Set([
  'now',
  'transaction_timestamp',
  'statement_timestamp',
  'current_setting',
  'lower',
  'upper',
  'btrim',
  'trim',
  'concat',
  'length',
  'make_date',
  'make_timestamp',
  'make_timestamptz',
  'make_interval',
  'to_timestamp',
  'to_date',
  'json_build_object',
  'jsonb_build_object',
  'json_build_array',
  'jsonb_build_array',
]);

const ACCESS_EXCLUSIVE = 'an ACCESS EXCLUSIVE lock (no reads, no writes)';

function constraints(columnDef: PgNode | undefined): PgNode[] {
  return list(columnDef, 'constraints')
    .map((c) => child(c, 'Constraint'))
    .filter((c): c is PgNode => c !== undefined);
}

/** Why ADD COLUMN of this column definition rewrites the table, or null when it is metadata only. */
async function addColumnRewrite(ctx: StatementContext, def: PgNode): Promise<string | null> {
  const cons = constraints(def);
  if (cons.some((c) => text(c, 'contype') === 'CONSTR_GENERATED'))
    return 'a stored generated column is computed for every row';
  const expr = cons.find((c) => text(c, 'contype') === 'CONSTR_DEFAULT')?.raw_expr;
  if (expr === undefined || child(expr, 'A_Const')?.isnull === true) return null;
  if (ctx.run.version < 11) return `before PostgreSQL 11 every non-null default is written into every row`;
  for (const name of calledFunctions(expr)) {
    if (VOLATILE.has(name)) return `the default calls ${name}(), which is volatile: it is computed for every row`;
    if (NOT_VOLATILE.has(name)) continue;
    const live = ctx.run.live ? await ctx.run.live.volatility(name) : null;
    if (live === 'v')
      return `the default calls ${name}(), which the server says is volatile: it is computed for every row`;
    if (live === null && !ctx.run.live) {
      return `the default calls ${name}(), not a built-in known to be non-volatile (with --db its volatility is read from the server)`;
    }
  }
  return null;
}

async function addColumn(ctx: StatementContext, table: string, def: PgNode): Promise<void> {
  const { run, emit } = ctx;
  const name = text(def, 'colname') ?? '';
  const at = num(def, 'location');
  const cons = constraints(def);
  const harmless = run.harmless(table);
  const type = typeNameOf(child(def, 'typeName'));
  const numbered = SERIAL.has(type)
    ? `${type} numbers every existing row from a sequence`
    : cons.some((c) => text(c, 'contype') === 'CONSTR_IDENTITY')
      ? 'the identity column numbers every existing row'
      : null;
  if (numbered && !harmless) {
    // The planner's code for the same change of a workflow (add_column with identity).
    emit(
      'DF703',
      `adding "${name}" to "${table}" rewrites the table${run.rowsNote(table)} under ${ACCESS_EXCLUSIVE}: ${numbered}`,
      at,
    );
    heavy(ctx, table, 'rewrites', ACCESS_EXCLUSIVE, at);
  }
  const rewrite = numbered ?? (await addColumnRewrite(ctx, def));
  if (rewrite && !numbered && !harmless) {
    emit(
      'DF701',
      `adding "${name}" to "${table}" rewrites the table${run.rowsNote(table)} under ${ACCESS_EXCLUSIVE}: ${rewrite}`,
      at,
    );
    heavy(ctx, table, 'rewrites', ACCESS_EXCLUSIVE, at);
  }
  const notNull = cons.some((c) => text(c, 'contype') === 'CONSTR_NOTNULL' || text(c, 'contype') === 'CONSTR_PRIMARY');
  const filled =
    rewrite !== null ||
    cons.some((c) => ['CONSTR_DEFAULT', 'CONSTR_IDENTITY', 'CONSTR_GENERATED'].includes(text(c, 'contype') ?? ''));
  if (notNull && !filled) {
    const t = run.table(table);
    if (t.kind === 'live' && t.rows > 0) {
      emit(
        'DF301',
        `"${name}" is added NOT NULL without a default, but "${table}" has rows${run.rowsNote(table)}: the statement fails`,
        at,
      );
    } else if (t.kind === 'unknown' && !run.live) run.skipped('DF301');
  }
  if (harmless) return;
  for (const c of cons) inlineConstraint(ctx, table, name, c);
}

/** A constraint written on an added column (REFERENCES, CHECK, UNIQUE, PRIMARY KEY): it cannot be NOT VALID there. */
function inlineConstraint(ctx: StatementContext, table: string, column: string, c: PgNode): void {
  const at = num(c, 'location');
  switch (text(c, 'contype')) {
    case 'CONSTR_FOREIGN':
      return ctx.emit(
        'DF709',
        `"${table}"."${column}" REFERENCES ${relname(child(c, 'pktable'))} takes a SHARE ROW EXCLUSIVE lock on both tables; add the column, then the foreign key NOT VALID and VALIDATE it`,
        at,
      );
    case 'CONSTR_CHECK':
      return ctx.emit(
        'DF710',
        `the CHECK on the new column "${column}" scans all of "${table}" under ${ACCESS_EXCLUSIVE}`,
        at,
      );
    case 'CONSTR_UNIQUE':
    case 'CONSTR_PRIMARY':
      return ctx.emit(
        'DF711',
        `the new column "${column}" is ${text(c, 'contype') === 'CONSTR_UNIQUE' ? 'UNIQUE' : 'the PRIMARY KEY'}: its index is built under ${ACCESS_EXCLUSIVE}`,
        at,
      );
  }
}

async function alterType(ctx: StatementContext, table: string, cmd: PgNode): Promise<void> {
  const { run } = ctx;
  const column = text(cmd, 'name') ?? '';
  const def = child(cmd, 'def');
  const columnDef = child(def, 'ColumnDef');
  const to = typeText(child(columnDef, 'typeName'));
  const at = num(columnDef, 'location');
  if (run.harmless(table)) return;
  const from = run.columnType(table, column);
  const using = columnDef?.raw_default !== undefined;
  const parsed = parseColumnType(to);
  if (from !== undefined && parsed.ok && !using && binaryCompatible(from, parsed.type)) return;
  const change = from === undefined ? `to ${to}` : `from ${from} to ${to}`;
  const unknown =
    from === undefined
      ? ' (the old type is not known without --db: no rewrite only if it widens varchar or numeric, or goes from varchar to text)'
      : using
        ? ' (USING computes every value again)'
        : '';
  ctx.emit(
    'DF702',
    `changing "${table}"."${column}" ${change} rewrites the table${run.rowsNote(table)} and its indexes under ${ACCESS_EXCLUSIVE}${unknown}`,
    at,
  );
  heavy(ctx, table, 'rewrites', ACCESS_EXCLUSIVE, at);
}

function addConstraint(ctx: StatementContext, table: string, c: PgNode): void {
  const at = num(c, 'location');
  const name = text(c, 'conname') ?? '';
  const label = name ? `"${name}" ` : '';
  const notValid = c.skip_validation === true;
  switch (text(c, 'contype')) {
    case 'CONSTR_FOREIGN':
      if (notValid) return;
      ctx.emit(
        'DF709',
        `foreign key ${label}on "${table}" checks every row${ctx.run.rowsNote(table)} under a SHARE ROW EXCLUSIVE lock on "${table}" and "${relname(child(c, 'pktable'))}"`,
        at,
      );
      return heavy(ctx, table, 'scans', 'a SHARE ROW EXCLUSIVE lock (writes wait)', at);
    case 'CONSTR_CHECK':
      if (notValid) return;
      ctx.emit(
        'DF710',
        `CHECK ${label}on "${table}" scans every row${ctx.run.rowsNote(table)} under ${ACCESS_EXCLUSIVE}`,
        at,
      );
      return heavy(ctx, table, 'scans', ACCESS_EXCLUSIVE, at);
    case 'CONSTR_UNIQUE':
    case 'CONSTR_PRIMARY': {
      if (text(c, 'indexname')) return;
      const kind = text(c, 'contype') === 'CONSTR_UNIQUE' ? 'UNIQUE' : 'PRIMARY KEY';
      ctx.emit(
        'DF711',
        `${kind} ${label}on "${table}" builds its index${ctx.run.rowsNote(table)} under ${ACCESS_EXCLUSIVE}`,
        at,
      );
      return heavy(ctx, table, 'reads all of', ACCESS_EXCLUSIVE, at);
    }
  }
}

function setNotNull(ctx: StatementContext, table: string, column: string): void {
  const { run } = ctx;
  if (run.version >= 12 && run.validatedNotNull.has(`${table}.${column}`)) return;
  const t = run.table(table);
  if (run.version >= 12 && t.kind === 'live') {
    if (t.table.constraints.some((c) => c.validated && notNullCheckColumn(c) === column)) return;
  }
  ctx.emit(
    'DF712',
    `SET NOT NULL on "${table}"."${column}" scans the table${run.rowsNote(table)} under ${ACCESS_EXCLUSIVE}${
      run.version < 12 ? ' (before PostgreSQL 12 even a validated CHECK does not spare the scan)' : ''
    }`,
  );
  heavy(ctx, table, 'scans', ACCESS_EXCLUSIVE);
}

async function alterTable(ctx: StatementContext, stmt: PgNode): Promise<void> {
  const table = relname(child(stmt, 'relation'));
  for (const item of list(stmt, 'cmds')) {
    const cmd = child(item, 'AlterTableCmd');
    const def = child(cmd, 'def');
    switch (text(cmd, 'subtype')) {
      case 'AT_AddColumn':
        await addColumn(ctx, table, child(def, 'ColumnDef') ?? {});
        break;
      case 'AT_AlterColumnType':
        await alterType(ctx, table, cmd ?? {});
        break;
      case 'AT_AddConstraint':
        if (!ctx.run.harmless(table)) addConstraint(ctx, table, child(def, 'Constraint') ?? {});
        break;
      case 'AT_SetNotNull':
        if (!ctx.run.harmless(table)) setNotNull(ctx, table, text(cmd, 'name') ?? '');
        break;
      case 'AT_DetachPartition': {
        const concurrent = child(def, 'PartitionCmd')?.concurrent === true;
        if (concurrent) inTransaction(ctx, 'DETACH PARTITION CONCURRENTLY');
        else if (ctx.run.version >= 14)
          ctx.emit(
            'DF708',
            `detaching ${relname(child(child(def, 'PartitionCmd'), 'name'))} takes ${ACCESS_EXCLUSIVE} on "${table}" and all its partitions`,
          );
        break;
      }
    }
  }
}

function inTransaction(ctx: StatementContext, what: string): void {
  if (ctx.file.inTransaction && !ctx.run.options.planned) {
    ctx.emit(
      'DF706',
      `${what} inside BEGIN ... COMMIT: PostgreSQL refuses it ("cannot run inside a transaction block")`,
    );
  }
}

/** DF505: the columns of a new plain index are a prefix of an existing index on the table. */
function redundantIndex(ctx: StatementContext, table: string, stmt: PgNode, columns: string[]): void {
  const { run } = ctx;
  if (columns.length === 0 || stmt.whereClause !== undefined) return;
  const unique = stmt.unique === true;
  const existing: { name: string; columns: string[]; unique: boolean }[] = (run.indexes.get(table) ?? []).map((c) => ({
    name: '',
    columns: c,
    unique: false,
  }));
  const t = run.table(table);
  if (t.kind === 'live')
    for (const i of t.table.indexes)
      if (i.where === null) existing.push({ name: i.name, columns: i.columns, unique: i.unique });
  const covering = existing.find(
    (e) =>
      e.columns.length >= columns.length &&
      columns.every((c, i) => e.columns[i] === c) &&
      (!unique || (e.unique && e.columns.length === columns.length)),
  );
  if (covering) {
    ctx.emit(
      'DF505',
      `the index on "${table}" (${columns.join(', ')}) is a prefix of ${covering.name ? `the existing index "${covering.name}"` : 'an index created earlier'} (${covering.columns.join(', ')})`,
    );
  } else if (!run.live && t.kind !== 'new') run.skipped('DF505');
}

/** The plain column names of an index (empty when it has an expression). */
export function indexColumns(stmt: PgNode): string[] {
  const elems = list(stmt, 'indexParams').map((p) => child(p, 'IndexElem'));
  if (elems.some((e) => !e || text(e, 'name') === undefined)) return [];
  return elems.map((e) => text(e, 'name')!);
}

function createIndex(ctx: StatementContext, stmt: PgNode): void {
  const table = relname(child(stmt, 'relation'));
  const name = text(stmt, 'idxname') ?? '';
  redundantIndex(ctx, table, stmt, indexColumns(stmt));
  if (stmt.concurrent === true) return inTransaction(ctx, 'CREATE INDEX CONCURRENTLY');
  if (ctx.run.harmless(table)) return;
  ctx.emit(
    'DF704',
    `building ${name ? `"${name}"` : 'the index'} on "${table}"${ctx.run.rowsNote(table)} holds a SHARE lock: inserts, updates and deletes wait until it is built`,
  );
  heavy(ctx, table, 'reads all of', 'a SHARE lock (writes wait)');
}

function dropIndex(ctx: StatementContext, stmt: PgNode): void {
  if (stmt.concurrent === true) return inTransaction(ctx, 'DROP INDEX CONCURRENTLY');
  for (const o of list(stmt, 'objects')) {
    const names = strings(list(child(o, 'List'), 'items'));
    const name = names[names.length - 1] ?? '';
    if (ctx.run.createdIndexes.has(name)) continue;
    ctx.emit('DF705', `dropping "${name}" takes ${ACCESS_EXCLUSIVE} on its table while it waits and runs`);
  }
}

function reindex(ctx: StatementContext, stmt: PgNode): void {
  const concurrently = findAll(stmt.params, 'DefElem').some((d) => text(d, 'defname') === 'concurrently');
  if (concurrently) return inTransaction(ctx, 'REINDEX CONCURRENTLY');
  if (ctx.run.version < 12) return;
  const target = relname(child(stmt, 'relation')) || text(stmt, 'name') || '';
  ctx.emit('DF707', `REINDEX ${target ? `of "${target}" ` : ''}blocks writes to the table while it rebuilds`);
}

function rewriteAll(ctx: StatementContext, what: string, tables: string[]): void {
  ctx.emit(
    'DF714',
    `${what}${tables.length ? ` of ${tables.map((t) => `"${t}"`).join(', ')}` : ''} rewrites the table under ${ACCESS_EXCLUSIVE}`,
  );
  for (const t of tables) heavy(ctx, t, 'rewrites', ACCESS_EXCLUSIVE);
}

/** Statements that take a lock other sessions can queue behind (DF713 wants timeouts before the first). */
function locking(ctx: StatementContext, kind: string, stmt: PgNode): boolean {
  switch (kind) {
    case 'AlterTableStmt':
    case 'IndexStmt':
    case 'TruncateStmt':
    case 'ReindexStmt':
    case 'ClusterStmt':
    case 'AlterDomainStmt':
      return !ctx.run.isNew(relname(child(stmt, 'relation')));
    case 'RenameStmt':
      return !ctx.run.isNew(relname(child(stmt, 'relation')));
    case 'DropStmt':
      return text(stmt, 'removeType') === 'OBJECT_TABLE' || text(stmt, 'removeType') === 'OBJECT_INDEX';
    case 'VacuumStmt':
      return findAll(stmt.options, 'DefElem').some((d) => text(d, 'defname') === 'full');
    default:
      return false;
  }
}

function timeouts(ctx: StatementContext, kind: string, stmt: PgNode): void {
  const { file } = ctx;
  if (ctx.run.options.planned || file.timeoutsReported || !locking(ctx, kind, stmt)) return;
  const missing = [!file.lockTimeout && 'lock_timeout', !file.statementTimeout && 'statement_timeout'].filter(Boolean);
  if (missing.length === 0) return;
  file.timeoutsReported = true;
  ctx.emit('DF713', `the file takes its first lock here without setting ${missing.join(' or ')}`);
}

/** The family 7 rules (and DF301, DF505) for one statement. */
export async function lockRules(ctx: StatementContext): Promise<void> {
  const node = ctx.stmt.node;
  const kind = kindOf(node);
  const stmt = child(node, kind) ?? {};
  timeouts(ctx, kind, stmt);
  switch (kind) {
    case 'AlterTableStmt':
      return alterTable(ctx, stmt);
    case 'IndexStmt':
      return createIndex(ctx, stmt);
    case 'DropStmt':
      if (text(stmt, 'removeType') === 'OBJECT_INDEX') dropIndex(ctx, stmt);
      return;
    case 'ReindexStmt':
      return reindex(ctx, stmt);
    case 'VacuumStmt':
      if (findAll(stmt.options, 'DefElem').some((d) => text(d, 'defname') === 'full')) {
        rewriteAll(
          ctx,
          'VACUUM FULL',
          list(stmt, 'rels').map((r) => relname(child(child(r, 'VacuumRelation'), 'relation'))),
        );
      }
      return;
    case 'ClusterStmt': {
      const table = relname(child(stmt, 'relation'));
      return rewriteAll(ctx, 'CLUSTER', table ? [table] : []);
    }
  }
}
