import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/databases.ts';
import { findTable, type Table } from '../../../shared/schema.ts';
import { EXACT_COUNT_UP_TO } from './table-details.ts';

let db: TestDatabase & { cleanup(): Promise<void> };
beforeEach(async () => {
  db = await createTestDatabase('sqlite');
});
afterEach(async () => {
  await db.cleanup();
});

const constraint = (t: Table, name: string) => t.constraints.find((k) => k.name === name);

describe('sqlite introspect', () => {
  test('reads columns, keys, checks, foreign keys, indexes, views, triggers and row counts', async () => {
    await db.setup(`
      CREATE TABLE teams (id INTEGER PRIMARY KEY AUTOINCREMENT, code TEXT NOT NULL);
      CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        email VARCHAR (255) NOT NULL CONSTRAINT users_email_uq UNIQUE,
        name text DEFAULT 'it''s',
        score NUMERIC(10, 2) DEFAULT (1 + 1) CHECK (score >= 0),
        team_id int REFERENCES teams ON DELETE SET NULL,
        created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
        CONSTRAINT positive_team CHECK (team_id > 0 AND score < 100),
        UNIQUE (name, team_id)
      );
      CREATE INDEX users_created ON users (created_at) WHERE created_at IS NOT NULL;
      CREATE INDEX users_lower_name ON users (lower(name), id DESC);
      CREATE VIEW team_users AS SELECT u.name, t.code FROM users u JOIN teams t ON t.id = u.team_id;
      CREATE VIEW team_codes AS SELECT code FROM team_users;
      CREATE TRIGGER users_touch AFTER UPDATE ON users BEGIN UPDATE users SET created_at = CURRENT_TIMESTAMP WHERE id = new.id; END;
      CREATE TABLE dataflow_migrations (name TEXT PRIMARY KEY);
      INSERT INTO teams (code) VALUES ('a'), ('b');
      INSERT INTO users (email, team_id) VALUES ('x@y', 1), ('z@y', 2), ('w@y', NULL);
    `);
    const s = await db.dialect.introspect(db.driver);
    expect(s.dialect).toBe('sqlite');
    expect(s.version).toMatch(/^3\.\d+\.\d+$/);
    expect(s.tables.map((t) => t.name)).toEqual(['dataflow_migrations', 'teams', 'users']);
    const users = findTable(s, 'users') as Table;
    expect(users.rowEstimate).toBe(3);
    expect(findTable(s, 'teams')?.rowEstimate).toBe(2);
    expect(users.columns).toEqual([
      { name: 'id', type: 'integer', nullable: false, default: null, primaryKey: true, identity: true },
      { name: 'email', type: 'varchar(255)', nullable: false, default: null, primaryKey: false },
      { name: 'name', type: 'text', nullable: true, default: "'it''s'", primaryKey: false },
      { name: 'score', type: 'numeric(10,2)', nullable: true, default: '1 + 1', primaryKey: false },
      { name: 'team_id', type: 'int', nullable: true, default: null, primaryKey: false },
      { name: 'created_at', type: 'timestamp', nullable: true, default: 'CURRENT_TIMESTAMP', primaryKey: false },
    ]);
    expect(users.constraints.map((k) => [k.name, k.kind, k.columns])).toEqual([
      ['users_pkey', 'primary_key', ['id']],
      ['users_email_uq', 'unique', ['email']],
      ['users_name_team_id_key', 'unique', ['name', 'team_id']],
      ['users_score_check', 'check', ['score']],
      ['positive_team', 'check', ['team_id', 'score']],
      ['users_team_id_fkey', 'foreign_key', ['team_id']],
    ]);
    expect(constraint(users, 'positive_team')?.expression).toBe('team_id > 0 AND score < 100');
    expect(constraint(users, 'users_team_id_fkey')?.references).toEqual({
      table: 'teams',
      columns: ['id'],
      onDelete: 'set null',
    });
    expect(users.indexes.map((i) => [i.name, i.columns, i.unique, i.where, i.constraintBacked])).toEqual([
      ['sqlite_autoindex_users_1', ['email'], true, null, true],
      ['sqlite_autoindex_users_2', ['name', 'team_id'], true, null, true],
      ['users_created', ['created_at'], false, 'created_at IS NOT NULL', false],
      ['users_lower_name', ['lower(name)', 'id'], false, null, false],
    ]);
    expect(users.indexes.find((i) => i.name === 'users_created')?.sql).toBe(
      'CREATE INDEX users_created ON users (created_at) WHERE created_at IS NOT NULL',
    );
    expect(users.ddl).toMatch(/^CREATE TABLE users \(/);
    expect(s.views).toEqual([
      {
        name: 'team_users',
        sql: 'CREATE VIEW team_users AS SELECT u.name, t.code FROM users u JOIN teams t ON t.id = u.team_id',
        dependsOn: ['users', 'teams'],
      },
      { name: 'team_codes', sql: 'CREATE VIEW team_codes AS SELECT code FROM team_users', dependsOn: ['team_users'] },
    ]);
    expect(s.triggers).toEqual([
      {
        name: 'users_touch',
        table: 'users',
        sql: expect.stringMatching(/^CREATE TRIGGER users_touch AFTER UPDATE ON users/),
      },
    ]);
  });

  test('names duplicate unnamed constraints apart, keys a non-INTEGER primary key with an index, and keeps WITHOUT ROWID tables', async () => {
    await db.setup(`
      CREATE TABLE codes (code TEXT PRIMARY KEY, a INT CHECK (a > 0), b INT, CHECK (a < 10), CHECK (a <> 5)) ;
      CREATE TABLE pairs (x TEXT NOT NULL, y TEXT NOT NULL, PRIMARY KEY (x, y)) WITHOUT ROWID;
    `);
    const s = await db.dialect.introspect(db.driver);
    const codes = findTable(s, 'codes') as Table;
    expect(codes.columns[0]).toEqual({ name: 'code', type: 'text', nullable: true, default: null, primaryKey: true });
    expect(codes.constraints.filter((k) => k.kind === 'check').map((k) => k.name)).toEqual([
      'codes_a_check',
      'codes_a_check1',
      'codes_a_check2',
    ]);
    expect(codes.indexes).toEqual([
      {
        name: 'sqlite_autoindex_codes_1',
        table: 'codes',
        columns: ['code'],
        unique: true,
        where: null,
        constraintBacked: true,
        sql: null,
      },
    ]);
    const pairs = findTable(s, 'pairs') as Table;
    expect(pairs.columns.map((c) => [c.name, c.primaryKey, c.nullable])).toEqual([
      ['x', true, false],
      ['y', true, false],
    ]);
    expect(pairs.constraints).toEqual([
      {
        name: 'pairs_pkey',
        table: 'pairs',
        kind: 'primary_key',
        columns: ['x', 'y'],
        expression: null,
        references: null,
        validated: true,
      },
    ]);
  });

  test('row counts: exact up to EXACT_COUNT_UP_TO rows, then ANALYZE statistics, the rowid span, or a count', async () => {
    const fill = (table: string, n: number, id = 'i') =>
      `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${n}) INSERT INTO ${table} SELECT ${id}, 'x' FROM s`;
    const big = EXACT_COUNT_UP_TO * 2;
    await db.setup(`
      CREATE TABLE at_limit (id INTEGER PRIMARY KEY, v TEXT); ${fill('at_limit', EXACT_COUNT_UP_TO)};
      CREATE TABLE empty (id INTEGER PRIMARY KEY, v TEXT);
      CREATE TABLE gappy (id INTEGER PRIMARY KEY, v TEXT); ${fill('gappy', big)}; DELETE FROM gappy WHERE id % 4 = 2;
      CREATE TABLE sparse (id INTEGER PRIMARY KEY, v TEXT); ${fill('sparse', big, 'i * 1000000000000')};
      CREATE TABLE keyed (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID; ${fill('keyed', big, "'k' || i")}; DELETE FROM keyed WHERE k LIKE '%0';
    `);
    const rows = async () =>
      Object.fromEntries((await db.dialect.introspect(db.driver)).tables.map((t) => [t.name, t.rowEstimate]));
    const counted = async (t: string) =>
      Number((await db.driver.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t}`)).rows[0]?.n);
    expect(await rows()).toEqual({
      at_limit: EXACT_COUNT_UP_TO,
      empty: 0,
      // max(rowid) - min(rowid) + 1: the deleted quarter still counts.
      gappy: big,
      // A span no table of this file could hold: counted instead.
      sparse: big,
      // WITHOUT ROWID, never analysed: counted.
      keyed: await counted('keyed'),
    });
    expect(await counted('gappy')).toBe(big - Math.floor(big / 4));
    await db.setup('ANALYZE');
    expect((await rows()).gappy).toBe(await counted('gappy'));
  });

  test("index columns and constraints read from the text where it names only columns match SQLite's own", async () => {
    // Indexes naming plain columns (in any letter case or spacing) are read from their CREATE INDEX
    // text, a primary key's index from its one column (not for PRIMARY KEY (a, a), which lists a
    // twice), tables without CONSTRAINT, CHECK, UNIQUE or ROWID from the pragmas alone: the same
    // columns as pragma_index_info, and the same constraints as with those words written.
    await db.setup(`
      CREATE TABLE "MiXed" ("Alpha" int, beta_B text, "gamma" real, "rowid" int, PRIMARY KEY (beta_B, "Alpha"));
      CREATE INDEX ix_case ON "MiXed" (ALPHA, Beta_b);
      CREATE INDEX   ix_spaces   ON   MiXed(  gamma ,alpha  );
      create unique index ix_lower on mixed (gamma);
      CREATE INDEX ix_rowid ON MiXed (rowid);
      CREATE INDEX ix_quoted ON MiXed ("gamma", 'alpha', (beta_b));
      CREATE INDEX ix_desc ON MiXed (alpha DESC, gamma COLLATE nocase);
      CREATE TABLE twice (a int, b int, PRIMARY KEY (a, a));
      CREATE TABLE hidden_twice (a int, b int, PRIMARY /* the key */ KEY (a, a));
      CREATE TABLE desc_key (id INTEGER PRIMARY KEY DESC, v text);
      CREATE TABLE keyed (k text primary key, v text) WITHOUT ROWID;
      CREATE TABLE plain (id bigint PRIMARY KEY, parent_id bigint REFERENCES plain (id));
      CREATE TABLE spelled (id bigint CONSTRAINT spelled_pk PRIMARY KEY, parent_id bigint CONSTRAINT spelled_parent REFERENCES plain (id));
    `);
    const s = await db.dialect.introspect(db.driver);
    const mixed = findTable(s, 'MiXed')!;
    for (const ix of s.tables.flatMap((t) => t.indexes)) {
      const { rows } = await db.driver.query<{ name: string }>('SELECT name FROM pragma_index_info(?) ORDER BY seqno', [
        ix.name,
      ]);
      expect([ix.name, ix.columns]).toEqual([ix.name, rows.map((r) => r.name)]);
    }
    expect(findTable(s, 'twice')!.indexes[0]!.columns).toEqual(['a', 'a']);
    expect(findTable(s, 'hidden_twice')!.indexes[0]!.columns).toEqual(['a', 'a']);
    expect(findTable(s, 'keyed')!.indexes[0]!.columns).toEqual(['k']);
    expect(mixed.indexes.map((i) => i.name)).toEqual([
      'ix_case',
      'ix_desc',
      'ix_lower',
      'ix_quoted',
      'ix_rowid',
      'ix_spaces',
      'sqlite_autoindex_MiXed_1',
    ]);
    const kinds = (t: Table) => t.constraints.map((k) => [k.kind, k.columns, k.references]);
    expect(kinds(findTable(s, 'plain')!)).toEqual(kinds(findTable(s, 'spelled')!));
    expect(findTable(s, 'spelled')!.constraints.map((k) => k.name)).toEqual(['spelled_pk', 'spelled_parent']);
  });

  test('leaves out sqlite internal tables', async () => {
    await db.setup(`CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT); INSERT INTO t DEFAULT VALUES; ANALYZE;`);
    const s = await db.dialect.introspect(db.driver);
    expect(s.tables.map((t) => t.name)).toEqual(['t']);
  });
});
