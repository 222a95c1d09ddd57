/**
 * kill -9 of a rollback that restores a dropped column from its prior backup, then of the rollback
 * run again once it restored batches of its own (test/rollback-kill-points.ts says what must
 * hold); scripts/rollback-kill-soak.ts runs many. The two databases take the two boundary classes
 * of the first kill, in an order and with delays drawn from a seed printed at the start:
 * `KILL_SEED=<seed> npx vitest run test/rollback-kill.test.ts` draws the same points.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../shared/seeded-random.ts';
import { DIALECTS, createTestDatabase } from './databases.ts';
import { killRollbackAndRerun, prepareRollback, ROLLBACK_KILLS, type RollbackKill } from './rollback-kill-points.ts';

const SEED = Number(process.env.KILL_SEED ?? Date.now() % 2 ** 31);
console.log(`rollback kill points drawn from KILL_SEED=${SEED}`);
const ROWS = 8_000;
const CLASSES = Object.keys(ROLLBACK_KILLS) as RollbackKill[];

for (const [d, dialect] of DIALECTS.entries()) {
  const kill = CLASSES[(d + SEED) % CLASSES.length]!;
  describe(`kill -9 of a rollback, then of the rollback run again (${dialect})`, () => {
    it(
      `killed ${kill}: a node boundary or a committed restore batch and a record that says part-way, twice; rolling back again finishes it`,
      { timeout: 90_000 },
      async () => {
        const random = seededRandom(SEED + d);
        const db = await createTestDatabase(dialect);
        await db.driver.close();
        try {
          const { before, runId } = await prepareRollback(db.conn, ROWS);
          const struck = await killRollbackAndRerun(
            db.conn,
            runId,
            before,
            ROWS,
            ROLLBACK_KILLS[kill](random),
            random,
          ).catch((e: unknown) => {
            throw new Error(`KILL_SEED=${SEED}: ${e instanceof Error ? e.message : String(e)}`);
          });
          console.log(`KILL_SEED=${SEED} ${dialect}: ${JSON.stringify(struck)}`);
          for (const { atKill } of struck)
            expect(atKill).toMatch(/^(after drop_column_orders_extra|\d+ rows \(\d+ batches\) restored)$/);
        } finally {
          await db.cleanup().catch(() => {});
        }
      },
    );
  });
}
