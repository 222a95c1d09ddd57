/**
 * Issue 14: the SQL preview and the diff pop out into windows of their own (window.open in the
 * browser app; the page follows the editor over a BroadcastChannel): an edit in the editor shows in
 * the popped-out SQL, a rehearsal's diff in the popped-out diff, and a closed editor is said. At
 * 1280x720 the diff's DDL wraps at spaces, never inside a word.
 */
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { darkShot, dropNode, finishedRun, openApp, publish, setField, shot } from './editor.ts';

/** The DDL cells' line breaks that fall inside a word (the text around each). */
async function midWordBreaks(page: Page): Promise<string[]> {
  return page.locator('.df-ddl td').evaluateAll((cells) =>
    cells.flatMap((td) => {
      const text = td.firstChild;
      if (!text || text.nodeType !== Node.TEXT_NODE) return [];
      const s = text.textContent ?? '';
      const range = document.createRange();
      const found: string[] = [];
      let top: number | null = null;
      for (let i = 0; i < s.length; i++) {
        range.setStart(text, i);
        range.setEnd(text, i + 1);
        const rect = range.getClientRects()[0];
        if (!rect) continue;
        if (top !== null && rect.top > top + 2 && s[i - 1] !== ' ' && s[i] !== ' ')
          found.push(`${s.slice(Math.max(0, i - 12), i)} / ${s.slice(i, i + 12)}`);
        top = rect.top;
      }
      return found;
    }),
  );
}

test('the SQL preview and the diff pop out and follow the editor; the diff wraps at spaces', async ({ page }, info) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await openApp(page);
  await dropNode(page, 'SchemaModificationNode', 300, 160);
  await setField(page, 'table', 'users');
  await setField(page, 'column_name', 'popped_note');
  await setField(page, 'column_type', 'text');

  await page.getByTestId('tab-sql').click();
  const [sql] = await Promise.all([page.waitForEvent('popup'), page.getByTestId('popout-sql-button').click()]);
  await expect(sql.getByTestId('popout-sql')).toBeVisible();
  await expect(sql.getByTestId('sql-preview')).toContainText('"popped_note"', { timeout: 30_000 });
  await expect(page.getByTestId('popout-sql-button')).toHaveAttribute('aria-pressed', 'true');

  // An edit in the editor, with the inspector shown instead of the SQL: the pop-out follows.
  await page.getByTestId('tab-inspector').click();
  await setField(page, 'column_name', 'popped_later');
  await expect(sql.getByTestId('sql-preview')).toContainText('"popped_later"', { timeout: 30_000 });
  await expect(sql).toHaveTitle(/^SQL preview — untitled on Demo database/);
  await sql.setViewportSize({ width: 900, height: 600 });
  await shot(sql, info, 'sql-popout');
  await darkShot(sql, info, 'sql-popout-dark');

  // A rehearsal: its diff in a window of its own.
  await page.getByTestId('btn-rehearse').click();
  expect(await finishedRun(page, 'rehearse')).toBe('succeeded');
  await page.getByTestId('tab-diff').click();
  const [diff] = await Promise.all([page.waitForEvent('popup'), page.getByTestId('popout-diff-button').click()]);
  await expect(diff.getByTestId('diff-table-users')).toBeVisible();
  await expect(diff.getByTestId('diff-ddl-users')).toContainText('"popped_later"');
  await diff.setViewportSize({ width: 900, height: 600 });
  publish(
    await shot(diff, info, 'diff-popout'),
    fileURLToPath(new URL('../docs/screenshot-popout-diff.png', import.meta.url)),
  );

  // The diff in the editor at 1280x720: lines wrap at spaces (or scroll), never inside a word.
  await expect(page.getByTestId('diff-ddl-users')).toBeVisible();
  expect(await midWordBreaks(page)).toEqual([]);
  await shot(page, info, 'diff-1280x720');

  // The editor closes: the pop-outs say they no longer follow it.
  await page.close({ runBeforeUnload: false });
  await expect(diff.getByTestId('popout-editor-closed')).toBeVisible();
  await expect(sql.getByTestId('popout-editor-closed')).toBeVisible();
});
