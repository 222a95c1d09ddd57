/**
 * A lone surrogate (`"x\ud800y"`: valid JSON, not valid Unicode) would be stored as a replacement
 * character by both databases. Validation refuses it, naming node, field and position, and the
 * database is left as it was; a whole astral character (a surrogate pair) is stored exactly.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIALECTS, freshDatabases } from '../../test/databases.ts';
import { dataflow } from '../../test/dataflow-cli.ts';
import { findColumn, findTable } from '../../shared/schema.ts';
import { WorkflowError, workflowSchema, type Workflow } from '../../shared/workflow.ts';
import { runWorkflow } from './run.ts';

const fresh = freshDatabases();

function addColumn(defaultValue: string, migration = 'm1'): Workflow {
  return workflowSchema.parse({
    format: 'dataflow-workflow',
    version: 1,
    name: 'unicode',
    nodes: [
      {
        id: 'add_label',
        type: 'SchemaModificationNode',
        params: {
          table: 'items',
          operation: 'add_column',
          column_name: 'label',
          column_type: 'text',
          nullable: true,
          default_value: defaultValue,
        },
      },
      {
        id: 'track',
        type: 'MigrationNode',
        params: { migration_name: migration, status: 'completed', metadata: { description: 'ok' } },
      },
    ],
  });
}

for (const dialect of DIALECTS) {
  describe(`lone surrogates on ${dialect}`, () => {
    it('a default holding one is refused naming node, field and position; the table is unchanged', async () => {
      const db = await fresh(dialect, 'CREATE TABLE items (id integer PRIMARY KEY)');
      for (const mode of ['plan', 'apply'] as const) {
        const run = runWorkflow(addColumn('😀x\ud800y'), db, { mode });
        await expect(run).rejects.toThrow(WorkflowError);
        const problems = await run.catch((e: WorkflowError) => e.problems);
        expect(problems).toEqual([
          expect.objectContaining({
            node: 'add_label',
            field: 'default_value',
            message: expect.stringMatching(
              /^holds a lone surrogate \(\\ud800\) at character 3, which is not valid Unicode/,
            ),
          }),
        ]);
      }
      const items = findTable(await db.dialect.introspect(db.driver), 'items')!;
      expect(items.columns.map((c) => c.name)).toEqual(['id']);
    });

    it('a nested value or a key holding one is refused with its path', async () => {
      const db = await fresh(dialect, 'CREATE TABLE items (id integer PRIMARY KEY)');
      const workflow = addColumn('fine');
      workflow.nodes[1]!.params.metadata = { description: 'a\udc00', ['k\ud800']: 1 };
      const problems = await runWorkflow(workflow, db, { mode: 'apply' }).catch((e: WorkflowError) => e.problems);
      expect(problems).toEqual([
        expect.objectContaining({
          node: 'track',
          field: 'metadata.description',
          message: expect.stringMatching(/\(\\udc00\) at character 2/),
        }),
        expect.objectContaining({
          node: 'track',
          field: 'metadata.k\ud800',
          message: expect.stringMatching(/\(\\ud800\) at character 2/),
        }),
      ]);
    });

    it('a whole astral character is stored exactly', async () => {
      const db = await fresh(dialect, 'CREATE TABLE items (id integer PRIMARY KEY)');
      await db.setup('INSERT INTO items (id) VALUES (1)');
      const result = await runWorkflow(addColumn('😀x'), db, { mode: 'apply' });
      expect(result.error).toBeNull();
      const { rows } = await db.driver.query<{ label: string }>('SELECT label FROM items');
      expect(rows[0]!.label).toBe('😀x');
      expect(findColumn(findTable(await db.dialect.introspect(db.driver), 'items')!, 'label')).toBeDefined();
    });
  });
}

describe('dataflow validate with a lone surrogate', () => {
  it('exits 2 naming node, field and position', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'dataflow-utf-')), 'w.dataflow.json');
    // Written as JSON escapes: the file itself is valid UTF-8.
    writeFileSync(path, JSON.stringify(addColumn('x\ud800y')));
    const r = await dataflow('validate', path);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^error: node "add_label", field "default_value" \(Default\): holds a lone surrogate \(\\ud800\) at character 2, which is not valid Unicode/m,
    );
  });
});
