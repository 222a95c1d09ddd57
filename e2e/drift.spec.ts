/**
 * Issue 12 item 6 in the editor, over the web host on the real demo SQLite database: an apply on a
 * database changed outside DataFlow Studio since its last recorded apply is refused with the
 * changes shown as a schema diff; the user accepts the drift, the apply goes on, and the accepted
 * drift is kept with the run (the run panel, the history entry, the database's run record).
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, test, type Page } from '@playwright/test';
import { finishedRun, openApp, resetDemo, shot } from './editor.ts';

const demoPath = () => join(process.env.DATAFLOW_E2E_DIR!, 'data', 'demo.db');

function onDemo<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(demoPath());
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

async function openExample(page: Page, name: string, node: string): Promise<void> {
  await page.keyboard.press('Control+o');
  await page.getByTestId(`example-${name}`).click();
  await expect(page.getByTestId(`node-${node}`)).toBeVisible();
}

async function apply(page: Page): Promise<string> {
  await page.getByTestId('btn-apply').click();
  await page.getByTestId('apply-confirm').click();
  return finishedRun(page, 'apply');
}

test('an apply over drift is refused with the diff, and goes on once the drift is accepted, which is recorded', async ({
  page,
}, info) => {
  await openApp(page);
  await resetDemo(page);

  await openExample(page, 'basic-add-column', 'add_column');
  expect(await apply(page)).toBe('succeeded');

  // A colleague changes the database by hand, outside the product.
  onDemo((db) =>
    db.exec('ALTER TABLE users ADD COLUMN loyalty_tier text; CREATE INDEX users_email_idx ON users (email)'),
  );

  await openExample(page, 'migration-tracking', 'apply_change');
  expect(await apply(page)).toBe('failed');
  const dialog = page.getByTestId('drift-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('changed outside DataFlow Studio');
  await expect(dialog).toContainText('Nothing was applied.');
  await expect(dialog).toContainText('Basic Usage');
  await expect(dialog.getByTestId('diff-table-users')).toContainText('loyalty_tier');
  await expect(dialog.getByTestId('diff-table-users')).toContainText('users_email_idx');
  await expect(page.getByTestId('run-error')).toContainText('so nothing was run');
  expect(
    onDemo((db) => db.prepare('PRAGMA table_info(users)').all() as { name: string }[]).map((c) => c.name),
  ).not.toContain('phone_number');
  await shot(page, info, 'drift-refused');

  await page.getByTestId('drift-accept').click();
  expect(await finishedRun(page, 'apply')).toBe('succeeded');
  await expect(page.getByTestId('drift-dialog')).toHaveCount(0);
  await page.getByTestId('tab-run').click();
  await expect(page.getByTestId('run-drift-accepted')).toContainText('+ column users.loyalty_tier text');
  await shot(page, info, 'drift-accepted');

  // The history entry keeps the accepted drift; so does the database's run record.
  await page.getByTestId('tab-history').click();
  const rows = page.getByTestId('history-panel').locator('tbody tr');
  await expect(rows.first()).toContainText('succeeded');
  await rows.first().getByRole('button', { name: 'Open' }).click();
  await page.getByTestId('tab-run').click();
  await expect(page.getByTestId('run-drift-accepted')).toContainText('users_email_idx');
  const recorded = onDemo(
    (db) =>
      db.prepare('SELECT drift_accepted FROM dataflow_runs WHERE drift_accepted IS NOT NULL').all() as {
        drift_accepted: string;
      }[],
  );
  expect(recorded).toHaveLength(1);
  expect(JSON.parse(recorded[0]!.drift_accepted).changes).toEqual([
    '+ column users.loyalty_tier text',
    '+ index users_email_idx on users',
  ]);
});
