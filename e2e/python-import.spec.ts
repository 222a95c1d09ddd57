/**
 * Issue 6: paste the guide's Migration Workflow Pattern as Python, fix what the guide gets wrong
 * (its connection names nodes that do not exist, its Switch is fed by nothing) in the source as the
 * import's problems say, apply it twice: the first run takes the
 * `pending` branch, the second the `completed` one, and the canvas shows the skip branch taken.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { pythonBlocks } from '../shared/python/guide-blocks.ts';
import { finishedRun, nodeStatus, openApp, resetDemo, shot } from './editor.ts';

const guide = readFileSync(new URL('../assets/guide/schema-management.md', import.meta.url), 'utf8');
const code = pythonBlocks(guide).find((b) => b.heading === 'Migration Workflow Pattern')!.code;

async function apply(page: Page): Promise<string> {
  await page.getByTestId('btn-apply').click();
  await page.getByTestId('apply-confirm').click();
  const trust = page.getByTestId('confirm-dialog');
  // The trust dialog comes after the plan (later on a busy machine); isVisible would not wait for it.
  const asked = await trust
    .waitFor({ state: 'visible', timeout: 5000 })
    .then(() => true)
    .catch(() => false);
  if (asked) {
    await expect(trust).toContainText('skip_migration');
    await page.getByTestId('confirm-ok').click();
  }
  return finishedRun(page, 'apply');
}

test('paste the Migration Workflow Pattern and run it twice: the second run takes the skip branch', async ({
  page,
}, info) => {
  expect(code).toContain('add_connection("source", "result", "target", "input")');
  await openApp(page);
  await resetDemo(page);

  await page.keyboard.press('Control+i');
  await page.getByTestId('import-source').fill(code);
  await page.getByTestId('import-submit').click();
  const problems = page.getByTestId('import-problems');
  await expect(problems).toContainText('error');
  await expect(problems).toContainText('"source"');
  await shot(page, info, 'import-strict-errors');

  // Lenient leaves out what would not validate: the Switch reads :migration_status, which nothing feeds.
  await page.getByTestId('import-lenient').check();
  await page.getByTestId('import-submit').click();
  await expect(page.locator('.react-flow__node')).toHaveCount(4);
  await expect(problems).toContainText('node "migration_decision" is left out');
  await expect(problems).toContainText('migration_status');
  await shot(page, info, 'imported-lenient');

  // Fix the source as the problems say: drop the connection to nodes that do not exist, and feed
  // the Switch from check_migration, the node that outputs migration_status.
  const fixed = code.replace(
    'workflow.add_connection("source", "result", "target", "input")',
    'workflow.add_connection("check_migration", "result", "migration_decision", "input")',
  );
  await page.getByTestId('import-source').fill(fixed);
  await page.getByTestId('import-lenient').uncheck();
  await page.getByTestId('import-submit').click();
  // The lenient import is on the canvas, unsaved: importing again asks before replacing it.
  await expect(page.getByTestId('confirm-dialog')).toContainText('Discard unsaved changes?');
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('import-dialog')).toBeHidden();
  await expect(page.locator('.react-flow__node')).toHaveCount(5);
  await expect(page.getByTestId('doc-title')).toContainText('unsaved');
  await expect(page.getByTestId('rf__edge-conn:check_migration.result->migration_decision.input')).toBeVisible();
  await expect(page.getByTestId('rf__edge-route:migration_decision:case:pending')).toContainText('pending');
  await expect(page.getByTestId('rf__edge-route:migration_decision:case:completed')).toContainText('completed');
  await shot(page, info, 'connected');

  expect(await apply(page)).toBe('succeeded');
  expect(await nodeStatus(page, 'apply_migration')).toBe('succeeded');
  expect(await nodeStatus(page, 'update_status')).toBe('succeeded');
  expect(await nodeStatus(page, 'skip_migration')).toBe('skipped');
  await expect(page.getByTestId('rf__edge-route:migration_decision:case:pending')).toHaveClass(/edge-taken/);
  await shot(page, info, 'first-run-applies');

  expect(await apply(page)).toBe('succeeded');
  expect(await nodeStatus(page, 'skip_migration')).toBe('succeeded');
  expect(await nodeStatus(page, 'apply_migration')).toBe('skipped');
  expect(await nodeStatus(page, 'update_status')).toBe('skipped');
  await expect(page.getByTestId('rf__edge-route:migration_decision:case:completed')).toHaveClass(/edge-taken/);
  await expect(page.getByTestId('rf__edge-route:migration_decision:case:pending')).toHaveClass(/edge-skipped/);
  await page.getByTestId('tab-run').click();
  await expect(page.getByTestId('run-panel')).toContainText('skip_migration');
  await shot(page, info, 'second-run-skips');
});
