import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { readDeferredTables, unreadDetails } from '../../../shared/deferred-tables.ts';
import { findTable, type Schema, type Table } from '../../../shared/schema.ts';
import {
  tableNamed,
  tablesHoldingName,
  tablesReferencing,
  tablesReferencingAnyCase,
} from '../../../shared/schema-names.ts';
import { RecordingDriver } from '../../../test/recording-driver.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/databases.ts';

let db: TestDatabase & { cleanup(): Promise<void> };
beforeEach(async () => {
  db = await createTestDatabase('sqlite');
  await db.setup(`
    CREATE TABLE teams (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE);
    CREATE TABLE users (
      id INTEGER PRIMARY KEY,
      email TEXT CONSTRAINT users_email_uq UNIQUE,
      team_id int REFERENCES teams ON DELETE SET NULL,
      CONSTRAINT "odd""name" CHECK (id > 0)
    );
    CREATE TABLE "Straße" (k TEXT PRIMARY KEY, v int UNIQUE) WITHOUT ROWID;
    CREATE TABLE audit (id INTEGER PRIMARY KEY, user_id int, CONSTRAINT trail_fk FOREIGN KEY (user_id) REFERENCES "USERS" (id));
    CREATE TABLE lonely (x int, y text, UNIQUE (x, y));
    CREATE INDEX idx_email_lower ON users (lower(email));
    CREATE INDEX audit_partial ON audit (user_id) WHERE user_id IS NOT NULL;
    CREATE VIEW team_users AS SELECT u.email, t.code FROM users u JOIN teams t ON t.id = u.team_id;
    INSERT INTO teams (code) VALUES ('a'), ('b');
    INSERT INTO users (email, team_id) VALUES ('x@y', 1), ('z@y', 2);
  `);
});
afterEach(async () => {
  await db.cleanup();
});

/** The schema read with its tables' details deferred, on a driver that records each statement. */
async function deferredRead(): Promise<{ schema: Schema; driver: RecordingDriver }> {
  const driver = new RecordingDriver(db.driver);
  const schema = await db.dialect.introspect(driver, undefined, { deferDetails: true });
  return { schema, driver };
}

const pragmaReads = (driver: RecordingDriver) => driver.sql.filter((s) => s.includes('pragma_table_xinfo(t.value) c)'));
const unread = (schema: Schema) => schema.tables.filter((t) => unreadDetails(t)).map((t) => t.name);

describe('sqlite schema read with deferred table details', () => {
  test('is the same schema as a whole read, once its details are read', async () => {
    const whole = await db.dialect.introspect(db.driver);
    const { schema } = await deferredRead();
    expect(unread(schema)).toEqual(['Straße', 'audit', 'lonely', 'teams', 'users']);
    expect(structuredClone(schema)).toEqual(whole);
    expect(unread(schema)).toEqual([]);
  });

  test('reads a table on first use, and the primary key of a parent its foreign key names without columns', async () => {
    const { schema, driver } = await deferredRead();
    expect(pragmaReads(driver)).toEqual([]);
    const users = findTable(schema, 'users') as Table;
    expect(users.constraints.find((k) => k.kind === 'foreign_key')?.references).toEqual({
      table: 'teams',
      columns: ['id'],
      onDelete: 'set null',
    });
    expect(users.rowEstimate).toBe(2);
    expect(pragmaReads(driver)).toHaveLength(1);
    expect(unread(schema)).toEqual(['Straße', 'audit', 'lonely', 'teams']);
  });

  test("a table read alone names its parents' primary keys once, whatever the letter case its foreign keys use", async () => {
    await db.setup('CREATE TABLE pairs (a int REFERENCES TEAMS, b int REFERENCES teams ON DELETE CASCADE)');
    const { schema } = await deferredRead();
    const pairs = findTable(schema, 'pairs') as Table;
    expect(pairs.constraints.map((k) => k.references)).toEqual([
      { table: 'TEAMS', columns: ['id'], onDelete: null },
      { table: 'teams', columns: ['id'], onDelete: 'cascade' },
    ]);
    expect(unreadDetails(findTable(schema, 'teams')!)).toBeDefined();
  });

  test('name and reference lookups answer as on a whole read, reading only the tables that may hold the name', async () => {
    const whole = await db.dialect.introspect(db.driver);
    const names = whole.tables.flatMap((t) => [
      t.name,
      t.name.toUpperCase(),
      ...t.indexes.map((i) => i.name),
      ...t.constraints.map((k) => k.name),
    ]);
    expect(names).toEqual(
      expect.arrayContaining(['odd"name', 'sqlite_autoindex_Straße_1', 'users_team_id_fkey', 'trail_fk']),
    );
    for (const name of [...names, 'nothing', 'teams_x_key']) {
      const { schema } = await deferredRead();
      expect(
        tablesHoldingName(schema, name).map((t) => t.name),
        name,
      ).toEqual(tablesHoldingName(whole, name).map((t) => t.name));
      expect(tableNamed(schema, name)?.name, name).toBe(tableNamed(whole, name)?.name);
    }
    for (const t of whole.tables) {
      const { schema } = await deferredRead();
      expect(tablesReferencing(schema, t.name).map((x) => x.name)).toEqual(
        tablesReferencing(whole, t.name).map((x) => x.name),
      );
      expect(tablesReferencingAnyCase(schema, t.name).map((x) => x.name)).toEqual(
        tablesReferencingAnyCase(whole, t.name).map((x) => x.name),
      );
    }
    // audit's foreign key names "USERS": SQLite resolves it to users.
    expect(tablesReferencing(whole, 'users')).toEqual([]);
    expect(tablesReferencingAnyCase(whole, 'users').map((x) => x.name)).toEqual(['audit']);

    const { schema } = await deferredRead();
    expect(tableNamed(schema, 'users')?.name).toBe('users');
    expect(unread(schema)).toHaveLength(5);
    expect(tablesHoldingName(schema, 'idx_email_lower').map((t) => t.name)).toEqual(['users']);
    expect(tablesHoldingName(schema, 'odd"name').map((t) => t.name)).toEqual(['users']);
    expect(tablesReferencing(schema, 'teams').map((t) => t.name)).toEqual(['users']);
    // Read so far: users; Straße, whose name is not ASCII (any name may be one of its constraints'
    // in another letter case); audit, whose text declares a constraint name and may hold a quoted one.
    expect(unread(schema)).toEqual(['lonely', 'teams']);
    expect(tablesHoldingName(schema, 'lonely_x_y_key').map((t) => t.name)).toEqual(['lonely']);
    expect(tablesHoldingName(schema, 'trail_fk').map((t) => t.name)).toEqual(['audit']);
    expect(unread(schema)).toEqual(['teams']);
  });

  test('reads the tables one at a time 32 times, then every table left at once', async () => {
    await db.setup(
      Array.from(
        { length: 40 },
        (_, i) => `CREATE TABLE w${String(i).padStart(2, '0')} (id INTEGER PRIMARY KEY);`,
      ).join('\n'),
    );
    const { schema, driver } = await deferredRead();
    const wide = schema.tables.filter((t) => t.name.startsWith('w'));
    for (const t of wide.slice(0, 32)) expect(t.columns.map((c) => c.name)).toEqual(['id']);
    expect(pragmaReads(driver)).toHaveLength(32);
    expect(unread(schema)).toHaveLength(45 - 32);
    expect(wide[32]!.columns).toHaveLength(1);
    expect(pragmaReads(driver)).toHaveLength(33);
    expect(unread(schema)).toEqual([]);
  });

  test('readDeferredTables reads every table left in one statement', async () => {
    const { schema, driver } = await deferredRead();
    expect(findTable(schema, 'users')?.columns).toHaveLength(3);
    readDeferredTables(schema);
    expect(pragmaReads(driver)).toHaveLength(2);
    expect(unread(schema)).toEqual([]);
    expect(schema).toEqual(await db.dialect.introspect(db.driver));
  });

  test('refuses to read a table once the schema changed or the connection closed, saying why', async () => {
    const { schema } = await deferredRead();
    await db.setup('CREATE TABLE later (a int)');
    expect(() => findTable(schema, 'users')?.columns).toThrow(
      /the schema of sqlite:.*test\.db changed while it was being read \(table "users" was not read yet\): plan again/,
    );
    const again = await deferredRead();
    await db.driver.close();
    expect(() => findTable(again.schema, 'users')?.columns).toThrow(
      /table "users" of sqlite:.*test\.db was to be read on first use, but the connection cannot read it any more \(.*not open/,
    );
  });
});
