/**
 * kill -9 soak of a rollback (test/rollback-kill-points.ts), run on demand: `node --import tsx
 * scripts/rollback-kill-soak.ts [points per database] [rows] [seed]` kills a rollback that
 * restores a dropped column from its prior backup that many times on SQLite and on PostgreSQL
 * (embedded), taking the boundary classes of ROLLBACK_KILLS in turn, kills the rollback run again
 * once it restored batches of its own, checks after each kill, and prints where each kill struck.
 * The delays are drawn from the seed it prints (a third argument draws them again).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '../shared/seeded-random.ts';
import { startPostgres } from '../test/pg-server.ts';
import {
  killRollbackAndRerun,
  prepareRollback,
  ROLLBACK_KILLS,
  type RollbackKill,
} from '../test/rollback-kill-points.ts';

const points = Number(process.argv[2] ?? 10);
const rows = Number(process.argv[3] ?? 20_000);
const seed = Number(process.argv[4] ?? Date.now() % 2 ** 31);
console.log(`kill points drawn from seed ${seed}`);
const random = seededRandom(seed);
const classes = Object.keys(ROLLBACK_KILLS) as RollbackKill[];
const pg = await startPostgres();
const dir = mkdtempSync(join(tmpdir(), 'dataflow-rollback-soak-'));
let failed = 0;
try {
  for (const dialect of ['sqlite', 'postgres'] as const) {
    for (let i = 1; i <= points; i++) {
      const conn = dialect === 'sqlite' ? `sqlite:${join(dir, `soak-${i}.db`)}` : await pg.createDatabase();
      const kill = classes[i % classes.length]!;
      try {
        const { before, runId } = await prepareRollback(conn, rows);
        const at = await killRollbackAndRerun(conn, runId, before, rows, ROLLBACK_KILLS[kill](random), random);
        console.log(
          `${dialect} ${i}: killed ${kill}: ${at.map((a) => `at ${a.struck}: ${a.atKill}`).join('; then ')}; rolled back again: as before the forward run`,
        );
      } catch (e) {
        failed++;
        console.log(`${dialect} ${i}: killed ${kill}: FAILED: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
} finally {
  await pg.stop();
}
console.log(`${2 * points} kill points (seed ${seed}), ${2 * points - failed} held, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
