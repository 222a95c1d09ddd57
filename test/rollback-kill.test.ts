/**
 * kill -9 at random points of a rollback that restores a dropped column from its prior backup: on
 * each database the rollback, then the rollback run again, each killed at one random point
 * (test/rollback-kill-points.ts says what must hold); scripts/rollback-kill-soak.ts runs many.
 */
import { describe, expect, it } from 'vitest';
import { DIALECTS, createTestDatabase } from './databases.ts';
import { killRollbackAndRerun, prepareRollback } from './rollback-kill-points.ts';

const ROWS = 5_000;

for (const dialect of DIALECTS) {
  describe(`kill -9 at a random point of a rollback (${dialect})`, () => {
    it(
      'leaves a node boundary or a committed restore batch, also when the rollback run again is killed, and rolling back again finishes it',
      { timeout: 120_000 },
      async () => {
        const cleanups: (() => Promise<void>)[] = [];
        try {
          // Anywhere in the rollback's first 600 ms (its schema nodes, then the restore's batches),
          // then anywhere in the first 600 ms of the rollback run again.
          const db = await createTestDatabase(dialect);
          await db.driver.close();
          cleanups.push(db.cleanup);
          const { before, runId } = await prepareRollback(db.conn, ROWS);
          const [first, second] = [Math.random() * 600, Math.random() * 600].map(Math.round) as [number, number];
          const struck = await killRollbackAndRerun(db.conn, runId, before, ROWS, first, second);
          for (const atKill of struck)
            expect(atKill).toMatch(
              /^(before the rollback|after drop_column_orders_extra|\d+ rows \(\d+ batches\) restored|after the restore)$/,
            );
        } finally {
          for (const c of cleanups) await c().catch(() => {});
        }
      },
    );
  });
}
