import { describe, expect, it } from 'vitest';
import { checkCalculation, checkReadOnlySelect } from './expression-check.ts';
import { postgresDialect } from './postgres/index.ts';
import { sqliteDialect } from './sqlite/index.ts';

const postgres = postgresDialect(170000);
const sqlite = sqliteDialect('3.53.0');

describe('checkCalculation', () => {
  it.each([
    'subtotal + tax + shipping',
    "coalesce(email, '') || '@' || lower(name)",
    "CASE WHEN total > 100 THEN 'big' ELSE 'small' END",
    '(SELECT max(price) FROM products p WHERE p.id = product_id)',
    'round(subtotal * 1.2, 2)',
  ])('accepts %s on both dialects', async (text) => {
    expect(await checkCalculation(postgres, text)).toEqual({ ok: true });
    expect(await checkCalculation(sqlite, text)).toEqual({ ok: true });
  });

  it.each([
    ['1; DROP TABLE orders', /second statement/],
    ['1) FROM orders --', /no matching/],
    ['(WITH d AS (DELETE FROM orders RETURNING id) SELECT count(*) FROM d)', /DELETE/],
    ["nextval('orders_id_seq')", /nextval/],
  ])('rejects %s on both dialects (lexer)', async (text, error) => {
    for (const dialect of [postgres, sqlite]) {
      const r = await checkCalculation(dialect, text);
      expect(r.ok).toBe(false);
      expect(!r.ok && r.error).toMatch(error);
    }
  });
});

describe('checkReadOnlySelect', () => {
  it('accepts plain reads', async () => {
    for (const dialect of [postgres, sqlite]) {
      expect(await checkReadOnlySelect(dialect, 'SELECT * FROM orders WHERE user_id = 42')).toEqual({ ok: true });
      expect(await checkReadOnlySelect(dialect, 'WITH t AS (SELECT id FROM orders) SELECT count(*) FROM t;')).toEqual({
        ok: true,
      });
    }
  });
});
