/**
 * The safety review of a workflow's planned statements on SQLite (docs/lint.md). SQLite has no
 * ALTER for most changes, so the planner rebuilds the table (plan/rebuild.ts): the rules read its
 * copy statement and its foreign key checks, with the row estimates of the live schema. Drops and
 * renames are read from the nodes' params (shared/lint/change-rules.ts).
 */
import { lintChanges } from '../../../shared/lint/change-rules.ts';
import { aboutDuration, type LintThresholds } from '../../../shared/lint/config.ts';
import type { LintResult, PlannedNode, RawFinding } from '../../../shared/lint/finding.ts';
import { findTable, type Schema } from '../../../shared/schema.ts';

const NAME = '"((?:[^"]|"")+)"';
const COPY = new RegExp(`^INSERT INTO ${NAME} \\(.*\\) SELECT .* FROM ${NAME}$`, 's');
const FK_CHECK = new RegExp(`^PRAGMA foreign_key_check\\(${NAME}\\)$`);

const unquote = (s: string) => s.replace(/""/g, '"');
const rows = (n: number) => n.toLocaleString('en-US');

export async function lintSqlitePlan(
  nodes: readonly PlannedNode[],
  schema: Schema,
  thresholds: LintThresholds,
): Promise<LintResult> {
  const findings: RawFinding[] = lintChanges(nodes, (t) => findTable(schema, t)?.rowEstimate ?? null);
  let statements = 0;
  for (const { node, statements: sqls } of nodes) {
    let rebuilt: { table: string; step: number; sql: string } | null = null;
    const checked: string[] = [];
    const report = () => {
      const others = checked.filter((t) => t !== rebuilt?.table);
      if (rebuilt && others.length > 0) {
        const list = others.map((t) => `"${t}" (about ${rows(findTable(schema, t)?.rowEstimate ?? 0)} rows)`);
        findings.push({
          code: 'DF717',
          message: `the rebuild of "${rebuilt.table}" checks every row of the tables that reference it again: ${list.join(', ')}`,
          node,
          step: rebuilt.step,
          statement: rebuilt.sql,
        });
      }
      checked.length = 0;
    };
    for (const [step, sql] of sqls.entries()) {
      statements++;
      const copy = COPY.exec(sql);
      if (copy) {
        report();
        const table = unquote(copy[2]!);
        rebuilt = { table, step, sql };
        const live = findTable(schema, table);
        if (live && live.rowEstimate >= thresholds.largeTableRows) {
          findings.push({
            code: 'DF716',
            message: `SQLite cannot make this change in place: the rebuild copies about ${rows(live.rowEstimate)} rows of "${table}" while writers wait, ${aboutDuration(live.rowEstimate / thresholds.rowsPerSecond)} at ${rows(thresholds.rowsPerSecond)} rows/s`,
            node,
            step,
            statement: sql,
          });
        }
      }
      const check = FK_CHECK.exec(sql);
      if (check) checked.push(unquote(check[1]!));
    }
    report();
  }
  return { findings, notEvaluated: new Map(), statements, notes: [] };
}
