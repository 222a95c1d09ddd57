/** `dataflow run` lints before apply: refused while an error-level finding stands, unless waived with a reason. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunResult } from '../../shared/run.ts';
import { createTestDatabase, type FreshDatabase } from '../../test/databases.ts';
import { dataflow } from '../../test/dataflow-cli.ts';

function dropNoteWorkflow(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dataflow-run-review-'));
  const path = join(dir, 'drop-note.dataflow.json');
  writeFileSync(
    path,
    JSON.stringify({
      format: 'dataflow-workflow',
      version: 1,
      name: 'drop note',
      description: '',
      nodes: [
        {
          id: 'drop_note',
          type: 'SchemaModificationNode',
          params: { operation: 'drop_column', table: 'orders', column_name: 'note' },
          position: { x: 0, y: 0 },
        },
      ],
      connections: [],
    }),
  );
  return path;
}

describe('dataflow run: lint before apply', () => {
  let pg: FreshDatabase;
  beforeEach(async () => {
    pg = await createTestDatabase('postgres');
    await pg.setup("CREATE TABLE orders (id bigint PRIMARY KEY, note text); INSERT INTO orders VALUES (1, 'keep');");
  });
  afterEach(async () => {
    await pg?.cleanup();
  });

  const noteColumn = async () =>
    (
      await pg.driver.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'note'",
      )
    ).rows[0]!.n;

  it('refuses an apply with an error-level finding, names it and the waiver flag, and writes nothing', async () => {
    const path = dropNoteWorkflow();
    const r = await dataflow('run', path, '--db', pg.conn);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'error: the safety review refuses to apply node "drop_note" while an error stands, so nothing was run: node "drop_note": [DF802] dropping "orders"."note" deletes its values',
    );
    expect(r.stdout).toContain(
      '  node "drop_note", field "Column": error [DF802] DROP COLUMN loses the column and its data',
    );
    expect(r.stdout).toContain(
      'to apply anyway, fix the node(s) or accept the finding(s): --waive DF802 --reason "<why>"',
    );
    expect(await noteColumn()).toBe(1);
    const json = JSON.parse((await dataflow('run', path, '--db', pg.conn, '--json')).stdout) as RunResult;
    expect(json.status).toBe('failed');
    expect(json.errorCode).toBe('lint_refused');
    expect(json.nodes.drop_note!.status).toBe('failed');
    expect(json.review!.findings.map((f) => [f.code, f.severity, f.node])).toEqual([['DF802', 'error', 'drop_note']]);
    expect(json.review!.waivers).toEqual([]);
    // A rehearsal is not reviewed: it commits nothing.
    expect((await dataflow('run', path, '--db', pg.conn, '--rehearse')).code).toBe(0);
    expect(await noteColumn()).toBe(1);
  });

  it('applies when the finding is waived with a reason, and records the waiver in the result', async () => {
    const path = dropNoteWorkflow();
    const otherNode = await dataflow('run', path, '--db', pg.conn, '--waive', 'DF802@other', '--reason', 'x');
    expect(otherNode.code).toBe(1);
    expect(await noteColumn()).toBe(1);
    const r = await dataflow(
      'run',
      path,
      '--db',
      pg.conn,
      '--json',
      '--waive',
      'df802@drop_note',
      '--reason',
      'note unused since release 4.2',
    );
    expect(r.stderr).not.toContain('FAIL');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as RunResult;
    expect(result.status).toBe('succeeded');
    expect(result.review!.waivers).toEqual([
      { code: 'DF802', node: 'drop_note', reason: 'note unused since release 4.2' },
    ]);
    expect(await noteColumn()).toBe(0);
  });

  it('the dataflow.lint.json next to the workflow applies; bad waiver flags are unusable input (exit 2)', async () => {
    const path = dropNoteWorkflow();
    writeFileSync(join(path, '..', 'dataflow.lint.json'), JSON.stringify({ rules: { DF802: 'warning' } }));
    const noReason = await dataflow('run', path, '--db', pg.conn, '--waive', 'DF802');
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain('--waive needs --reason');
    const badCode = await dataflow('run', path, '--db', pg.conn, '--waive', 'DF999', '--reason', 'x');
    expect(badCode.code).toBe(2);
    expect(badCode.stderr).toContain('--waive: DF999 is not a rule code');
    expect(await noteColumn()).toBe(1);
    const r = await dataflow('run', path, '--db', pg.conn);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`safety review (config: ${join(path, '..', 'dataflow.lint.json')}):`);
    expect(r.stdout).toContain('warning [DF802]');
    expect(await noteColumn()).toBe(0);
  });

  it('SQLite is reviewed too: the drop is refused on a SQLite file until waived, and the file keeps the column', async () => {
    const path = dropNoteWorkflow();
    const lite = await createTestDatabase('sqlite');
    try {
      await lite.setup(
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, note TEXT); INSERT INTO orders VALUES (1, 'keep');",
      );
      const columns = async () =>
        (await lite.driver.query<{ name: string }>("SELECT name FROM pragma_table_info('orders')")).rows.map(
          (c) => c.name,
        );
      const r = await dataflow('run', path, '--db', lite.conn);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(
        '  node "drop_note", field "Column": error [DF802] DROP COLUMN loses the column and its data',
      );
      expect(await columns()).toEqual(['id', 'note']);
      const waived = await dataflow('run', path, '--db', lite.conn, '--waive', 'DF802', '--reason', 'unused');
      expect(waived.code).toBe(0);
      expect(await columns()).toEqual(['id']);
    } finally {
      await lite.cleanup();
    }
  });
});
