/**
 * The safety rules that read what a schema change node does (its operation and names) rather
 * than the statements planned for it: drops and renames (DF801, DF802, DF804, DF805, DF806).
 * They hold on every dialect, and need no plan: SQLite's review uses them (its planner rebuilds
 * tables, so a drop is not one statement), and so does the review of a workflow without a
 * database. Objects an earlier node of the same workflow created are not reported: nothing
 * depends on them yet.
 */
import type { PlannedNode, RawFinding } from './finding.ts';
import type { LintCode } from './rules.ts';

/** The codes these rules report. */
export const CHANGE_RULE_CODES = ['DF801', 'DF802', 'DF804', 'DF805', 'DF806'] as const satisfies readonly LintCode[];

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * The findings of the change rules on `nodes` (without a plan, each with no statements), in order; `rowsOf` gives a table's row estimate
 * when a live schema is known (null: unknown, the message says nothing of rows).
 */
export function lintChanges(nodes: readonly PlannedNode[], rowsOf: (table: string) => number | null): RawFinding[] {
  const createdTables = new Set<string>();
  const createdConstraints = new Set<string>();
  const findings: RawFinding[] = [];
  for (const { node, params, statements } of nodes) {
    const table = str(params.table);
    const isNew = createdTables.has(table);
    const rows = rowsOf(table);
    const rowsNote = rows === null ? '' : ` (about ${rows.toLocaleString('en-US')} rows)`;
    const step = Math.max(
      0,
      statements.findIndex((s) => /^\s*(DROP|ALTER)\s+TABLE\b/i.test(s)),
    );
    const emit = (code: LintCode, message: string) =>
      findings.push({ code, message, node, step, statement: statements[step] ?? '' });
    switch (params.operation) {
      case 'create_table':
        createdTables.add(table);
        break;
      case 'add_constraint':
        createdConstraints.add(`${table}.${str(params.constraint_name)}`);
        break;
      case 'drop_table':
        if (!isNew)
          emit('DF801', `dropping "${table}"${rowsNote} deletes its rows for good; queries that read it fail`);
        createdTables.delete(table);
        break;
      case 'drop_column':
        if (!isNew)
          emit(
            'DF802',
            `dropping "${table}"."${str(params.column_name)}" deletes its values; code that reads or writes it fails`,
          );
        break;
      case 'drop_constraint': {
        const name = str(params.constraint_name);
        if (!isNew && !createdConstraints.has(`${table}.${name}`))
          emit('DF804', `dropping constraint "${name}" of "${table}": the database stops refusing rows that break it`);
        break;
      }
      case 'rename_table': {
        const to = str(params.new_name);
        if (isNew) createdTables.add(to);
        else emit('DF805', `renaming "${table}" to "${to}" breaks every deployed query that names "${table}"`);
        break;
      }
      case 'rename_column':
        if (!isNew)
          emit(
            'DF806',
            `renaming "${table}"."${str(params.column_name)}" to "${str(params.new_name)}" breaks every deployed query that names the old column`,
          );
        break;
    }
  }
  return findings;
}
