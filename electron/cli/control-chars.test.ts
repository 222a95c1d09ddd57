/**
 * Control characters from a workflow or a database never reach the terminal raw: `validate`,
 * `plan`, `run` and `history` show them escaped (`\e`, `\x07`, `\x9b`...) in text output, and as
 * JSON escapes with `--json`, the JSON still reading back the original text.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestDatabase, type TestDatabase } from '../../test/databases.ts';
import type { RunResult } from '../../shared/run.ts';
import { dataflow } from '../../test/dataflow-cli.ts';

/** A name that clears the screen and prints a green "ALL GOOD", then rings the bell and sends a C1 CSI. */
const EVIL = 'evil\x1b[2J\x1b[1;32mALL GOOD\x1b[0m\x07\x9b31m\r';
const SHOWN = 'evil\\e[2J\\e[1;32mALL GOOD\\e[0m\\x07\\x9b31m\\r';
/** Any control character but newline and tab: C0, DEL, C1. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

function workflowFile(body: Record<string, unknown>): string {
  const path = join(mkdtempSync(join(tmpdir(), 'dataflow-ctl-')), 'evil.dataflow.json');
  writeFileSync(path, JSON.stringify({ format: 'dataflow-workflow', version: 1, ...body }));
  return path;
}

const tracked = () =>
  workflowFile({
    name: EVIL,
    nodes: [{ id: 'track', type: 'MigrationNode', params: { migration_name: EVIL, status: 'completed' } }],
  });

function expectNoRawControl(...texts: string[]): void {
  for (const text of texts) expect(text).not.toMatch(RAW_CONTROL);
}

describe('dataflow validate with control characters', () => {
  it('shows the workflow name escaped', async () => {
    const r = await dataflow('validate', tracked());
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`ok: ${SHOWN}: 1 node(s)`);
    expectNoRawControl(r.stdout, r.stderr);
  });

  it('shows an unknown node type escaped in the problem', async () => {
    const r = await dataflow('validate', workflowFile({ name: 'x', nodes: [{ id: 'n1', type: EVIL, params: {} }] }));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(SHOWN);
    expect(r.stderr).toMatch(/node "n1"/);
    expectNoRawControl(r.stdout, r.stderr);
  });
});

for (const dialect of DIALECTS) {
  describe(`dataflow plan, run and history with control characters on ${dialect}`, () => {
    let db: TestDatabase & { cleanup(): Promise<void> };
    beforeAll(async () => {
      db = await createTestDatabase(dialect);
    });
    afterAll(async () => {
      await db?.cleanup();
    });

    it('plan shows names escaped', async () => {
      const r = await dataflow('plan', tracked(), '--db', db.conn);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(SHOWN);
      expectNoRawControl(r.stdout, r.stderr);
    });

    it('run shows them escaped in text, as JSON escapes with --json; history too', async () => {
      const file = tracked();
      const text = await dataflow('run', file, '--db', db.conn, '--rehearse');
      expect(text.code).toBe(0);
      expectNoRawControl(text.stdout, text.stderr);
      const json = await dataflow('run', file, '--db', db.conn, '--json');
      expect(json.code).toBe(0);
      expectNoRawControl(json.stdout, json.stderr);
      expect((JSON.parse(json.stdout) as RunResult).workflow).toBe(EVIL);

      const history = await dataflow('history', '--db', db.conn);
      expect(history.code).toBe(0);
      expect(history.stdout).toContain(SHOWN);
      expectNoRawControl(history.stdout, history.stderr);
      const historyJson = await dataflow('history', '--db', db.conn, '--json');
      expectNoRawControl(historyJson.stdout);
      expect(JSON.parse(historyJson.stdout)).toEqual([expect.objectContaining({ name: EVIL, workflow: EVIL })]);
    });

    it('run shows a failing node error from the database escaped', async () => {
      await db.setup('CREATE TABLE t (id integer PRIMARY KEY, v integer)');
      const file = workflowFile({
        name: 'fails',
        nodes: [
          {
            id: 'fill',
            type: 'DataBackfillNode',
            params: { table: 't', update_field: 'v', calculation: `"${EVIL.slice(0, 12)}" + 1` },
          },
        ],
      });
      // Table t was created outside the product after the runs before: accept that drift.
      const r = await dataflow('run', file, '--db', db.conn, '--accept-drift');
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/node "fill", field "calculation" \(Expression\): .*evil\\e\[2J\\e\[1;/);
      expectNoRawControl(r.stdout, r.stderr);
    });
  });
}
