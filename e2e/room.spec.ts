/**
 * Issue 14, room and look: panels resized by dragging and by the keyboard, collapsed with their
 * shortcuts and remembered after a reload; the SQL preview and the diff maximised; Fit at a
 * readable zoom; the minimap in the nodes' colours and hidden; ids in one line; new nodes clear of
 * the others; the dark theme following the OS, chosen in the toolbar, remembered, and passing axe;
 * the toolbar on one line (File menu, icon buttons) with the title and target in full; the minimap
 * hidden on a canvas too small for it.
 * Screenshots at 1280x720, 1440x900 and 2560x1440, light and dark.
 */
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { dropNode, finishedRun, openApp, publish, renameTo, selectNode, setField, shot } from './editor.ts';

/** The serious and critical violations on the page as it is (as in accessibility.spec.ts). */
async function violations(page: Page): Promise<string[]> {
  await expect(page.locator('.df-loading')).toHaveCount(0, { timeout: 30_000 });
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id} ${n.target.join(' ')}: ${n.failureSummary?.replace(/\s+/g, ' ')}`));
}

async function zoom(page: Page): Promise<number> {
  const transform = await page.locator('.react-flow__viewport').evaluate((el) => (el as HTMLElement).style.transform);
  return Number(/scale\(([\d.]+)\)/.exec(transform)![1]);
}

async function box(locator: Locator) {
  const b = await locator.boundingBox();
  if (!b) throw new Error('not on screen');
  return b;
}

const apart = (a: { x: number; y: number; width: number; height: number }, b: typeof a) =>
  a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;

/** The toolbar's height and whether its items stand on one line; the workflow's name's and the target's text cut or whole. */
async function toolbarLayout(page: Page) {
  return page.getByTestId('toolbar').evaluate((bar) => {
    const tops = [...bar.children].map((c) => c.getBoundingClientRect().top);
    const cut = (el: Element | null) => !!el && el.scrollWidth > el.clientWidth;
    const select = bar.querySelector('select')!;
    const text = select.selectedOptions[0]?.textContent ?? '';
    const ctx = document.createElement('canvas').getContext('2d')!;
    ctx.font = getComputedStyle(select).font;
    return {
      height: bar.getBoundingClientRect().height,
      oneLine: Math.max(...tops) - Math.min(...tops) < 8,
      nameCut: cut(bar.querySelector('.doc-name')),
      // The select's own padding and arrow take about 24 px beside the option's text.
      targetCut: ctx.measureText(text).width + 24 > select.clientWidth,
    };
  });
}

async function dragBy(page: Page, handle: Locator, dx: number, dy: number): Promise<void> {
  const b = await box(handle);
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2 + dx, b.y + b.height / 2 + dy, { steps: 4 });
  await page.mouse.up();
}

test('panels, fit, minimap, node placement and the dark theme', async ({ page }, info) => {
  test.setTimeout(480_000); // a rehearse, two page loads and two axe scans; slow on a loaded 2-core machine
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.emulateMedia({ colorScheme: 'light' });
  await openApp(page);
  const html = page.locator('html');
  await expect(html).toHaveAttribute('data-theme', 'light');

  await test.step('Fit keeps the five-node example readable', async () => {
    // Open… from the File menu, by the keyboard.
    await page.getByTestId('btn-file-menu').focus();
    await page.keyboard.press('ArrowDown');
    await expect(page.getByTestId('btn-new')).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(page.getByTestId('btn-open')).toContainText('Ctrl+O');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('menu', { name: 'File' })).toHaveCount(0);
    await page.getByTestId('example-migration-workflow-pattern').click();
    await expect(page.getByTestId('node-update_status')).toBeVisible();
    await page.getByTestId('btn-fit').click();
    await expect.poll(() => zoom(page)).toBeGreaterThanOrEqual(0.75);
    await shot(page, info, 'fit-light-1440');
  });

  await test.step('the minimap draws each node in its category colour and can be hidden', async () => {
    const fills = await page
      .locator('.react-flow__minimap-node')
      .evaluateAll((rects) => rects.map((r) => (r as SVGRectElement).style.fill));
    expect(fills.length).toBe(5);
    expect(fills).toContain('var(--cat-Migration)');
    expect(fills).toContain('var(--cat-Flow)');
    await page.getByTestId('btn-minimap').click();
    await expect(page.locator('.react-flow__minimap')).toHaveCount(0);
  });

  await test.step('panels resize by dragging and by the keyboard, and collapse with their shortcuts', async () => {
    const left = page.getByTestId('splitter-left');
    await expect(left).toHaveAttribute('role', 'separator');
    await expect(left).toHaveAttribute('aria-valuenow', '250');
    await dragBy(page, left, 90, 0);
    await expect(left).toHaveAttribute('aria-valuenow', '340');
    expect((await box(page.locator('#panel-left'))).width).toBeCloseTo(340, -1);

    const right = page.getByTestId('splitter-right');
    await right.focus();
    await page.keyboard.press('Shift+ArrowLeft');
    await expect(right).toHaveAttribute('aria-valuenow', '444');

    const bottom = page.getByTestId('splitter-bottom');
    await dragBy(page, bottom, 0, -110);
    await expect(bottom).toHaveAttribute('aria-valuenow', '400');

    await page.locator('.react-flow__pane').click();
    await page.keyboard.press('Control+j');
    await expect(page.locator('#panel-bottom')).toBeHidden();
    await expect(bottom).toHaveAttribute('aria-valuenow', '0');
    await page.keyboard.press('Control+b');
    await expect(page.locator('#panel-left')).toBeHidden();
    await shot(page, info, 'collapsed-left-and-bottom');
    await page.keyboard.press('Control+b');
    await expect(page.locator('#panel-left')).toBeVisible();
    await expect(left).toHaveAttribute('aria-valuenow', '340');
  });

  await test.step('sizes, collapsed panels and the minimap are remembered after a reload', async () => {
    // Saved shortly after the last change.
    await page.waitForTimeout(600);
    await page.reload();
    await expect(page.getByTestId('toolbar')).toBeVisible();
    await expect(page.getByTestId('splitter-left')).toHaveAttribute('aria-valuenow', '340');
    await expect(page.getByTestId('splitter-right')).toHaveAttribute('aria-valuenow', '444');
    await expect(page.locator('#panel-bottom')).toBeHidden();
    await expect(page.locator('.react-flow__minimap')).toHaveCount(0);
    await page.getByTestId('splitter-bottom').focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('splitter-bottom')).toHaveAttribute('aria-valuenow', '400');
    await page.getByTestId('btn-minimap').click();
  });

  await test.step('node ids stay on one line; new nodes land clear of the others', async () => {
    await page.keyboard.press('Control+o');
    await page.getByTestId('example-zero-downtime').click();
    await expect(page.getByTestId('node-phase1_add')).toBeVisible();
    await selectNode(page, 'phase1_add');
    await renameTo(page, 'add_total_amount_to_orders_before_backfill');
    const id = page.getByTestId('node-add_total_amount_to_orders_before_backfill').locator('.node-id');
    await expect(id).toHaveAttribute('title', 'add_total_amount_to_orders_before_backfill');
    const lines = await id.evaluate((el) => ({
      height: el.getBoundingClientRect().height,
      line: parseFloat(getComputedStyle(el).lineHeight),
      cut: el.scrollWidth > el.clientWidth,
    }));
    expect(lines.height).toBeLessThan(lines.line * 1.5);
    expect(lines.cut).toBe(true);

    await page.getByTestId('palette-item-ValidationNode').dblclick();
    await page.getByTestId('palette-item-ValidationNode').dblclick();
    const cards = page.locator('.react-flow__node');
    await expect(cards).toHaveCount(5);
    const all = await Promise.all((await cards.all()).map(box));
    for (let i = 0; i < all.length; i++)
      for (let j = i + 1; j < all.length; j++)
        expect(apart(all[i]!, all[j]!), `cards ${i} and ${j} overlap`).toBe(true);

    await selectNode(page, 'phase2_backfill');
    await page.keyboard.press('Control+d');
    await expect(cards).toHaveCount(6);
    const [original, copy] = [await box(page.getByTestId('node-phase2_backfill')), await box(cards.last())];
    expect(apart(original, copy)).toBe(true);
    await shot(page, info, 'placed-light-1440');
  });

  await test.step('the toolbar is one line; the unsaved dot, the name and the target show in full', async () => {
    await expect(page.getByTestId('dirty-marker')).toBeVisible();
    expect(await toolbarLayout(page)).toEqual(
      expect.objectContaining({ oneLine: true, nameCut: false, targetCut: false }),
    );
    // The file name gives way first (beside the problem count here); the title's tooltip holds it.
    await expect(page.getByTestId('doc-title')).toHaveAttribute('title', /zero-downtime\.dataflow\.json$/);
    await page.getByTestId('btn-file-menu').click();
    const menu = page.getByRole('menu', { name: 'File' });
    await expect(menu.getByRole('menuitem')).toHaveText([
      'NewCtrl+N',
      'Open…Ctrl+O',
      'SaveCtrl+S',
      'Save as…Ctrl+Shift+S',
      'Import Python…Ctrl+I',
      'Export Python…Ctrl+E',
      'Export SQL…Ctrl+Shift+E',
    ]);
    await shot(page, info, 'file-menu-light-1440');
    await page.keyboard.press('Escape');
    await expect(menu).toHaveCount(0);
    await expect(page.getByTestId('btn-file-menu')).toBeFocused();
    await expect(page.getByTestId('btn-fit')).toHaveAttribute('title', 'Fit view (Shift+1)');
  });

  await test.step('the SQL preview and the diff take the full width', async () => {
    await page.getByTestId('tab-sql').click();
    await expect(page.getByTestId('sql-preview')).toBeVisible();
    await page.getByTestId('maximise-sql').click();
    const main = await box(page.getByTestId('layout-main'));
    expect((await box(page.locator('#panel-right'))).width).toBeCloseTo(main.width, -1);
    await shot(page, info, 'sql-maximised-light');
    await page.keyboard.press('Escape');
    await expect(page.locator('.react-flow__pane')).toBeVisible();
  });

  await test.step('the dark theme follows the OS and passes axe', async () => {
    // A workflow of its own to rehearse: one new column, so that the diff has a change.
    await page.keyboard.press('Control+n');
    await page.getByTestId('confirm-ok').click();
    await page.getByTestId('tab-inspector').click();
    await dropNode(page, 'SchemaModificationNode', 300, 200);
    await setField(page, 'table', 'users');
    await setField(page, 'column_name', 'room_note');
    await setField(page, 'column_type', 'text');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(html).toHaveAttribute('data-theme', 'dark');
    await page.getByTestId('btn-rehearse').click();
    // A run's worker starts slowly on a loaded machine: wait longer than finishedRun does.
    await expect(page.getByTestId('toolbar')).toHaveAttribute('data-run-phase', 'finished', { timeout: 240_000 });
    expect(await finishedRun(page, 'rehearse')).toBe('succeeded');
    await page.getByTestId('tab-sql').click();
    await expect(page.getByTestId('sql-preview')).toContainText('ALTER TABLE', { timeout: 60_000 });
    await page.getByTestId('tab-diff').click();
    await expect(page.getByTestId('diff-table-users')).toBeVisible();
    const found = { 'editor and SQL preview': await violations(page) };
    publish(
      await shot(page, info, 'dark-1440'),
      fileURLToPath(new URL('../docs/screenshot-dark.png', import.meta.url)),
    );
    await page.getByTestId('maximise-diff').click();
    await expect(page.locator('.react-flow__pane')).toBeHidden();
    await shot(page, info, 'diff-maximised-dark');
    await page.getByTestId('maximise-diff').click();
    await page.getByTestId('btn-connections').click();
    await expect(page.getByRole('dialog')).toBeVisible();
    Object.assign(found, { 'connections dialog': await violations(page) });
    await shot(page, info, 'dialog-dark');
    await page.keyboard.press('Escape');
    const all = Object.entries(found).flatMap(([screen, list]) => list.map((v) => `${screen}: ${v}`));
    expect(all, all.join('\n')).toEqual([]);
  });

  await test.step('from 1280x720 up to 2560x1440', async () => {
    for (const [width, height] of [
      [1280, 720],
      [2560, 1440],
    ] as const) {
      await page.setViewportSize({ width, height });
      await page.getByTestId('btn-fit').click();
      const canvas = await box(page.getByTestId('canvas'));
      expect(canvas.width).toBeGreaterThanOrEqual(360);
      expect(canvas.height).toBeGreaterThanOrEqual(180);
      await expect(page.getByTestId('btn-apply')).toBeInViewport();
      expect((await toolbarLayout(page)).oneLine).toBe(true);
      // A canvas too small for the minimap does without it; a large one shows it again.
      const room = canvas.width >= 720 && canvas.height >= 440;
      expect(room).toBe(width > 1280);
      await expect(page.locator('.react-flow__minimap')).toHaveCount(room ? 1 : 0);
      await shot(page, info, `dark-${width}x${height}`);
    }
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  await test.step('a theme chosen in the toolbar wins over the OS and is remembered', async () => {
    await page.getByTestId('theme-select').selectOption('light');
    await expect(html).toHaveAttribute('data-theme', 'light');
    await page.waitForTimeout(600);
    await page.reload();
    await expect(page.getByTestId('theme-select')).toHaveValue('light');
    await expect(html).toHaveAttribute('data-theme', 'light');
    await page.setViewportSize({ width: 1280, height: 720 });
    await shot(page, info, 'light-1280x720');
    await page.getByTestId('theme-select').selectOption('system');
    await expect(html).toHaveAttribute('data-theme', 'dark');
  });

  // The settings outlive the page: give the specs after this one the default room.
  await page.setViewportSize({ width: 1440, height: 900 });
  await dragBy(page, page.getByTestId('splitter-left'), -90, 0);
  await page.getByTestId('splitter-right').focus();
  await page.keyboard.press('Shift+ArrowRight');
  await dragBy(page, page.getByTestId('splitter-bottom'), 0, 110);
  await expect(page.getByTestId('splitter-left')).toHaveAttribute('aria-valuenow', '250');
  await expect(page.getByTestId('splitter-right')).toHaveAttribute('aria-valuenow', '380');
  await expect(page.getByTestId('splitter-bottom')).toHaveAttribute('aria-valuenow', '290');
  await page.waitForTimeout(600);
});
