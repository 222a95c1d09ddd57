import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/databases.ts';
import { formatColumnType, parseColumnType } from '../../../shared/column-type.ts';
import { introspect } from './introspect.ts';
import { beginSql, literal, placeholder, quoteIdent, renderType } from './render.ts';

let db: TestDatabase & { cleanup(): Promise<void> };

beforeAll(async () => {
  db = await createTestDatabase('postgres');
});
afterAll(() => db.cleanup());

const echo = async (sql: string) => (await db.driver.query<{ v: unknown }>(`SELECT ${sql} AS v`)).rows[0]?.v;

describe('postgres render', () => {
  it('literal: strings come back as written, whatever standard_conforming_strings says', async () => {
    const strings = ["it's", 'back\\slash', "\\'; DROP TABLE x; --", 'ünïcødé ✓', '', '$$ dollar $$', 'line\nbreak'];
    for (const scs of ['on', 'off']) {
      await db.driver.query(`SET standard_conforming_strings = ${scs}`);
      for (const s of strings) expect(await echo(literal(s))).toBe(s);
    }
    await db.driver.query('RESET standard_conforming_strings');
  });

  it('literal: booleans, finite numbers and NULL; NUL bytes and non-finite numbers are refused', async () => {
    expect(literal(true)).toBe('TRUE');
    expect(literal(false)).toBe('FALSE');
    expect(literal(null)).toBe('NULL');
    expect(await echo(literal(-12.5))).toBe('-12.5');
    expect(await echo(literal(true))).toBe(true);
    expect(() => literal(Number.NaN)).toThrow(/finite/);
    expect(() => literal(Number.POSITIVE_INFINITY)).toThrow(/finite/);
    expect(() => literal('a\0b')).toThrow(/NUL/);
  });

  it('quoteIdent: any name round-trips as one identifier', async () => {
    const name = 'Weird "name"; DROP';
    await db.driver.query(`CREATE TABLE ${quoteIdent(name)} (${quoteIdent('select')} int)`);
    expect((await introspect(db.driver)).tables.map((t) => [t.name, t.columns.map((c) => c.name)])).toContainEqual([
      name,
      ['select'],
    ]);
  });

  it('renderType: every type of the grammar creates a column that reads back as the same canonical type', async () => {
    const types = [
      'text',
      'varchar(20)',
      'varchar',
      'char(3)',
      'smallint',
      'integer',
      'bigint',
      'numeric(10,2)',
      'numeric',
      'real',
      'double precision',
      'boolean',
      'date',
      'time',
      'timestamp',
      'timestamptz',
      'interval',
      'uuid',
      'json',
      'jsonb',
      'bytea',
      'integer[]',
      'text[][]',
    ];
    const parsed = types.map((t) => {
      const p = parseColumnType(t);
      if (!p.ok) throw new Error(p.error);
      return p.type;
    });
    expect(renderType(parsed[7]!)).toBe('numeric(10,2)');
    expect(renderType(parsed[15]!)).toBe('timestamp with time zone');
    await db.driver.query(`CREATE TABLE typed (${parsed.map((t, i) => `c${i} ${renderType(t)}`).join(', ')})`);
    const table = (await introspect(db.driver)).tables.find((t) => t.name === 'typed')!;
    expect(table.columns.map((c) => c.type)).toEqual(
      parsed.map((t) => formatColumnType({ ...t, arrayDims: Math.min(t.arrayDims, 1) })),
    );
  });

  it('beginSql: BEGIN with a validated isolation level', async () => {
    expect(beginSql()).toBe('BEGIN');
    expect(beginSql('repeatable_read')).toBe('BEGIN ISOLATION LEVEL REPEATABLE READ');
    expect(beginSql('Serializable')).toBe('BEGIN ISOLATION LEVEL SERIALIZABLE');
    expect(() => beginSql('serializable; DROP TABLE x')).toThrow(/read committed, repeatable read, serializable/);
    await db.driver.query(beginSql('read committed'));
    expect(await echo(`current_setting('transaction_isolation')`)).toBe('read committed');
    await db.driver.query('ROLLBACK');
  });

  it('placeholder: $i, 1-based', async () => {
    expect(placeholder(1)).toBe('$1');
    expect(() => placeholder(0)).toThrow();
    expect(
      (
        await db.driver.query<{ v: string }>(`SELECT ${placeholder(1)}::text || ${placeholder(2)}::text AS v`, [
          'a',
          'b',
        ])
      ).rows[0]?.v,
    ).toBe('ab');
  });
});
