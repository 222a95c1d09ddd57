import { describe, expect, it } from 'vitest';
import { checkCalculation } from '../expression-check.ts';
import { sqliteDialect } from './index.ts';

const sqlite = sqliteDialect('3.53.0');

describe('checkCalculation on SQLite', () => {
  it.each([
    ["fsdir('/etc')", /fsdir/],
    ['"zipfile"(\'/tmp/x.zip\')', /zipfile/],
    ["(SELECT name FROM lsdir('/'))", /lsdir/],
  ])('rejects %s on SQLite', async (text, error) => {
    const r = await checkCalculation(sqlite, text);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(error);
  });
});
