/**
 * kill -9 soak of a rollback (test/rollback-kill-points.ts), run on demand: `node --import tsx
 * scripts/rollback-kill-soak.ts [points per database] [rows]` kills a rollback that restores a
 * dropped column from its prior backup at that many random points on SQLite and on PostgreSQL
 * (embedded), kills the rollback run again at a second random point, checks after each kill, and
 * prints where each kill struck.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres } from '../test/pg-server.ts';
import { killRollbackAndRerun, prepareRollback } from '../test/rollback-kill-points.ts';

const points = Number(process.argv[2] ?? 10);
const rows = Number(process.argv[3] ?? 20_000);
const pg = await startPostgres();
const dir = mkdtempSync(join(tmpdir(), 'dataflow-rollback-soak-'));
let failed = 0;
try {
  for (const dialect of ['sqlite', 'postgres'] as const) {
    for (let i = 1; i <= points; i++) {
      const conn = dialect === 'sqlite' ? `sqlite:${join(dir, `soak-${i}.db`)}` : await pg.createDatabase();
      const delayMs = Math.round(Math.random() * 3000);
      const againMs = Math.round(Math.random() * 3000);
      try {
        const { before, runId } = await prepareRollback(conn, rows);
        const at = await killRollbackAndRerun(conn, runId, before, rows, delayMs, againMs);
        console.log(
          `${dialect} ${i}: killed at ${delayMs} ms, then at ${againMs} ms: ${at.join('; then ')}; rolled back again: as before the forward run`,
        );
      } catch (e) {
        failed++;
        console.log(`${dialect} ${i}: killed at ${delayMs} ms: FAILED: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
} finally {
  await pg.stop();
}
console.log(`${2 * points} kill points, ${2 * points - failed} held, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
