/**
 * Issue 14 items 4 and 5 in the browser app over the web host: sticky notes (markdown, never
 * HTML) and a named group that moves its nodes together, collapses to a compact frame, and runs
 * as a unit from its menu; saved with the workflow through the host's file dialog.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { darkShot, finishedRun, nodeStatus, openApp, resetDemo, shot } from './editor.ts';

async function nodeBox(page: Page, id: string) {
  const box = await page.getByTestId(`node-${id}`).boundingBox();
  if (!box) throw new Error(`node ${id} is not on screen`);
  return box;
}

test('notes and groups: markdown note, group moved, run as a unit, collapsed, undone, saved', async ({
  page,
}, info) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await openApp(page);
  await resetDemo(page);
  await page.getByTestId('btn-file-menu').click();
  await page.getByTestId('btn-open').click();
  await page.getByTestId('example-zero-downtime').click();
  await expect(page.getByTestId('node-phase3_constraint')).toBeVisible();

  // Group the first two phases: click one, Ctrl+click the other, Ctrl+G.
  await page.getByTestId('node-phase1_add').locator('.node-head').click();
  await page
    .getByTestId('node-phase2_backfill')
    .locator('.node-head')
    .click({ modifiers: ['Control'] });
  await page.keyboard.press('Control+g');
  const group = page.getByTestId('group-group');
  await expect(group).toBeVisible();
  await expect(page.getByTestId('group-count-group')).toHaveText('2 nodes');
  await group.locator('.group-name').dblclick();
  await page.getByTestId('group-name-input-group').fill('Expand: add and backfill');
  await page.keyboard.press('Enter');
  await expect(group.locator('.group-name')).toHaveText('Expand: add and backfill');

  // Dragging the frame's head moves both nodes by the same distance, and not the third.
  const before1 = await nodeBox(page, 'phase1_add');
  const before2 = await nodeBox(page, 'phase2_backfill');
  const before3 = await nodeBox(page, 'phase3_constraint');
  const head = (await group.locator('.group-head').boundingBox())!;
  await page.mouse.move(head.x + 40, head.y + head.height / 2);
  await page.mouse.down();
  await page.mouse.move(head.x + 80, head.y + 90, { steps: 8 });
  await page.mouse.up();
  const after1 = await nodeBox(page, 'phase1_add');
  const after2 = await nodeBox(page, 'phase2_backfill');
  expect(after1.y - before1.y).toBeGreaterThan(40);
  expect(Math.round(after2.y - before2.y)).toBe(Math.round(after1.y - before1.y));
  expect(Math.round(after2.x - before2.x)).toBe(Math.round(after1.x - before1.x));
  expect(await nodeBox(page, 'phase3_constraint')).toEqual(before3);

  // A note: markdown rendered, markup shown as typed (no element made from it).
  await page.getByTestId('btn-add-note').click();
  const note = page.getByTestId('note-note');
  await expect(note).toBeVisible();
  await note.dblclick();
  await page
    .getByTestId('note-editor-note')
    .fill(
      '## Expand first\n\nRun **phase 1 and 2** before the deploy.\n\n- then `phase3`\n- <img src=x onerror="document.title=1">',
    );
  await page.keyboard.press('Control+Enter');
  await expect(note.locator('h4')).toHaveText('Expand first');
  await expect(note.locator('strong')).toHaveText('phase 1 and 2');
  await expect(note.locator('li').nth(1)).toHaveText('<img src=x onerror="document.title=1">');
  await expect(note.locator('img')).toHaveCount(0);
  await shot(page, info, 'group-and-note');

  // The note's right-click menu: a colour of the theme's note palette (light and dark), edit in place.
  await note.click({ button: 'right' });
  const noteMenu = page.getByTestId('note-menu-note');
  await expect(noteMenu.getByRole('menuitem', { name: 'Edit the note' })).toBeFocused();
  await darkShot(page, info, 'note-menu-dark');
  await noteMenu.getByTestId('menu-item-note.color.blue').click();
  await expect(note).toHaveClass(/note-blue/);
  await darkShot(page, info, 'group-and-blue-note-dark');
  await note.click({ button: 'right' });
  await page.getByTestId('menu-item-note.edit').click();
  await expect(page.getByTestId('note-editor-note')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(note.locator('h4')).toHaveText('Expand first');

  // The group's menu rehearses its two nodes only.
  await expect(page.getByTestId('btn-rehearse')).toBeEnabled({ timeout: 30_000 });
  await page.getByTestId('group-menu-button-group').click();
  await expect(page.getByTestId('group-menu-group')).toBeVisible();
  await shot(page, info, 'group-menu');
  await page.getByTestId('group-run-rehearse').click();
  expect(await finishedRun(page, 'rehearse')).toBe('succeeded');
  expect(await nodeStatus(page, 'phase1_add')).toBe('succeeded');
  expect(await nodeStatus(page, 'phase2_backfill')).toBe('succeeded');
  expect(await nodeStatus(page, 'phase3_constraint')).toBe('skipped');
  await shot(page, info, 'group-rehearsed');

  // Collapsed: a compact frame with the count; its nodes hidden; undo brings them back.
  await page.getByTestId('group-toggle-group').click();
  await expect(page.getByTestId('node-phase1_add')).toBeHidden();
  await expect(group).toHaveClass(/collapsed/);
  await expect(page.getByTestId('group-count-group')).toHaveText('2 nodes');
  await shot(page, info, 'group-collapsed');
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('node-phase1_add')).toBeVisible();
  await page.keyboard.press('Control+y');
  await expect(page.getByTestId('node-phase1_add')).toBeHidden();

  // Saved through the host's file dialog: a new folder, then the file in it.
  const home = join(process.env.DATAFLOW_E2E_DIR!, 'home');
  await page.keyboard.press('Control+Shift+s');
  await expect(page.getByTestId('file-folder')).toHaveText(home);
  await page.getByTestId('file-new-folder').click();
  await page.getByTestId('file-new-folder-name').fill('migrations');
  await page.getByTestId('file-new-folder-create').click();
  await expect(page.getByTestId('file-folder')).toHaveText(join(home, 'migrations'));
  await expect(page.getByTestId('save-path')).toHaveValue(
    join(home, 'migrations', 'Zero-Downtime_Migrations.dataflow.json'),
  );
  await shot(page, info, 'save-dialog-new-folder');
  await darkShot(page, info, 'save-dialog-dark');
  await page.getByTestId('save-submit').click();
  await expect(page.getByTestId('notice-info')).toContainText('Saved');
  await expect(page.getByTestId('doc-path')).toHaveText('Zero-Downtime_Migrations.dataflow.json');
  const file = join(home, 'migrations', 'Zero-Downtime_Migrations.dataflow.json');
  const saved = JSON.parse(readFileSync(file, 'utf8')) as {
    groups: { name: string; nodes: string[]; collapsed?: boolean }[];
    notes: { text: string; color?: string }[];
  };
  expect(saved.groups).toEqual([
    { id: 'group', name: 'Expand: add and backfill', nodes: ['phase1_add', 'phase2_backfill'], collapsed: true },
  ]);
  expect(saved.notes[0]!.text).toContain('## Expand first');
  expect(saved.notes[0]!.color).toBe('blue');

  // The dialog refuses the app's own folders; the file opens back from its recent folder.
  await page.keyboard.press('Control+Shift+s');
  await page.getByTestId('save-path').fill(join(process.env.DATAFLOW_E2E_DIR!, 'data', 'mine.dataflow.json'));
  await page.getByTestId('save-submit').click();
  await expect(page.getByTestId('save-error')).toContainText("the app's data folder");
  await page.getByTestId('dialog-cancel').click();
  await page.getByTestId('btn-file-menu').click();
  await page.getByTestId('btn-new').click();
  await expect(page.getByTestId('group-group')).toHaveCount(0);
  await page.keyboard.press('Control+o');
  await page.getByTestId('recent-folders').getByRole('button', { name: 'migrations' }).click();
  await expect(page.getByTestId('file-folder')).toHaveText(join(home, 'migrations'));
  await shot(page, info, 'open-dialog');
  await page.getByTestId('entry-Zero-Downtime_Migrations.dataflow.json').dblclick();
  await expect(page.getByTestId('group-group')).toHaveClass(/collapsed/);
  await expect(page.getByTestId('note-note')).toBeVisible();
});
