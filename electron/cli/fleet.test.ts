/**
 * `dataflow fleet plan` and `dataflow fleet run` as a user runs them, on real SQLite files: bad
 * entries reported per target with their line, a file with a syntax error refused with its line
 * (exit 2), the summary table, the fleet in the app's history, and a resume that runs only the rest.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { dataflowWith, example } from '../../test/dataflow-cli.ts';
import { ORDERS_SQL, sqliteFleet } from '../../test/fleet-targets.ts';

describe('dataflow fleet', () => {
  it('plans and runs a fleet with bad entries, records it in History, and resumes only the rest', async () => {
    const fleet = sqliteFleet(3, { inMemory: true });
    onTestFinished(() => rmSync(fleet.dir, { recursive: true, force: true }));
    const home = mkdtempSync(join(tmpdir(), 'dataflow-home-'));
    const env = { DATAFLOW_HOME: home };
    const file = join(fleet.dir, 'targets.json');
    writeFileSync(
      file,
      `[
  {"label": "a", "connection": "sqlite:t001.db"},
  {"label": "b", "connection": "sqlite:t002.db"},
  {"label": "b2", "connection": "sqlite:./t002.db"},
  {"label": "late", "connection": "sqlite:late.db"},
  {"label": "pw", "connection": "postgres://ops:secret99@127.0.0.1:9/app"}
]`,
    );
    const broken = join(fleet.dir, 'broken.json');
    writeFileSync(broken, '[\n  {"label": "a", "connection": "sqlite:t001.db"}\n  {"label": "b"}\n]');
    const zdt = example('zero-downtime');
    const [plan, syntax] = await Promise.all([
      dataflowWith(env, 'fleet', 'plan', zdt, '--targets', file, '--json'),
      dataflowWith(env, 'fleet', 'run', zdt, '--targets', broken),
    ]);
    expect(syntax.code).toBe(2);
    expect(syntax.stderr).toContain(`dataflow fleet run: ${broken}:3: not valid JSON`);
    expect(plan.code).toBe(1);
    const matrix = JSON.parse(plan.stdout);
    expect(matrix.counts).toEqual({ would_apply: 2, already_applied: 0, would_fail: 1, drift: 0, invalid: 2 });
    expect(matrix.invalid.map((t: { source: string }) => t.source)).toEqual([`${file}:4`, `${file}:6`]);
    expect(plan.stdout + plan.stderr).not.toContain('secret99');

    const run = await dataflowWith(env, 'fleet', 'run', zdt, '--targets', file, '--on-error', 'continue');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^a +canary +succeeded /m);
    expect(run.stdout).toMatch(
      /^late +1 +failed .*\n {4}unreachable: late: unreachable \(no SQLite database at .*late\.db/m,
    );
    expect(run.stdout).toMatch(
      /^b2 +- +invalid .*\n {4}invalid: .*targets\.json:4: b2: "connection" is the same database as target "b"/m,
    );
    expect(run.stdout).toMatch(/^pw +- +invalid .*\n {4}invalid: .*"connection" holds a password/m);
    expect(run.stdout).toMatch(/^fleet ([0-9a-f]{8}) failed: 2 succeeded, 1 failed, 2 invalid$/m);
    expect(run.stderr).toMatch(/^\[1\/3\] a succeeded/m);
    expect(run.stdout + run.stderr).not.toContain('secret99');
    const fleetId = /^fleet ([0-9a-f]{8})/m.exec(run.stdout)![1]!;

    const store = new Database(join(home, 'store.db'), { readonly: true });
    const rows = store
      .prepare('SELECT label, status, run_id IS NOT NULL AS ran FROM fleet_targets ORDER BY position')
      .all();
    expect(rows).toEqual([
      { label: 'a', status: 'succeeded', ran: 1 },
      { label: 'b', status: 'succeeded', ran: 1 },
      { label: 'late', status: 'failed', ran: 0 },
      { label: 'b2', status: 'invalid', ran: 0 },
      { label: 'pw', status: 'invalid', ran: 0 },
    ]);
    expect(store.prepare("SELECT COUNT(*) AS n FROM runs WHERE mode = 'apply' AND status = 'succeeded'").get()).toEqual(
      { n: 2 },
    );
    store.close();

    const late = new Database(join(fleet.dir, 'late.db'));
    late.exec(ORDERS_SQL);
    late.close();
    const resumed = await dataflowWith(env, 'fleet', 'run', zdt, '--targets', file, '--resume', fleetId);
    expect(resumed.stderr).toMatch(/resuming fleet .*: 2 targets succeeded before, not run again/);
    expect(resumed.stderr).toMatch(/^\[1\/1\] late succeeded/m);
    expect(resumed.stdout).toMatch(new RegExp(`^fleet ${fleetId} failed: 3 succeeded, 2 invalid$`, 'm'));
  });
});
