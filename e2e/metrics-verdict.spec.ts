/**
 * Issue 13 item 5: metrics that do not cry wolf. On the demo SQLite database, the guide's Monitor
 * Migration Impact with its change turned into dropping the index a lookup uses: the lookup is
 * called slower with its test and interval, the query the index never served is not, and every
 * empty cell says why.
 */
import { expect, test } from '@playwright/test';
import { finishedRun, openApp, resetDemo, selectNode, setField, shot } from './editor.ts';

const LOOKUP = 'SELECT * FROM orders WHERE user_id = 42';
/** A primary-key lookup: the dropped index never served it. (A full scan beside the change is left out: on a shared machine its timings drift between the two captures by more than its allowance.) */
const BY_ID = 'SELECT * FROM orders WHERE id = 42';

test('a dropped index slows the lookup it served, with confidence; the other query is not called slower', async ({
  page,
}, info) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await openApp(page);
  await resetDemo(page);
  await page.keyboard.press('Control+o');
  await page.getByTestId('example-monitor-migration-impact').click();
  await expect(page.getByTestId('node-perform_migration')).toBeVisible();

  await selectNode(page, 'perform_migration');
  await setField(page, 'operation', 'drop_index');
  await setField(page, 'index_name', 'orders_user_id_idx');
  for (const id of ['pre_migration_metrics', 'post_migration_metrics']) {
    await selectNode(page, id);
    await setField(page, 'queries', `${LOOKUP}\n${BY_ID}`);
  }
  for (const id of ['pre_migration_metrics', 'perform_migration', 'post_migration_metrics'])
    await expect(page.getByTestId(`node-problems-${id}`)).toHaveCount(0);

  await page.getByTestId('btn-apply').click();
  await page.getByTestId('apply-confirm').click();
  expect(await finishedRun(page, 'apply')).toBe('succeeded');

  await page.getByTestId('tab-metrics').click();
  const post = page.getByTestId('metrics-node-post_migration_metrics');
  const lookup = post.locator(`[data-testid="metrics-chart"][data-title="${LOOKUP}"]`);
  const byId = post.locator(`[data-testid="metrics-chart"][data-title="${BY_ID}"]`);
  await expect(lookup.getByTestId('metrics-verdict')).toHaveAttribute('data-verdict', 'slower');
  await expect(lookup.getByTestId('metrics-verdict')).toContainText('Mann-Whitney U one-sided p');
  await expect(lookup.getByTestId('metrics-verdict')).toContainText('95% interval');
  await expect(byId.getByTestId('metrics-verdict')).not.toHaveAttribute('data-verdict', 'slower');
  await expect(post.getByTestId('metrics-alerts')).toContainText(`query(${LOOKUP}).median_ms slowed`);
  await expect(post.getByTestId('metrics-alerts')).not.toContainText(BY_ID);

  // Cells without a value say why: the dropped index after the change, SQLite's scan counters.
  const dropped = post.locator('[data-testid="metrics-row"][data-key="orders.orders_user_id_idx.size_bytes"]');
  await expect(dropped).toContainText('after n/a (not measured after: it no longer exists (the change removed it))');
  const scans = post.locator('[data-testid="metrics-row"][data-key="orders.orders_user_id_idx.scans"]');
  await expect(scans).toContainText(
    'before n/a (SQLite keeps no index scan counters; not measured after: it no longer exists (the change removed it))',
  );
  const pre = page.getByTestId('metrics-node-pre_migration_metrics').getByTestId('metrics-snapshot');
  await expect(pre).toContainText('n/a: SQLite keeps no index scan counters');
  await lookup.scrollIntoViewIfNeeded();
  await shot(page, info, 'metrics-verdicts');
});
