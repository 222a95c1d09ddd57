/**
 * kill -9 at random points of a backfill and of a schema change that rebuilds a table (SQLite) or
 * rewrites it (PostgreSQL), and of the resume of a killed one, a few points per run of the suite (test/kill-points.ts says what must
 * hold); scripts/kill-soak.ts runs many.
 */
import { describe, expect, it } from 'vitest';
import { DIALECTS, createTestDatabase } from './databases.ts';
import { killAndRerun, prepare, reference, SCENARIOS } from './kill-points.ts';

const ROWS = 50_000;

for (const dialect of DIALECTS) {
  describe(`kill -9 at a random point (${dialect})`, () => {
    for (const scenario of SCENARIOS) {
      it(
        `${scenario}: the database is at a committed boundary, the record says the run stopped, and its resume ends as an uninterrupted run`,
        { timeout: 120_000 },
        async () => {
          const cleanups: (() => Promise<void>)[] = [];
          const freshConn = async () => {
            const db = await createTestDatabase(dialect);
            await db.driver.close();
            cleanups.push(db.cleanup);
            return db.conn;
          };
          try {
            const { runMs, boundaries } = await reference(freshConn, scenario, ROWS);
            const outcomes = [];
            // Two points: one in the second quarter of the run, whose resume is killed too at a
            // point anywhere in a run; one anywhere in the run.
            const points = [
              { delayMs: (0.25 + Math.random() * 0.25) * runMs, resumeDelayMs: Math.random() * runMs },
              { delayMs: Math.random() * runMs },
            ];
            for (const { delayMs, resumeDelayMs } of points) {
              const conn = await freshConn();
              await prepare(conn, scenario, ROWS);
              const resumeKill = resumeDelayMs === undefined ? undefined : Math.round(resumeDelayMs);
              outcomes.push(await killAndRerun(conn, scenario, ROWS, Math.round(delayMs), boundaries, resumeKill));
            }
            // A kill before the run wrote its record leaves nothing to resume (applied anew); on a
            // busy machine both points can land there, so only the kill itself is required.
            expect(
              outcomes.some((o) => o.killedAfterMs !== null),
              JSON.stringify(outcomes),
            ).toBe(true);
          } finally {
            for (const c of cleanups) await c().catch(() => {});
          }
        },
      );
    }
  });
}
