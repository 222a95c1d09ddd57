/** `dataflow run` on a file with the editor's sticky notes and groups: they change nothing of the run. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/databases.ts';
import type { RunResult } from '../../shared/run.ts';
import { dataflow, example } from '../../test/dataflow-cli.ts';

let db: TestDatabase & { cleanup(): Promise<void> };
beforeAll(async () => {
  db = await createTestDatabase('sqlite');
  await db.setup('CREATE TABLE orders (id INTEGER PRIMARY KEY)');
});
afterAll(() => db?.cleanup());

it('runs a workflow with notes and a collapsed group exactly as without them', async () => {
  const wf = JSON.parse(readFileSync(example('basic-add-column'), 'utf8')) as Record<string, unknown>;
  const file = join(mkdtempSync(join(tmpdir(), 'dataflow-annotations-')), 'annotated.dataflow.json');
  writeFileSync(
    file,
    JSON.stringify({
      ...wf,
      notes: [{ id: 'why', text: '<script>x</script> **not SQL**', position: { x: 0, y: -200 } }],
      groups: [{ id: 'g', name: 'Add the column', nodes: ['add_column'], collapsed: true }],
    }),
  );
  const r = await dataflow('run', file, '--db', db.conn, '--rehearse', '--json');
  expect(r.stderr).not.toMatch(/error/i);
  expect(r.code).toBe(0);
  const result = JSON.parse(r.stdout) as RunResult;
  expect(result.status).toBe('succeeded');
  expect(Object.keys(result.nodes)).toEqual(['add_column']);
  expect(result.nodes.add_column?.sql.map((s) => s.sql).join('\n')).toMatch(/ALTER TABLE "orders" ADD COLUMN "notes"/);
});
