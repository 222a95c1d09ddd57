import { describe, expect, it } from 'vitest';
import { formatDdl } from './ddl-format.ts';

describe('formatDdl', () => {
  it('puts each column and table constraint of a one-line CREATE TABLE on its own line', () => {
    const ddl = `CREATE TABLE orders (id integer PRIMARY KEY, subtotal decimal(10,2) NOT NULL,\n      status  varchar(50) DEFAULT 'a, b', "total amount" NUMERIC(10,2), CHECK (subtotal >= 0))`;
    expect(formatDdl(ddl)).toBe(
      [
        'CREATE TABLE orders (',
        '  id integer PRIMARY KEY,',
        '  subtotal decimal(10,2) NOT NULL,',
        "  status varchar(50) DEFAULT 'a, b',",
        '  "total amount" NUMERIC(10,2),',
        '  CHECK (subtotal >= 0)',
        ')',
      ].join('\n'),
    );
  });

  it('keeps what follows the column list and whitespace inside string literals', () => {
    expect(formatDdl(`CREATE TABLE "t" ("a"  text DEFAULT 'x  y',[b c] int) STRICT;\nCREATE INDEX i ON t (a);`)).toBe(
      `CREATE TABLE "t" (\n  "a" text DEFAULT 'x  y',\n  [b c] int\n) STRICT;\nCREATE INDEX i ON t (a);`,
    );
  });

  it('leaves already formatted PostgreSQL DDL as it is', () => {
    const pg = 'CREATE TABLE "orders" (\n  "id" integer NOT NULL,\n  CONSTRAINT "orders_pkey" PRIMARY KEY (id)\n);';
    expect(formatDdl(pg)).toBe(pg);
  });

  it('returns other statements, DDL with comments and unbalanced DDL unchanged', () => {
    for (const ddl of [
      'CREATE VIEW v AS SELECT 1, 2',
      'CREATE TABLE t (a int, -- note, here\n b int)',
      'CREATE TABLE t (a int, b int',
    ]) {
      expect(formatDdl(ddl)).toBe(ddl);
    }
  });
});
