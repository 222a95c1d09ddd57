/**
 * The kill -9 soak, run on demand: `node --import tsx scripts/kill-soak.ts [--rounds N] [--rows N]
 * [--dialect sqlite|postgres] [--scenario backfill|rebuild] [--kill-resume]`
 * kills a backfill and a table rebuild (SQLite) / rewrite (PostgreSQL) at N random points each
 * (`--kill-resume`: and the resume of each killed run at a second random point),
 * on a SQLite file and on PostgreSQL (DATAFLOW_PG_URL, or an embedded server it starts), and
 * checks each time what test/kill-points.ts says must hold. Prints one line per kill and a
 * summary; exits 1 when any point did not hold.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startPostgres } from '../test/pg-server.ts';
import { killAndRerun, prepare, reference, SCENARIOS } from '../test/kill-points.ts';
import type { DialectName } from '../shared/schema.ts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '25' },
    rows: { type: 'string', default: '200000' },
    dialect: { type: 'string' },
    scenario: { type: 'string' },
    'kill-resume': { type: 'boolean', default: false },
  },
});
const rounds = Number(values.rounds);
const rows = Number(values.rows);
const pg = await startPostgres();
const dir = mkdtempSync(join(tmpdir(), 'dataflow-soak-'));
let files = 0;
const freshConn = (dialect: DialectName) => async () =>
  dialect === 'sqlite' ? `sqlite:${join(dir, `soak-${++files}.db`)}` : pg.createDatabase();

let held = 0;
let failed = 0;
let killed = 0;
let resumesKilled = 0;
try {
  for (const dialect of (['sqlite', 'postgres'] as const).filter((d) => (values.dialect ?? d) === d)) {
    for (const scenario of SCENARIOS.filter((x) => (values.scenario ?? x) === x)) {
      const { runMs, boundaries } = await reference(freshConn(dialect), scenario, rows);
      for (let i = 0; i < rounds; i++) {
        const conn = await freshConn(dialect)();
        await prepare(conn, scenario, rows);
        // Anywhere in the run: a child process runs it slower than this one (a cold start), so the
        // points spread over 2.5 times the run this process measured, a few past its end.
        const delayMs = Math.round(Math.random() * runMs * 2.5);
        const resumeDelayMs = values['kill-resume'] ? Math.round(Math.random() * runMs * 2.5) : undefined;
        try {
          const o = await killAndRerun(conn, scenario, rows, delayMs, boundaries, resumeDelayMs);
          held++;
          if (o.killedAfterMs !== null) killed++;
          if (o.resumeKill?.killedAfterMs != null) resumesKilled++;
          const then = o.resumeKill
            ? `; its resume killed at ${o.resumeKill.killedAfterMs ?? 'end'} ms: ${o.resumeKill.atKill}`
            : '';
          console.log(`held   ${dialect} ${scenario} kill at ${o.killedAfterMs ?? 'end'} ms: ${o.atKill}${then}`);
        } catch (e) {
          failed++;
          console.log(`FAILED ${dialect} ${scenario} kill after ${delayMs} ms: ${(e as Error).message}`);
        }
      }
    }
  }
} finally {
  await pg.stop();
}
console.log(
  `${held + failed} kill points (${killed} mid-run, ${resumesKilled} resumes killed mid-run), ${held} held, ${failed} failed`,
);
process.exit(failed > 0 ? 1 : 0);
