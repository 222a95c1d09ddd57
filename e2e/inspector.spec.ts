/**
 * Issue 13 item 1, the schema-aware inspector, in the browser app over the web host on the real
 * demo SQLite database: table and column fields are comboboxes of the schema the node sees (a
 * column an earlier node adds included, from the plan's simulated schema), `userz` is flagged at
 * once with "did you mean users?", the type is picked from the database's types, and `'bronze'`
 * typed as a DBA writes it renders `DEFAULT 'bronze'` (the plan's rendering). Item 4: an error
 * names the node by its id (clicking it selects the node) and the field by its form label.
 * Item 6 of stop 24's list: the same on a real PostgreSQL database ("Shop (PostgreSQL)", tables
 * like the demo's), where the type picker offers PostgreSQL's types (arrays included).
 */
import pg from 'pg';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { startPostgres, type PgServer } from '../test/pg-server.ts';
import { addPostgresConnection, dropNode, openApp, renameTo, selectNode, shot } from './editor.ts';

test('schema-aware inspector on SQLite: live tables and columns, a column an earlier node adds, did you mean, DEFAULT as rendered', async ({
  page,
}, info) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await openApp(page);
  await inspectorScenario(page, info, 'Demo database', false);
});

test.describe('on PostgreSQL', () => {
  let server: PgServer;
  let url: URL;
  test.beforeAll(async () => {
    server = await startPostgres();
    url = new URL(await server.createDatabase());
    const c = new pg.Client({ connectionString: url.toString() });
    await c.connect();
    await c.query(`
      CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, name text);
      CREATE TABLE test_users (id bigint PRIMARY KEY, email text);
      CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id), total numeric(10,2));`);
    await c.end();
  });
  test.afterAll(async () => {
    await server?.stop();
  });

  test('schema-aware inspector on PostgreSQL: the same, with its types', async ({ page }, info) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await openApp(page);
    await addPostgresConnection(page, url, 'Shop (PostgreSQL)');
    await inspectorScenario(page, info, 'Shop (PostgreSQL)', true);
  });
});

/** The scenario on the target connection `on` (its name); `arrays`: its types include arrays (PostgreSQL). */
async function inspectorScenario(page: Page, info: TestInfo, on: string, arrays: boolean): Promise<void> {
  await dropNode(page, 'SchemaModificationNode', 260, 200);
  await renameTo(page, 'add_tier');
  const table = page.getByTestId('field-table');
  await expect(table).toHaveAttribute('role', 'combobox');
  await table.fill('use');
  const tables = page.getByTestId('field-table-listbox');
  await expect(tables.getByRole('option')).toHaveText(['users', 'test_users']);
  await table.press('ArrowDown');
  await table.press('Enter');
  await expect(table).toHaveValue('users');
  await expect(tables).toHaveCount(0);
  await page.getByTestId('field-column_name').fill('tier');
  const type = page.getByTestId('field-column_type');
  await type.press('ArrowDown');
  await expect(
    page.getByTestId('field-column_type-listbox').getByRole('option', { name: 'varchar(255)' }),
  ).toBeVisible();
  await expect(page.getByTestId('field-column_type-listbox').getByRole('option', { name: 'integer[]' })).toHaveCount(
    arrays ? 1 : 0,
  );
  await page.getByTestId('field-column_type-listbox').getByRole('option', { name: 'text', exact: true }).click();
  await expect(type).toHaveValue('text');
  // With nothing to render yet, the default's input is as wide as the type's.
  const width = async (id: string) => (await page.getByTestId(id).boundingBox())!.width;
  expect(await width('field-default_value')).toBeCloseTo(await width('field-column_type'), 0);
  await page.getByTestId('field-default_value').fill("'bronze'");
  await expect(page.getByTestId('field-rendered-default_value')).toHaveText("DEFAULT 'bronze'");
  await expect(page.getByTestId('node-summary-add_tier')).toHaveText("users.tier text DEFAULT 'bronze'");
  await shot(page, info, `default-as-rendered-${arrays ? 'postgres' : 'sqlite'}`);

  await dropNode(page, 'ValidationNode', 620, 200);
  await renameTo(page, 'check_tier');
  const checkTable = page.getByTestId('field-table');
  await checkTable.fill('userz');
  const flag = page.getByTestId('field-unknown-table');
  await expect(flag).toContainText(`No table "userz" on ${on}`);
  await expect(flag).toContainText('Did you mean users?');
  await expect(checkTable).toHaveAttribute('aria-invalid', 'true');
  await shot(page, info, `did-you-mean-users-${arrays ? 'postgres' : 'sqlite'}`);
  await page.getByTestId('field-unknown-table-take-users').click();
  await expect(checkTable).toHaveValue('users');
  await expect(flag).toHaveCount(0);

  // The column an earlier node adds is offered, with its type, from the plan's simulated schema.
  const column = page.getByTestId('field-column');
  await column.press('ArrowDown');
  const columns = page.getByTestId('field-column-listbox');
  await expect(columns.getByRole('option', { name: /^tier/ })).toBeVisible();
  await expect(columns.getByRole('option', { name: /^email/ })).toBeVisible();
  await shot(page, info, `column-an-earlier-node-adds-${arrays ? 'postgres' : 'sqlite'}`);
  await column.press('Escape');
  await expect(columns).toHaveCount(0);
  await column.fill('teir');
  await expect(page.getByTestId('field-unknown-column')).toContainText(
    `No column "teir" in users on ${on}, as the nodes before this one leave it. Did you mean tier?`,
  );
  await page.getByTestId('field-unknown-column-take-tier').click();
  await expect(column).toHaveValue('tier');

  // A JSON field names tables too: the Row count's equals_table is checked the same way.
  const rowCount = page.getByTestId('field-check_row_count');
  await rowCount.fill('{"min": 1, "equals_table": "userz"}');
  const rowFlag = page.getByTestId('field-unknown-check_row_count-0');
  await expect(rowFlag).toContainText(`equals_table: No table "userz" on ${on}`);
  await expect(rowFlag).toContainText('Did you mean users?');
  await expect(page.getByTestId('node-check_tier')).toContainText('1');
  await shot(page, info, `json-did-you-mean-${arrays ? 'postgres' : 'sqlite'}`);
  await page.getByTestId('field-unknown-check_row_count-0-take-users').click();
  await expect(rowFlag).toHaveCount(0);
  await expect(rowCount).toHaveValue('{"min":1,"equals_table":"users"}');

  // The same names without the earlier node: tier is not there.
  await selectNode(page, 'add_tier');
  await page.getByTestId('field-table').fill('orders');
  await selectNode(page, 'check_tier');
  await expect(page.getByTestId('field-unknown-column')).toContainText(`No column "tier" in users on ${on}`);

  // Issue 13 item 4, one error pattern: the notice names the node by its id, a button that
  // selects it; the field by its form label, the param key in small print.
  await selectNode(page, 'add_tier');
  await page.getByTestId('field-column_name').fill('');
  await page.keyboard.press('Control+Enter');
  const notice = page.getByTestId('notice-error');
  await expect(notice).toContainText('Cannot plan. Fix the workflow first');
  await expect(notice.locator('.problem-field').first()).toHaveText('Column');
  await expect(notice.locator('.problem-key').first()).toHaveText('column_name');
  await expect(notice).not.toContainText('run.plan');
  await page.getByTestId('canvas').click({ position: { x: 60, y: 60 } });
  await expect(page.getByTestId('inspector-workflow')).toBeVisible();
  await shot(page, info, `error-names-node-and-field-${arrays ? 'postgres' : 'sqlite'}`);
  await notice.getByTestId('problem-node-add_tier').click();
  await expect(page.getByTestId('inspector-id')).toHaveValue('add_tier');
  await expect(page.locator('.react-flow__node.selected').getByTestId('node-add_tier')).toBeVisible();
}
