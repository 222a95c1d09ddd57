/**
 * Issue 13: an accessibility scan (axe-core, WCAG 2.1 A and AA rules) of the editor's main
 * screens on the demo database: the editor with a workflow, the SQL preview, the Apply
 * confirmation, the run, diff, metrics and history panels after an apply, and the connections
 * dialog. No serious or critical violation may stand.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { finishedRun, openApp, resetDemo, selectNode, shot } from './editor.ts';

/** The serious and critical violations on the page as it is, one line each (rule, element, why). */
async function violations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) =>
      v.nodes.map((n) => `${v.id} (${v.impact}) ${n.target.join(' ')}: ${n.failureSummary?.replace(/\s+/g, ' ')}`),
    );
}

test('the main screens have no serious or critical accessibility violation', async ({ page }, info) => {
  test.setTimeout(300_000); // ten scans of the whole page; slow on a loaded 2-core machine
  await page.setViewportSize({ width: 1440, height: 900 });
  await openApp(page);
  await resetDemo(page);
  const found: Record<string, string[]> = {};
  const scan = async (screen: string) => {
    // A panel re-planning dims its old content for a moment: scan the settled screen.
    await expect(page.locator('.df-loading')).toHaveCount(0, { timeout: 30_000 });
    found[screen] = await violations(page);
  };

  await scan('editor, empty');
  await page.keyboard.press('Control+o');
  await page.getByTestId('example-monitor-migration-impact').click();
  await expect(page.getByTestId('node-perform_migration')).toBeVisible();
  await selectNode(page, 'post_migration_metrics');
  await scan('editor, workflow and inspector');
  await page.getByTestId('tab-sql').click();
  await expect(page.getByTestId('sql-preview')).toContainText('CREATE INDEX', { timeout: 30_000 });
  await scan('SQL preview');

  await page.getByTestId('btn-apply').click();
  await expect(page.getByTestId('apply-confirm')).toBeVisible();
  await scan('Apply confirmation');
  await page.getByTestId('apply-confirm').click();
  expect(await finishedRun(page, 'apply')).toBe('succeeded');
  for (const tab of ['run', 'execution', 'diff', 'metrics', 'history']) {
    await page.getByTestId(`tab-${tab}`).click();
    await scan(`${tab} panel`);
  }
  await page.getByTestId('btn-connections').click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await scan('connections dialog');
  await shot(page, info, 'connections-dialog');

  const all = Object.entries(found).flatMap(([screen, list]) => list.map((v) => `${screen}: ${v}`));
  expect(all, all.join('\n')).toEqual([]);
});
