/**
 * Issue 16, a large canvas: a 400-node workflow draws only the cards in view; zoomed out, cards
 * created there are light and show their id in large type with their category colour, and further
 * out the colour alone. Screenshots at the opening zoom and at both far zooms.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { openApp, shot } from './editor.ts';
import { WORKFLOW_FORMAT, WORKFLOW_VERSION, type Workflow } from '../shared/workflow.ts';

const NODES = 400;
const COLS = 20;

function workflow(): Workflow {
  const types = ['SchemaModificationNode', 'ValidationNode', 'MonitoringNode', 'PythonCodeNode'];
  const nodes = Array.from({ length: NODES }, (_, i) => ({
    id: `step_${i}`,
    type: types[i % types.length]!,
    params: {},
    position: { x: (i % COLS) * 300, y: Math.floor(i / COLS) * 180 },
  }));
  const connections = nodes
    .slice(1)
    .map((n, i) => ({ source: nodes[i]!.id, sourceOutput: 'result', target: n.id, targetInput: 'input' }));
  return { format: WORKFLOW_FORMAT, version: WORKFLOW_VERSION, name: 'Large', description: '', nodes, connections };
}

const zoom = (page: Page) =>
  page
    .locator('.react-flow__viewport')
    .evaluate((el) => Number(/scale\(([\d.]+)\)/.exec((el as HTMLElement).style.transform)![1]));

/**
 * The cards drawn against the workflow's nodes in view: `missing` lie wholly inside the canvas but
 * are not drawn, `extra` are drawn but lie wholly outside it (with a card's room to spare).
 */
async function drawnInView(page: Page) {
  const positions = workflow().nodes.map((n) => ({ id: n.id, ...n.position }));
  return page.locator('.react-flow__pane').evaluate((pane, nodes) => {
    const view = (document.querySelector('.react-flow__viewport') as HTMLElement).style.transform;
    const [, tx, ty, k] = /translate\((-?[\d.]+)px, (-?[\d.]+)px\) scale\(([\d.]+)\)/.exec(view)!.map(Number);
    const r = pane.getBoundingClientRect();
    const drawn = new Set(
      [...document.querySelectorAll('.react-flow__node-workflow')].map((el) => el.getAttribute('data-id')!),
    );
    const inside = (n: { x: number; y: number }, margin: number) => {
      const x = n.x * k! + tx!;
      const y = n.y * k! + ty!;
      return x >= -margin && y >= -margin && x + 240 * k! <= r.width + margin && y + 74 * k! <= r.height + margin;
    };
    return {
      drawn: drawn.size,
      missing: nodes.filter((n) => inside(n, 0) && !drawn.has(n.id)).map((n) => n.id),
      extra: nodes.filter((n) => drawn.has(n.id) && !inside(n, 240 * k!)).map((n) => n.id),
    };
  }, positions);
}

/** Zooms out with the canvas's zoom-out button until the zoom is below `below`. */
async function zoomOutBelow(page: Page, below: number): Promise<void> {
  for (let i = 0; i < 30 && (await zoom(page)) >= below; i++) {
    const before = await zoom(page);
    await page.locator('.react-flow__controls-zoomout').click();
    await expect.poll(() => zoom(page)).toBeLessThan(before);
  }
  expect(await zoom(page)).toBeLessThan(below);
}

test('a 400-node workflow: only the cards in view are drawn; far zoom shows ids, then colours', async ({
  page,
}, info) => {
  const file = join(process.env.DATAFLOW_E2E_DIR!, 'home', 'large.dataflow.json');
  writeFileSync(file, JSON.stringify(workflow(), null, 2));
  await openApp(page);
  await page.getByTestId('btn-file-menu').click();
  await page.getByTestId('btn-open').click();
  await page.getByTestId('open-path').fill(file);
  await page.getByTestId('open-submit').click();
  await expect(page.getByTestId('node-step_0')).toBeVisible();
  const cards = page.locator('.react-flow__node-workflow');

  // Opened at the readable zoom on the workflow's start: its cards in view are full, the rest not drawn.
  expect(await zoom(page)).toBeGreaterThanOrEqual(0.75);
  const opened = await cards.count();
  expect(opened).toBeGreaterThan(10);
  expect(opened).toBeLessThan(NODES / 4);
  expect(await drawnInView(page)).toEqual({ drawn: opened, missing: [], extra: [] });
  await expect(page.getByTestId('node-step_399')).toHaveCount(0);
  await expect(page.getByTestId('node-step_0').locator('.node-summary')).toBeVisible();
  await shot(page, info, 'opened');

  // Between ID_ZOOM (0.2) and FAR_ZOOM (0.35): the cards now in view are created light, with their id in large type.
  await zoomOutBelow(page, 0.35);
  expect(await zoom(page)).toBeGreaterThanOrEqual(0.2);
  const zoomedOut = await drawnInView(page);
  expect(zoomedOut.drawn).toBeGreaterThan(opened);
  expect(zoomedOut).toMatchObject({ missing: [], extra: [] });
  // (Cards that came into view on the way out, above FAR_ZOOM, were created full.)
  const lightId = (await page.locator('.node-card.light').first().getAttribute('data-testid'))!.slice('node-'.length);
  const far = page.getByTestId(`node-${lightId}`);
  await expect(far.locator('.node-far-id')).toBeVisible();
  await expect(far.locator('.node-far-id')).toHaveText(lightId);
  // A card created full at the opening zoom hides its small text and shows the large id too.
  await expect(page.getByTestId('node-step_0').locator('.node-summary')).toBeHidden();
  await expect(page.getByTestId('node-step_0').locator('.node-far-id')).toBeVisible();
  await shot(page, info, 'far-ids');

  // Below ID_ZOOM: the category colour alone; with the whole workflow in view, every card is drawn.
  await zoomOutBelow(page, 0.2);
  await expect(page.locator('.canvas.ids-hidden')).toHaveCount(1);
  await expect(far.locator('.node-far-id')).toBeHidden();
  await expect(far.locator('.node-icon')).toBeVisible();
  await expect.poll(async () => (await drawnInView(page)).missing).toEqual([]);
  expect((await drawnInView(page)).extra).toEqual([]);
  await shot(page, info, 'farthest');

  // Found and centred at a readable zoom: the light card becomes full, measured, its edges attached.
  await page.keyboard.press('Control+f');
  await page.getByTestId('find-input').fill(lightId);
  await page.keyboard.press('Enter');
  await expect.poll(() => zoom(page)).toBeGreaterThanOrEqual(0.75);
  await expect(far).not.toHaveClass(/light/);
  await expect(far.locator('.node-summary')).toBeVisible();
  await expect(page.getByTestId('node-step_0')).toHaveCount(0);
  await shot(page, info, 'found');
});
