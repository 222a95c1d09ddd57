import { describe, expect, it } from 'vitest';
import { checkCalculation, checkReadOnlySelect } from './expression-check.ts';

describe('checkCalculation', () => {
  it.each([
    'subtotal + tax + shipping',
    "coalesce(email, '') || '@' || lower(name)",
    "CASE WHEN total > 100 THEN 'big' ELSE 'small' END",
    '(SELECT max(price) FROM products p WHERE p.id = product_id)',
    'round(subtotal * 1.2, 2)',
  ])('accepts %s on both dialects', async (text) => {
    expect(await checkCalculation('postgres', text)).toEqual({ ok: true });
    expect(await checkCalculation('sqlite', text)).toEqual({ ok: true });
  });

  it.each([
    ['1; DROP TABLE orders', /second statement/],
    ['1) FROM orders --', /no matching/],
    ['(WITH d AS (DELETE FROM orders RETURNING id) SELECT count(*) FROM d)', /DELETE/],
    ["nextval('orders_id_seq')", /nextval/],
  ])('rejects %s on both dialects (lexer)', async (text, error) => {
    for (const dialect of ['postgres', 'sqlite'] as const) {
      const r = await checkCalculation(dialect, text);
      expect(r.ok).toBe(false);
      expect(!r.ok && r.error).toMatch(error);
    }
  });

  // Each passes the shared lexer check; only the PostgreSQL parse tree shows the problem.
  it.each([
    ['(SELECT max(subtotal) FROM orders FOR SHARE)', /must not lock rows/],
    ['(SELECT id FROM orders FOR KEY SHARE LIMIT 1)', /must not lock rows/],
    ['setseed(0.5)', /setseed/],
    ["pg_backup_start('x')", /pg_backup_start/],
    ['loread(1, 10)', /loread/],
    ['(SELECT 1 FROM pg_catalog.pg_wal_replay_pause())', /pg_wal_replay_pause/],
    ['1 +', /cannot parse/],
  ])('rejects %s on PostgreSQL by its parse tree', async (text, error) => {
    const r = await checkCalculation('postgres', text);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(error);
  });

  it.each([
    ["fsdir('/etc')", /fsdir/],
    ['"zipfile"(\'/tmp/x.zip\')', /zipfile/],
    ["(SELECT name FROM lsdir('/'))", /lsdir/],
  ])('rejects %s on SQLite', async (text, error) => {
    const r = await checkCalculation('sqlite', text);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(error);
  });
});

describe('checkReadOnlySelect', () => {
  it('accepts plain reads', async () => {
    for (const dialect of ['postgres', 'sqlite'] as const) {
      expect(await checkReadOnlySelect(dialect, 'SELECT * FROM orders WHERE user_id = 42')).toEqual({ ok: true });
      expect(await checkReadOnlySelect(dialect, 'WITH t AS (SELECT id FROM orders) SELECT count(*) FROM t;')).toEqual({
        ok: true,
      });
    }
  });

  it.each([
    ['WITH d AS (DELETE FROM orders RETURNING *) SELECT * FROM d', /DELETE/],
    ['SELECT * FROM orders FOR SHARE', /must not lock rows/],
    ['SELECT pg_catalog.setseed(0.1)', /setseed/],
    ['SELECT 1; SELECT 2', /second statement/],
  ])('rejects %s on PostgreSQL', async (text, error) => {
    const r = await checkReadOnlySelect('postgres', text);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(error);
  });
});
