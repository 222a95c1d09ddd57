/**
 * Dialect.introspect with a refresh: reading again only the tables a write changed gives the same
 * schema as reading everything, and shares the unchanged tables with the schema before.
 */
import { afterEach, expect, test } from 'vitest';
import { DIALECTS, createTestDatabase, type TestDatabase } from '../../test/databases.ts';
import { findTable } from '../../shared/schema.ts';

let db: (TestDatabase & { cleanup(): Promise<void> }) | null = null;
afterEach(async () => {
  await db?.cleanup();
  db = null;
});

for (const dialect of DIALECTS) {
  test(`${dialect}: a refresh of the changed tables reads what a full introspection reads`, async () => {
    db = await createTestDatabase(dialect);
    const d = db;
    await d.setup(`
      CREATE TABLE parents (id INTEGER PRIMARY KEY, name TEXT);
      CREATE TABLE children (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parents (id), note TEXT);
      CREATE TABLE untouched (id INTEGER PRIMARY KEY, v TEXT);
      CREATE TABLE doomed (id INTEGER PRIMARY KEY);
      CREATE VIEW parent_names AS SELECT name FROM parents;
      INSERT INTO parents (id, name) VALUES (1, 'a'), (2, 'b');
    `);
    const before = await d.dialect.introspect(d.driver);
    // Another session's table appears too: a refresh reads tables it did not know.
    await d.setup(`
      ALTER TABLE parents RENAME TO families;
      ALTER TABLE families ADD COLUMN born TEXT;
      CREATE INDEX families_born ON families (born);
      INSERT INTO families (id, name) VALUES (3, 'c');
      DROP TABLE doomed;
      CREATE TABLE newcomer (id INTEGER PRIMARY KEY);
    `);
    const refreshed = await d.dialect.introspect(d.driver, {
      schema: before,
      tables: ['parents', 'families', 'children', 'doomed'],
    });
    const full = await d.dialect.introspect(d.driver);
    expect(refreshed).toEqual(full);
    expect(findTable(refreshed, 'families')?.rowEstimate).toBe(3);
    expect(findTable(refreshed, 'untouched')).toBe(findTable(before, 'untouched'));
    expect(findTable(refreshed, 'children')).not.toBe(findTable(before, 'children'));
  });
}
