/**
 * The SQL preview after an edit, end to end in the editor (issue 16, target 3: "the preview
 * refreshes within 150 ms of an edit on a 100-node workflow against a 5,000-table database"):
 * the real web host (production build) in headless Chromium, a PostgreSQL connection to a
 * database of 5,000 tables (bench/support/wide-schema.ts) and the 100-node chain of
 * bench/warm-planner.ts opened from a file, the SQL preview popped out into its own window (as a
 * DBA keeps it beside the inspector), and one key typed at the end of the Column field of node
 * 90, 50 or 0 in the inspector. Timed, on the pages' common clock (performance.timeOrigin):
 * - from the key: the keydown until the pop-out shows the new name in its SQL;
 * - from the commit: the inspector's draft comes into the document after a pause of 150 ms
 *   (renderer/store/param-draft.ts) and the preview's plan request leaves the page at once; from
 *   that request until the pop-out shows the new SQL. The target is read against this one;
 * - of which the plan's round trip: the request until its answer reaches the page, and the part of
 *   it the editor page's own long tasks (over 50 ms) took (the commit's re-render, on the same cores).
 * Baseline in the same run: the warm planner's own time for the same edit (bench/warm-planner.ts
 * measures it through the host's path without a page) is not repeated here; the ratio reported
 * is the time from the commit over the 150 ms target.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { serializeWorkflow } from '../shared/workflow.ts';
import { launchChromium } from './support/browser-page.ts';
import { benchDatabases } from './support/databases.ts';
import { median, msList } from './support/stats.ts';
import { openWorkflow, startHost } from './support/web-host.ts';
import { fillWidePostgres, wideChainWorkflow } from './support/wide-schema.ts';
import type { BenchResult } from './run.ts';

const TABLES = Number(process.env.BENCH_PREVIEW_TABLES ?? 5000);
const ROUNDS = Number(process.env.BENCH_PREVIEW_ROUNDS ?? 5);
const NODES = 100;
/** After each edit: the review (600 ms after the change) and its answer are out of the way of the next. */
const SETTLE_MS = 2500;

interface Edit {
  fromKey: number;
  fromCommit: number;
  roundTrip: number;
  /** The editor page's own tasks over 50 ms during the round trip (its main thread busy meanwhile). */
  pageBusy: number;
}

type Long = { start: number; duration: number };

/** Adds the PostgreSQL connection through the connection dialog and makes it the target. */
async function connect(page: Page, conn: string): Promise<void> {
  const url = new URL(conn);
  await page.getByTestId('btn-connections').click();
  await page.getByTestId('connections-add').click();
  await page.getByTestId('conn-name').fill('Wide (PostgreSQL)');
  await page.getByTestId('conn-kind').selectOption('postgres');
  await page.getByTestId('conn-host').fill(url.hostname);
  await page.getByTestId('conn-port').fill(url.port);
  await page.getByTestId('conn-database').fill(url.pathname.slice(1));
  await page.getByTestId('conn-user').fill(decodeURIComponent(url.username));
  await page.getByTestId('conn-password').fill(decodeURIComponent(url.password));
  await page.getByTestId('conn-sslMode').selectOption('disable');
  await page.getByTestId('conn-save').click();
  const row = page.getByTestId('connections-dialog').locator('tr[data-name="Wide (PostgreSQL)"]');
  await row.waitFor();
  const id = (await row.getAttribute('data-connection-id'))!;
  await page.keyboard.press('Escape');
  await page.getByTestId('connection-select').selectOption(id);
}

/** Records, in the page, when each `run.plan` request leaves and its answer comes, and its long tasks (epoch ms). */
function recordPlans(): void {
  const w = window as unknown as { __plans: { sent: number; answered?: number }[]; __long: Long[] };
  w.__plans = [];
  w.__long = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      w.__long.push({ start: performance.timeOrigin + e.startTime, duration: e.duration });
  }).observe({ type: 'longtask' });
  const now = () => performance.timeOrigin + performance.now();
  const pending = new Map<number, { sent: number; answered?: number }>();
  const heard = new WeakSet<WebSocket>();
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (this: WebSocket, data) {
    if (typeof data === 'string' && data.includes('"channel":"run.plan"')) {
      const entry = { sent: now() };
      w.__plans.push(entry);
      pending.set((JSON.parse(data) as { id: number }).id, entry);
    }
    if (!heard.has(this)) {
      heard.add(this);
      this.addEventListener('message', (m: MessageEvent) => {
        const id = /^\{"id":(\d+)/.exec(String(m.data))?.[1];
        const p = id === undefined ? undefined : pending.get(Number(id));
        if (p) {
          p.answered = now();
          pending.delete(Number(id));
        }
      });
    }
    send.call(this, data);
  };
}

async function edit(page: Page, popout: Page, node: number, key: string): Promise<Edit> {
  await page.getByTestId(`node-n${node}`).dispatchEvent('click');
  await page.waitForFunction(
    (id) => (document.querySelector('[data-testid="inspector-id"]') as HTMLInputElement | null)?.value === id,
    `n${node}`,
  );
  await popout.getByTestId('sql-preview-scope').selectOption(`n${node}`);
  const field = page.getByTestId('field-column_name');
  const name = `${await field.inputValue()}${key}`;
  await field.focus();
  await field.press('End');
  await page.waitForTimeout(SETTLE_MS);
  // The pop-out notes when its SQL first shows the new name.
  const shown = popout.evaluate((text) => {
    const panel = document.querySelector('[data-testid="sql-preview"]')!;
    return new Promise<number>((resolve) => {
      const check = () => {
        if (!panel.textContent?.includes(text)) return false;
        resolve(performance.timeOrigin + performance.now());
        return true;
      };
      if (!check())
        new MutationObserver((_m, o) => check() && o.disconnect()).observe(panel, {
          subtree: true,
          childList: true,
          characterData: true,
        });
    });
  }, `"${name}"`);
  shown.catch(() => undefined); // awaited below; a failure before then must not end the process
  await page.evaluate(() => {
    const w = window as unknown as { __plans: unknown[]; __key: number };
    w.__plans.length = 0;
    document.addEventListener('keydown', (e) => (w.__key = performance.timeOrigin + e.timeStamp), {
      capture: true,
      once: true,
    });
  });
  await field.press(key);
  const visible = await shown;
  const {
    key: at,
    plans,
    long,
  } = await page.evaluate(() => {
    const w = window as unknown as { __plans: { sent: number; answered?: number }[]; __key: number; __long: Long[] };
    return { key: w.__key, plans: w.__plans, long: w.__long };
  });
  const plan = plans.at(-1);
  if (!plan?.answered) throw new Error(`no plan request answered after the edit of node ${node}`);
  const [from, to] = [plan.sent, plan.answered];
  const pageBusy = long.reduce(
    (sum, t) => sum + Math.max(0, Math.min(to, t.start + t.duration) - Math.max(from, t.start)),
    0,
  );
  return { fromKey: visible - at, fromCommit: visible - plan.sent, roundTrip: to - from, pageBusy };
}

export async function run(): Promise<BenchResult[]> {
  const dbs = benchDatabases();
  const dir = mkdtempSync(join(tmpdir(), 'dataflow-bench-preview-'));
  mkdirSync(join(dir, 'home'));
  const file = join(dir, 'home', 'preview-100.dataflow.json');
  writeFileSync(file, serializeWorkflow(wideChainWorkflow('editor preview bench', NODES, TABLES, 10)));
  const db = await dbs.create('postgres');
  await fillWidePostgres(db, TABLES);
  const { host, url } = await startHost(dir);
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    // tsx names the functions handed to the pages (esbuild's keepNames): the pages need its helper.
    await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
    const page = await context.newPage();
    await page.addInitScript(recordPlans);
    await page.goto(url);
    await page.getByTestId('connection-select').waitFor();
    await connect(page, db.conn);
    await openWorkflow(page, file);
    await page.getByTestId('tab-sql').click();
    const [popout] = await Promise.all([page.waitForEvent('popup'), page.getByTestId('popout-sql-button').click()]);
    const t0 = performance.now();
    // The pop-out shows the SQL of the node being edited (the whole workflow's is a long scrolled list).
    await popout.getByTestId('sql-preview-scope').selectOption('n98', { timeout: 120_000 });
    await popout.getByTestId('sql-preview').getByText('"tier_98"').waitFor();
    console.log(`first preview (planner start, schema read, 100 nodes): ${(performance.now() - t0).toFixed(0)} ms`);
    await page.getByTestId('tab-inspector').click();

    const cases = { 'edit node 90': 90, 'edit node 50': 50, 'edit node 0': 0 } as const;
    const edits: Record<string, Edit[]> = {};
    for (let r = 0; r < ROUNDS; r++)
      for (const [name, node] of Object.entries(cases))
        (edits[name] ??= []).push(await edit(page, popout, node, 'abcdefghij'[r % 10]!));
    for (const [name, xs] of Object.entries(edits)) {
      console.log(`  ${name}: from the key ms ${msList(xs.map((x) => x.fromKey))}`);
      console.log(`  ${name}: from the commit ms ${msList(xs.map((x) => x.fromCommit))}`);
      console.log(`  ${name}: plan round trip ms ${msList(xs.map((x) => x.roundTrip))}`);
      console.log(`  ${name}: page's long tasks in the round trip ms ${msList(xs.map((x) => x.pageBusy))}`);
    }
    return Object.entries(edits).map(([name, xs]) => {
      const fromCommit = median(xs.map((x) => x.fromCommit));
      return {
        name: `editor-preview: new SQL in the pop-out after an ${name} (${NODES} nodes, ${TABLES} tables)`,
        figures: {
          'from the commit median ms': fromCommit,
          'from the key median ms': median(xs.map((x) => x.fromKey)),
          'plan round trip median ms': median(xs.map((x) => x.roundTrip)),
        },
        ratio: fromCommit / 150,
        baseline: 'the 150 ms target',
        target: 1,
      };
    });
  } finally {
    await browser.close();
    host.kill('SIGTERM');
    await dbs.close();
  }
}
