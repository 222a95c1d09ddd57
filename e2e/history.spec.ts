/**
 * Issue 5: in the browser app over the web host, create the demo connection, plan and run one of
 * the guide's example workflows through the real handlers, and find the run in the history (and,
 * on the way, copy and paste its nodes through the clipboard). Issue 12: the run rolled back with
 * the `dataflow` CLI shows in the History from the database's run records.
 */
import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { finishedRun, openApp, resetDemo, shot } from './editor.ts';

test('create the demo database, plan and apply an example, and open it from the history', async ({ page }, info) => {
  await openApp(page);
  await resetDemo(page);

  await page.keyboard.press('Control+o');
  await page.getByTestId('example-migration-tracking').click();
  await expect(page.locator('.react-flow__node')).toHaveCount(3);
  await expect(page.getByTestId('node-summary-apply_change')).toHaveText('users.phone_number varchar(20)');

  // Copy and paste go through the clipboard as workflow JSON; undo takes the paste back.
  await page.locator('.react-flow__pane').click({ position: { x: 40, y: 40 } });
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+v');
  await expect(page.locator('.react-flow__node')).toHaveCount(6);
  await expect(page.getByTestId('node-apply_change_2')).toBeVisible();
  await page.keyboard.press('Control+z');
  await expect(page.locator('.react-flow__node')).toHaveCount(3);

  await page.keyboard.press('Control+Enter');
  expect(await finishedRun(page, 'plan')).toBe('succeeded');
  await expect(page.getByTestId('sql-preview')).toContainText('ADD COLUMN "phone_number"');
  await shot(page, info, 'planned');

  await page.getByTestId('btn-apply').click();
  await page.getByTestId('apply-confirm').click();
  expect(await finishedRun(page, 'apply')).toBe('succeeded');
  await expect(page.getByTestId('diff-table-users')).toContainText('phone_number');

  await page.getByTestId('tab-history').click();
  const rows = page.getByTestId('history-panel').locator('tbody tr');
  await expect(rows.first()).toContainText('apply');
  await expect(rows.first()).toContainText('succeeded');
  await expect(rows.first()).toContainText('Basic Migration Tracking');
  await shot(page, info, 'history');
  const runId = (await rows.first().getAttribute('data-testid'))!.replace('history-run-', '');

  await rows.first().getByRole('button', { name: 'Open' }).click();
  await expect(page.getByTestId('history-banner')).toContainText('apply, succeeded');
  await expect(page.getByTestId('diff-table-users')).toContainText('phone_number');
  await expect(page.getByTestId('node-apply_change')).toHaveAttribute('data-status', 'succeeded');
  await shot(page, info, 'history-opened');

  // Rolled back from a terminal: the History reads it from the demo database's run records.
  const demo = join(process.env.DATAFLOW_E2E_DIR!, 'data', 'demo.db');
  execFileSync(process.execPath, ['bin/dataflow.js', 'rollback', runId, '--db', `sqlite:${demo}`], {
    cwd: join(import.meta.dirname, '..'),
    stdio: 'ignore',
  });
  await page.getByTestId('tab-history').click();
  await page.getByTestId('history-refresh').click();
  // The column names the reversed run by its short id; the tooltip holds the whole name.
  const workflowCell = rows.first().locator('td').nth(2);
  await expect(workflowCell).toHaveText(`rollback of run ${runId.slice(0, 8)}`);
  await expect(workflowCell).toHaveAttribute('title', `rollback of run ${runId}`);
  await expect(rows.first().getByTestId(/^history-recorded-/)).toContainText('recorded on the database by');
  await expect(rows.first().getByRole('button', { name: 'Open' })).toHaveCount(0);
  await expect(page.getByTestId(`history-rolled-back-${runId}`)).toContainText('rolled back by run');
  await shot(page, info, 'history-cli-rollback');
});

test('a CLI run killed with SIGKILL, resumed from the History: the two linked, the dead run closed', async ({
  page,
}, info) => {
  await openApp(page);
  await resetDemo(page);
  const root = join(import.meta.dirname, '..');
  const conn = `sqlite:${join(process.env.DATAFLOW_E2E_DIR!, 'data', 'demo.db')}`;
  // A backfill in 20 batches 50 ms apart: killed once its first batch is committed.
  const file = join(process.env.DATAFLOW_E2E_DIR!, 'home', 'refill-tax.dataflow.json');
  const refill = {
    id: 'refill_tax',
    type: 'DataBackfillNode',
    params: {
      table: 'orders',
      update_field: 'tax',
      calculation: 'tax',
      where: 'id > 0',
      batch_size: 5000,
      batch_target_ms: 0,
      pause_ms: 50,
    },
    position: { x: 0, y: 0 },
  };
  writeFileSync(
    file,
    JSON.stringify({
      format: 'dataflow-workflow',
      version: 1,
      name: 'refill tax',
      description: '',
      nodes: [refill],
      connections: [],
    }),
  );
  const child = spawn(process.execPath, ['bin/dataflow.js', 'run', file, '--db', conn], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => {
      stderr += b.toString();
      if (/refill_tax \[.*\] [1-9]\d?% /.test(stderr)) resolve();
    });
    child.on('exit', () => reject(new Error(`the run ended before it was killed: ${stderr}`)));
  });
  child.kill('SIGKILL');
  await exited;

  // The History offers to resume the dead CLI run; with its workflow open, the editor continues it.
  await page.getByTestId('tab-history').click();
  await page.getByTestId('history-refresh').click();
  const rows = page.getByTestId('history-panel').locator('tbody tr');
  const dead = rows.first();
  await expect(dead.locator('.df-badge')).toHaveText('interrupted');
  const killedId = (await dead.getAttribute('data-testid'))!.replace('history-run-', '');
  await dead.getByTestId(`history-resume-${killedId}`).click();
  await expect(page.getByTestId('notice-error')).toContainText('Open “refill tax” to resume it.');
  await page.keyboard.press('Control+o');
  await page.getByTestId('open-path').fill(file);
  await page.getByTestId('open-submit').click();
  await expect(page.getByTestId('node-refill_tax')).toBeVisible();
  await page.getByTestId(`history-resume-${killedId}`).click();
  const dialog = page.getByTestId('resume-dialog');
  await expect(dialog.getByTestId('resume-remaining')).toHaveText('refill_tax');
  await shot(page, info, 'history-resume-cli-run');
  await dialog.getByTestId('resume-confirm').click();
  expect(await finishedRun(page, 'apply')).toBe('succeeded');

  await page.getByTestId('tab-history').click();
  await page.getByTestId('history-refresh').click();
  const [resume, killed] = [rows.nth(0), rows.nth(1)];
  await expect(resume).toContainText('succeeded');
  await expect(killed.locator('.df-badge')).toHaveText('interrupted');
  await expect(killed).toHaveAttribute('data-testid', `history-run-${killedId}`);
  await expect(killed.getByTestId(`history-resume-${killedId}`)).toHaveCount(0);
  const resumeId = (await resume.getAttribute('data-testid'))!.replace('history-run-', '');
  await expect(resume.getByTestId(`history-continues-${resumeId}`)).toHaveText(`resumed run ${killedId.slice(0, 8)}`);
  await expect(killed.getByTestId(`history-continued-${killedId}`)).toHaveText(
    `continued by run ${resumeId.slice(0, 8)}`,
  );
  await expect(killed.locator('td').nth(5)).toHaveText('–');
  await shot(page, info, 'history-resumed');
});
