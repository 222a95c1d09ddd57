/**
 * Issue 12 items 3 and 4 and issue 13 item 6 in the editor, over the web host on the real demo
 * SQLite database (100,000 orders): Run this node only (a rehearsal of one node, whose execution
 * view opens; then an apply of it, rolled back from the History: SQL preview, rehearsal, apply),
 * then the zero-downtime example applied and cancelled in its backfill (`partially
 * applied`), resumed from the Run panel (refused while a node changed, then forced), the execution
 * view of the backfill (statements, batches chart, outputs) and, from the History, the schema diff
 * of the node the cancelled run applied.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from '@playwright/test';
import { finishedRun, openApp, resetDemo, selectNode, setField, shot } from './editor.ts';

const demoPath = () => join(process.env.DATAFLOW_E2E_DIR!, 'data', 'demo.db');

function filled(): { filled: number; nulls: number } {
  const db = new Database(demoPath(), { readonly: true });
  try {
    return db
      .prepare('SELECT count(total_amount) AS filled, count(*) - count(total_amount) AS nulls FROM orders')
      .get() as { filled: number; nulls: number };
  } finally {
    db.close();
  }
}

function columns(): string[] {
  const db = new Database(demoPath(), { readonly: true });
  try {
    return (db.prepare('PRAGMA table_info(orders)').all() as { name: string }[]).map((c) => c.name);
  } finally {
    db.close();
  }
}

test('run one node, cancel an apply in its backfill, resume it, and read what each node did', async ({
  page,
}, info) => {
  test.setTimeout(180_000); // a demo database of 100,000 orders, four runs; slow on a loaded 2-core machine
  await page.setViewportSize({ width: 1440, height: 900 });
  await openApp(page);
  await resetDemo(page);
  await page.keyboard.press('Control+o');
  await page.getByTestId('example-zero-downtime').click();
  await expect(page.getByTestId('node-phase2_backfill')).toBeVisible();

  // Run this node only, from the card's right-click menu: a rehearsal of phase1_add alone.
  await page.getByTestId('node-phase1_add').locator('.node-head').click({ button: 'right' });
  await expect(page.getByTestId('node-menu-phase1_add')).toBeVisible();
  await shot(page, info, 'node-menu');
  await page.getByTestId('menu-item-node.run.only.rehearse').click();
  expect(await finishedRun(page, 'rehearse')).toBe('succeeded');
  await expect(page.getByTestId('node-phase2_backfill')).toHaveAttribute('data-status', 'skipped');
  const view = page.getByTestId('execution-panel');
  await expect(view).toContainText('phase1_add');
  await expect(view.getByTestId('execution-statement').first()).toContainText('ADD COLUMN "total_amount"');
  await expect(view.getByTestId('execution-statement').first()).toContainText(' ms');
  await shot(page, info, 'node-only-rehearsed');

  // Apply that node only (the same confirmation as a whole apply), then roll it back from the History.
  await page.getByTestId('node-phase1_add').locator('.node-head').click({ button: 'right' });
  await page.getByTestId('menu-item-node.run.only.apply').click();
  await expect(page.getByTestId('apply-dialog')).toContainText('Apply phase1_add only to Demo database');
  await page.getByTestId('apply-confirm').click();
  expect(await finishedRun(page, 'apply')).toBe('succeeded');
  expect(columns()).toContain('total_amount');
  await page.getByTestId('tab-history').click();
  const applied = (await page.getByTestId('history-panel').locator('tbody tr').first().getAttribute('data-testid'))!;
  const appliedId = applied.replace('history-run-', '');
  await page.getByTestId(`history-rollback-${appliedId}`).click();
  const rollback = page.getByTestId('rollback-dialog');
  await expect(rollback.getByTestId('rollback-sql')).toContainText('DROP COLUMN "total_amount"');
  await shot(page, info, 'rollback-preview');
  await rollback.getByTestId('rollback-rehearse').click();
  expect(await finishedRun(page, 'rehearse')).toBe('succeeded');
  expect(columns()).toContain('total_amount');
  await page.getByTestId('tab-history').click();
  await page.getByTestId(`history-rollback-${appliedId}`).click();
  await page.getByTestId('rollback-confirm').click();
  expect(await finishedRun(page, 'apply')).toBe('succeeded');
  expect(columns()).not.toContain('total_amount');

  // Apply the whole workflow, with fixed batches of 1,000 (adaptive sizes would fill the 100,000
  // rows in a dozen batches) and a pause between them, so that Cancel lands in the backfill.
  await selectNode(page, 'phase2_backfill');
  await setField(page, 'batch_target_ms', '0');
  await setField(page, 'pause_ms', '15');
  await page.getByTestId('btn-apply').click();
  // The review and the plan before the confirmation read 100,000 orders, beside the preview's own plan.
  await page.getByTestId('apply-confirm').click({ timeout: 60_000 });
  await expect(page.getByTestId('run-progress-phase2_backfill')).toContainText('rows', { timeout: 30_000 });
  await page.getByTestId('btn-cancel').click();
  expect(await finishedRun(page, 'apply')).toBe('cancelled');
  await page.getByTestId('tab-run').click();
  await expect(page.getByTestId('run-status')).toHaveText('partially applied');
  const stopped = filled();
  expect(stopped.filled).toBeGreaterThan(0);
  expect(stopped.nulls).toBeGreaterThan(0);
  await shot(page, info, 'cancelled-partially-applied');

  // Resume is refused while the backfill differs from the run's (its pause was changed), naming it.
  await selectNode(page, 'phase2_backfill');
  await setField(page, 'pause_ms', '0');
  await page.getByTestId('tab-run').click();
  await page.getByTestId('run-resume').click();
  const dialog = page.getByTestId('resume-dialog');
  await expect(dialog.getByTestId('resume-done')).toHaveText('phase1_add');
  await expect(dialog.getByTestId('resume-changed')).toContainText('node phase2_backfill edited');
  await shot(page, info, 'resume-refused-changed');
  await dialog.getByTestId('resume-confirm').click();
  expect(await finishedRun(page, 'apply')).toBe('succeeded');
  await page.getByTestId('tab-run').click();
  await expect(page.getByTestId('run-resumed')).toContainText('phase1_add done before, not run again');
  await expect(page.getByTestId('run-node-phase1_add')).toHaveAttribute('data-status', 'skipped');
  expect(filled()).toEqual({ filled: 100_000, nulls: 0 });
  const resumedRows = Number(
    (await page.getByTestId('run-node-phase2_backfill').textContent())!.match(/([\d,]+) rows/)![1]!.replace(/,/g, ''),
  );
  expect(resumedRows).toBe(stopped.nulls);

  // What the resumed backfill did: its batches as a chart, its statements, its outputs.
  await page.getByTestId('node-execution-phase2_backfill').click();
  await page.getByTestId('execution-tab-batches').click();
  await expect(view.getByTestId('execution-batches-summary')).toContainText(
    `${resumedRows.toLocaleString('en-US')} rows`,
  );
  await expect(view.locator('.df-bar')).not.toHaveCount(0);
  await shot(page, info, 'execution-batches');
  await page.getByTestId('execution-tab-output').click();
  await expect(view.getByTestId('json-rows_updated')).toContainText(String(resumedRows));
  await shot(page, info, 'execution-output');

  // The History lists the cancelled run as partially applied and continued by the resume, so it
  // offers no Resume any more; the resume says which run it resumed. Opened, phase1_add's schema diff.
  await page.getByTestId('tab-history').click();
  const history = page.getByTestId('history-panel');
  const cancelled = history.locator('tbody tr', { hasText: 'partially applied' });
  await expect(cancelled).toHaveCount(1);
  const cancelledId = (await cancelled
    .locator('[data-testid^="history-continued-"]')
    .getAttribute('data-testid'))!.replace('history-continued-', '');
  const resume = history.locator('tbody tr', { hasText: `resumed run ${cancelledId.slice(0, 8)}` });
  await expect(resume).toHaveCount(1);
  await expect(resume).toContainText('succeeded');
  const resumeId = (await resume.locator('[data-testid^="history-continues-"]').getAttribute('data-testid'))!.replace(
    'history-continues-',
    '',
  );
  await expect(cancelled).toContainText(`continued by run ${resumeId.slice(0, 8)}`);
  await expect(cancelled.getByRole('button', { name: 'Resume' })).toHaveCount(0);
  await shot(page, info, 'history-partially-applied');
  await cancelled.getByRole('button', { name: 'Open' }).click();
  await page.getByTestId('node-execution-phase1_add').click();
  await page.getByTestId('execution-tab-schema').click();
  await expect(view.getByTestId('diff-table-orders')).toContainText('total_amount');
  await shot(page, info, 'history-node-schema-diff');

  // The resumed run cannot be rolled back: no operation drops the NOT NULL it added; the refusal says so.
  await page.getByTestId('tab-history').click();
  await page
    .getByTestId('history-panel')
    .locator('tbody tr')
    .first()
    .getByRole('button', { name: 'Roll back…' })
    .click();
  await expect(page.getByTestId('notice-error')).toContainText('node "phase3_constraint"');
  await shot(page, info, 'rollback-refused');
});
