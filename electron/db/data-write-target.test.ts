import { describe, expect, it } from 'vitest';
import { dataWriteTarget } from './data-sql.ts';

describe('dataWriteTarget: what a recorded batch statement wrote', () => {
  it('reads a backfill, a same-table copy (a comma inside a value is not a column) and a copy into another table', () => {
    expect(
      dataWriteTarget(`UPDATE "or""ders" SET "total" = (round((a, 2))) WHERE "id" <= 1000 AND ("total" IS NULL)`),
    ).toEqual({ kind: 'update', table: 'or"ders', columns: ['total'] });
    expect(
      dataWriteTarget(`UPDATE "users" SET "b" = CASE WHEN x = 'a, "c" = ' THEN 1 END, "d" = "e" WHERE "id" <= 5`),
    ).toEqual({ kind: 'update', table: 'users', columns: ['b', 'd'] });
    expect(
      dataWriteTarget('INSERT INTO "copy" ("id", "tax") SELECT "id", "tax" FROM "orders" WHERE "id" <= 9'),
    ).toEqual({
      kind: 'insert',
      table: 'copy',
      columns: ['id', 'tax'],
    });
    expect(dataWriteTarget('ALTER TABLE "orders" DROP COLUMN "note"')).toBeNull();
  });
});
