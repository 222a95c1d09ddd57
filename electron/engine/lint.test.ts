/**
 * The safety review of workflows: planned against real SQLite and PostgreSQL databases, the
 * statements of each schema change reviewed. Findings name the node, the param and its form label
 * and the planned statement; the safe forms the planner chooses (NOT VALID then VALIDATE,
 * CONCURRENTLY, unique index then USING INDEX, CHECK before SET NOT NULL) are not reported.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../../shared/lint/config.ts';
import { LINT_RULES, type LintCode, type LintRule } from '../../shared/lint/rules.ts';
import type { DialectName } from '../../shared/schema.ts';
import { freshDatabases } from '../../test/databases.ts';
import { node, workflow } from '../../test/workflows.ts';
import { lintWorkflow } from './lint.ts';

const fresh = freshDatabases();

async function lint(dialect: DialectName, setup: string, params: Record<string, unknown>[], thresholds = {}) {
  const db = await fresh(dialect, setup);
  const wf = workflow(
    params.map((p, i) => node(`change_${i + 1}`, 'SchemaModificationNode', p)),
    params.slice(1).map((_, i) => `change_${i + 1}.result->change_${i + 2}.input`),
  );
  return lintWorkflow(wf, db, { ...DEFAULT_THRESHOLDS, ...thresholds });
}

const ORDERS =
  'CREATE TABLE users (id bigint PRIMARY KEY); CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, total numeric(10,2), note text);' +
  ' INSERT INTO users VALUES (1); INSERT INTO orders VALUES (1, 1, 5, NULL), (2, 1, 7, NULL);';

describe('lint of a workflow on PostgreSQL', () => {
  it('names the node, the field by its form label and the planned statement', async () => {
    const r = await lint('postgres', ORDERS, [
      { operation: 'create_index', table: 'orders', index_name: 'orders_user', columns: ['user_id'] },
      { operation: 'drop_column', table: 'orders', column_name: 'note' },
      { operation: 'rename_column', table: 'orders', column_name: 'total', new_name: 'amount' },
    ]);
    expect(r.problems).toEqual([]);
    // The drop comes after the prior backup's statements: the finding's step is the DROP's index
    // in the node's planned SQL, so the SQL preview marks the DROP, not the backup.
    const drop = r.plan.nodes.change_2!.sql.findIndex((s) => s.sql.startsWith('ALTER TABLE "orders" DROP COLUMN'));
    expect(drop).toBeGreaterThan(0);
    expect(r.result.findings.map((f) => [f.node, f.code, f.fieldLabel, f.step])).toEqual([
      ['change_1', 'DF704', 'Concurrently (PostgreSQL)', 0],
      ['change_2', 'DF802', 'Column', drop],
      ['change_3', 'DF806', 'New name', 0],
    ]);
    expect(r.result.findings[0]!.statement).toBe('CREATE INDEX "orders_user" ON "orders" ("user_id")');
    expect(r.result.notes.join()).toMatch(/lock_timeout 2000 ms, retried 3 times/);
  });

  it("the planner's safe forms are not reported", async () => {
    const r = await lint('postgres', ORDERS, [
      {
        operation: 'create_index',
        table: 'orders',
        index_name: 'orders_user',
        columns: ['user_id'],
        concurrently: true,
      },
      {
        operation: 'add_constraint',
        table: 'orders',
        constraint_type: 'foreign_key',
        constraint_name: 'orders_user_fk',
        column_name: 'user_id',
        references: { table: 'users', column: 'id' },
      },
      {
        operation: 'add_constraint',
        table: 'orders',
        constraint_type: 'check',
        constraint_name: 'total_pos',
        expression: 'total >= 0',
      },
      { operation: 'add_constraint', table: 'orders', constraint_type: 'not_null', column_name: 'total' },
      {
        operation: 'add_constraint',
        table: 'orders',
        constraint_type: 'unique',
        columns: ['id', 'user_id'],
        concurrently: true,
      },
      { operation: 'alter_column_type', table: 'orders', column_name: 'total', column_type: 'numeric(12,2)' },
    ]);
    expect(r.problems).toEqual([]);
    expect(r.result.findings.map((f) => f.code)).toEqual([]);
  });

  it("the planner's DF701 on a table with rows is one finding, on the Default field", async () => {
    const r = await lint('postgres', ORDERS, [
      {
        operation: 'add_column',
        table: 'orders',
        column_name: 'token',
        column_type: 'uuid',
        default_value: { sql: 'gen_random_uuid()' },
      },
    ]);
    expect(r.result.findings.map((f) => [f.code, f.fieldLabel])).toEqual([['DF701', 'Default']]);
  });

  it('a table created earlier in the workflow is new: indexing it is not reported', async () => {
    const r = await lint('postgres', '', [
      {
        operation: 'create_table',
        table: 'tags',
        columns: [
          { name: 'id', type: 'bigint', primary_key: true },
          { name: 'n', type: 'text' },
        ],
      },
      { operation: 'create_index', table: 'tags', index_name: 'tags_n', columns: ['n'] },
    ]);
    expect(r.result.findings.map((f) => f.code)).toEqual([]);
  });
});

describe('the SQLite rules on their catalogue examples', () => {
  for (const [code, rule] of Object.entries(LINT_RULES) as [LintCode, LintRule][]) {
    const example = rule.dialects === 'sqlite' ? rule.example : rule.sqliteExample;
    if (!example) continue;
    it(`${code}: the example change is reported, its safe form is not`, async () => {
      const params = (text: string) => [JSON.parse(text) as Record<string, unknown>];
      const bad = await lint('sqlite', example.setup ?? '', params(example.bad), example.thresholds);
      expect(bad.problems).toEqual([]);
      expect(bad.result.findings.map((f) => f.code)).toContain(code);
      const good = await lint('sqlite', example.setup ?? '', params(example.good), example.thresholds);
      expect(good.problems).toEqual([]);
      expect(good.result.findings.map((f) => f.code)).not.toContain(code);
    });
  }
});
