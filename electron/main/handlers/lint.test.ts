/**
 * The editor's side of lint before apply, through the handler table with real workers on a real
 * PostgreSQL database: lint.workflow reviews the document with the dataflow.lint.json next to its
 * file; run.start refuses an apply while an error stands, and applies with a waiver, which the
 * history entry keeps.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type FreshDatabase } from '../../../test/databases.ts';
import { testCore, type TestCore } from '../../../test/app-core.ts';

const workflow = JSON.stringify({
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
    {
      id: 'add_idx',
      type: 'SchemaModificationNode',
      params: { operation: 'create_index', table: 'orders', index_name: 'orders_user', columns: ['user_id'] },
      position: { x: 0, y: 200 },
    },
  ],
  connections: [{ source: 'drop_note', sourceOutput: 'result', target: 'add_idx', targetInput: 'input' }],
});

describe('lint.workflow and lint before apply in the app', () => {
  let db: FreshDatabase;
  let core: TestCore;
  let connectionId: string;
  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    await db.setup(
      "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, note text); INSERT INTO orders SELECT g, g, 'n' FROM generate_series(1, 50) g; ANALYZE orders;",
    );
    core = testCore();
    const url = new URL(db.conn);
    const saved = await core.call('connections.save', {
      connection: {
        name: 'shop',
        kind: 'postgres',
        host: url.hostname,
        port: Number(url.port),
        database: url.pathname.slice(1),
        user: decodeURIComponent(url.username),
        sslMode: 'disable',
      },
      password: decodeURIComponent(url.password),
    });
    connectionId = saved.id;
  });
  afterAll(async () => {
    await core?.close();
    await db?.cleanup();
  });

  it('reviews the document: findings by node, step and form label, and the configuration next to the file', async () => {
    const report = await core.call('lint.workflow', { text: workflow, connectionId });
    expect(report.config).toBeNull();
    expect(report.live).toBe(true);
    expect(report.postgresVersion).toBeGreaterThanOrEqual(15);
    // The DROP comes after the prior backup's statements: the finding's step is its index in the node's SQL.
    expect(report.findings.map((f) => [f.node, f.code, f.severity, f.fieldLabel])).toEqual([
      ['drop_note', 'DF802', 'error', 'Column'],
      ['add_idx', 'DF704', 'warning', 'Concurrently (PostgreSQL)'],
    ]);
    expect(report.findings[0]!.step).toBeGreaterThan(0);
    expect(report.findings[0]!.statement).toMatch(/^ALTER TABLE "orders" DROP COLUMN "note"/);
    expect(report.findings[1]!.step).toBe(0);
    const dir = mkdtempSync(join(core.homeDir, 'project-'));
    writeFileSync(join(dir, 'dataflow.lint.json'), JSON.stringify({ rules: { DF704: 'off' } }));
    const file = join(dir, 'drop.dataflow.json');
    const configured = await core.call('lint.workflow', { text: workflow, connectionId, filePath: file });
    expect(configured.config).toBe(join(dir, 'dataflow.lint.json'));
    expect(configured.findings.map((f) => f.code)).toEqual(['DF802']);
    writeFileSync(join(dir, 'dataflow.lint.json'), JSON.stringify({ rules: { DF704: 'loud' } }));
    await expect(core.call('lint.workflow', { text: workflow, connectionId, filePath: file })).rejects.toMatchObject({
      ipc: {
        field: 'filePath',
        message: expect.stringContaining('rules.DF704 must be "error", "warning", "info" or "off"'),
      },
    });
  });

  it('refuses an apply while DF802 stands; applies with a waiver, and the history entry keeps the review', async () => {
    const refused = await core.call('run.start', { text: workflow, connectionId, mode: 'apply' });
    const { result } = await core.sender.finished(refused.runId);
    expect(result.status).toBe('failed');
    expect(result.errorCode).toBe('lint_refused');
    expect(result.nodes.drop_note!.error!.message).toContain('[DF802]');
    expect(result.nodes.add_idx!.status).toBe('not_run');
    const columns = async () =>
      (
        await db.driver.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'orders'",
        )
      ).rows[0]!.n;
    expect(await columns()).toBe(3);
    expect((await core.call('history.get', { runId: refused.runId }))!.errorCode).toBe('lint_refused');

    await expect(
      core.call('run.start', {
        text: workflow,
        connectionId,
        mode: 'apply',
        waivers: [{ code: 'DF802', node: 'drop_note', reason: '  ' }],
      }),
    ).rejects.toMatchObject({ ipc: { code: 'invalid_payload', field: 'waivers.0.reason' } });

    const waived = await core.call('run.start', {
      text: workflow,
      connectionId,
      mode: 'apply',
      waivers: [{ code: 'DF802', node: 'drop_note', reason: 'note unused since 4.2' }],
    });
    const applied = (await core.sender.finished(waived.runId)).result;
    expect(applied.status).toBe('succeeded');
    expect(await columns()).toBe(2);
    const entry = await core.call('history.get', { runId: waived.runId });
    expect(entry!.review!.waivers).toEqual([{ code: 'DF802', node: 'drop_note', reason: 'note unused since 4.2' }]);
    expect(entry!.review!.findings.map((f) => f.code)).toEqual(['DF802', 'DF704']);
  });
});
