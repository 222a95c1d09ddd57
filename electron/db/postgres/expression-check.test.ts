import { describe, expect, it } from 'vitest';
import { checkCalculation, checkReadOnlySelect } from '../expression-check.ts';
import { postgresDialect } from './index.ts';

const postgres = postgresDialect(170000);

describe('checkCalculation on PostgreSQL', () => {
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
    const r = await checkCalculation(postgres, text);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(error);
  });
});

describe('checkReadOnlySelect on PostgreSQL', () => {
  it.each([
    ['WITH d AS (DELETE FROM orders RETURNING *) SELECT * FROM d', /DELETE/],
    ['SELECT * FROM orders FOR SHARE', /must not lock rows/],
    ['SELECT pg_catalog.setseed(0.1)', /setseed/],
    ['SELECT 1; SELECT 2', /second statement/],
  ])('rejects %s on PostgreSQL', async (text, error) => {
    const r = await checkReadOnlySelect(postgres, text);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(error);
  });
});
