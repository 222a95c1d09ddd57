/**
 * Integers beyond 2^53 in a workflow file keep their digits on the way to the database: read as
 * BigInt (shared/json-text.ts), checked against the column type's range as integers, written into
 * the plan's SQL and stored exactly, on both databases, through the engine and the `dataflow`
 * command alike.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIALECTS, freshDatabases } from '../../test/databases.ts';
import { dataflow } from '../../test/dataflow-cli.ts';
import { parseWorkflow, serializeWorkflow } from '../../shared/workflow.ts';
import { parseColumnType, type ColumnType } from '../../shared/column-type.ts';
import { literalMismatch } from '../db/postgres/plan/values.ts';
import { defaultProblem } from '../db/sqlite/plan/values.ts';
import { runWorkflow } from './run.ts';

const fresh = freshDatabases();
const dir = mkdtempSync(join(tmpdir(), 'dataflow-bigint-'));

/** Workflow text adding column `name` of `type` whose default is written `literal` in the file. */
function addColumnText(name: string, type: string, literal: string): string {
  return `{
  "format": "dataflow-workflow",
  "version": 1,
  "name": "big",
  "nodes": [
    {
      "id": "add_${name}",
      "type": "SchemaModificationNode",
      "params": { "table": "items", "operation": "add_column", "column_name": "${name}", "column_type": "${type}", "default_value": ${literal} }
    }
  ],
  "connections": []
}
`;
}

for (const dialect of DIALECTS) {
  describe(`big integers on ${dialect}`, () => {
    it('a bigint default beyond 2^53 reaches the SQL and the stored rows with every digit', async () => {
      const db = await fresh(dialect, 'CREATE TABLE items (id integer PRIMARY KEY)');
      for (const [name, literal] of [
        ['big', '9007199254740993'],
        ['round', '10000000000000000'],
        ['top', '9223372036854775807'],
        ['bottom', '-9223372036854775808'],
      ] as const) {
        const { workflow } = parseWorkflow(addColumnText(name, 'bigint', literal));
        const r = await runWorkflow(workflow, db, { mode: 'apply', preflight: true });
        expect(r.status, JSON.stringify(r.nodes[`add_${name}`]?.error)).toBe('succeeded');
        expect(r.nodes[`add_${name}`]!.sql.map((s) => s.sql).join('\n')).toContain(`DEFAULT ${literal}`);
      }
      await db.driver.query('INSERT INTO items (id) VALUES (1)');
      const { rows } = await db.driver.query(
        'SELECT CAST(big AS TEXT) AS big, CAST(round AS TEXT) AS round, CAST(top AS TEXT) AS top, CAST(bottom AS TEXT) AS bottom FROM items',
      );
      expect(rows).toEqual([
        {
          big: '9007199254740993',
          round: '10000000000000000',
          top: '9223372036854775807',
          bottom: '-9223372036854775808',
        },
      ]);
    });

    it('an integer beyond the type range is refused, compared as an integer; the table is unchanged', async () => {
      const db = await fresh(dialect, 'CREATE TABLE items (id integer PRIMARY KEY)');
      const { workflow } = parseWorkflow(addColumnText('over', 'bigint', '9223372036854775808'));
      const r = await runWorkflow(workflow, db, { mode: 'apply', preflight: true });
      expect(r.status).toBe('failed');
      expect(r.nodes.add_over!.error).toMatchObject({
        field: 'default_value',
        message: expect.stringContaining(
          'default_value 9223372036854775808 does not fit bigint: give a whole number within the range',
        ),
      });
      const { rows } = await db.driver.query('SELECT * FROM items');
      expect(rows).toEqual([]);
      const cols = (await db.dialect.introspect(db.driver)).tables.find((t) => t.name === 'items')!.columns;
      expect(cols.map((c) => c.name)).toEqual(['id']);
    });

    it('dataflow plan prints the exact default and run stores it', async () => {
      const db = await fresh(dialect, 'CREATE TABLE items (id integer PRIMARY KEY)');
      const file = join(dir, `${dialect}-big.dataflow.json`);
      writeFileSync(file, addColumnText('big', 'bigint', '9007199254740993'));
      const plan = await dataflow('plan', file, '--db', db.conn);
      expect(plan.stderr).toBe('');
      expect(plan.stdout).toContain('DEFAULT 9007199254740993');
      const run = await dataflow('run', file, '--db', db.conn);
      expect(run.code, run.stderr).toBe(0);
      await db.driver.query('INSERT INTO items (id) VALUES (1)');
      const { rows } = await db.driver.query('SELECT CAST(big AS TEXT) AS big FROM items');
      expect(rows).toEqual([{ big: '9007199254740993' }]);
    });
  });
}

describe('the workflow file keeps big integers as written', () => {
  it('reads them as BigInt and writes the same digits back; ordinary numbers stay numbers', () => {
    const text = addColumnText('big', 'bigint', '9007199254740993');
    const { workflow } = parseWorkflow(text);
    expect(workflow.nodes[0]!.params.default_value).toBe(9007199254740993n);
    const saved = serializeWorkflow(workflow);
    expect(saved).toContain('"default_value": 9007199254740993\n');
    expect(parseWorkflow(saved).workflow).toEqual(workflow);
    const small = parseWorkflow(addColumnText('n', 'integer', '42')).workflow;
    expect(small.nodes[0]!.params.default_value).toBe(42);
  });

  it('a big integer where the param takes a bounded number is refused naming node and field', () => {
    const wf = JSON.parse(addColumnText('n', 'integer', '1')) as {
      nodes: { id: string; type: string; params: Record<string, unknown> }[];
    };
    wf.nodes.push({ id: 'fill', type: 'DataBackfillNode', params: {} });
    const withBatch = JSON.stringify(wf).replace(
      '"params":{}',
      '"params":{"table":"items","update_field":"n","calculation":"1","batch_size":12345678901234567890}',
    );
    expect(() => parseWorkflow(withBatch)).toThrow(
      'node "fill", field "batch_size" (Batch size): 12345678901234567890 is beyond the numbers this param takes; give a number within its range',
    );
  });
});

describe('integer defaults are compared with their type range as integers', () => {
  const type = (text: string) => (parseColumnType(text) as { ok: true; type: ColumnType }).type;
  it('PostgreSQL: each integer type to its own bounds, both ends included', () => {
    expect(literalMismatch(-32768, type('smallint'))).toBeNull();
    expect(literalMismatch(32768, type('smallint'))).toBe('a whole number within the range of smallint');
    expect(literalMismatch(-2147483648, type('integer'))).toBeNull();
    expect(literalMismatch(9223372036854775807n, type('bigint'))).toBeNull();
    expect(literalMismatch(-9223372036854775809n, type('bigint'))).toBe('a whole number within the range of bigint');
    expect(literalMismatch(12345678901234567890n, type('numeric(30,0)'))).toBeNull();
  });
  it('SQLite: 64 bits whatever the declared type', () => {
    expect(defaultProblem(9223372036854775807n, type('integer'), 'default_value')).toBeNull();
    expect(defaultProblem(9223372036854775808n, type('integer'), 'default_value')?.message).toBe(
      'default_value 9223372036854775808 does not fit integer: give a whole number within the range of a 64-bit integer, or {"sql": "..."} for an expression',
    );
  });
});
