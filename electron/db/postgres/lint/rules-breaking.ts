/**
 * Family 8: changes that lose data or break the running application (drops, renames, DROP NOT
 * NULL, unguarded or unbatched data changes, cascades, enum and domain changes). Objects the
 * inputs created themselves are not reported: nothing depends on them yet.
 */
import { type StatementContext } from './state.ts';
import { child, kindOf, list, num, relname, strings, text } from './tree.ts';
import type { PgNode } from './source.ts';

function drop(ctx: StatementContext, stmt: PgNode): void {
  const type = text(stmt, 'removeType');
  for (const o of list(stmt, 'objects')) {
    const names = strings(list(child(o, 'List'), 'items'));
    const name = names[names.length - 1] ?? text(child(o, 'String'), 'sval') ?? '';
    if (type === 'OBJECT_TABLE' && !ctx.run.isNew(name)) {
      ctx.emit(
        'DF801',
        `dropping "${name}"${ctx.run.rowsNote(name)} deletes its rows for good; queries that read it fail`,
      );
    } else if (type === 'OBJECT_SCHEMA') {
      ctx.emit(
        'DF803',
        `dropping schema "${name}" deletes everything in it${stmt.behavior === 'DROP_CASCADE' ? ', and with CASCADE what depends on it elsewhere' : ''}`,
      );
    }
  }
}

function alterTable(ctx: StatementContext, stmt: PgNode): void {
  const table = relname(child(stmt, 'relation'));
  const created = ctx.run.isNew(table);
  for (const item of list(stmt, 'cmds')) {
    const cmd = child(item, 'AlterTableCmd');
    const name = text(cmd, 'name') ?? '';
    switch (text(cmd, 'subtype')) {
      case 'AT_DropColumn':
        if (!created)
          ctx.emit('DF802', `dropping "${table}"."${name}" deletes its values; code that reads or writes it fails`);
        break;
      case 'AT_DropConstraint':
        if (!created && !ctx.run.addedConstraints.has(`${table}.${name}`))
          ctx.emit(
            'DF804',
            `dropping constraint "${name}" of "${table}": the database stops refusing rows that break it`,
          );
        break;
      case 'AT_DropNotNull':
        if (!created)
          ctx.emit('DF807', `"${table}"."${name}" may hold NULL from now on: readers that assume a value break`);
        break;
      case 'AT_AddConstraint':
      case 'AT_AddColumn': {
        const def = child(cmd, 'def');
        const fks =
          text(cmd, 'subtype') === 'AT_AddConstraint'
            ? [child(def, 'Constraint')]
            : list(child(def, 'ColumnDef'), 'constraints').map((c) => child(c, 'Constraint'));
        for (const fk of fks) {
          if (created || text(fk, 'contype') !== 'CONSTR_FOREIGN' || text(fk, 'fk_del_action') !== 'c') continue;
          ctx.emit(
            'DF812',
            `ON DELETE CASCADE from "${relname(child(fk, 'pktable'))}" to the existing table "${table}"${ctx.run.rowsNote(table)}: deleting a parent row deletes its rows here`,
            num(fk, 'location'),
          );
        }
        break;
      }
    }
  }
}

function rename(ctx: StatementContext, stmt: PgNode): void {
  const table = relname(child(stmt, 'relation'));
  if (ctx.run.isNew(table)) return;
  const to = text(stmt, 'newname') ?? '';
  switch (text(stmt, 'renameType')) {
    case 'OBJECT_TABLE':
      return ctx.emit('DF805', `renaming "${table}" to "${to}" breaks every deployed query that names "${table}"`);
    case 'OBJECT_COLUMN':
      return ctx.emit(
        'DF806',
        `renaming "${table}"."${text(stmt, 'subname') ?? ''}" to "${to}" breaks every deployed query that names the old column`,
      );
  }
}

async function update(ctx: StatementContext, stmt: PgNode): Promise<void> {
  const { run, file } = ctx;
  const table = relname(child(stmt, 'relation'));
  if (run.isNew(table)) return;
  if (stmt.whereClause === undefined)
    ctx.emit('DF808', `UPDATE of "${table}" without WHERE changes every row${run.rowsNote(table)}`);
  if (file.inTransaction && file.ddlInTransaction.has(table) && !run.options.planned && !run.harmless(table)) {
    ctx.emit(
      'DF810',
      `"${table}" was altered earlier in this transaction: its ACCESS EXCLUSIVE lock is held for the whole UPDATE`,
    );
  }
  if (!run.live) return run.skipped('DF809');
  const rows = await run.live.estimateRows(ctx.stmt.text);
  if (rows !== null && rows >= run.options.thresholds.unbatchedUpdateRows) {
    ctx.emit(
      'DF809',
      `the UPDATE of "${table}" changes about ${rows.toLocaleString('en-US')} rows (PostgreSQL's estimate) in one transaction`,
    );
  }
}

function deleteRows(ctx: StatementContext, stmt: PgNode): void {
  const table = relname(child(stmt, 'relation'));
  if (ctx.run.isNew(table) || stmt.whereClause !== undefined) return;
  ctx.emit('DF808', `DELETE from "${table}" without WHERE deletes every row${ctx.run.rowsNote(table)}`);
}

function truncate(ctx: StatementContext, stmt: PgNode): void {
  if (stmt.behavior !== 'DROP_CASCADE') return;
  const tables = list(stmt, 'relations').map((r) => `"${relname(child(r, 'RangeVar'))}"`);
  ctx.emit('DF811', `TRUNCATE ${tables.join(', ')} CASCADE also empties every table that references them`);
}

function enumValue(ctx: StatementContext, stmt: PgNode): void {
  if (text(stmt, 'oldVal') !== undefined || text(stmt, 'newValNeighbor') !== undefined) return;
  const type = strings(list(stmt, 'typeName')).join('.');
  ctx.emit('DF813', `'${text(stmt, 'newVal') ?? ''}' is appended after the last value of "${type}" and sorts last`);
}

function domain(ctx: StatementContext, kind: string, stmt: PgNode): void {
  const name = strings(list(stmt, kind === 'CreateDomainStmt' ? 'domainname' : 'typeName')).join('.');
  if (kind === 'AlterDomainStmt') {
    const c = child(child(stmt, 'def'), 'Constraint');
    if (text(stmt, 'subtype') !== 'C' || c?.skip_validation === true) return;
    ctx.emit('DF814', `adding a constraint to domain "${name}" checks every column of every table that uses it`);
    return;
  }
  const checks = list(stmt, 'constraints').filter((c) => text(child(c, 'Constraint'), 'contype') === 'CONSTR_CHECK');
  if (checks.length > 0) {
    ctx.emit(
      'DF814',
      `domain "${name}" is created with a CHECK: changing it later scans every table that uses the domain`,
    );
  }
}

/** The family 8 rules for one statement. */
export async function breakingRules(ctx: StatementContext): Promise<void> {
  const node = ctx.stmt.node;
  const kind = kindOf(node);
  const stmt = child(node, kind) ?? {};
  switch (kind) {
    case 'DropStmt':
      return drop(ctx, stmt);
    case 'DropdbStmt':
      return ctx.emit('DF803', `dropping database "${text(stmt, 'dbname') ?? ''}" deletes everything in it`);
    case 'AlterTableStmt':
      return alterTable(ctx, stmt);
    case 'RenameStmt':
      return rename(ctx, stmt);
    case 'UpdateStmt':
      return update(ctx, stmt);
    case 'DeleteStmt':
      return deleteRows(ctx, stmt);
    case 'TruncateStmt':
      return truncate(ctx, stmt);
    case 'AlterEnumStmt':
      return enumValue(ctx, stmt);
    case 'AlterDomainStmt':
    case 'CreateDomainStmt':
      return domain(ctx, kind, stmt);
  }
}
