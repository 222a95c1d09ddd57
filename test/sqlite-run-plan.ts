/**
 * Test support for the SQLite dialect's tests: runs a plan's steps the way the engine does (one
 * transaction, `executeStep` per step) and reads rows back.
 */
import type { Plan } from '../electron/db/dialect.ts';
import type { Database } from '../electron/db/connect.ts';

/** Runs every step of `plan` in one transaction; rolls back and rethrows on failure. Returns rows affected. */
export async function runPlan(db: Database, plan: Plan): Promise<number> {
  const errors = plan.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0)
    throw new Error(`the plan has errors: ${errors.map((p) => `${p.field ?? ''}: ${p.message}`).join('; ')}`);
  await db.driver.query(db.dialect.beginSql());
  let rows = 0;
  try {
    for (const step of plan.steps) rows += await db.dialect.executeStep(db.driver, step);
    await db.driver.query('COMMIT');
  } catch (e) {
    await db.driver.query('ROLLBACK');
    throw e;
  }
  return rows;
}

/** Every row of a table, ordered by rowid, as plain objects. */
export async function rowsOf(db: Database, table: string): Promise<Record<string, unknown>[]> {
  return (await db.driver.query(`SELECT * FROM ${db.dialect.quoteIdent(table)} ORDER BY rowid`)).rows;
}
