/**
 * Issue 11 in the editor, on a real PostgreSQL server: a workflow that drops a column (DF802,
 * error) and builds an index without CONCURRENTLY (DF704, warning) on a table with rows. The
 * node cards carry the safety review's badge, the SQL preview shows each finding under its
 * statement and names the dataflow.lint.json next to the file; the one-click fix adds
 * CONCURRENTLY and Ctrl+Z takes it back; Apply lists the error and the warning and applies only
 * once the error is waived with a reason, which the Run panel (from the history) shows.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { expect, test } from '@playwright/test';
import { startPostgres, type PgServer } from '../test/pg-server.ts';
import { addPostgresConnection, finishedRun, openApp, shot } from './editor.ts';

let server: PgServer;
let url: URL;

const workflow = {
  format: 'dataflow-workflow',
  version: 1,
  name: 'Orders cleanup',
  description: '',
  nodes: [
    {
      id: 'drop_note',
      type: 'SchemaModificationNode',
      params: { operation: 'drop_column', table: 'orders', column_name: 'note' },
      position: { x: 40, y: 40 },
    },
    {
      id: 'index_user',
      type: 'SchemaModificationNode',
      params: { operation: 'create_index', table: 'orders', index_name: 'orders_user_id', columns: ['user_id'] },
      position: { x: 380, y: 40 },
    },
  ],
  connections: [{ source: 'drop_note', sourceOutput: 'result', target: 'index_user', targetInput: 'input' }],
};

async function query<T>(sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url.toString() });
  await c.connect();
  try {
    return (await c.query(sql)).rows as T[];
  } finally {
    await c.end();
  }
}

test.beforeAll(async () => {
  server = await startPostgres();
  url = new URL(await server.createDatabase());
  await query(
    "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, note text); INSERT INTO orders SELECT g, g % 97, 'n' FROM generate_series(1, 5000) g; ANALYZE orders;",
  );
});
test.afterAll(async () => {
  await server?.stop();
});

test('lint badges, findings under their statements, a fix undone, and an apply with a waiver', async ({
  page,
}, info) => {
  const dir = join(process.env.DATAFLOW_E2E_DIR!, 'home', 'orders-cleanup');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'orders-cleanup.dataflow.json');
  writeFileSync(file, JSON.stringify(workflow, null, 2));
  writeFileSync(join(dir, 'dataflow.lint.json'), JSON.stringify({ rules: { DF216: 'off' } }));
  await page.setViewportSize({ width: 1440, height: 900 });
  await openApp(page);

  // The PostgreSQL connection, added as a user would.
  await addPostgresConnection(page, url, 'Lint shop (PostgreSQL)');

  await page.getByTestId('btn-file-menu').click();

  await page.getByTestId('btn-open').click();
  await page.getByTestId('open-path').fill(file);
  await page.getByTestId('open-submit').click();
  await expect(page.getByTestId('node-drop_note')).toBeVisible();

  // Badges: the worst severity and the count.
  const dropBadge = page.getByTestId('node-lint-drop_note');
  const indexBadge = page.getByTestId('node-lint-index_user');
  await expect(dropBadge).toHaveAttribute('data-severity', 'error');
  await expect(dropBadge).toHaveText('✖ 1');
  await expect(indexBadge).toHaveAttribute('data-severity', 'warning');
  await expect(indexBadge).toHaveText('⚠ 1');
  await expect(dropBadge).toHaveAttribute('title', /DF802 DROP COLUMN loses the column and its data/);

  // The SQL preview: each finding under its statement, and the configuration that applied.
  await page.getByTestId('tab-sql').click();
  const dropNote = page.getByTestId('sql-finding-drop_note-DF802');
  await expect(dropNote).toContainText('error DF802');
  await expect(dropNote).toContainText('dropping "orders"."note" deletes its values');
  const indexNote = page.getByTestId('sql-finding-index_user-DF704');
  await expect(indexNote).toContainText('warning DF704');
  await expect(page.getByTestId('sql-preview-lint-config')).toContainText(join(dir, 'dataflow.lint.json'));
  // Each note sits right under the line of its statement.
  const lineAbove = (note: typeof dropNote) =>
    note.evaluate((el) => (el.previousElementSibling as HTMLElement | null)?.textContent ?? '');
  expect(await lineAbove(dropNote)).toBe('ALTER TABLE "orders" DROP COLUMN "note";');
  expect(await lineAbove(indexNote)).toMatch(/^CREATE INDEX "orders_user_id" ON "orders"/);
  await shot(page, info, 'lint-badges-and-sql-findings');

  // The one-click fix, and Ctrl+Z.
  await page.getByTestId('sql-finding-index_user-DF704-fix').click();
  await expect(indexBadge).toHaveCount(0);
  await expect(page.getByTestId('sql-preview-code')).toContainText('CREATE INDEX CONCURRENTLY "orders_user_id"');
  await shot(page, info, 'lint-fix-applied');
  await page.getByTestId('canvas').click({ position: { x: 60, y: 300 } });
  await page.keyboard.press('Control+z');
  await expect(indexBadge).toHaveText('⚠ 1');
  await expect(page.getByTestId('sql-preview-code')).not.toContainText('CREATE INDEX CONCURRENTLY');

  // Apply lists the error and the warning; it is refused until the error is waived with a reason.
  await page.getByTestId('btn-apply').click();
  const dialog = page.getByTestId('apply-dialog');
  await expect(dialog.getByTestId('apply-finding-drop_note-DF802')).toContainText('DROP COLUMN loses the column');
  await expect(dialog.getByTestId('apply-finding-index_user-DF704')).toContainText('CREATE INDEX without CONCURRENTLY');
  await expect(dialog.getByTestId('apply-lint-config')).toContainText(join(dir, 'dataflow.lint.json'));
  const confirm = page.getByTestId('apply-confirm');
  await expect(confirm).toBeDisabled();
  await expect(confirm).toHaveAttribute('title', 'Fix each error of the safety review, or waive it with a reason');
  await page.getByTestId('apply-waive-drop_note-DF802').check();
  await expect(confirm).toBeDisabled();
  await page.getByTestId('apply-waive-reason-drop_note-DF802').fill('note is unused since release 4.2');
  await expect(confirm).toBeEnabled();
  await shot(page, info, 'lint-apply-waiver');
  await confirm.click();
  expect(await finishedRun(page, 'apply')).toBe('succeeded');
  expect(
    await query<{ column_name: string }>(
      "SELECT column_name FROM information_schema.columns WHERE table_name = 'orders' ORDER BY 1",
    ),
  ).toEqual([{ column_name: 'id' }, { column_name: 'user_id' }]);

  // The waiver is in the run's history entry.
  await page.getByTestId('tab-history').click();
  await page.getByTestId('history-panel').locator('tbody tr').first().getByRole('button', { name: 'Open' }).click();
  await page.getByTestId('tab-run').click();
  await expect(page.getByTestId('run-waiver-drop_note-DF802')).toContainText('note is unused since release 4.2');
  await shot(page, info, 'lint-waiver-in-history');
});
