import { describe, expect, it } from 'vitest';
import { DIALECTS, freshDatabases, type TestDatabase } from '../../../test/databases.ts';
import { testContext } from '../../../test/executor-context.ts';
import { backfillBatchSql, chooseBatchKey, type KeyValue } from '../../db/data-sql.ts';
import { findTable } from '../../../shared/schema.ts';
import type { Workflow } from '../../../shared/workflow.ts';
import { BatchWalk } from './batch-walk.ts';

const workflow: Workflow = {
  format: 'dataflow-workflow',
  version: 1,
  name: 'walk',
  description: '',
  nodes: [{ id: 'walk', type: 'DataBackfillNode', params: {}, position: { x: 0, y: 0 } }],
  connections: [],
};

const fresh = freshDatabases();

/** `items (k bigint PRIMARY KEY, seen integer)` holding the given keys (SQL literals). */
async function items(dialect: (typeof DIALECTS)[number], keys: string[]): Promise<TestDatabase> {
  const db = await fresh(dialect, 'CREATE TABLE items (k bigint PRIMARY KEY, seen integer)');
  await insert(db, keys);
  return db;
}

async function insert(db: TestDatabase, keys: string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 500)
    await db.setup(
      `INSERT INTO items (k) VALUES ${keys
        .slice(i, i + 500)
        .map((k) => `(${k})`)
        .join(', ')}`,
    );
}

const range = (from: number, to: number, step = 1) =>
  Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => String(from + i * step));

interface Walked {
  /** Rows each batch updated. */
  rows: number[];
  uppers: string[];
  /** Queries the walk itself sent (its start included). */
  reads: number;
  warnings: string[];
}

/**
 * Walks `items` as a backfill would: each batch `UPDATE items SET seen = coalesce(seen, 0) + 1`
 * over its range; `between` runs after the start (rows arriving while the walk runs).
 */
async function walkItems(
  db: TestDatabase,
  size: number,
  opts: { where?: string; after?: KeyValue; between?: () => Promise<void> } = {},
): Promise<Walked> {
  const base = testContext({ db, mode: 'apply', workflow, nodeId: 'walk', params: {} });
  let reads = 0;
  const ctx = { ...base, query: ((sql, params) => (reads++, base.query(sql, params))) as typeof base.query };
  const items = findTable(await db.dialect.introspect(db.driver), 'items')!;
  const key = chooseBatchKey(items)!;
  const walk = await BatchWalk.start(ctx, 'items', key, opts.where ?? null, size, opts.after ?? null);
  await opts.between?.();
  const out: Walked = { rows: [], uppers: [], reads: 0, warnings: [] };
  for (let batch = await walk.next(); batch; batch = await walk.next()) {
    expect(walk.last).toEqual(batch.upper);
    const sql = backfillBatchSql(db.dialect, items, 'seen', 'coalesce(seen, 0) + 1', batch.range, opts.where ?? null);
    const rows = await walk.write(batch, () => ctx.execute([{ sql, comment: '', transactional: true }]));
    if (rows === null) continue;
    out.rows.push(rows);
    out.uppers.push(batch.upper.text);
  }
  out.reads = reads;
  out.warnings = base.warnings;
  return out;
}

async function seen(db: TestDatabase): Promise<{ once: number; other: number }> {
  const { rows } = await db.driver.query<{ once: number | string; other: number | string }>(
    'SELECT count(CASE WHEN seen = 1 THEN 1 END) AS once, count(CASE WHEN seen IS NULL OR seen <> 1 THEN 1 END) AS other FROM items',
  );
  return { once: Number(rows[0]!.once), other: Number(rows[0]!.other) };
}

for (const dialect of DIALECTS) {
  describe(`batch walk on ${dialect}`, () => {
    it('walks dense integer keys by arithmetic ranges, reading nothing per batch', async () => {
      const db = await items(dialect, range(1, 2500));
      const walked = await walkItems(db, 1000);
      expect(walked.uppers).toEqual(['1000', '2000', '2500']);
      expect(walked.rows).toEqual([1000, 1000, 500]);
      // The start alone (count, then both ends through the index): the last batch ends at the
      // largest key of the start, which ends the walk.
      expect(walked.reads).toBe(2);
      expect(await seen(db)).toEqual({ once: 2500, other: 0 });
    });

    it('walks sparse keys by keyset bounds: exactly batch_size matching keys a batch', async () => {
      const db = await items(dialect, range(10, 2500, 10));
      const walked = await walkItems(db, 100);
      expect(walked.rows).toEqual([100, 100, 50]);
      expect(walked.uppers).toEqual(['1000', '2000', '2500']);
      expect(walked.reads).toBe(2 + 3);
      expect(await seen(db)).toEqual({ once: 250, other: 0 });
    });

    it('a filter that thins the keys below one in two switches to keyset bounds', async () => {
      const db = await items(dialect, range(1, 3000));
      const walked = await walkItems(db, 400, { where: 'k % 3 = 0' });
      expect(walked.rows).toEqual([400, 400, 200]);
      expect(await seen(db)).toEqual({ once: 1000, other: 2000 });
    });

    it('ends at the largest key of its start: rows inserted past it are not visited; a resumed walk starts after its key', async () => {
      const db = await items(dialect, range(1, 1000));
      const walked = await walkItems(db, 300, { between: () => insert(db, ['5000', '1500']) });
      expect(walked.uppers).toEqual(['300', '600', '900', '1000']);
      expect(walked.rows).toEqual([300, 300, 300, 100]);
      expect(await seen(db)).toEqual({ once: 1000, other: 2 });
      await db.setup('UPDATE items SET seen = NULL');
      const resumed = await walkItems(db, 300, { after: { text: '900', kind: 'integer' } });
      // 102 keys over 901..5000 are sparse: one keyset batch.
      expect(resumed.uppers).toEqual(['5000']);
      expect(resumed.rows).toEqual([102]);
      expect(await seen(db)).toEqual({ once: 102, other: 900 });
    });

    it('ends at the largest text key of its start, walked by keyset bounds', async () => {
      const db = await fresh(dialect, 'CREATE TABLE items (k varchar(10) PRIMARY KEY, seen integer)');
      await insert(db, ["'a'", "'b'", "'c'", "'d'", "'e'"]);
      const walked = await walkItems(db, 2, { between: () => insert(db, ["'f'", "'g'", "'bb'"]) });
      // 'bb' lies inside the range of the start: it is visited.
      expect(walked.uppers).toEqual(['b', 'c', 'e']);
      expect(walked.rows).toEqual([2, 2, 2]);
      expect(await seen(db)).toEqual({ once: 6, other: 2 });
    });

    it('computes ranges exactly at both ends of the 64-bit range', async () => {
      const top = 9223372036854775807n;
      const low = -9223372036854775807n - 1n;
      const db = await items(dialect, [
        ...Array.from({ length: 10 }, (_, i) => String(top - BigInt(i))),
        ...Array.from({ length: 10 }, (_, i) => String(low + BigInt(i))),
      ]);
      const walkTop = await walkItems(db, 4, { where: 'k > 0' });
      expect(walkTop.uppers).toEqual([String(top - 6n), String(top - 2n), String(top)]);
      expect(walkTop.rows).toEqual([4, 4, 2]);
      const walkLow = await walkItems(db, 4, { where: 'k < 0' });
      expect(walkLow.uppers).toEqual([String(low + 3n), String(low + 7n), String(low + 9n)]);
      expect(walkLow.rows).toEqual([4, 4, 2]);
      expect(await seen(db)).toEqual({ once: 20, other: 0 });
    });
  });
}

describe('batch walk on sqlite: keys that are not all integers', () => {
  it('a range holding more than batch_size rows (a real among the integers) is undone and walked by keyset bounds', async () => {
    const db = await items('sqlite', [...range(1, 10), '2.5']);
    const walked = await walkItems(db, 4);
    expect(walked.rows).toEqual([4, 4, 3]);
    expect(walked.uppers).toEqual(['3', '7', '10']);
    expect(walked.warnings).toEqual([
      'key column "k" holds values between integers, so its ranges may hold more than 4 rows; walking by keyset bounds from here',
    ]);
    expect(await seen(db)).toEqual({ once: 11, other: 0 });
  });

  it('walks by keyset bounds when a text value sorts after the integer keys', async () => {
    const db = await items('sqlite', [...range(1, 10), "'x1'"]);
    const walked = await walkItems(db, 4);
    expect(walked.rows).toEqual([4, 4, 3]);
    expect(walked.uppers).toEqual(['4', '8', 'x1']);
    expect(walked.warnings).toEqual([]);
    expect(await seen(db)).toEqual({ once: 11, other: 0 });
  });
});
