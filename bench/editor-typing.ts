/**
 * Typing in the inspector while the editor keeps the safety review, the SQL preview and the
 * inspector's schema up to date (issue 11: "the editor's findings refresh after an edit within a
 * frame budget that keeps typing smooth"). The real app (web host, production build, the demo
 * database) in headless Chromium: a 200-node workflow is opened, 24 characters are typed into a
 * node's Column field at 80 ms a key, and the page records, for each key, the time from the key
 * event to the next frame (input latency), and every main-thread task over 50 ms (long tasks)
 * from the first key until 4 s after the last (the review and the preview's plan come back and
 * re-render in that time). Baseline in the same run, alternated: the same typing in a 1-node
 * workflow, where the review and plan are trivial. The ratio is the median of the per-round ratios
 * of the p95 input latencies; target: at most 1.5.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import type { Workflow } from '../shared/workflow.ts';
import { median, msList, pairedRatios } from './support/stats.ts';
import { openWorkflow, startHost } from './support/web-host.ts';
import type { BenchResult } from './run.ts';

const ROUNDS = 5;
const KEYS = 'customer_tier_and_region';
const KEY_DELAY_MS = 80;
const SETTLE_MS = 4000;

function workflow(nodes: number): Workflow {
  const tables = ['users', 'orders', 'products', 'contacts'];
  const list: Workflow['nodes'] = [];
  for (let i = 0; i < nodes; i++) {
    list.push({
      id: `n${i}`,
      type: 'SchemaModificationNode',
      params: {
        operation: 'add_column',
        table: tables[i % tables.length]!,
        column_name: `c_${i}`,
        column_type: 'text',
      },
      position: { x: (i % 20) * 320, y: Math.floor(i / 20) * 170 },
    });
  }
  const connections = list
    .slice(1)
    .map((n, i) => ({ source: list[i]!.id, sourceOutput: 'result', target: n.id, targetInput: 'input' }));
  return {
    format: 'dataflow-workflow',
    version: 1,
    name: `typing ${nodes}`,
    description: '',
    nodes: list,
    connections,
  };
}

interface Typing {
  /** Key event to the next frame, per key, ms. */
  latencies: number[];
  /** Main-thread tasks over 50 ms from the first key until SETTLE_MS after the last, ms. */
  longTasks: number[];
}

async function typeInto(browser: Browser, url: string, file: string): Promise<Typing> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  try {
    await page.goto(url);
    await page.getByTestId('connection-select').waitFor();
    await openWorkflow(page, file);
    await page.getByTestId('tab-sql').click();
    await page.getByTestId('tab-inspector').click();
    await page.getByTestId('node-n0').click();
    const field = page.getByTestId('field-column_name');
    await field.fill('');
    await page.waitForTimeout(SETTLE_MS);
    await page.evaluate(() => {
      const w = window as unknown as { __lat: number[]; __long: number[] };
      w.__lat = [];
      w.__long = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__long.push(e.duration);
      }).observe({ type: 'longtask' });
      document.addEventListener(
        'keydown',
        (e) => {
          const at = e.timeStamp;
          requestAnimationFrame(() => setTimeout(() => w.__lat.push(performance.now() - at), 0));
        },
        true,
      );
    });
    await field.pressSequentially(KEYS, { delay: KEY_DELAY_MS });
    await page.waitForTimeout(SETTLE_MS);
    return await page.evaluate(() => {
      const w = window as unknown as { __lat: number[]; __long: number[] };
      return { latencies: w.__lat, longTasks: w.__long };
    });
  } finally {
    await page.close();
  }
}

const p95 = (xs: readonly number[]) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))]!;

export async function run(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'dataflow-bench-typing-'));
  mkdirSync(join(dir, 'home'));
  const files = {
    big: join(dir, 'home', 'typing-200.dataflow.json'),
    small: join(dir, 'home', 'typing-1.dataflow.json'),
  };
  const { host, url } = await startHost(dir);
  writeFileSync(files.big, JSON.stringify(workflow(200)));
  writeFileSync(files.small, JSON.stringify(workflow(1)));
  const browser = await chromium.launch({
    executablePath: process.env.PLAYWRIGHT_CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), '--disable-gpu'],
  });
  try {
    const big: Typing[] = [];
    const small: Typing[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      small.push(await typeInto(browser, url, files.small));
      big.push(await typeInto(browser, url, files.big));
    }
    const all = (t: Typing[], k: keyof Typing) => t.flatMap((x) => x[k]);
    const bigP95 = big.map((t) => p95(t.latencies));
    const smallP95 = small.map((t) => p95(t.latencies));
    console.log(`input latency p95 per round, 1 node ms:    ${msList(smallP95)}`);
    console.log(`input latency p95 per round, 200 nodes ms: ${msList(bigP95)}`);
    console.log(`long tasks, 1 node ms:    ${msList(all(small, 'longTasks'))}`);
    console.log(`long tasks, 200 nodes ms: ${msList(all(big, 'longTasks'))}`);
    return [
      {
        name: 'editor-typing: input latency while the review and preview refresh (200 nodes)',
        figures: {
          'p95 ms': median(bigP95),
          'median ms': median(all(big, 'latencies')),
          'longest task ms': Math.max(0, ...all(big, 'longTasks')),
          'long tasks per round': all(big, 'longTasks').length / ROUNDS,
          '1-node p95 ms': median(smallP95),
        },
        ratio: median(pairedRatios(bigP95, smallP95)),
        baseline: 'the same typing in a 1-node workflow',
        target: 1.5,
      },
    ];
  } finally {
    await browser.close();
    host.kill('SIGTERM');
  }
}
