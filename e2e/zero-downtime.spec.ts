/**
 * Issue 6: from an empty canvas, build the guide's Zero-Downtime Migrations example (with metrics
 * before and after) from the palette, check the SQL preview, rehearse and apply it on the demo
 * SQLite database, read the diff and the metrics, undo/redo a deletion, save, reload, reopen.
 */
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import {
  connect,
  dropNode,
  finishedRun,
  nodeStatus,
  openApp,
  publish,
  renameTo,
  resetDemo,
  selectNode,
  setField,
  shot,
} from './editor.ts';

const NODES = ['pre_migration_metrics', 'phase1_add', 'phase2_backfill', 'phase3_constraint', 'post_migration_metrics'];

test('build, rehearse, apply, undo, save and reopen the zero-downtime migration', async ({ page }, info) => {
  await openApp(page);
  await resetDemo(page);
  await expect(page.getByTestId('inspector-workflow')).toContainText('0 nodes');
  await shot(page, info, 'empty-canvas');

  // Drag the nodes from the palette and give them the guide's ids.
  const placed: [string, string, number, number][] = [
    ['MonitoringNode', 'pre_migration_metrics', 130, 70],
    ['SchemaModificationNode', 'phase1_add', 430, 70],
    ['DataBackfillNode', 'phase2_backfill', 730, 70],
    ['SchemaModificationNode', 'phase3_constraint', 430, 330],
    ['MonitoringNode', 'post_migration_metrics', 730, 330],
  ];
  for (const [type, id, x, y] of placed) {
    await dropNode(page, type, x, y);
    await renameTo(page, id);
  }
  await expect(page.locator('.react-flow__node')).toHaveCount(5);
  await shot(page, info, 'nodes-dropped');

  // Connect them in order.
  for (let i = 0; i + 1 < NODES.length; i++) await connect(page, NODES[i]!, 'result', NODES[i + 1]!);
  await expect(page.locator('.react-flow__edge')).toHaveCount(4);
  await shot(page, info, 'connected');

  // Fill the params in the inspector.
  await selectNode(page, 'phase1_add');
  await setField(page, 'table', 'orders');
  await setField(page, 'column_name', 'total_amount');
  await setField(page, 'column_type', 'decimal(10,2)');
  await setField(page, 'nullable', 'true');
  await expect(page.getByTestId('node-summary-phase1_add')).toHaveText('orders.total_amount decimal(10,2)');

  await selectNode(page, 'phase2_backfill');
  await setField(page, 'table', 'orders');
  await setField(page, 'update_field', 'total_amount');
  await setField(page, 'calculation', 'subtotal + tax + shipping');
  await setField(page, 'batch_size', '1000');

  await selectNode(page, 'phase3_constraint');
  await setField(page, 'table', 'orders');
  await expect(page.getByTestId('field-constraint_type')).toHaveCount(0);
  await setField(page, 'operation', 'add_constraint');
  await setField(page, 'constraint_type', 'not_null');
  await setField(page, 'column_name', 'total_amount');
  await expect(page.getByTestId('node-summary-phase3_constraint')).toHaveText('orders.total_amount NOT NULL');

  await selectNode(page, 'post_migration_metrics');
  await setField(page, 'compare_with', 'pre_migration_metrics');
  for (const id of NODES) await expect(page.getByTestId(`node-problems-${id}`)).toHaveCount(0);
  await shot(page, info, 'params-filled');

  // The SQL preview: the exact SQL of the plan on the demo database.
  await page.getByTestId('tab-sql').click();
  const preview = page.getByTestId('sql-preview');
  await expect(preview).toContainText('ADD COLUMN "total_amount"', { timeout: 30_000 });
  await expect(preview).toContainText('subtotal + tax + shipping');
  await expect(preview).toContainText('NOT NULL');
  await expect(page.getByTestId('sql-preview-no-problems')).toBeVisible();
  await shot(page, info, 'sql-preview');

  // Moving a node changes no plan: the preview does not plan again (it would go busy and dim).
  await expect(preview).toHaveAttribute('aria-busy', 'false');
  await preview.evaluate((el) => {
    const seen: string[] = [];
    (window as unknown as { previewBusy: string[] }).previewBusy = seen;
    new MutationObserver(() => seen.push(el.getAttribute('aria-busy') ?? '')).observe(el, {
      attributes: true,
      attributeFilter: ['aria-busy'],
    });
  });
  const card = (await page.getByTestId('node-phase3_constraint').boundingBox())!;
  await page.mouse.move(card.x + 60, card.y + 12);
  await page.mouse.down();
  await page.mouse.move(card.x + 60, card.y + 92, { steps: 6 });
  await page.mouse.up();
  await expect
    .poll(async () => (await page.getByTestId('node-phase3_constraint').boundingBox())!.y)
    .toBeGreaterThan(card.y + 40);
  await page.waitForTimeout(1000);
  expect(await page.evaluate(() => (window as unknown as { previewBusy: string[] }).previewBusy)).toEqual([]);

  // Rehearse, then apply: every node succeeds.
  await page.getByTestId('btn-rehearse').click();
  expect(await finishedRun(page, 'rehearse')).toBe('succeeded');
  for (const id of NODES) expect(await nodeStatus(page, id)).toBe('succeeded');
  await shot(page, info, 'rehearsed');

  await page.getByTestId('btn-apply').click();
  const dialog = page.getByTestId('apply-dialog');
  await expect(dialog).toContainText('phase1_add');
  await expect(page.getByTestId('apply-no-destructive')).toBeVisible();
  await shot(page, info, 'apply-confirmation');
  await page.getByTestId('apply-confirm').click();
  expect(await finishedRun(page, 'apply')).toBe('succeeded');
  for (const id of NODES) expect(await nodeStatus(page, id)).toBe('succeeded');
  await expect(page.getByTestId('node-status-phase2_backfill')).toContainText('rows');

  await page.getByTestId('tab-diff').click();
  await expect(page.getByTestId('diff-table-orders')).toContainText('total_amount');
  const applied = await shot(page, info, 'applied-diff');
  publish(applied, fileURLToPath(new URL('../docs/screenshot.png', import.meta.url)));

  await page.getByTestId('tab-metrics').click();
  const metrics = page.getByTestId('metrics-node-post_migration_metrics');
  await expect(metrics.getByTestId('metrics-bar-before').first()).toBeVisible();
  await expect(metrics.getByTestId('metrics-bar-after').first()).toBeVisible();
  await shot(page, info, 'metrics');

  // Undo and redo a deletion.
  await selectNode(page, 'phase3_constraint');
  await page.getByTestId('node-phase3_constraint').press('Delete');
  await expect(page.getByTestId('node-phase3_constraint')).toHaveCount(0);
  await expect(page.locator('.react-flow__edge')).toHaveCount(2);
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('node-phase3_constraint')).toBeVisible();
  await expect(page.locator('.react-flow__edge')).toHaveCount(4);
  await page.keyboard.press('Control+Shift+z');
  await expect(page.getByTestId('node-phase3_constraint')).toHaveCount(0);
  await page.getByTestId('btn-undo').click();
  await expect(page.getByTestId('node-phase3_constraint')).toBeVisible();
  await shot(page, info, 'undo-redo');

  // Save (browser mode asks for a path), reload, reopen from the recent files.
  await page.locator('.react-flow__pane').click({ position: { x: 900, y: 500 } });
  await page.getByTestId('workflow-name').fill('orders_total_amount');
  const summaries = await Promise.all(NODES.map((id) => page.getByTestId(`node-summary-${id}`).textContent()));
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('save-path')).toHaveValue(/orders_total_amount\.dataflow\.json$/);
  await page.getByTestId('save-submit').click();
  await expect(page.getByTestId('notice-info')).toContainText('Saved');
  await expect(page.getByTestId('dirty-marker')).toHaveCount(0);
  await shot(page, info, 'saved');

  await page.reload();
  await expect(page.getByTestId('inspector-workflow')).toContainText('0 nodes');
  await page.keyboard.press('Control+o');
  await page.getByTestId('recent-files').getByRole('button', { name: 'orders_total_amount.dataflow.json' }).click();
  await expect(page.locator('.react-flow__node')).toHaveCount(5);
  await expect(page.getByTestId('doc-title')).toContainText('orders_total_amount');
  expect(await Promise.all(NODES.map((id) => page.getByTestId(`node-summary-${id}`).textContent()))).toEqual(summaries);
  await expect(page.locator('.react-flow__edge')).toHaveCount(4);
  await expect(page.getByTestId('dirty-marker')).toHaveCount(0);
  await shot(page, info, 'reopened');
});
