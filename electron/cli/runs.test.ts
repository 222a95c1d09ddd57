import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIALECTS, freshDatabases } from '../../test/databases.ts';
import { dataflow } from '../../test/dataflow-cli.ts';
import { node, workflow } from '../../test/workflows.ts';
import type { RunRecord } from '../db/run-records.ts';

const databases = freshDatabases();
const SETUP =
  'CREATE TABLE users (id integer PRIMARY KEY, name text); INSERT INTO users VALUES (1, NULL);' +
  'CREATE TABLE scores (id integer PRIMARY KEY, score integer CHECK (score >= 0)); INSERT INTO scores VALUES (1, NULL);';

function file(name: string, nodes: ReturnType<typeof node>[], connections: string[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'df-runs-')), `${name}.dataflow.json`);
  writeFileSync(path, JSON.stringify(workflow(nodes, connections, name)));
  return path;
}

const addNote = node('add_note', 'SchemaModificationNode', {
  table: 'users',
  operation: 'add_column',
  column_name: 'note',
  column_type: 'text',
});
/** Adds a column, then a backfill that breaks the table's CHECK: stops part-way. */
const breaking = () =>
  file(
    'breaking',
    [
      node('add_rank', 'SchemaModificationNode', {
        table: 'users',
        operation: 'add_column',
        column_name: 'rank',
        column_type: 'integer',
      }),
      node('fill_score', 'DataBackfillNode', { table: 'scores', update_field: 'score', calculation: '0 - 1' }),
    ],
    ['add_rank.result->fill_score.input'],
  );

for (const dialect of DIALECTS) {
  describe(`dataflow runs (${dialect})`, () => {
    it('lists the applies newest first, a run that stopped part-way as "partially applied", and shows one node by node', async () => {
      const db = await databases(dialect, SETUP);
      expect((await dataflow('runs', '--db', db.conn)).stdout).toBe(
        'no runs recorded (an apply records its run here)\n',
      );
      const ok = await dataflow('run', file('add_note', [addNote], []), '--db', db.conn);
      expect(ok.code, ok.stderr).toBe(0);
      const bad = await dataflow('run', breaking(), '--db', db.conn);
      expect(bad.code).toBe(1);

      const list = await dataflow('runs', '--db', db.conn);
      expect(list.code, list.stderr).toBe(0);
      const lines = list.stdout.split('\n');
      expect(lines[0]).toMatch(/^run\s+state\s+workflow\s+started\s+nodes\s+changed\s+applied by$/);
      expect(lines[2]).toMatch(/^[0-9a-f]{8}\s+partially applied\s+breaking\s+\S+\s+2\/2\s+1\s+\S+@/);
      expect(lines[3]).toMatch(/^ {2}error: node "fill_score".*(check|constraint)/i);
      expect(lines[4]).toMatch(/^[0-9a-f]{8}\s+succeeded\s+add_note\s+\S+\s+1\/1\s+1\s/);

      const json = JSON.parse((await dataflow('runs', '--db', db.conn, '--json')).stdout) as RunRecord[];
      expect(json.map((r) => [r.workflow, r.state])).toEqual([
        ['breaking', 'partially applied'],
        ['add_note', 'succeeded'],
      ]);

      const one = await dataflow('runs', '--db', db.conn, '--run', json[0]!.runId.slice(0, 8));
      expect(one.code, one.stderr).toBe(0);
      expect(one.stdout).toContain(`run ${json[0]!.runId}: partially applied`);
      expect(one.stdout).toMatch(
        /add_rank \(SchemaModificationNode\): succeeded in .*\n {2}ALTER TABLE "users" ADD COLUMN "rank"/,
      );
      expect(one.stdout).toContain('  schema: + column users.rank integer');
      expect(one.stdout).toMatch(
        /fill_score \(DataBackfillNode\): failed[\s\S]*UPDATE "scores"[^\n]*\n {4}-> failed: .*(check|constraint)/i,
      );
    });

    it('refuses an unknown run and a bad --limit with exit 2', async () => {
      const db = await databases(dialect, SETUP);
      await dataflow('run', file('add_note', [addNote], []), '--db', db.conn);
      const unknown = await dataflow('runs', '--db', db.conn, '--run', 'ffffffff');
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toMatch(
        /--run: no run "ffffffff" is recorded in this database \(dataflow runs lists them\)/,
      );
      const limit = await dataflow('runs', '--db', db.conn, '--limit', '0');
      expect(limit.code).toBe(2);
      expect(limit.stderr).toMatch(/--limit must be a whole number/);
    });
  });
}
