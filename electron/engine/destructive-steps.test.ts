import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS, createTestDatabase, type TestDatabase } from '../../test/databases.ts';
import { node, workflow } from '../../test/workflows.ts';
import { destructiveSteps } from '../../shared/destructive-steps.ts';
import { runWorkflow } from './run.ts';

const SETUP = [
  'CREATE TABLE people (id integer PRIMARY KEY, name text, nickname text)',
  "INSERT INTO people (id, name, nickname) VALUES (1, 'Ada', 'a'), (2, 'Bob', 'b')",
  'CREATE INDEX people_nickname ON people (nickname)',
];

for (const dialect of DIALECTS) {
  describe(`the Apply confirmation's destructive steps on ${dialect}`, () => {
    let db: TestDatabase & { cleanup(): Promise<void> };
    afterEach(async () => {
      await db?.cleanup();
    });

    const plan = async (params: Record<string, unknown>) => {
      db = await createTestDatabase(dialect);
      for (const sql of SETUP) await db.setup(sql);
      const result = await runWorkflow(
        workflow([node('change', 'SchemaModificationNode', { table: 'people', ...params })]),
        db,
        {
          mode: 'plan',
        },
      );
      expect(result.error).toBeNull();
      return result;
    };

    it('a SET NOT NULL is not destructive, though its plan drops what it built (PostgreSQL: the temporary CHECK)', async () => {
      const result = await plan({ operation: 'add_constraint', constraint_type: 'not_null', column_name: 'name' });
      const sql = result.nodes.change!.sql.map((s) => s.sql).join('\n');
      if (dialect === 'postgres') expect(sql).toMatch(/DROP CONSTRAINT/);
      expect(destructiveSteps(result)).toEqual([]);
    });

    it('a SQLite rebuild drops the old table after copying it: not destructive when the change loses nothing', async () => {
      const result = await plan({ operation: 'set_default', column_name: 'nickname', default_value: 'none' });
      if (dialect === 'sqlite') expect(result.nodes.change!.sql.map((s) => s.sql).join('\n')).toMatch(/DROP TABLE/);
      expect(destructiveSteps(result)).toEqual([]);
    });

    it('dropping a column or an index is listed, naming the node and the statement', async () => {
      const column = await plan({ operation: 'drop_column', column_name: 'nickname' });
      expect(destructiveSteps(column).map((s) => s.nodeId)).toContain('change');
      expect(destructiveSteps(column).length).toBeGreaterThan(0);
      await db.cleanup();
      const index = await plan({ operation: 'drop_index', index_name: 'people_nickname' });
      expect(destructiveSteps(index)).toEqual([
        expect.objectContaining({ nodeId: 'change', sql: expect.stringMatching(/DROP INDEX/) }),
      ]);
    });
  });
}
