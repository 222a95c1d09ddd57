/**
 * Issues 5 and 6 (connections, the toolbar's connection picker): in the browser app over the web
 * host, add a SQLite connection to a file this test creates, see a wrong path refused inline, test
 * it (the SQLite version), save it, pick it in the toolbar, plan one of the guide's examples on it,
 * find the run in the history, and delete the connection again.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from '@playwright/test';
import { finishedRun, openApp, shot } from './editor.ts';

/** A fresh SQLite file of a user's own: `users` (which the example changes) and a table the demo database has not. */
function createShopFile(): { path: string; version: string } {
  const path = join(mkdtempSync(join(tmpdir(), 'dataflow-e2e-conn-')), 'shop.db');
  const db = new Database(path);
  db.exec(`
    CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
    CREATE TABLE loyalty_cards (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id), points INTEGER NOT NULL DEFAULT 0);
    INSERT INTO users (name) VALUES ('Ada'), ('Grace'), ('Linus');
  `);
  const { version } = db.prepare('SELECT sqlite_version() AS version').get() as { version: string };
  db.close();
  return { path, version };
}

function columnsOf(path: string, table: string): string[] {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map((c) => c.name);
  } finally {
    db.close();
  }
}

test('add a SQLite connection, test it, save it, pick it in the toolbar and plan an example on it', async ({
  page,
}, info) => {
  const file = createShopFile();
  const name = `Shop file ${Date.now().toString(36)}`;
  await openApp(page);

  await page.getByTestId('btn-connections').click();
  const dialog = page.getByTestId('connections-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('connections-list')).toContainText('Demo database');
  await expect(page.getByTestId('connections-add')).toBeFocused();
  await page.getByTestId('connections-add').click();
  await expect(page.getByTestId('conn-name')).toBeFocused();

  await page.keyboard.type(name);
  await page.getByTestId('conn-path').fill('shop.db');
  await page.getByTestId('conn-path').press('Enter');
  await expect(page.getByTestId('conn-error-path')).toContainText('is not a full path');
  await expect(page.getByTestId('conn-path')).toBeFocused();

  await page.getByTestId('conn-path').fill(file.path);
  await expect(page.getByTestId('conn-error-path')).toHaveCount(0);
  await page.getByTestId('conn-test').click();
  await expect(page.getByTestId('conn-test-result')).toHaveText(`Connected: SQLite ${file.version}`);
  await shot(page, info, 'connection-tested');

  await page.getByTestId('conn-name').press('Enter');
  const row = dialog.locator(`tr[data-name="${name}"]`);
  await expect(row).toBeVisible();
  await expect(page.getByTestId('connections-notice')).toHaveText(`Saved “${name}”.`);
  await expect(row).toContainText('SQLite');
  await expect(row).toContainText(file.path);
  await expect(row).toContainText('no password needed');
  const id = await row.getAttribute('data-connection-id');
  expect(id).toBeTruthy();
  await shot(page, info, 'connection-saved');

  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  const picker = page.getByTestId('connection-select');
  await expect(picker.locator(`option[value="${id}"]`)).toHaveText(new RegExp(`^${name}`));
  await picker.selectOption(id!);
  await expect(page.getByTestId('schema-table-loyalty_cards')).toBeVisible();
  await expect(page.getByTestId('schema-table-orders')).toHaveCount(0);

  await page.keyboard.press('Control+o');
  await page.getByTestId('example-files').getByRole('button', { name: 'Add Column', exact: true }).click();
  await expect(page.locator('.react-flow__node')).toHaveCount(1);
  await page.keyboard.press('Control+Enter');
  expect(await finishedRun(page, 'plan')).toBe('succeeded');
  await page.getByTestId('tab-sql').click();
  await expect(page.getByTestId('sql-preview')).toContainText('ADD COLUMN "phone_number"');
  await shot(page, info, 'planned-on-own-file');
  expect(columnsOf(file.path, 'users')).toEqual(['id', 'name']);

  await page.getByTestId('tab-history').click();
  const latest = page.getByTestId('history-panel').locator('tbody tr').first();
  await expect(latest).toContainText('plan');
  await expect(latest).toContainText('succeeded');
  await expect(latest).toContainText(name);

  await page.getByTestId('btn-connections').click();
  await page.getByTestId(`connection-delete-${id}`).click();
  await page.getByTestId(`connection-delete-confirm-${id}`).click();
  await expect(page.getByTestId(`connection-row-${id}`)).toHaveCount(0);
  await page.getByTestId('connections-close').click();
  await expect(picker.locator(`option[value="${id}"]`)).toHaveCount(0);
  await expect(picker).toContainText('(demo)');
});
