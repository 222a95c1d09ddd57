/**
 * A data node's walk and its own key: a backfill that writes the key column it walks by is
 * refused at plan time, and a walk visits only the keys of its start, whatever its writes do (a
 * trigger that inserts a row past the largest key for each row updated would otherwise keep it
 * walking for ever).
 */
import { describe, expect, it } from 'vitest';
import { DIALECTS, freshDatabases, type TestDatabase } from '../../../test/databases.ts';
import type { DialectName } from '../../../shared/schema.ts';
import { workflowSchema, type Workflow } from '../../../shared/workflow.ts';
import { runWorkflow } from '../run.ts';

const fresh = freshDatabases();

function backfill(params: Record<string, unknown>): Workflow {
  return workflowSchema.parse({
    format: 'dataflow-workflow',
    version: 1,
    name: 'walk_key',
    nodes: [
      {
        id: 'move_ids',
        type: 'DataBackfillNode',
        params: { table: 'items', batch_size: 3, batch_target_ms: 0, ...params },
      },
    ],
  });
}

async function items(dialect: DialectName, key: string): Promise<TestDatabase> {
  const db = await fresh(dialect);
  await db.setup(`CREATE TABLE items (${key}, v integer)`);
  await db.setup(
    `INSERT INTO items (id, v) VALUES ${Array.from({ length: 10 }, (_, i) => `(${i + 1}, NULL)`).join(', ')}`,
  );
  return db;
}

async function ids(db: TestDatabase): Promise<string> {
  const { rows } = await db.driver.query<{ id: number }>('SELECT id FROM items ORDER BY id');
  return rows.map((r) => r.id).join(',');
}

for (const dialect of DIALECTS) {
  describe(`a data node's walk and its key on ${dialect}`, () => {
    for (const [label, key] of [
      ['the primary key', 'id integer PRIMARY KEY'],
      ['a unique NOT NULL column', 'id integer NOT NULL UNIQUE'],
    ] as const) {
      it(`refuses a backfill of ${label} it walks by, in plan and apply, naming node and field; the table is unchanged`, async () => {
        const db = await items(dialect, key);
        const workflow = backfill({ update_field: 'id', calculation: 'id + 100000', where: '1 = 1' });
        for (const mode of ['plan', 'apply'] as const) {
          const result = await runWorkflow(workflow, db, { mode, signal: AbortSignal.timeout(20_000) });
          expect(result.status).toBe('failed');
          const node = result.nodes.move_ids!;
          expect(node.error?.field).toBe('update_field');
          expect(node.error?.message).toMatch(/^update_field: "id" is the key the backfill walks "items" by/);
          expect(result.error).toMatch(/move_ids/);
        }
        expect(await ids(db)).toBe('1,2,3,4,5,6,7,8,9,10');
      });
    }

    it('refuses a same-table copy into the key column it walks by, in plan and apply, naming field_mapping', async () => {
      const db = await items(dialect, 'id integer PRIMARY KEY');
      const workflow = workflowSchema.parse({
        format: 'dataflow-workflow',
        version: 1,
        name: 'walk_key',
        nodes: [
          {
            id: 'copy_into_key',
            type: 'DataMigrationNode',
            params: {
              source_table: 'items',
              target_table: 'items',
              field_mapping: { v: 'id' },
              where: 'v IS NOT NULL',
            },
          },
        ],
      });
      await db.setup('UPDATE items SET v = id + 100');
      for (const mode of ['plan', 'apply'] as const) {
        const result = await runWorkflow(workflow, db, { mode, signal: AbortSignal.timeout(20_000) });
        expect(result.status).toBe('failed');
        expect(result.nodes.copy_into_key!.error).toMatchObject({
          field: 'field_mapping',
          message: 'field_mapping: target column "id" is the key the copy walks by; copy into another column',
        });
      }
      expect(await ids(db)).toBe('1,2,3,4,5,6,7,8,9,10');
    });

    it('visits only the keys of its start when each update inserts a row past the largest key', async () => {
      const db = await items(dialect, 'id integer PRIMARY KEY');
      if (dialect === 'postgres') {
        await db.setup(`
          CREATE FUNCTION grow_items() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN INSERT INTO items (id) SELECT max(id) + 1 FROM items; RETURN NULL; END $$;
          CREATE TRIGGER grow AFTER UPDATE OF v ON items FOR EACH ROW EXECUTE FUNCTION grow_items();`);
      } else {
        await db.setup(
          'CREATE TRIGGER grow AFTER UPDATE OF v ON items BEGIN INSERT INTO items (id) SELECT max(id) + 1 FROM items; END',
        );
      }
      const controller = new AbortController();
      const result = await runWorkflow(backfill({ update_field: 'v', calculation: 'id * 2' }), db, {
        mode: 'apply',
        signal: controller.signal,
        onEvent: (e) => {
          if (e.type === 'progress' && e.progress.done > 100) controller.abort();
        },
      });
      expect(result.status).toBe('succeeded');
      expect(result.nodes.move_ids!.outputs).toMatchObject({ rows_updated: 10, rows_done_total: 10 });
      const { rows } = await db.driver.query<{ n: number | string; filled: number | string }>(
        'SELECT count(*) AS n, count(v) AS filled FROM items',
      );
      expect({ n: Number(rows[0]!.n), filled: Number(rows[0]!.filled) }).toEqual({ n: 20, filled: 10 });
    });
  });
}
