import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DriftReport } from '../../shared/drift.ts';
import type { RunResult } from '../../shared/run.ts';
import { DIALECTS, freshDatabases } from '../../test/databases.ts';
import { dataflow } from '../../test/dataflow-cli.ts';
import { node, workflow } from '../../test/workflows.ts';

const databases = freshDatabases();
const SETUP = "CREATE TABLE users (id integer PRIMARY KEY, name text); INSERT INTO users VALUES (1, 'ada');";

function file(name: string, column: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'df-drift-')), `${name}.dataflow.json`);
  const add = node('add', 'SchemaModificationNode', {
    table: 'users',
    operation: 'add_column',
    column_name: column,
    column_type: 'text',
  });
  writeFileSync(path, JSON.stringify(workflow([add], [], name)));
  return path;
}

for (const dialect of DIALECTS) {
  describe(`dataflow drift and run --accept-drift (${dialect})`, () => {
    it('exits 0 with nothing to compare or no drift, 1 with drift; run refuses until --accept-drift', async () => {
      const db = await databases(dialect, SETUP);
      const none = await dataflow('drift', '--db', db.conn);
      expect(none.code, none.stderr).toBe(0);
      expect(none.stdout).toMatch(/^no apply is recorded on .*: there is no recorded schema to compare with\n$/);

      const first = await dataflow('run', file('first', 'note'), '--db', db.conn, '--json');
      expect(first.code, first.stderr).toBe(0);
      const firstId = (JSON.parse(first.stdout) as RunResult).runId;
      const clean = await dataflow('drift', '--db', db.conn);
      expect(clean.code).toBe(0);
      expect(clean.stdout).toContain(`no drift: `);
      expect(clean.stdout).toContain(`matches the schema recorded after run ${firstId.slice(0, 8)} (first, `);

      await db.setup('ALTER TABLE users ADD COLUMN nickname text');
      const drift = await dataflow('drift', '--db', db.conn);
      expect(drift.code).toBe(1);
      expect(drift.stdout).toMatch(
        new RegExp(
          `^the database changed outside DataFlow Studio since run ${firstId.slice(0, 8)} \\(first, .*, succeeded\\) recorded it:\n {2}\\+ column users.nickname text\n$`,
        ),
      );
      const json = JSON.parse((await dataflow('drift', '--db', db.conn, '--json')).stdout) as DriftReport;
      expect(json.baseline?.runId).toBe(firstId);
      expect(json.diff.changes).toMatchObject([{ kind: 'column_added', table: 'users', column: 'nickname' }]);

      const refused = await dataflow('run', file('second', 'title'), '--db', db.conn);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toContain(
        '  + column users.nickname text\nto apply anyway, check the changes and accept them: --accept-drift',
      );
      expect(refused.stdout).toMatch(/error: .* changed outside DataFlow Studio since run/);

      const accepted = await dataflow('run', file('second', 'title'), '--db', db.conn, '--accept-drift');
      expect(accepted.code, accepted.stdout).toBe(0);
      expect(accepted.stdout).toContain(
        'drift accepted for this run (the database changed outside DataFlow Studio since run',
      );
      expect(accepted.stdout).toContain('+ column users.title text');
      expect((await dataflow('drift', '--db', db.conn)).code).toBe(0);
      const runs = await dataflow(
        'runs',
        '--db',
        db.conn,
        '--run',
        (await dataflow('runs', '--db', db.conn, '--json')).stdout.match(/"runId": "([^"]+)"/)![1]!,
      );
      expect(runs.stdout).toContain(
        'drift accepted before the run: {"baseline":"' + firstId + '","changes":["+ column users.nickname text"]}',
      );
    });

    it('names a completed migration whose workflow was edited, with --workflow', async () => {
      const db = await databases(dialect, SETUP);
      const dir = mkdtempSync(join(tmpdir(), 'df-drift-'));
      const tracked = (type: string) => {
        const path = join(dir, `tracked-${type}.dataflow.json`);
        writeFileSync(
          path,
          JSON.stringify(
            workflow(
              [
                node('add_score', 'SchemaModificationNode', {
                  table: 'users',
                  operation: 'add_column',
                  column_name: 'score',
                  column_type: type,
                }),
                node('done', 'MigrationNode', { migration_name: 'add_score', status: 'completed' }),
              ],
              ['add_score.result->done.input'],
              'scores',
            ),
          ),
        );
        return path;
      };
      expect((await dataflow('run', tracked('integer'), '--db', db.conn)).code).toBe(0);
      expect((await dataflow('drift', '--db', db.conn, '--workflow', tracked('integer'))).code).toBe(0);
      const edited = await dataflow('drift', '--db', db.conn, '--workflow', tracked('bigint'));
      expect(edited.code).toBe(1);
      expect(edited.stdout).toMatch(
        / {2}migration "add_score" \(completed by run [0-9a-f]{8}\): its workflow changed since, node "add_score" edited\n$/,
      );
    });

    it('exits 2 for unusable input', async () => {
      const db = await databases(dialect, SETUP);
      const missing = await dataflow('drift', '--db', db.conn, '--workflow', '/nonexistent/w.dataflow.json');
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/cannot read workflow file .*no such file/);
      expect((await dataflow('drift')).code).toBe(2);
      const rehearse = await dataflow('run', file('x', 'y'), '--db', db.conn, '--rehearse', '--accept-drift');
      expect(rehearse.code).toBe(2);
      expect(rehearse.stderr).toMatch(/--accept-drift is for apply/);
    });
  });
}
