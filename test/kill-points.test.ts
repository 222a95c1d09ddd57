/**
 * kill -9 of a backfill and of a schema change that rebuilds a table (SQLite) or rewrites it
 * (PostgreSQL), then of the resume of the killed run (test/kill-points.ts says what must hold);
 * scripts/kill-soak.ts runs many. Each case kills one point of one boundary class; the two
 * databases take a scenario's two classes, in an order and with delays drawn from a seed printed
 * at the start: `KILL_SEED=<seed> npx vitest run test/kill-points.test.ts` draws the same points.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../shared/seeded-random.ts';
import { DIALECTS, createTestDatabase } from './databases.ts';
import { boundaryStates, drawKill, killAndRerun, killClasses, prepare, SCENARIOS } from './kill-points.ts';

const SEED = Number(process.env.KILL_SEED ?? Date.now() % 2 ** 31);
console.log(`kill points drawn from KILL_SEED=${SEED}`);
const ROWS = { backfill: 20_000, rebuild: 10_000 };

for (const [d, dialect] of DIALECTS.entries()) {
  describe(`kill -9 of a run, then of its resume (${dialect})`, () => {
    for (const [s, scenario] of SCENARIOS.entries()) {
      const classes = killClasses(scenario);
      const kill = classes[(d + SEED) % classes.length]!;
      it(
        `${scenario} killed ${kill}: a committed boundary, a record that says part-way, and its resume, killed after work of its own, resumed to the end of an uninterrupted run`,
        { timeout: 90_000 },
        async () => {
          const random = seededRandom(SEED + 10 * d + s);
          const cleanups: (() => Promise<void>)[] = [];
          const freshConn = async () => {
            const db = await createTestDatabase(dialect);
            await db.driver.close();
            cleanups.push(db.cleanup);
            return db.conn;
          };
          try {
            const boundaries = scenario === 'rebuild' ? await boundaryStates(await freshConn(), ROWS.rebuild) : [];
            const conn = await freshConn();
            await prepare(conn, scenario, ROWS[scenario]);
            const point = drawKill(scenario, kill, random);
            const outcome = await killAndRerun(conn, scenario, ROWS[scenario], point, random, boundaries).catch(
              (e: unknown) => {
                throw new Error(`KILL_SEED=${SEED}: ${e instanceof Error ? e.message : String(e)}`);
              },
            );
            console.log(`KILL_SEED=${SEED} ${dialect} ${scenario}: ${JSON.stringify(outcome)}`);
            expect(outcome.resume.struck).not.toBe('');
          } finally {
            for (const c of cleanups) await c().catch(() => {});
          }
        },
      );
    }
  });
}
