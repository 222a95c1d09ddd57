import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS, createTestDatabase, type TestDatabase } from '../../../test/databases.ts';
import { runExecutor, testContext } from '../../../test/executor-context.ts';
import type { ValidationParams } from '../../../shared/nodes/validation.ts';
import type { RunMode } from '../../../shared/run.ts';
import type { Schema } from '../../../shared/schema.ts';
import type { Workflow } from '../../../shared/workflow.ts';
import { validationExecutor, type CheckReport } from './validation.ts';

const workflow: Workflow = {
  format: 'dataflow-workflow',
  version: 1,
  name: 'checks',
  description: '',
  nodes: [{ id: 'verify', type: 'ValidationNode', params: {}, position: { x: 0, y: 0 } }],
  connections: [],
};

const SETUP = `
  CREATE TABLE users (id integer PRIMARY KEY, email varchar(100), name text NOT NULL, score numeric(10,2), joined timestamp);
  INSERT INTO users (id, email, name, score) VALUES (1, 'a@x', 'A', 1.5), (2, 'b@x', 'B', NULL), (3, 'a@x', 'C', 2);
  CREATE TABLE users_copy (id integer PRIMARY KEY);
  INSERT INTO users_copy VALUES (1), (2), (3);
`;

async function validate(db: TestDatabase, params: ValidationParams, mode: RunMode = 'apply', plannedSchema?: Schema) {
  const ctx = testContext({ db, mode, workflow, nodeId: 'verify', params, plannedSchema });
  const { outputs, failure } = await runExecutor(validationExecutor, ctx);
  return { outputs, failure, warnings: ctx.warnings };
}

/** [params, passes, observed] — each case is one check. */
const CASES: [string, ValidationParams, boolean, unknown][] = [
  ['table exists', { table: 'users', check_table_exists: true }, true, true],
  ['table missing', { table: 'nope', check_table_exists: true }, false, false],
  ['column exists', { table: 'users', column: 'email', check_column_exists: true }, true, true],
  ['column missing', { table: 'users', column: 'phone', check_column_exists: true }, false, false],
  ['type varchar', { table: 'users', column: 'email', check_column_type: 'varchar(100)' }, true, undefined],
  [
    'type, other spelling',
    { table: 'users', column: 'email', check_column_type: 'CHARACTER VARYING (100)' },
    true,
    undefined,
  ],
  ['type decimal alias', { table: 'users', column: 'score', check_column_type: 'decimal(10,2)' }, true, undefined],
  ['type int alias', { table: 'users', column: 'id', check_column_type: 'int' }, true, undefined],
  ['type timestamp', { table: 'users', column: 'joined', check_column_type: 'timestamp' }, true, undefined],
  ['type mismatch', { table: 'users', column: 'email', check_column_type: 'text' }, false, undefined],
  ['type length mismatch', { table: 'users', column: 'email', check_column_type: 'varchar(20)' }, false, undefined],
  ['not null holds', { table: 'users', column: 'name', check_not_null: true }, true, 0],
  ['not null broken', { table: 'users', column: 'score', check_not_null: true }, false, 1],
  ['unique holds', { table: 'users', column: 'id', check_unique: true }, true, 0],
  ['unique holds despite NULLs', { table: 'users', column: 'joined', check_unique: true }, true, 0],
  ['unique broken', { table: 'users', column: 'email', check_unique: true }, false, 1],
  ['row count in range', { table: 'users', check_row_count: { min: 1, max: 10 } }, true, 3],
  ['row count below min', { table: 'users', check_row_count: { min: 5 } }, false, 3],
  ['row count above max', { table: 'users', check_row_count: { max: 2 } }, false, 3],
  ['row count equals table', { table: 'users', check_row_count: { equals_table: 'users_copy' } }, true, 3],
  [
    'row count, other table missing',
    { table: 'users', check_row_count: { equals_table: 'nope' } },
    false,
    'table "nope" does not exist',
  ],
  [
    'not null on missing column',
    { table: 'users', column: 'phone', check_not_null: true },
    false,
    'column "users.phone" does not exist',
  ],
  ['sql: no rows', { check_sql: 'SELECT id FROM users WHERE id < 0' }, true, 'no rows'],
  ['sql: true', { check_sql: 'SELECT COUNT(*) = 3 FROM users;' }, true, undefined],
  ['sql: false', { check_sql: 'SELECT COUNT(*) = 4 FROM users' }, false, undefined],
  ['sql: rows', { check_sql: 'SELECT id FROM users' }, false, 'more than one row'],
  [
    'sql: with',
    { check_sql: 'WITH d AS (SELECT email FROM users GROUP BY email HAVING COUNT(*) > 2) SELECT * FROM d' },
    true,
    'no rows',
  ],
];

for (const dialect of DIALECTS) {
  describe(`ValidationNode (${dialect})`, () => {
    let db: TestDatabase & { cleanup(): Promise<void> };
    beforeEach(async () => {
      db = await createTestDatabase(dialect);
      await db.setup(SETUP);
    });
    afterEach(async () => {
      await db.cleanup();
    });

    it('every check passes and fails as the data says, reporting what it observed', async () => {
      for (const [label, params, passes, observed] of CASES) {
        const { outputs, failure, warnings } = await validate(db, params);
        const check = Object.keys(params).find((k) => k.startsWith('check_'))!;
        if (passes) {
          expect(failure, label).toBeNull();
          expect(outputs!.passed, label).toBe(true);
          const [report] = outputs!.checks as CheckReport[];
          expect(report, label).toMatchObject({ check, passed: true });
          if (observed !== undefined) expect(report!.observed, label).toEqual(observed);
          expect(outputs!.result, label).toEqual({ passed: true, checks: outputs!.checks });
        } else {
          expect(failure, label).not.toBeNull();
          expect(failure!.field, label).toBe(check);
          expect(failure!.message, label).toMatch(/^1 of 1 checks failed/);
          expect(failure!.message, label).toContain(check);
          if (observed !== undefined) expect(failure!.message, label).toContain(`observed ${JSON.stringify(observed)}`);
          expect(warnings, label).toHaveLength(1);
        }
      }
    });

    it('reports every check; one failure fails the node and lists only the failed ones', async () => {
      const { failure, warnings } = await validate(db, {
        table: 'users',
        column: 'email',
        check_table_exists: true,
        check_column_exists: true,
        check_not_null: true,
        check_unique: true,
        check_column_type: 'text',
      });
      expect(failure!.message).toMatch(
        /2 of 5 checks failed: check_column_type on users\.email: expected "text", observed "[^"]+"; check_unique on users\.email: expected 0, observed 1/,
      );
      expect(warnings).toHaveLength(2);
    });

    it('check_sql: writes and second statements are rejected before anything runs', async () => {
      for (const sql of [
        'SELECT 1; DROP TABLE users',
        'DELETE FROM users',
        'WITH d AS (DELETE FROM users RETURNING *) SELECT * FROM d',
        'SELECT 1 -- ; DROP TABLE users',
      ]) {
        for (const mode of ['plan', 'apply'] as const) {
          const { failure } = await validate(db, { check_sql: sql }, mode);
          expect(failure?.field, sql).toBe('check_sql');
          expect(failure?.field, sql).toBe('check_sql');
        }
      }
      expect(Number((await db.driver.query<{ n: number }>('SELECT COUNT(*) AS n FROM users')).rows[0]!.n)).toBe(3);
    });

    it('an invalid expected type is an error naming the field', async () => {
      const { failure } = await validate(db, {
        table: 'users',
        column: 'email',
        check_column_type: 'varchar(20); DROP TABLE users',
      });
      expect(failure?.field).toBe('check_column_type');
      expect(failure?.message).toContain('is not a column type');
    });

    it('plan mode: schema checks read the simulated schema, data checks are reported as not run', async () => {
      const live = await db.dialect.introspect(db.driver);
      const planned: Schema = {
        ...live,
        tables: live.tables.map((t) =>
          t.name === 'users'
            ? {
                ...t,
                columns: [
                  ...t.columns,
                  { name: 'phone', type: 'varchar(20)', nullable: true, default: null, primaryKey: false },
                ],
              }
            : t,
        ),
      };
      const { outputs, failure } = await validate(
        db,
        {
          table: 'users',
          column: 'phone',
          check_column_exists: true,
          check_column_type: 'varchar(20)',
          check_not_null: true,
          check_sql: 'SELECT 1 FROM users WHERE phone IS NOT NULL',
        },
        'plan',
        planned,
      );
      expect(failure).toBeNull();
      const checks = outputs!.checks as CheckReport[];
      expect(checks.map((c) => [c.check, c.passed])).toEqual([
        ['check_column_exists', true],
        ['check_column_type', true],
        ['check_not_null', null],
        ['check_sql', null],
      ]);
      expect(checks[2]!.not_run).toMatch(/plan mode/);
      const missing = await validate(db, { table: 'users', column: 'phone', check_column_exists: true }, 'plan', live);
      expect(missing.failure?.field).toBe('check_column_exists');
    });
  });
}
