/**
 * The near misses a static linter gets wrong, decided from the live database: an index on an
 * empty table, a widening that keeps the bytes, a default that is constant or volatile by the
 * server's catalogue, a NOT NULL already proven by a validated CHECK, a table an earlier migration
 * created. And where findings point: file, line, column; a file PostgreSQL cannot parse.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../../../../shared/lint/config.ts';
import { freshDatabases, type FreshDatabase } from '../../../../test/databases.ts';
import { SqlFileError, lintSqlSources, postgresLiveFacts, type SqlSource } from './lint.ts';

const fresh = freshDatabases();

async function lint(sources: SqlSource[] | string, db: FreshDatabase | null, version = 17) {
  const list = typeof sources === 'string' ? [{ file: 'm.sql', text: sources }] : sources;
  const live = db ? postgresLiveFacts(db.driver, await db.dialect.introspect(db.driver)) : null;
  return lintSqlSources(list, { postgresVersion: version, thresholds: DEFAULT_THRESHOLDS, live, planned: false });
}

const codes = (r: Awaited<ReturnType<typeof lint>>) => r.findings.map((f) => f.code);

describe('lint with the live database', () => {
  it('an index on an empty table locks nobody; on a table with rows it is DF704 with the row count', async () => {
    const db = await fresh(
      'postgres',
      'CREATE TABLE empty_t (a int); CREATE TABLE full_t (a int); INSERT INTO full_t SELECT g FROM generate_series(1, 30) g;',
    );
    expect(codes(await lint('CREATE INDEX e_a ON empty_t (a);', db))).not.toContain('DF704');
    const r = await lint('CREATE INDEX f_a ON full_t (a);', db);
    expect(r.findings.find((f) => f.code === 'DF704')?.message).toMatch(
      /"full_t" \(about 30 rows\) holds a SHARE lock/,
    );
  });

  it('type changes: widenings that keep the bytes pass, the others are DF702 naming both types', async () => {
    const db = await fresh(
      'postgres',
      "CREATE TABLE p (id int PRIMARY KEY, name varchar(200), code text, price numeric(10,2)); INSERT INTO p VALUES (1, 'a', 'b', 1.5);",
    );
    const widen = await lint(
      'ALTER TABLE p ALTER COLUMN name TYPE varchar(300);\nALTER TABLE p ALTER COLUMN name TYPE text;\nALTER TABLE p ALTER COLUMN price TYPE numeric(12,2);',
      db,
    );
    expect(codes(widen)).not.toContain('DF702');
    for (const [sql, change] of [
      ['ALTER TABLE p ALTER COLUMN name TYPE varchar(20);', 'from varchar(200) to varchar(20)'],
      ['ALTER TABLE p ALTER COLUMN code TYPE varchar(50);', 'from text to varchar(50)'],
      ['ALTER TABLE p ALTER COLUMN price TYPE numeric(12,3);', 'from numeric(10,2) to numeric(12,3)'],
      ['ALTER TABLE p ALTER COLUMN id TYPE bigint;', 'from integer to bigint'],
    ] as const) {
      expect((await lint(sql, db)).findings.find((f) => f.code === 'DF702')?.message).toContain(change);
    }
  });

  it('defaults: a constant is metadata only from PostgreSQL 11; a function is as volatile as the server says', async () => {
    const db = await fresh(
      'postgres',
      `CREATE TABLE o (id int); INSERT INTO o VALUES (1);
       CREATE FUNCTION pick_code() RETURNS text LANGUAGE sql VOLATILE AS $$ SELECT 'x' $$;
       CREATE FUNCTION fixed_code() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'x' $$;`,
    );
    expect(codes(await lint("ALTER TABLE o ADD COLUMN s text DEFAULT 'new';", db))).not.toContain('DF701');
    expect((await lint("ALTER TABLE o ADD COLUMN s text DEFAULT 'new';", null, 10)).findings[1]?.message).toMatch(
      /before PostgreSQL 11/,
    );
    expect(codes(await lint('ALTER TABLE o ADD COLUMN s text DEFAULT now();', db))).not.toContain('DF701');
    expect(
      (await lint('ALTER TABLE o ADD COLUMN s text DEFAULT pick_code();', db)).findings.map((f) => f.message).join(),
    ).toMatch(/pick_code\(\), which the server says is volatile/);
    expect(codes(await lint('ALTER TABLE o ADD COLUMN s text DEFAULT fixed_code();', db))).not.toContain('DF701');
    expect(codes(await lint('ALTER TABLE o ADD COLUMN s text DEFAULT fixed_code();', null))).toContain('DF701');
  });

  it('SET NOT NULL is spared when a validated CHECK (col IS NOT NULL) is live, not when it is NOT VALID', async () => {
    const db = await fresh(
      'postgres',
      `CREATE TABLE u (a text, b text); INSERT INTO u VALUES ('x', 'y');
       ALTER TABLE u ADD CONSTRAINT u_a_nn CHECK (a IS NOT NULL);
       ALTER TABLE u ADD CONSTRAINT u_b_nn CHECK (b IS NOT NULL) NOT VALID;`,
    );
    expect(codes(await lint('ALTER TABLE u ALTER COLUMN a SET NOT NULL;', db))).not.toContain('DF712');
    expect(codes(await lint('ALTER TABLE u ALTER COLUMN b SET NOT NULL;', db))).toContain('DF712');
    expect(codes(await lint('ALTER TABLE u ALTER COLUMN a SET NOT NULL;', db, 11))).toContain('DF712');
  });

  it('NOT NULL without a default: DF301 only on a table with rows', async () => {
    const db = await fresh(
      'postgres',
      'CREATE TABLE none_yet (id int); CREATE TABLE has_rows (id int); INSERT INTO has_rows VALUES (1);',
    );
    expect(codes(await lint('ALTER TABLE none_yet ADD COLUMN c text NOT NULL;', db))).not.toContain('DF301');
    expect(codes(await lint('ALTER TABLE has_rows ADD COLUMN c text NOT NULL;', db))).toContain('DF301');
  });

  it('a table an earlier file created is new until the live database has it', async () => {
    const files = [
      { file: 'V1__t.sql', text: 'CREATE TABLE t (id bigint PRIMARY KEY, a int);' },
      { file: 'V2__i.sql', text: 'CREATE INDEX t_a ON t (a);' },
    ];
    const notApplied = await fresh('postgres');
    expect(codes(await lint(files, notApplied))).not.toContain('DF704');
    const applied = await fresh(
      'postgres',
      'CREATE TABLE t (id bigint PRIMARY KEY, a int); INSERT INTO t VALUES (1, 1);',
    );
    expect(codes(await lint(files, applied))).toContain('DF704');
    expect(codes(await lint(files, null))).toContain('DF704');
    expect(codes(await lint([{ file: 'one.sql', text: files.map((f) => f.text).join('\n') }], null))).not.toContain(
      'DF704',
    );
  });

  it('DF809 asks EXPLAIN and runs nothing', async () => {
    const db = await fresh(
      'postgres',
      'CREATE TABLE m (id bigint PRIMARY KEY, k text); INSERT INTO m SELECT g, NULL FROM generate_series(1, 3000) g; ANALYZE m;',
    );
    const r = await lintSqlSources([{ file: 'u.sql', text: "UPDATE m SET k = 'w' WHERE k IS NULL;" }], {
      postgresVersion: 17,
      thresholds: { ...DEFAULT_THRESHOLDS, unbatchedUpdateRows: 1000 },
      live: postgresLiveFacts(db.driver, await db.dialect.introspect(db.driver)),
      planned: false,
    });
    expect(r.findings.find((f) => f.code === 'DF809')?.message).toMatch(/about 3,000 rows/);
    expect(
      Number((await db.driver.query<{ n: unknown }>('SELECT count(*) AS n FROM m WHERE k IS NULL')).rows[0]?.n),
    ).toBe(3000);
  });
});

describe('where findings point', () => {
  it('the line and column of the statement, or of the column or constraint in it', async () => {
    const r = await lint(
      "-- a comment\nSET lock_timeout = '1s';\nSET statement_timeout = '1min';\n\n  CREATE INDEX i ON t (a);\nALTER TABLE t\n  ADD COLUMN é text,\n  ADD COLUMN c uuid DEFAULT gen_random_uuid();",
      null,
    );
    expect(r.findings.map((f) => [f.code, f.line, f.column])).toEqual([
      ['DF704', 5, 3],
      ['DF701', 8, 14],
    ]);
  });

  it('a file PostgreSQL cannot parse names its file, line and column', async () => {
    const error = await lint(
      [{ file: 'V3__bad.sql', text: 'SELECT 1;\nALTER TABLE t ADD COLUMN x int DEFALT 1;' }],
      null,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SqlFileError);
    expect((error as Error).message).toBe(
      'V3__bad.sql:2:32: PostgreSQL cannot parse it: syntax error at or near "DEFALT"',
    );
  });
});
