/**
 * Issue 13 item 2, an unmistakable target: in the browser app over the web host, adding a
 * connection leaves the target alone; a production connection (its environment chosen in the
 * form, kept in store.db) paints a red band across the window, names itself on the Apply button,
 * and asks for its name before an apply commits to its real SQLite file; read-only, it cannot be
 * applied to.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from '@playwright/test';
import { finishedRun, openApp, shot } from './editor.ts';

function createOrdersFile(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'dataflow-e2e-target-')), 'orders.db');
  const db = new Database(path);
  db.exec(`
    CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
    INSERT INTO users (name) VALUES ('Ada'), ('Grace');
  `);
  db.close();
  return path;
}

function columnsOf(path: string, table: string): string[] {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map((c) => c.name);
  } finally {
    db.close();
  }
}

test('a production target: added without becoming the target, a red band, a named Apply, its name typed to apply', async ({
  page,
}, info) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const file = createOrdersFile();
  const name = `orders-prod-${Date.now().toString(36)}`;
  await openApp(page);
  const picker = page.getByTestId('connection-select');
  await expect(picker).toHaveValue('demo');
  await expect(page.getByTestId('target-environment')).toHaveText('development');
  await expect(page.getByTestId('btn-apply')).toHaveText('Apply to Demo database…');
  await expect(page.getByTestId('production-band')).toHaveCount(0);

  await page.getByTestId('btn-connections').click();
  await page.getByTestId('connections-add').click();
  await page.getByTestId('conn-name').fill(name);
  await page.getByTestId('conn-path').fill(file);
  await expect(page.getByTestId('conn-environment')).toHaveValue('development');
  await page.getByTestId('conn-environment').selectOption('production');
  await shot(page, info, 'production-connection-form');
  await page.getByTestId('conn-save').click();
  const row = page.getByTestId('connections-dialog').locator(`tr[data-name="${name}"]`);
  await expect(row).toBeVisible();
  const id = (await row.getAttribute('data-connection-id'))!;
  await expect(page.getByTestId(`connection-environment-${id}`)).toHaveText('production');
  await expect(page.getByTestId('connection-environment-demo')).toHaveText('development');
  await page.keyboard.press('Escape');

  // Saved, but the target is still the demo database.
  await expect(picker).toHaveValue('demo');
  await expect(page.getByTestId('production-band')).toHaveCount(0);
  await expect(page.getByTestId('btn-apply')).toHaveText('Apply to Demo database…');

  await picker.selectOption(id);
  await expect(page.getByTestId('production-band')).toContainText(`Target: ${name}`);
  await expect(page.getByTestId('target-environment')).toHaveText('production');
  await expect(page.getByTestId('btn-apply')).toHaveText(`Apply to ${name}…`);
  await expect(page.getByTestId('schema-table-users')).toBeVisible();

  await page.keyboard.press('Control+o');
  await page.getByTestId('example-files').getByRole('button', { name: 'Add Column', exact: true }).click();
  await expect(page.locator('.react-flow__node')).toHaveCount(1);
  await shot(page, info, 'production-target');

  await page.getByTestId('btn-apply').click();
  const dialog = page.getByTestId('apply-dialog');
  await expect(dialog).toContainText(`Apply to ${name} (production)?`);
  const confirm = page.getByTestId('apply-confirm');
  await expect(confirm).toBeDisabled();
  await page.getByTestId('apply-type-name').fill(name.slice(0, -1));
  await expect(confirm).toBeDisabled();
  await page.getByTestId('apply-type-name').press('Enter');
  await expect(dialog).toBeVisible();
  expect(columnsOf(file, 'users')).toEqual(['id', 'name']);
  await page.getByTestId('apply-type-name').fill(name);
  await expect(confirm).toBeEnabled();
  await expect(confirm).toHaveText(`Apply to ${name}`);
  await shot(page, info, 'production-apply-typed');
  await confirm.click();
  expect(await finishedRun(page, 'apply')).toBe('succeeded');
  expect(columnsOf(file, 'users')).toEqual(['id', 'name', 'phone_number']);

  // The schema browser read the database again after the apply: users opens to its columns in full,
  // the product's own tables (the run records) are in the DataFlow group.
  await page.getByTestId('schema-table-users').getByRole('button').click();
  const phone = page.getByTestId('schema-column').filter({ hasText: 'phone_number' });
  await expect(phone).toBeVisible();
  await page.getByTestId('schema-group-dataflow').click();
  await expect(page.getByTestId('schema-table-dataflow_runs')).toBeVisible();
  await shot(page, info, 'schema-browser');
  // A column dragged onto the canvas: a schema change on that column of that table.
  await phone.dragTo(page.locator('.react-flow__pane'));
  await expect(page.locator('.react-flow__node')).toHaveCount(2);

  // Read-only: the environment stays, apply is refused.
  await page.getByTestId('btn-connections').click();
  await page.getByTestId(`connection-edit-${id}`).click();
  await expect(page.getByTestId('conn-environment')).toHaveValue('production');
  await page.getByTestId('conn-readonly').check();
  await page.getByTestId('conn-save').click();
  await expect(page.getByTestId(`connection-readonly-${id}`)).toBeVisible();
  await expect(page.getByTestId(`connection-environment-${id}`)).toHaveText('production');
  await page.keyboard.press('Escape');
  await expect(picker).toHaveValue(id);
  await expect(page.getByTestId('btn-apply')).toBeDisabled();
  await expect(page.getByTestId('btn-apply')).toHaveAttribute('title', `${name} is read-only: apply is disabled on it`);

  await page.getByTestId('btn-connections').click();
  await page.getByTestId(`connection-delete-${id}`).click();
  await page.getByTestId(`connection-delete-confirm-${id}`).click();
  await page.keyboard.press('Escape');
  await expect(picker).toHaveValue('');
  await expect(picker).toContainText('Choose a target…');
  await expect(page.getByTestId('production-band')).toHaveCount(0);
  await expect(page.getByTestId('btn-apply')).toBeDisabled();
});
