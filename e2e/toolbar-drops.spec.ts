/**
 * Issue 14: the toolbar gives the workflow's name and the Apply button's label their full text at
 * 1280, 1440 and 2560 wide beside the demo target (the zero-downtime example's long name); a table
 * or column dragged from the schema browser onto an inspector field fills it with the name (one
 * undo step), and onto the canvas makes one node in one undo step.
 */
import { expect, test, type Page } from '@playwright/test';
import { openApp, shot } from './editor.ts';

/** Which toolbar texts are cut (wider than their box). */
async function cut(page: Page) {
  return page.getByTestId('toolbar').evaluate((bar) => {
    const isCut = (el: Element | null) => !!el && el.scrollWidth > el.clientWidth;
    const tops = [...bar.children].map((c) => c.getBoundingClientRect().top);
    return {
      oneLine: Math.max(...tops) - Math.min(...tops) < 8,
      name: isCut(bar.querySelector('.doc-name')),
      apply: isCut(bar.querySelector('[data-testid="btn-apply"]')),
    };
  });
}

test('toolbar in full at 1280 to 2560; schema drops on a field and on the canvas', async ({ page }, info) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await openApp(page);
  await page.getByTestId('start-example-zero-downtime').click();
  await expect(page.getByTestId('node-phase1_add')).toBeVisible();
  await expect(page.getByTestId('btn-apply')).toHaveText('Apply to Demo database…');
  for (const width of [1280, 1440, 2560]) {
    await page.setViewportSize({ width, height: 900 });
    await expect.poll(() => cut(page)).toEqual({ oneLine: true, name: false, apply: false });
    await page.getByTestId('toolbar').screenshot({ path: info.outputPath(`toolbar-${width}.png`) });
  }
  await expect(page.getByTestId('doc-title')).toHaveAttribute(
    'title',
    'Zero-Downtime Migrations — example zero-downtime.dataflow.json',
  );
  await page.setViewportSize({ width: 1440, height: 900 });

  // A table dropped on the node's Table field: the field takes its name, not the text at the caret.
  await page.getByTestId('node-phase1_add').locator('.node-head').click();
  const table = page.getByTestId('field-table');
  await expect(table).toHaveValue('orders');
  await page.getByTestId('schema-table-users').dragTo(table);
  await expect(table).toHaveValue('users');
  await page.getByTestId('schema-table-orders').getByRole('button').click();
  await page
    .getByTestId('schema-column')
    .filter({ hasText: 'subtotal' })
    .first()
    .dragTo(page.getByTestId('field-column_name'));
  await expect(page.getByTestId('field-column_name')).toHaveValue('subtotal');
  await shot(page, info, 'field-drops');
  // Each drop is one undo step.
  await page.locator('.react-flow__pane').click();
  await page.keyboard.press('Control+z');
  await page.getByTestId('node-phase1_add').locator('.node-head').click();
  await expect(page.getByTestId('field-column_name')).toHaveValue('total_amount');
  await expect(table).toHaveValue('users');
  await page.locator('.react-flow__pane').click();
  await page.keyboard.press('Control+z');
  await page.getByTestId('node-phase1_add').locator('.node-head').click();
  await expect(table).toHaveValue('orders');

  // A table dropped on the canvas: a schema change on it, undone in one step.
  const cards = page.locator('.react-flow__node');
  await expect(cards).toHaveCount(3);
  await page.getByTestId('schema-table-users').dragTo(page.locator('.react-flow__pane'), {
    targetPosition: { x: 60, y: 60 },
  });
  await expect(cards).toHaveCount(4);
  await expect(page.getByTestId('field-table')).toHaveValue('users');
  await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
  await page.keyboard.press('Control+z');
  await expect(cards).toHaveCount(3);
});
