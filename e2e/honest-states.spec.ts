/**
 * Issue 13 item 3, honest states, in the browser app over the web host on the real demo SQLite
 * database: an opened example is not "unsaved"; a rehearsal says on its run and diff that it was
 * rolled back (and the database shows it); a change applied already says `already applied` (issue
 * 12 item 2); a failed node shows ✗, never ✓; editing a node dims
 * its result as "edited since this run"; a validation error disables Rehearse and Apply with the
 * reason; exporting a failed plan warns; a connection that would close a cycle says why; counts
 * are pluralised.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from '@playwright/test';
import { connect, finishedRun, openApp, resetDemo, selectNode, shot } from './editor.ts';

function demoColumns(table: string): string[] {
  const db = new Database(join(process.env.DATAFLOW_E2E_DIR!, 'data', 'demo.db'), { readonly: true });
  try {
    return (db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map((c) => c.name);
  } finally {
    db.close();
  }
}

test('honest states: rehearsal rolled back, failed ✗, stale results, blocked runs, failed-plan export, refused cycle', async ({
  page,
}, info) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await openApp(page);
  await resetDemo(page);
  expect(demoColumns('users')).not.toContain('phone_number');

  await page.keyboard.press('Control+o');
  await page.getByTestId('example-add-column').click();
  await expect(page.getByTestId('node-add_field')).toBeVisible();
  await expect(page.getByTestId('doc-path')).toHaveText('example add-column.dataflow.json');
  await expect(page.getByTestId('dirty-marker')).toHaveCount(0);
  await expect(page.getByTestId('inspector-workflow')).toContainText('1 node, 0 connections.');

  await page.keyboard.press('Control+Shift+Enter');
  expect(await finishedRun(page, 'rehearse')).toBe('succeeded');
  await page.getByTestId('tab-run').click();
  await expect(page.getByTestId('run-panel').getByTestId('rehearsal-note')).toHaveText(
    'Rehearsal: rolled back, nothing was committed',
  );
  await page.getByTestId('tab-diff').click();
  await expect(page.getByTestId('diff-panel').getByTestId('rehearsal-note')).toHaveText(
    'Rehearsal: rolled back, nothing was committed',
  );
  await expect(page.getByTestId('diff-table-users')).toContainText('phone_number');
  expect(demoColumns('users')).not.toContain('phone_number');
  await shot(page, info, 'rehearsal-rolled-back');

  await page.getByTestId('btn-apply').click();
  await page.getByTestId('apply-confirm').click();
  expect(await finishedRun(page, 'apply')).toBe('succeeded');
  await expect(page.getByTestId('diff-panel').getByTestId('rehearsal-note')).toHaveCount(0);
  expect(demoColumns('users')).toContain('phone_number');

  // The column exists now, exactly as the node adds it: rehearsing again succeeds, the node
  // saying it is already applied and what is there, on its card and in the run panel.
  await page.keyboard.press('Control+Shift+Enter');
  expect(await finishedRun(page, 'rehearse')).toBe('succeeded');
  await expect(page.getByTestId('node-add_field')).toHaveAttribute('data-status', 'succeeded');
  await expect(page.getByTestId('node-status-add_field').locator('.run-status')).toHaveText('already applied');
  await expect(page.getByTestId('node-outcome-add_field')).toHaveText(
    'column "phone_number" of "users" exists already as varchar(20) NULL',
  );
  await page.getByTestId('tab-run').click();
  await expect(page.getByTestId('run-node-add_field')).toHaveAttribute('data-outcome', 'already_applied');
  await expect(page.getByTestId('run-node-outcome-add_field')).toHaveText(
    'column "phone_number" of "users" exists already as varchar(20) NULL',
  );
  await shot(page, info, 'already-applied');

  // The same column with another type conflicts: rehearsing fails on the node, which shows ✗ and no ✓.
  await selectNode(page, 'add_field');
  await page.getByTestId('field-column_type').fill('integer');
  await page.keyboard.press('Control+Shift+Enter');
  expect(await finishedRun(page, 'rehearse')).toBe('failed');
  await expect(page.getByTestId('node-status-add_field')).toContainText(
    '[DF120] column "phone_number" of "users" exists already as varchar(20) NULL, but this node adds it as integer NULL',
  );
  await expect(page.getByTestId('node-add_field')).toHaveAttribute('data-status', 'failed');
  await expect(page.getByTestId('node-failed-add_field')).toHaveText('✗');
  await expect(page.getByTestId('node-valid-add_field')).toHaveCount(0);
  await shot(page, info, 'failed-node');

  // Exporting the plan that fails warns that the script is incomplete.
  await page.getByTestId('btn-file-menu').click();
  await page.getByTestId('btn-export-sql').click();
  await expect(page.getByTestId('export-warning')).toContainText('The plan failed');
  await expect(page.getByTestId('export-warning')).toContainText('phone_number');
  await shot(page, info, 'failed-plan-export');
  await page.keyboard.press('Escape');

  // Editing the node dims its result.
  await selectNode(page, 'add_field');
  await page.getByTestId('field-column_name').fill('phone_number2');
  await expect(page.getByTestId('node-stale-add_field')).toHaveText('edited since this run');
  await expect(page.getByTestId('node-add_field')).toHaveAttribute('data-stale', 'true');
  await expect(page.getByTestId('node-failed-add_field')).toHaveCount(0);
  await shot(page, info, 'stale-result');

  // A validation error disables Rehearse and Apply, saying why.
  await page.getByTestId('field-column_name').fill('');
  await expect(page.getByTestId('btn-rehearse')).toBeDisabled();
  await expect(page.getByTestId('btn-apply')).toBeDisabled();
  await expect(page.getByTestId('btn-rehearse')).toHaveAttribute('title', /^Fix the workflow first: .*add_field/);
  await expect(page.getByTestId('run-blocked')).toHaveText('1 problem to fix');
  await page.keyboard.press('Control+Shift+Enter');
  await expect(page.getByTestId('notice-error')).toContainText('Cannot rehearse. Fix the workflow first:');
  await shot(page, info, 'blocked-by-validation');
  await page.getByTestId('field-column_name').fill('phone_number2');
  await expect(page.getByTestId('btn-rehearse')).toBeEnabled();
  // The refusal goes with its cause.
  await expect(page.getByTestId('notice-error')).toHaveCount(0);
  await expect(page.getByTestId('dirty-marker')).toBeVisible();

  // A connection that would close a cycle is refused with the reason.
  await page.keyboard.press('Control+o');
  const discard = page.getByTestId('confirm-ok');
  await discard.click();
  await page.getByTestId('example-migration-tracking').click();
  await expect(page.locator('.react-flow__node')).toHaveCount(3);
  await expect(page.getByTestId('inspector-workflow')).toContainText('3 nodes, 2 connections.');
  await connect(page, 'complete_migration', 'result', 'track_migration');
  await expect(page.getByTestId('notice-error')).toContainText(
    'Cannot connect complete_migration to track_migration: track_migration already leads to complete_migration, so this link would close a cycle; connect complete_migration to a node that runs after it, or remove a link between track_migration and complete_migration first',
  );
  await expect(page.locator('.react-flow__edge')).toHaveCount(2);
  await shot(page, info, 'cycle-refused');
});
