/**
 * After the rules have read a statement, what it changes in what later statements see: tables and
 * indexes created, column types declared, NOT NULL checks added and validated, the transaction
 * block opened or closed, the timeouts set.
 */
import { indexColumns } from './rules-locks.ts';
import { notNullCheckColumn, type StatementContext } from './state.ts';
import { child, findAll, kindOf, list, relname, strings, text, typeText } from './tree.ts';
import type { PgNode } from './source.ts';

/** The column of a `col IS NOT NULL` expression, or undefined. */
function notNullColumn(expr: unknown): string | undefined {
  const test = child(expr, 'NullTest');
  if (!test || text(test, 'nulltesttype') !== 'IS_NOT_NULL') return undefined;
  const fields = strings(list(child(child(test, 'arg'), 'ColumnRef'), 'fields'));
  return fields.length === 1 ? fields[0] : undefined;
}

function addIndex(ctx: StatementContext, table: string, columns: string[]): void {
  if (columns.length === 0) return;
  const known = ctx.run.indexes.get(table) ?? [];
  known.push(columns);
  ctx.run.indexes.set(table, known);
}

function alterTable(ctx: StatementContext, stmt: PgNode): void {
  const { run } = ctx;
  const table = relname(child(stmt, 'relation'));
  if (ctx.file.inTransaction) ctx.file.ddlInTransaction.add(table);
  for (const item of list(stmt, 'cmds')) {
    const cmd = child(item, 'AlterTableCmd');
    const def = child(cmd, 'def');
    switch (text(cmd, 'subtype')) {
      case 'AT_AddColumn': {
        const col = child(def, 'ColumnDef');
        run.types.set(`${table}.${text(col, 'colname') ?? ''}`, typeText(child(col, 'typeName')));
        break;
      }
      case 'AT_AlterColumnType':
        run.types.set(`${table}.${text(cmd, 'name') ?? ''}`, typeText(child(child(def, 'ColumnDef'), 'typeName')));
        break;
      case 'AT_AddConstraint': {
        const c = child(def, 'Constraint');
        const name = text(c, 'conname');
        if (name) run.addedConstraints.add(`${table}.${name}`);
        const column = text(c, 'contype') === 'CONSTR_CHECK' ? notNullColumn(c?.raw_expr) : undefined;
        if (column === undefined) break;
        if (c?.skip_validation === true) run.pendingNotNull.set(`${table}.${text(c, 'conname') ?? ''}`, column);
        else run.validatedNotNull.add(`${table}.${column}`);
        break;
      }
      case 'AT_ValidateConstraint': {
        const name = text(cmd, 'name') ?? '';
        const t = run.table(table);
        const live = t.kind === 'live' ? t.table.constraints.find((c) => c.name === name) : undefined;
        const column = run.pendingNotNull.get(`${table}.${name}`) ?? (live && notNullCheckColumn(live));
        if (column !== undefined) run.validatedNotNull.add(`${table}.${column}`);
        break;
      }
    }
  }
}

function createTable(ctx: StatementContext, stmt: PgNode): void {
  const table = relname(child(stmt, 'relation'));
  ctx.run.createdHere.add(table);
  for (const e of list(stmt, 'tableElts')) {
    const def = child(e, 'ColumnDef');
    if (def) ctx.run.types.set(`${table}.${text(def, 'colname') ?? ''}`, typeText(child(def, 'typeName')));
    const c = child(e, 'Constraint');
    if (c && (text(c, 'contype') === 'CONSTR_PRIMARY' || text(c, 'contype') === 'CONSTR_UNIQUE')) {
      addIndex(ctx, table, strings(list(c, 'keys')));
    }
  }
}

function variable(ctx: StatementContext, stmt: PgNode): void {
  const name = text(stmt, 'name');
  if (name !== 'lock_timeout' && name !== 'statement_timeout') return;
  const values = findAll(stmt.args, 'A_Const');
  const zero =
    values.some((v) => child(v, 'ival') !== undefined && !child(v, 'ival')?.ival) ||
    values.some((v) => text(child(v, 'sval'), 'sval') === '0');
  const on = text(stmt, 'kind') === 'VAR_SET_VALUE' && !zero;
  if (name === 'lock_timeout') ctx.file.lockTimeout = on;
  else ctx.file.statementTimeout = on;
}

function transaction(ctx: StatementContext, stmt: PgNode): void {
  switch (text(stmt, 'kind')) {
    case 'TRANS_STMT_BEGIN':
    case 'TRANS_STMT_START':
      ctx.file.inTransaction = true;
      ctx.file.ddlInTransaction.clear();
      return;
    case 'TRANS_STMT_COMMIT':
    case 'TRANS_STMT_ROLLBACK':
      ctx.file.inTransaction = false;
      ctx.file.ddlInTransaction.clear();
  }
}

/** Records what the statement changes for the statements after it. */
export function track(ctx: StatementContext): void {
  const node = ctx.stmt.node;
  const kind = kindOf(node);
  const stmt = child(node, kind) ?? {};
  switch (kind) {
    case 'CreateStmt':
      return createTable(ctx, stmt);
    case 'AlterTableStmt':
      return alterTable(ctx, stmt);
    case 'IndexStmt': {
      const name = text(stmt, 'idxname');
      if (name) ctx.run.createdIndexes.add(name);
      if (stmt.whereClause === undefined) addIndex(ctx, relname(child(stmt, 'relation')), indexColumns(stmt));
      return;
    }
    case 'RenameStmt':
      if (text(stmt, 'renameType') === 'OBJECT_TABLE' && ctx.run.isNew(relname(child(stmt, 'relation')))) {
        ctx.run.createdHere.add(text(stmt, 'newname') ?? '');
      }
      return;
    case 'VariableSetStmt':
      return variable(ctx, stmt);
    case 'TransactionStmt':
      return transaction(ctx, stmt);
  }
}
