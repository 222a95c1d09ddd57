/**
 * Running one planned step. The foreign key checks that end a rebuild are plain
 * `PRAGMA foreign_key_check("T")` statements; SQLite reports violations as rows, which this turns
 * into a failure so that the transaction rolls back instead of committing broken references.
 */
import type { Step } from '../dialect.ts';
import { DatabaseError, type Driver } from '../driver.ts';

interface ForeignKeyViolation {
  table: string;
  rowid: number | null;
  parent: string;
  fkid: number;
}

/** True for a `PRAGMA foreign_key_check` step. */
export function isForeignKeyCheck(sql: string): boolean {
  return /^\s*PRAGMA\s+foreign_key_check\b/i.test(sql);
}

/** What the rows of a foreign_key_check say, or null when there are none. */
export function violationMessage(rows: readonly ForeignKeyViolation[]): string | null {
  const first = rows[0];
  if (!first) return null;
  const rowids = rows
    .slice(0, 5)
    .map((r) => r.rowid ?? '?')
    .join(', ');
  return `${rows.length} row(s) of "${first.table}" (rowid ${rowids}${rows.length > 5 ? ', ...' : ''}) reference rows missing from "${first.parent}"`;
}

/** Runs a foreign_key_check statement and returns its violations. */
export async function foreignKeyViolations(driver: Driver, sql: string): Promise<ForeignKeyViolation[]> {
  return (await driver.query<ForeignKeyViolation>(sql)).rows;
}

/**
 * Runs one step and returns the rows it changed. A foreign_key_check step that returns rows
 * throws a DatabaseError with code SQLITE_CONSTRAINT_FOREIGNKEY naming the table and rows.
 */
export async function executeStep(driver: Driver, step: Step): Promise<number> {
  if (isForeignKeyCheck(step.sql)) {
    const message = violationMessage(await foreignKeyViolations(driver, step.sql));
    if (message) {
      throw new DatabaseError(
        `foreign key check failed: ${message}; fix or delete those rows, then run the change again`,
        'SQLITE_CONSTRAINT_FOREIGNKEY',
      );
    }
    return 0;
  }
  return (await driver.query(step.sql)).rowCount;
}
