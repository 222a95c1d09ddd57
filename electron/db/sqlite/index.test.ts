import { describe, expect, test } from 'vitest';
import { createTestDatabase } from '../../../test/databases.ts';
import { parseColumnType, type ColumnType } from '../../../shared/column-type.ts';
import { sqliteDialect, versionAtLeast } from './index.ts';

const type = (text: string): ColumnType => {
  const parsed = parseColumnType(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.type;
};

describe('sqlite dialect', () => {
  test('capabilities follow the version: ALTER COLUMN SET NOT NULL from 3.53', async () => {
    expect(sqliteDialect('3.53.2').capabilities).toEqual({
      supportsTransactionalDdl: true,
      canAlterNotNull: true,
      canAlterInPlace: false,
      supportsConcurrentIndex: false,
      supportsNotValid: false,
      supportsArrays: false,
    });
    expect(sqliteDialect('3.52.9').capabilities.canAlterNotNull).toBe(false);
    expect(sqliteDialect('3.100.0').capabilities.canAlterNotNull).toBe(true);
    expect(versionAtLeast('3.53', '3.53.0')).toBe(true);
    expect(versionAtLeast('3.9.1', '3.53')).toBe(false);
    const db = await createTestDatabase('sqlite');
    try {
      expect(db.dialect.name).toBe('sqlite');
      expect(db.dialect.capabilities.canAlterNotNull).toBe(true);
    } finally {
      await db.cleanup();
    }
  });

  test('literals: quotes doubled, booleans 1/0, finite numbers, NULL', () => {
    const d = sqliteDialect('3.53.2');
    expect(d.literal("it's")).toBe("'it''s'");
    expect(d.literal(true)).toBe('1');
    expect(d.literal(false)).toBe('0');
    expect(d.literal(-1.5)).toBe('-1.5');
    expect(d.literal(null)).toBe('NULL');
    expect(() => d.literal(Number.NaN)).toThrow(/finite/);
    expect(() => d.literal(Infinity)).toThrow(/finite/);
    expect(d.quoteIdent('we"ird')).toBe('"we""ird"');
  });

  test('types keep their meaningful declared names (JSON is TEXT, for its affinity); arrays are refused', () => {
    const d = sqliteDialect('3.53.2');
    const cases: [string, string][] = [
      ['varchar(20)', 'VARCHAR(20)'],
      ['decimal(10,2)', 'NUMERIC(10,2)'],
      ['timestamp', 'TIMESTAMP'],
      ['boolean', 'BOOLEAN'],
      ['jsonb', 'TEXT'],
      ['json', 'TEXT'],
      ['bytea', 'BLOB'],
      ['double precision', 'DOUBLE PRECISION'],
      ['int', 'INTEGER'],
      ['timestamptz', 'TIMESTAMPTZ'],
    ];
    for (const [input, out] of cases) expect(d.renderType(type(input))).toBe(out);
    expect(() => d.renderType(type('integer[]'))).toThrow(/no array column types/);
  });

  test('placeholders are positional ?, transactions BEGIN IMMEDIATE', () => {
    const d = sqliteDialect('3.53.2');
    expect([d.placeholder(1), d.placeholder(2)]).toEqual(['?', '?']);
    expect(d.beginSql()).toBe('BEGIN IMMEDIATE');
    expect(d.beginSql('serializable')).toBe('BEGIN IMMEDIATE');
    expect(d.beginSql('read committed')).toBe('BEGIN IMMEDIATE');
    expect(() => d.beginSql('snapshot; DROP TABLE t')).toThrow(/is not one of/);
  });

  test('executeStep returns the rows a statement changed', async () => {
    const db = await createTestDatabase('sqlite');
    try {
      await db.setup('CREATE TABLE t (x INT); INSERT INTO t VALUES (1), (2), (3);');
      expect(
        await db.dialect.executeStep(db.driver, {
          sql: 'UPDATE t SET x = x + 1 WHERE x > 1',
          comment: '',
          transactional: true,
        }),
      ).toBe(2);
      expect(
        await db.dialect.executeStep(db.driver, {
          sql: 'PRAGMA foreign_key_check("t")',
          comment: '',
          transactional: true,
        }),
      ).toBe(0);
    } finally {
      await db.cleanup();
    }
  });
});
