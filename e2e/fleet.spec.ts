/**
 * Issue 15's fleet panel over the web host on real SQLite files: four saved connections (three
 * staging, one production; one staging database lacks the orders table), picked by environment,
 * planned, then run with a canary, on error continue and a pause between waves. The confirmation
 * names the count and the environments and asks for "production" to be typed; the live grid is
 * fed by the host's fleet events; the failed target is found with the status filter; a target's
 * run opens in the run panel; the fleet is in History with its targets; Cancel at a pause skips the
 * rest. Light and dark.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, test, type Page } from '@playwright/test';
import { ORDERS_SQL } from '../test/fleet-targets.ts';
import { appUrl, openApp, shot } from './editor.ts';

const TARGETS = [
  { name: 'fleet-a-staging', env: 'staging', orders: true, tags: ['eu'] },
  { name: 'fleet-b-staging', env: 'staging', orders: true, tags: ['us'] },
  { name: 'fleet-c-staging', env: 'staging', orders: false, tags: ['eu'] },
  { name: 'fleet-p-prod', env: 'production', orders: true, tags: ['eu'] },
] as const;

/** Saves the connections through the host's own WebSocket, as the connections dialog would. */
async function saveConnections(page: Page, dir: string): Promise<void> {
  const url = new URL(appUrl());
  const ws = `ws://${url.host}/ipc?token=${url.searchParams.get('token')}`;
  const payloads = TARGETS.map((t) => ({
    connection: {
      name: t.name,
      kind: 'sqlite',
      path: join(dir, `${t.name}.db`),
      environment: { kind: t.env },
      tags: t.tags,
    },
  }));
  const answers = await page.evaluate(
    ({ ws, payloads }) =>
      new Promise<unknown[]>((resolve, reject) => {
        const socket = new WebSocket(ws);
        const got: unknown[] = [];
        socket.onerror = () => reject(new Error('no socket'));
        socket.onopen = () =>
          payloads.forEach((payload, id) => socket.send(JSON.stringify({ id, channel: 'connections.save', payload })));
        socket.onmessage = (m) => {
          const frame = JSON.parse(String(m.data)) as { id?: number };
          if (typeof frame.id !== 'number') return;
          got.push(frame);
          if (got.length === payloads.length) {
            socket.close();
            resolve(got);
          }
        };
      }),
    { ws, payloads },
  );
  expect(answers.every((a) => (a as { ok: boolean }).ok)).toBe(true);
}

test('the fleet panel: pick by environment, plan, run in waves with a production confirmation, live grid, History', async ({
  page,
}, info) => {
  const dir = join(process.env.DATAFLOW_E2E_DIR!, 'fleet');
  mkdirSync(dir, { recursive: true });
  for (const t of TARGETS) {
    const db = new Database(join(dir, `${t.name}.db`));
    db.exec(t.orders ? ORDERS_SQL : 'CREATE TABLE customers (id INTEGER PRIMARY KEY)');
    db.close();
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await openApp(page);
  await saveConnections(page, dir);
  await openApp(page);
  await page.keyboard.press('Control+o');
  await page.getByTestId('example-zero-downtime').click();
  await expect(page.getByTestId('node-phase2_backfill')).toBeVisible();

  await page.keyboard.press('Control+k');
  await page.getByTestId('command-palette-input').fill('fleet');
  await page.keyboard.press('Enter');
  const panel = page.getByTestId('fleet-panel');
  await expect(panel).toBeVisible();

  // A targets file: its entries, and an invalid one named with its line.
  const file = join(dir, 'targets.json');
  writeFileSync(
    file,
    JSON.stringify([
      { label: 'a', connection: `sqlite:${join(dir, 'fleet-a-staging.db')}`, environment: 'staging' },
      { label: 'pw', connection: 'postgres://u:secret@db.example/app' },
    ]),
  );
  await panel.getByTestId('fleet-source-file').click();
  await panel.getByTestId('fleet-file').fill(file);
  await panel.getByTestId('fleet-file-load').click();
  await expect(panel.getByTestId('fleet-file-read')).toContainText('1 target, 1 invalid');
  await expect(panel.getByTestId('fleet-file-read')).toContainText('holds a password');
  await panel.getByTestId('fleet-source-connections').click();

  // By tag: eu ticks three of the four.
  await panel.getByTestId('fleet-tag').selectOption('eu');
  await panel.getByTestId('fleet-pick-shown').click();
  await expect(panel).toContainText('3 targets ticked');
  await panel.getByTestId('fleet-pick-none').click();
  await panel.getByTestId('fleet-tag').selectOption('');

  // By environment: staging only, then plan.
  await panel.getByTestId('fleet-env').selectOption('staging');
  await panel.getByTestId('fleet-pick-shown').click();
  await expect(panel).toContainText('3 targets ticked');
  await panel.getByTestId('fleet-plan').click();
  await expect(panel.getByTestId('fleet-plan-summary')).toContainText('plan on 3 targets; common plan 3 statements');
  await expect(panel.getByTestId('fleet-row-fleet-a-staging')).toContainText('would apply');
  await expect(panel.getByTestId('fleet-row-fleet-c-staging')).toContainText('would fail');
  await panel.getByTestId('fleet-row-fleet-c-staging').click();
  await expect(panel.getByTestId('fleet-detail')).toContainText('table "orders" does not exist');
  await shot(page, info, 'fleet-plan');

  // All environments: the production target too. Canary 1, then the rest, on error continue, pause.
  await panel.getByTestId('fleet-env').selectOption('');
  await panel.getByTestId('fleet-pick-fleet-p-prod').check();
  await panel.getByTestId('fleet-onError').selectOption('continue');
  await panel.getByTestId('fleet-pause').check();
  await panel.getByTestId('fleet-run').click();
  const confirm = panel.getByTestId('fleet-confirm');
  await expect(confirm.getByTestId('fleet-confirm-count')).toHaveText('4 targets');
  await expect(confirm.getByTestId('fleet-confirm-envs')).toHaveText('3 staging, 1 production');
  await expect(confirm.getByTestId('fleet-confirm-production')).toContainText('fleet-p-prod');
  await expect(confirm.getByTestId('fleet-confirm-go')).toBeDisabled();
  await confirm.getByTestId('fleet-type-name').fill('production');
  await shot(page, info, 'fleet-confirm');
  await confirm.getByTestId('fleet-confirm-go').click();

  // The canary ran; the pause asks before wave 1.
  await expect(panel.getByTestId('fleet-wave-confirm')).toContainText('Wave 1 is next: 3 targets');
  await expect(panel.getByTestId('fleet-row-fleet-a-staging')).toContainText('succeeded');
  await expect(panel.getByTestId('fleet-row-fleet-p-prod')).toContainText('pending');
  await panel.getByTestId('fleet-wave-go').click();
  await expect(panel.getByTestId('fleet-status')).toContainText('failed', { timeout: 60_000 });
  await expect(panel.getByTestId('fleet-row-fleet-p-prod')).toContainText('succeeded');
  await expect(panel.getByTestId('fleet-row-fleet-p-prod')).toContainText('3/3');

  // Filter by status: the failed one, its error under the grid.
  await panel.getByTestId('fleet-filter-failed').click();
  await expect(panel.getByTestId('fleet-grid').locator('tbody tr')).toHaveCount(1);
  await panel.getByTestId('fleet-row-fleet-c-staging').click();
  await expect(panel.getByTestId('fleet-detail')).toContainText('table "orders" does not exist');
  await shot(page, info, 'fleet-run-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await panel.getByTestId('fleet-filter-failed').click();
  await panel.getByTestId('fleet-sort-duration').click();
  await shot(page, info, 'fleet-run-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // A target's run opens in the run panel; the fleet is in History with its targets.
  await panel.getByTestId('fleet-row-fleet-b-staging').click();
  await panel.getByTestId('fleet-open-run').click();
  await expect(panel).toBeHidden();
  await expect(page.getByText(/Showing run [0-9a-f]{8} \(apply, succeeded\) from the history/)).toBeVisible();
  await page.getByTestId('tab-history').click();
  const fleets = page.getByTestId('history-fleets');
  await expect(fleets).toContainText('4: 3 succeeded, 1 failed');
  // Each target's run is in History too, under the target's name.
  await expect(page.getByTestId('history-panel')).toContainText('fleet-p-prod');
  await fleets.getByRole('button', { name: 'Targets' }).first().click();
  await expect(page.getByTestId('history-fleet-target-fleet-c-staging')).toContainText('failed');
  await expect(page.getByTestId('history-fleet-target-fleet-a-staging')).toContainText('canary');
  await shot(page, info, 'fleet-history');

  // Cancel at the pause: the panel keeps its choices; the canary (applied already) ends, the rest is skipped.
  await page.keyboard.press('Control+k');
  await page.getByTestId('command-palette-input').fill('fleet');
  await page.keyboard.press('Enter');
  await expect(panel.getByTestId('fleet-status')).toContainText('failed');
  await panel.getByTestId('fleet-run').click();
  await panel.getByTestId('fleet-type-name').fill('production');
  await panel.getByTestId('fleet-confirm-go').click();
  await expect(panel.getByTestId('fleet-wave-confirm')).toBeVisible();
  await panel.getByTestId('fleet-cancel').click();
  await expect(panel.getByTestId('fleet-status')).toContainText('cancelled');
  await expect(panel.getByTestId('fleet-row-fleet-p-prod')).toContainText('skipped');
  await expect(panel.getByTestId('fleet-cancel')).toBeHidden();
});
