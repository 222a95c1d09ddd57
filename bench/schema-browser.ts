/**
 * The schema browser (sidebar) on a 5,000-table database (issue 16, target 4): first paint within
 * 300 ms and a filter keystroke within 50 ms. A generated SQLite file (bench/support/wide-schema.ts:
 * 5,000 tables of 8 columns with a primary key, 2 indexes and a foreign key each, 50 views) is
 * introspected by the product (the schema the editor receives), and the editor's SchemaBrowser is
 * mounted on it in headless Chromium (production build of bench/schema-page/):
 * - first paint: from the mount to the first frame drawn after it (a fresh page each round);
 * - keystroke: typing `1`, `2`, `3`, `4` into the filter (each narrows the list, the last to one
 *   table, opened) and 4 Backspaces (back to all 5,000), each timed from its keydown to the first
 *   frame drawn after the list changed (on 40 tables the keys that leave it unchanged are not counted).
 * The targets are absolute milliseconds. Beside them, in the same run and alternated with it, the
 * same component on a 40-table database: the list draws about the same rows, so the ratio shows
 * what the 4,960 more tables cost (1 when the list is independent of the schema's size).
 * PostgreSQL is not measured apart: its introspected schema has the same shape, and the browser's
 * work depends only on it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { Browser } from 'playwright-core';
import { openDatabase } from '../electron/db/connect.ts';
import type { Schema } from '../shared/schema.ts';
import { buildPage, launchChromium, servePage } from './support/browser-page.ts';
import { median, msList } from './support/stats.ts';
import { wideSchemaSql } from './support/wide-schema.ts';
import type { BenchResult } from './run.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist', 'bench-schema');
const TABLES = 5000;
const SMALL = 40;
const ROUNDS = 5;
const FIRST_PAINT_TARGET_MS = 300;
const KEYSTROKE_TARGET_MS = 50;
const KEYS = ['1', '2', '3', '4', 'Backspace', 'Backspace', 'Backspace', 'Backspace'];

/** The product's introspection of a generated `n`-table SQLite file, and how long the file and the introspection took. */
async function introspected(
  dir: string,
  n: number,
): Promise<{ schema: Schema; createMs: number; introspectMs: number }> {
  const file = join(dir, `wide-${n}.db`);
  const t0 = performance.now();
  const raw = new Database(file);
  raw.pragma('journal_mode = WAL');
  raw.exec(`BEGIN; ${wideSchemaSql('sqlite', n)} COMMIT;`);
  raw.close();
  const t1 = performance.now();
  const db = await openDatabase(`sqlite:${file}`);
  try {
    const schema = await db.dialect.introspect(db.driver);
    if (schema.tables.length !== n) throw new Error(`introspected ${schema.tables.length} tables, expected ${n}`);
    return { schema, createMs: t1 - t0, introspectMs: performance.now() - t1 };
  } finally {
    await db.driver.close();
  }
}

interface Sample {
  firstPaintMs: number;
  keys: number[];
}

async function measure(browser: Browser, url: string, tables: number): Promise<Sample> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  try {
    await page.goto(`${url}/index.html?tables=${tables}`);
    await page.waitForFunction(() => window.__schemaBench?.firstPaintMs !== null, undefined, { timeout: 60_000 });
    const firstPaintMs = await page.evaluate(() => window.__schemaBench.firstPaintMs!);
    const rows = () => page.locator('[data-testid="schema-rows"] li').count();
    if ((await rows()) > 100) throw new Error(`${await rows()} rows drawn: the list is not virtualised`);
    await page.getByTestId('schema-filter').focus();
    const keys: number[] = [];
    for (const key of KEYS) {
      await page.evaluate(() => window.__schemaBench.arm());
      await page.keyboard.press(key);
      const ms = await page.evaluate(() => window.__schemaBench.keystroke());
      // On 5,000 tables each key changes the list; on 40, `1234` matches nothing, as `123` did.
      if (ms !== null) keys.push(ms);
      else if (tables === TABLES) throw new Error(`the list did not change within 10 s of ${key}`);
    }
    if (tables === TABLES) {
      // After `1234` and four Backspaces: all tables listed again (the list's height is one row each).
      const height = await page.locator('[role="tree"]').evaluate((ul) => (ul as HTMLElement).style.height);
      if (parseInt(height, 10) / 24 < tables)
        throw new Error(`after the filter was cleared the list is ${height} tall`);
    }
    return { firstPaintMs, keys };
  } finally {
    await page.close();
  }
}

export async function run(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'dataflow-bench-schema-'));
  try {
    const big = await introspected(dir, TABLES);
    const small = await introspected(dir, SMALL);
    console.log(
      `SQLite file of ${TABLES} tables created in ${big.createMs.toFixed(0)} ms, introspected in ${big.introspectMs.toFixed(0)} ms`,
    );
    const json = { [TABLES]: JSON.stringify(big.schema), [SMALL]: JSON.stringify(small.schema) };
    buildPage('bench/schema-page/vite.config.ts', DIST);
    const { server, url } = await servePage(DIST, {
      [`/schema-${TABLES}.json`]: () => Buffer.from(json[TABLES]!),
      [`/schema-${SMALL}.json`]: () => Buffer.from(json[SMALL]!),
    });
    const browser = await launchChromium();
    const samples: Record<number, Sample[]> = { [TABLES]: [], [SMALL]: [] };
    try {
      for (let i = 0; i < ROUNDS; i++)
        for (const n of i % 2 === 0 ? [TABLES, SMALL] : [SMALL, TABLES])
          samples[n]!.push(await measure(browser, url, n));
    } finally {
      await browser.close();
      server.close();
    }
    const paint = (n: number) => median(samples[n]!.map((s) => s.firstPaintMs));
    const keys = (n: number) => samples[n]!.flatMap((s) => s.keys);
    const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(0.95 * xs.length))]!;
    console.log(
      `first paint: ${TABLES} tables ${paint(TABLES).toFixed(1)} ms (rounds ${msList(samples[TABLES]!.map((s) => s.firstPaintMs))}), ${SMALL} tables ${paint(SMALL).toFixed(1)} ms; target ${FIRST_PAINT_TARGET_MS} ms`,
    );
    console.log(
      `filter keystroke: ${TABLES} tables median ${median(keys(TABLES)).toFixed(1)} ms, p95 ${p95(keys(TABLES)).toFixed(1)} ms; ${SMALL} tables median ${median(keys(SMALL)).toFixed(1)} ms, p95 ${p95(keys(SMALL)).toFixed(1)} ms; target ${KEYSTROKE_TARGET_MS} ms`,
    );
    const figures = {
      'first paint ms': paint(TABLES),
      [`${SMALL} tables first paint ms`]: paint(SMALL),
      'keystroke median ms': median(keys(TABLES)),
      'keystroke p95 ms': p95(keys(TABLES)),
      [`${SMALL} tables keystroke median ms`]: median(keys(SMALL)),
      'introspection ms': big.introspectMs,
    };
    return [
      {
        name: 'schema-browser first paint',
        figures,
        ratio: paint(TABLES) / FIRST_PAINT_TARGET_MS,
        baseline: `the ${FIRST_PAINT_TARGET_MS} ms target (absolute; ${SMALL}-table database in the same run: ${paint(SMALL).toFixed(1)} ms, ratio ${(paint(TABLES) / paint(SMALL)).toFixed(2)})`,
        target: 1,
      },
      {
        name: 'schema-browser filter keystroke',
        figures: {},
        ratio: median(keys(TABLES)) / KEYSTROKE_TARGET_MS,
        baseline: `the ${KEYSTROKE_TARGET_MS} ms target, median keystroke (absolute; ${SMALL}-table database in the same run: ${median(keys(SMALL)).toFixed(1)} ms)`,
        target: 1,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
