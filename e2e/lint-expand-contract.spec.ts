/**
 * Issue 11 on SQLite (the demo database): a column rename is reported (DF806), and its one-click
 * fix replaces it on the canvas by expand/contract (add the new column, copy the old one into it,
 * a disabled drop of the old one for later); Ctrl+Z takes the whole fix back. A drop is an error
 * on SQLite as on PostgreSQL.
 */
import { expect, test } from '@playwright/test';
import { dropNode, openApp, renameTo, resetDemo, selectNode, setField, shot } from './editor.ts';

test('a rename becomes expand/contract in one undoable click; a drop is an error on SQLite', async ({ page }, info) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await openApp(page);
  await resetDemo(page);

  await dropNode(page, 'SchemaModificationNode', 200, 160);
  await renameTo(page, 'rename_email');
  await setField(page, 'operation', 'rename_column');
  await setField(page, 'table', 'users');
  await setField(page, 'column_name', 'email');
  await setField(page, 'new_name', 'email_address');

  const badge = page.getByTestId('node-lint-rename_email');
  await expect(badge).toHaveAttribute('data-severity', 'warning');
  await page.getByTestId('tab-sql').click();
  await expect(page.getByTestId('sql-finding-rename_email-DF806')).toContainText('warning DF806');
  await page.getByTestId('sql-finding-rename_email-DF806-fix').click();

  for (const id of ['rename_email', 'rename_email_copy', 'rename_email_contract'])
    await expect(page.getByTestId(`node-${id}`)).toBeVisible();
  // The drop of the old column is there for later, disabled: the card says so and the plan skips it.
  await expect(page.getByTestId('node-rename_email_contract')).toHaveAttribute('data-disabled', 'true');
  await expect(page.getByTestId('node-disabled-rename_email_contract')).toHaveText('disabled');
  await expect(badge).toHaveCount(0);
  const sql = page.getByTestId('sql-preview-code');
  await expect(sql).toContainText('ALTER TABLE "users" ADD COLUMN "email_address"');
  await expect(sql).toContainText('UPDATE "users" SET "email_address"');
  await expect(sql).not.toContainText('DROP COLUMN "email"');
  await page.getByTestId('btn-fit').click();
  await shot(page, info, 'rename-fixed-as-expand-contract');
  // Enabled in the inspector, the drop is planned (and reviewed: an error, as every drop).
  await selectNode(page, 'rename_email_contract');
  await page.getByTestId('inspector-enabled').check();
  await expect(page.getByTestId('node-rename_email_contract')).not.toHaveAttribute('data-disabled', 'true');
  await expect(page.getByTestId('node-lint-rename_email_contract')).toHaveAttribute('data-severity', 'error');
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('node-rename_email_contract')).toHaveAttribute('data-disabled', 'true');

  await page.getByTestId('canvas').click({ position: { x: 60, y: 500 } });
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('node-rename_email_copy')).toHaveCount(0);
  await expect(badge).toHaveAttribute('data-severity', 'warning');

  // Dropping the column instead: an error, as on PostgreSQL.
  await selectNode(page, 'rename_email');
  await setField(page, 'operation', 'drop_column');
  await page.getByTestId('tab-sql').click();
  await expect(badge).toHaveAttribute('data-severity', 'error');
  await expect(page.getByTestId('sql-finding-rename_email-DF802')).toContainText('error DF802');
  await shot(page, info, 'drop-column-error-on-sqlite');
});
