/** What the specs do in the editor, as a user would: drag, connect, type, click. */
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { expect, type Page, type TestInfo } from '@playwright/test';

export function appUrl(): string {
  const url = process.env.DATAFLOW_URL;
  if (!url)
    throw new Error('DATAFLOW_URL is not set: run the specs with `npm run e2e` (the config starts the web host)');
  return url;
}

/** Opens the app and waits for the demo connection to be chosen. */
export async function openApp(page: Page): Promise<void> {
  await page.goto(appUrl());
  await expect(page.getByTestId('toolbar')).toBeVisible();
  await expect(page.getByTestId('connection-select')).toContainText('(demo)');
}

/** Recreates the demo database from scratch (every spec starts from the guide's "before" tables). */
export async function resetDemo(page: Page): Promise<void> {
  await page.getByTestId('btn-create-demo').click();
  const confirm = page.getByTestId('confirm-ok');
  if (await confirm.isVisible()) await confirm.click();
  await expect(page.getByTestId('notice-info')).toContainText('is ready', { timeout: 60_000 });
}

/**
 * Adds a PostgreSQL connection named `name` to the database at `url` as a user would (the
 * Connections dialog), makes it the target and answers its id.
 */
export async function addPostgresConnection(page: Page, url: URL, name: string): Promise<string> {
  await page.getByTestId('btn-connections').click();
  await page.getByTestId('connections-add').click();
  await page.getByTestId('conn-name').fill(name);
  await page.getByTestId('conn-kind').selectOption('postgres');
  await page.getByTestId('conn-host').fill(url.hostname);
  await page.getByTestId('conn-port').fill(url.port);
  await page.getByTestId('conn-database').fill(url.pathname.slice(1));
  await page.getByTestId('conn-user').fill(decodeURIComponent(url.username));
  await page.getByTestId('conn-password').fill(decodeURIComponent(url.password));
  await page.getByTestId('conn-sslMode').selectOption('disable');
  await page.getByTestId('conn-save').click();
  const row = page.getByTestId('connections-dialog').locator(`tr[data-name="${name}"]`);
  await expect(row).toBeVisible();
  const id = (await row.getAttribute('data-connection-id'))!;
  await page.keyboard.press('Escape');
  await page.getByTestId('connection-select').selectOption(id);
  return id;
}

/** Drags a node type from the palette onto the canvas at (x, y) of the canvas; answers the new node's id. */
export async function dropNode(page: Page, type: string, x: number, y: number): Promise<string> {
  await page.getByTestId(`palette-item-${type}`).dragTo(page.getByTestId('canvas'), { targetPosition: { x, y } });
  const id = page.getByTestId('inspector-id');
  await expect(id).toBeVisible();
  return id.inputValue();
}

/** Renames the node shown in the inspector. */
export async function renameTo(page: Page, id: string): Promise<void> {
  const field = page.getByTestId('inspector-id');
  await field.fill(id);
  await field.press('Enter');
  await expect(page.getByTestId(`node-${id}`)).toBeVisible();
}

export async function selectNode(page: Page, id: string): Promise<void> {
  await page.getByTestId('tab-inspector').click();
  await page.getByTestId(`node-${id}`).locator('.node-head').click();
  await expect(page.getByTestId('inspector-id')).toHaveValue(id);
}

/** Sets a param in the inspector, whatever its widget. */
export async function setField(page: Page, name: string, value: string): Promise<void> {
  const field = page.getByTestId(`field-${name}`);
  const tag = await field.evaluate((el) => el.tagName);
  if (tag === 'SELECT') await field.selectOption(value);
  else await field.fill(value);
}

/** Draws a connection by dragging from a source handle to a target's input handle. */
export async function connect(page: Page, source: string, handle: string, target: string): Promise<void> {
  const from = await page.getByTestId(`handle-${source}-out-${handle}`).boundingBox();
  const to = await page.getByTestId(`handle-${target}-in-input`).boundingBox();
  if (!from || !to) throw new Error(`handles of ${source} or ${target} are not on screen`);
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 5 });
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 5 });
  await page.mouse.up();
}

/** Waits until the run started last (a `mode` run) has finished and answers its status. */
export async function finishedRun(page: Page, mode: 'plan' | 'rehearse' | 'apply'): Promise<string> {
  const toolbar = page.getByTestId('toolbar');
  await expect(toolbar).toHaveAttribute('data-run-mode', mode);
  await expect(toolbar).toHaveAttribute('data-run-phase', 'finished', { timeout: 60_000 });
  return (await toolbar.getAttribute('data-run-status')) ?? '';
}

export async function nodeStatus(page: Page, id: string): Promise<string | null> {
  return page.getByTestId(`node-${id}`).getAttribute('data-status');
}

/** A numbered screenshot of the whole window, kept with the test's results. */
export async function shot(page: Page, info: TestInfo, name: string): Promise<string> {
  const path = info.outputPath(`${String(info.attachments.length + 1).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path });
  await info.attach(name, { path, contentType: 'image/png' });
  return path;
}

/** The same screen in the dark theme (the OS's setting, which the default theme choice follows), then light again. */
export async function darkShot(page: Page, info: TestInfo, name: string): Promise<string> {
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  const path = await shot(page, info, name);
  await page.emulateMedia({ colorScheme: 'light' });
  return path;
}

/**
 * Copies a screenshot into the docs when `UPDATE_SCREENSHOTS=1` (`UPDATE_SCREENSHOTS=1 npm run
 * e2e`), so that an ordinary test run leaves the checkout unchanged.
 */
export function publish(path: string, to: string): void {
  if (process.env.UPDATE_SCREENSHOTS !== '1') return;
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(path, to);
}
