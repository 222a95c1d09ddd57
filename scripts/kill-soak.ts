/**
 * The kill -9 soak, run on demand: `node --import tsx scripts/kill-soak.ts [--rounds N] [--rows N]
 * [--dialect sqlite|postgres] [--scenario backfill|rebuild] [--seed N]` kills a backfill and a
 * table rebuild (SQLite) / rewrite (PostgreSQL) N times each, taking the scenario's boundary
 * classes in turn (test/kill-points.ts, KILLS), then the resume of each killed run once it did
 * work of its own, on a SQLite file and on PostgreSQL (DATAFLOW_PG_URL, or an embedded server it
 * starts), and checks each time what test/kill-points.ts says must hold. The delays are drawn from
 * the seed it prints (`--seed` draws them again). Prints one line per kill and a summary; exits 1
 * when any point did not hold.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { seededRandom } from '../shared/seeded-random.ts';
import { startPostgres } from '../test/pg-server.ts';
import { boundaryStates, drawKill, killAndRerun, killClasses, prepare, SCENARIOS } from '../test/kill-points.ts';
import type { DialectName } from '../shared/schema.ts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '25' },
    rows: { type: 'string', default: '50000' },
    dialect: { type: 'string' },
    scenario: { type: 'string' },
    seed: { type: 'string' },
  },
});
const rounds = Number(values.rounds);
const rows = Number(values.rows);
const seed = Number(values.seed ?? Date.now() % 2 ** 31);
console.log(`kill points drawn from --seed ${seed}`);
const random = seededRandom(seed);
const pg = await startPostgres();
const dir = mkdtempSync(join(tmpdir(), 'dataflow-soak-'));
let files = 0;
const freshConn = async (dialect: DialectName) =>
  dialect === 'sqlite' ? `sqlite:${join(dir, `soak-${++files}.db`)}` : pg.createDatabase();

let held = 0;
let failed = 0;
try {
  for (const dialect of (['sqlite', 'postgres'] as const).filter((d) => (values.dialect ?? d) === d)) {
    for (const scenario of SCENARIOS.filter((x) => (values.scenario ?? x) === x)) {
      const boundaries = scenario === 'rebuild' ? await boundaryStates(await freshConn(dialect), rows) : [];
      const classes = killClasses(scenario);
      for (let i = 0; i < rounds; i++) {
        const conn = await freshConn(dialect);
        await prepare(conn, scenario, rows);
        const kill = classes[i % classes.length]!;
        try {
          const o = await killAndRerun(conn, scenario, rows, drawKill(scenario, kill, random), random, boundaries);
          held++;
          console.log(
            `held   ${dialect} ${scenario} killed ${kill} at ${o.first.struck}: ${o.first.atKill}; ` +
              `its resume killed at ${o.resume.struck}: ${o.resume.atKill}`,
          );
        } catch (e) {
          failed++;
          console.log(`FAILED ${dialect} ${scenario} killed ${kill}: ${(e as Error).message}`);
        }
      }
    }
  }
} finally {
  await pg.stop();
}
console.log(`${held + failed} kills of a run and of its resume (seed ${seed}), ${held} held, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
