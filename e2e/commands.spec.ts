/**
 * Issue 14 (menus, palette, find, start screen, keyboard): one page, as a DBA would use them. The
 * start screen on the empty canvas, the command palette, the right-click menus of a node, a
 * connection and the canvas, the node search on a connection dropped on empty canvas, Find, the
 * shortcut sheet, "New from the live schema" and the recent files; an axe scan of the palette (the
 * start screen is in accessibility.spec.ts's scan of the empty editor).
 */
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { darkShot, openApp, shot } from './editor.ts';

/** Axe's serious and critical findings in one element (accessibility.spec.ts scans whole screens). */
async function violations(page: Page, testId: string): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .include(`[data-testid="${testId}"]`)
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id} ${n.target.join(' ')}: ${n.failureSummary?.replace(/\s+/g, ' ')}`));
}

/** Right-clicks the middle of an edge (its wide invisible hit path). */
async function rightClickEdge(page: Page, id: string): Promise<void> {
  const box = await page.locator(`[data-id="${id}"] .react-flow__edge-interaction`).boundingBox();
  if (!box) throw new Error(`edge ${id} is not on screen`);
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2, { button: 'right' });
}

const edge = (from: string, to: string) => `[data-id="conn:${from}.result->${to}.input"]`;

test('menus, command palette, find and the start screen', async ({ page }, info) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await openApp(page);
  const a11y: string[] = [];

  // The start screen: the guide's examples with one line each, import, the live schema, recent files.
  const start = page.getByTestId('start-screen');
  await expect(start.getByTestId('start-example-zero-downtime')).toBeVisible();
  await expect(start.getByTestId('start-examples')).toContainText('Zero-Downtime Migrations');
  await expect(start.getByTestId('start-schema-table')).toContainText('orders');
  // An empty workflow plans, but has nothing to rehearse or apply: the buttons say so, the shortcut too.
  await expect(page.getByTestId('btn-plan')).toBeEnabled();
  for (const id of ['btn-rehearse', 'btn-apply']) {
    await expect(page.getByTestId(id)).toBeDisabled();
    await expect(page.getByTestId(id)).toHaveAttribute('title', /^The workflow has no node, so there is nothing to/);
  }
  await expect(page.getByTestId('run-blocked')).toHaveCount(0);
  await shot(page, info, 'start-screen');
  await page.keyboard.press('Control+Shift+Enter');
  await expect(page.getByTestId('notice-error')).toHaveText(
    /^Cannot rehearse: the workflow has no node, so there is nothing to rehearse or apply; add a node first/,
  );

  // The command palette: every command with its keys; fuzzy filter; Enter runs.
  await page.keyboard.press('Control+k');
  const palette = page.getByTestId('command-palette');
  await expect(palette.getByTestId('command-palette-item-find.open')).toContainText('Ctrl+F');
  await page.getByTestId('command-palette-input').fill('ex sql');
  await expect(palette.getByRole('option').first()).toContainText('Export SQL');
  await shot(page, info, 'command-palette');
  await darkShot(page, info, 'command-palette-dark');
  a11y.push(...(await violations(page, 'command-palette')).map((v) => `palette: ${v}`));
  await page.keyboard.press('Escape');
  await expect(palette).toBeHidden();

  await start.getByTestId('start-example-zero-downtime').click();
  await expect(page.getByTestId('node-phase2_backfill')).toBeVisible();
  await expect(start).toBeHidden();

  // A node's menu: keyboard navigable; disable, then enable again.
  await page.getByTestId('node-phase2_backfill').locator('.node-head').click({ button: 'right' });
  const menu = page.getByTestId('node-menu-phase2_backfill');
  await expect(menu.getByRole('menuitem', { name: 'Run from here: Plan' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(menu.getByRole('menuitem', { name: 'Run from here: Rehearse' })).toBeFocused();
  await shot(page, info, 'node-menu');
  await darkShot(page, info, 'node-menu-dark');
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  await page.getByTestId('node-phase2_backfill').locator('.node-head').click({ button: 'right' });
  await page.getByTestId('menu-item-node.toggleDisabled').click();
  await expect(page.getByTestId('node-phase2_backfill')).toHaveClass(/disabled/);
  await page.keyboard.press('Shift+F10'); // the selection's menu, from the keyboard
  await expect(menu.getByTestId('menu-item-node.toggleDisabled')).toHaveText('Enable');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('node-phase2_backfill')).not.toHaveClass(/disabled/);

  // Show SQL: the SQL preview of that node.
  await page.getByTestId('node-phase2_backfill').locator('.node-head').click({ button: 'right' });
  await page.getByTestId('menu-item-node.showSql').click();
  await expect(page.getByTestId('sql-preview-scope')).toHaveValue('phase2_backfill', { timeout: 30_000 });
  await expect(page.getByTestId('sql-preview-code')).toContainText('UPDATE');

  // A connection's menu: insert a node (the edge is split).
  await rightClickEdge(page, 'conn:phase1_add.result->phase2_backfill.input');
  await expect(page.getByTestId('edge-menu')).toBeVisible();
  await shot(page, info, 'edge-menu');
  await page.getByTestId('menu-item-edge.insert').click();
  await page.keyboard.type('valid');
  await page.keyboard.press('Enter');
  await expect(page.locator(edge('phase1_add', 'validation'))).toHaveCount(1);
  await expect(page.locator(edge('validation', 'phase2_backfill'))).toHaveCount(1);
  await expect(page.locator(edge('phase1_add', 'phase2_backfill'))).toHaveCount(0);

  // A connection dropped on empty canvas: the node search adds the chosen type there, connected.
  const from = (await page.getByTestId('handle-phase3_constraint-out-result').boundingBox())!;
  const canvas = (await page.getByTestId('canvas').boundingBox())!;
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x - 200, from.y + 180, { steps: 8 });
  await page.mouse.up();
  await expect(page.getByTestId('node-search')).toBeVisible();
  await page.keyboard.type('metr');
  await shot(page, info, 'node-search-on-drop');
  await page.keyboard.press('Enter');
  await expect(page.locator(edge('phase3_constraint', 'monitoring'))).toHaveCount(1);

  // "Add node here" just above a card: the new card goes to the nearest free spot, covering none.
  const below = (await page.getByTestId('node-phase1_add').boundingBox())!;
  await page.mouse.click(below.x + below.width / 2, below.y - 12, { button: 'right' });
  await page.getByTestId('menu-item-canvas.addHere').click();
  await page.keyboard.type('valid');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('node-validation_2')).toBeVisible();
  const cards = await Promise.all((await page.locator('.react-flow__node').all()).map((c) => c.boundingBox()));
  for (const [i, a] of cards.entries())
    for (const b of cards.slice(i + 1))
      expect(
        a!.x + a!.width <= b!.x || b!.x + b!.width <= a!.x || a!.y + a!.height <= b!.y || b!.y + b!.height <= a!.y,
      ).toBe(true);

  // The canvas menu: select all, then paste a copy at the clicked point.
  await page.mouse.click(canvas.x + 60, canvas.y + canvas.height - 60, { button: 'right' });
  await expect(page.getByTestId('canvas-menu')).toBeVisible();
  await shot(page, info, 'canvas-menu');
  await darkShot(page, info, 'canvas-menu-dark');
  await page.getByTestId('menu-item-edit.selectAll').click();
  await expect(page.locator('.react-flow__node.selected')).toHaveCount(6);

  // Find: by column, Enter / F3 go from hit to hit, Escape closes.
  await page.keyboard.press('Control+f');
  await page.getByTestId('find-input').fill('total_amount');
  const status = page.getByTestId('find-status');
  await expect(status).toHaveText('3 nodes: Enter goes to the first');
  await page.keyboard.press('Enter');
  await expect(status).toContainText('1 of 3: phase1_add, column column_name');
  await page.keyboard.press('F3');
  await expect(status).toContainText('2 of 3: phase2_backfill');
  await expect(page.locator('.react-flow__node.selected')).toHaveAttribute('data-id', 'phase2_backfill');
  await shot(page, info, 'find');
  await page.keyboard.press('Shift+Enter');
  await expect(status).toContainText('1 of 3');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('find-bar')).toBeHidden();

  // The shortcut sheet lists the registry.
  await page.getByTestId('canvas').focus();
  await page.keyboard.press('?');
  const sheet = page.getByTestId('shortcuts-dialog');
  await expect(sheet).toContainText('Command palette');
  await expect(sheet).toContainText('Find nodes');
  await shot(page, info, 'shortcut-sheet');
  await darkShot(page, info, 'shortcut-sheet-dark');
  await page.keyboard.press('Escape');

  // New from the live schema, saved: then listed among the recent files of the start screen.
  await page.keyboard.press('Control+k');
  await page.getByTestId('command-palette-input').fill('new workflow');
  await page.keyboard.press('Enter');
  await page.getByTestId('confirm-ok').click();
  await start.getByTestId('start-schema-table').selectOption('orders');
  await start.getByTestId('start-schema-go').click();
  await expect(page.getByTestId('node-change_orders')).toBeVisible();
  await expect(page.getByTestId('inspector-id')).toHaveValue('change_orders');
  await shot(page, info, 'from-live-schema');
  const file = join(process.env.DATAFLOW_E2E_DIR!, 'home', 'change-orders.dataflow.json');
  await page.keyboard.press('Control+Shift+s');
  await page.getByTestId('save-path').fill(file);
  await darkShot(page, info, 'file-dialog-dark');
  await page.getByTestId('save-submit').click();
  await expect(page.getByTestId('notice-info')).toContainText('Saved');
  await page.keyboard.press('Control+n');
  await expect(start.getByTestId('start-recent')).toContainText('change-orders.dataflow.json');

  expect(a11y, a11y.join('\n')).toEqual([]);
});
