/**
 * Identifier and literal fuzzing (fast-check) against the real databases: an arbitrary table name,
 * column name, text default or integer default, written in a workflow file, either reaches the
 * database exactly (the introspected names are the names written; the value a new row gets is the
 * value written, character for character, digit for digit) or is refused clearly (validation or
 * the plan names the node and the field, and the database is left as it was). Hostile
 * characters (quotes, backslashes, semicolons, comment marks, dollar quotes, NUL, lone
 * surrogates, bidirectional marks, emoji) are drawn far more often than chance would.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DIALECTS, freshDatabases, type FreshDatabase } from '../../test/databases.ts';
import { databaseState } from '../../test/database-state.ts';
import { stringifyJson } from '../../shared/json-text.ts';
import { findColumn, findTable } from '../../shared/schema.ts';
import { parseWorkflow, WorkflowError } from '../../shared/workflow.ts';
import { runWorkflow } from './run.ts';

const fresh = freshDatabases();

/** Pieces that break naive quoting, drawn often; any other character now and then. */
const hostile = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom("'", '"', '\\', ';', '--', '/*', '*/', '$$', '$1', '?', '%', ':', '`', '[', ']'),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom('\u0000', '\ud800', '\udfff', '\n', '\t', '\r', '\u001b', '\u202e', '\u200b'),
  },
  { weight: 2, arbitrary: fc.constantFrom('é', 'ß', '😀', 'ｕ', 'İ', '\u0301', ' ') },
  { weight: 6, arbitrary: fc.constantFrom('a', 'b', 'Z', '_', '0', '9', 'x') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
);

const identifierLike = fc.oneof(
  fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_$]{0,62}$/),
  fc.constantFrom('select', 'Table', 'ORDER', 'user', 'group', 'default', 'null', 'primary', 'end'),
  fc.constantFrom('oid', 'ctid', 'xmin', 'tableoid', 'rowid', '_rowid_', 'sqlite_master', 'sqlite_x', 'pg_class'),
  fc.string({ unit: hostile, maxLength: 70 }),
);

/** A workflow file's text: one node, read as the `dataflow` command reads it. */
function file(params: Record<string, unknown>): string {
  return stringifyJson({
    format: 'dataflow-workflow',
    version: 1,
    name: 'fuzz',
    nodes: [{ id: 'fuzz', type: 'SchemaModificationNode', params }],
  });
}

/** The workflow of `text` applied, or the validation's problems. */
async function apply(db: FreshDatabase, text: string) {
  let workflow;
  try {
    workflow = parseWorkflow(text).workflow;
  } catch (e) {
    if (!(e instanceof WorkflowError)) throw e;
    return { refused: 'validation' as const, problems: e.problems };
  }
  return { refused: null, result: await runWorkflow(workflow, db, { mode: 'apply', preflight: true }) };
}

/** A clear refusal: every problem names the node and a field, and says something. */
function expectClearProblems(problems: { node?: string; field?: string; message: string }[], fields: RegExp): void {
  expect(problems.length).toBeGreaterThan(0);
  for (const p of problems) {
    expect(p.node).toBe('fuzz');
    expect(p.field).toMatch(fields);
    expect(p.message.length).toBeGreaterThan(10);
  }
}

describe('what the fuzzing found', () => {
  it('PostgreSQL: a table named like a system catalog relation is refused (DF105), nothing created', async () => {
    const db = await fresh('postgres');
    for (const table of ['pg_class', 'pg_Foo']) {
      const outcome = await apply(
        db,
        file({ table, operation: 'create_table', columns: [{ name: 'oid', type: 'text' }] }),
      );
      expect(outcome.refused).toBeNull();
      expect(outcome.result!.nodes.fuzz!.error).toMatchObject({
        field: 'table',
        message: expect.stringContaining(`[DF105] the name "${table}" is reserved by the database`),
      });
      expect(findTable(await db.dialect.introspect(db.driver), table)).toBeUndefined();
    }
  });
});

for (const dialect of DIALECTS) {
  describe(`identifier and literal fuzzing on ${dialect}`, () => {
    it('a table and column name round-trip exactly or are refused naming the field', { timeout: 120_000 }, async () => {
      const db = await fresh(dialect);
      const before = await databaseState(db);
      let applied = 0;
      await fc.assert(
        fc.asyncProperty(identifierLike, identifierLike, async (table, column) => {
          const outcome = await apply(
            db,
            file({ table, operation: 'create_table', columns: [{ name: column, type: 'text' }] }),
          );
          if (outcome.refused) {
            expectClearProblems(outcome.problems, /^(table|columns\.0\.name)$/);
            return;
          }
          const { result } = outcome;
          if (result.status !== 'succeeded') {
            // Refused by the plan (a system column name, a reserved table name...): named, nothing created.
            const error = result.nodes.fuzz!.error!;
            expect(error.field, error.message).toMatch(/^(table|columns|columns\.0\.name)$/);
            expect(findTable(await db.dialect.introspect(db.driver), table)).toBeUndefined();
            return;
          }
          applied++;
          const created = findTable(await db.dialect.introspect(db.driver), table);
          expect(created?.name).toBe(table);
          expect(created?.columns.map((c) => c.name)).toEqual([column]);
          await db.driver.query(`DROP TABLE ${db.dialect.quoteIdent(table)}`);
        }),
        { numRuns: 60 },
      );
      expect(applied).toBeGreaterThan(5);
      const after = await databaseState(db);
      expect(after.schema.tables.filter((t) => !t.name.startsWith('dataflow_'))).toEqual(before.schema.tables);
    });

    it(
      'a text default round-trips character for character or is refused naming the field',
      { timeout: 120_000 },
      async () => {
        const db = await fresh(dialect, 'CREATE TABLE items (id integer PRIMARY KEY)');
        let n = 0;
        let stored = 0;
        await fc.assert(
          fc.asyncProperty(fc.string({ unit: hostile, maxLength: 40 }), async (value) => {
            const column = `v${++n}`;
            const outcome = await apply(
              db,
              file({
                table: 'items',
                operation: 'add_column',
                column_name: column,
                column_type: 'text',
                default_value: value,
              }),
            );
            if (outcome.refused) {
              // Only what no database stores is refused (NUL and lone surrogates), and a value that
              // reads as a reference to the node's input (":name") while nothing feeds the node.
              // eslint-disable-next-line no-control-regex -- NUL is what is refused
              expect(value).toMatch(/\u0000|[\ud800-\udfff]|^:[A-Za-z_][A-Za-z0-9_.]*$/u);
              expectClearProblems(outcome.problems, /^default_value$/);
              return;
            }
            expect(outcome.result.error, JSON.stringify(value)).toBeNull();
            await db.driver.query(`INSERT INTO items (id) VALUES (${n})`);
            const row = await db.driver.query<{ v: string }>(
              `SELECT ${db.dialect.quoteIdent(column)} AS v FROM items WHERE id = ${n}`,
            );
            expect(row.rows[0]!.v).toBe(value);
            stored++;
          }),
          { numRuns: 50, examples: [[':A']] },
        );
        expect(stored).toBeGreaterThan(20);
      },
    );

    it(
      'an integer default round-trips digit for digit or is refused naming the field',
      { timeout: 120_000 },
      async () => {
        const db = await fresh(dialect, 'CREATE TABLE items (id integer PRIMARY KEY)');
        // SQLite keeps every integer in 64 bits, whatever the declared type (docs/nodes.md).
        const limits =
          dialect === 'postgres'
            ? ({ smallint: 2n ** 15n, integer: 2n ** 31n, bigint: 2n ** 63n } as const)
            : ({ smallint: 2n ** 63n, integer: 2n ** 63n, bigint: 2n ** 63n } as const);
        let n = 0;
        await fc.assert(
          fc.asyncProperty(
            fc.constantFrom('smallint', 'integer', 'bigint'),
            fc.oneof(
              fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }),
              fc.constantFrom(2n ** 53n + 1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 63n, 32767n, -32769n),
            ),
            async (type, value) => {
              const column = `i${++n}`;
              const outcome = await apply(
                db,
                file({
                  table: 'items',
                  operation: 'add_column',
                  column_name: column,
                  column_type: type,
                  default_value: value,
                }),
              );
              const fits = value >= -limits[type] && value < limits[type];
              if (outcome.refused) {
                expect(fits, `${value} ${type} refused: ${outcome.problems.map((p) => p.message).join('; ')}`).toBe(
                  false,
                );
                expectClearProblems(outcome.problems, /^default_value$/);
                return;
              }
              if (!fits) {
                expect(outcome.result.status).toBe('failed');
                expect(outcome.result.nodes.fuzz!.error!.field).toBe('default_value');
                expect(findColumn(findTable(await db.dialect.introspect(db.driver), 'items')!, column)).toBeUndefined();
                return;
              }
              expect(outcome.result.error, `${value} ${type}`).toBeNull();
              await db.driver.query(`INSERT INTO items (id) VALUES (${n})`);
              const row = await db.driver.query<{ v: string }>(
                `SELECT CAST(${db.dialect.quoteIdent(column)} AS TEXT) AS v FROM items WHERE id = ${n}`,
              );
              expect(row.rows[0]!.v).toBe(String(value));
            },
          ),
          { numRuns: 60 },
        );
      },
    );
  });
}
