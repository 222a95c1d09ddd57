/**
 * The safety review at scale (issue 11): `dataflow lint` of a 2,000-statement SQL migration file,
 * without a database and against a PostgreSQL database of 5,000 tables (bench/support/wide-schema.ts),
 * and the review of a 200-node workflow planned on that database.
 *
 * Baselines, measured in the same run: for the SQL file, PostgreSQL's own parser (libpg-query)
 * reading the file, which any linter of PostgreSQL SQL must do at least; for the workflow, the
 * plan of the same workflow (`dataflow plan`), which the review runs and then reads. Runs are
 * interleaved (baseline, measured, baseline, measured...) and the ratio is the median of the
 * per-run ratios.
 */
import { parse } from 'libpg-query';
import { DEFAULT_THRESHOLDS } from '../shared/lint/config.ts';
import { lintSqlSources, postgresLiveFacts } from '../electron/db/postgres/lint/lint.ts';
import { lintWorkflow } from '../electron/engine/lint.ts';
import { runWorkflow } from '../electron/engine/run.ts';
import { benchDatabases } from './support/databases.ts';
import { median, msList, pairedRatios, timed } from './support/stats.ts';
import { fillWidePostgres, wideChainWorkflow, wideTableName } from './support/wide-schema.ts';
import type { BenchResult } from './run.ts';

const TABLES = Number(process.env.BENCH_LINT_TABLES ?? 5000);
const STATEMENTS = 2000;
const NODES = 200;
const RUNS = 5;

/** 2,000 statements of the kinds a migrations directory holds, over the wide schema's tables. */
function migrationFile(): string {
  const kinds = [
    (t: string, i: number) => `ALTER TABLE ${t} ADD COLUMN note_${i} text;`,
    (t: string, i: number) => `CREATE INDEX CONCURRENTLY ${t}_status_${i} ON ${t} (status);`,
    (t: string) => `ALTER TABLE ${t} ALTER COLUMN email TYPE varchar(300);`,
    (t: string, i: number) => `ALTER TABLE ${t} ADD CONSTRAINT ${t}_amount_${i} CHECK (amount >= 0) NOT VALID;`,
    (t: string) => `UPDATE ${t} SET status = 'old' WHERE created_at < '2020-01-01';`,
    (t: string, i: number) => `ALTER TABLE ${t} ADD COLUMN flag_${i} boolean DEFAULT false;`,
    (t: string) => `CREATE INDEX ${t}_amount ON ${t} (amount);`,
    (t: string) => `ALTER TABLE ${t} ALTER COLUMN name SET NOT NULL;`,
  ];
  const out = ["SET lock_timeout = '2s';", "SET statement_timeout = '5min';"];
  for (let i = 0; out.length < STATEMENTS; i++) out.push(kinds[i % kinds.length]!(wideTableName(i % TABLES), i));
  return out.join('\n');
}

/** 200 schema changes, each on its own table: a column added, then indexed. */
const workflow = () => wideChainWorkflow('lint bench', NODES, TABLES, 20);

export async function run(): Promise<BenchResult[]> {
  const text = migrationFile();
  const sources = [{ file: 'V1__bench.sql', text }];
  const dbs = benchDatabases();
  try {
    const db = await dbs.create('postgres');
    await fillWidePostgres(db, TABLES);
    const schema = await db.dialect.introspect(db.driver);
    const version = Number.parseInt(schema.version, 10);
    const options = { postgresVersion: version, thresholds: DEFAULT_THRESHOLDS, planned: false };

    const parseMs: number[] = [];
    const bareMs: number[] = [];
    const liveMs: number[] = [];
    let findings = 0;
    for (let r = 0; r < RUNS; r++) {
      parseMs.push((await timed(() => parse(text))).ms);
      bareMs.push((await timed(() => lintSqlSources(sources, { ...options, live: null }))).ms);
      const live = await timed(() =>
        lintSqlSources(sources, { ...options, live: postgresLiveFacts(db.driver, schema) }),
      );
      liveMs.push(live.ms);
      findings = live.value.findings.length;
    }
    console.log(`SQL file of ${STATEMENTS} statements (${findings} findings with the live schema)`);
    console.log(`  libpg-query parse ms:     ${msList(parseMs)}`);
    console.log(`  lint without --db ms:     ${msList(bareMs)}`);
    console.log(`  lint with --db ms:        ${msList(liveMs)}`);

    const wf = workflow();
    const planMs: number[] = [];
    const reviewMs: number[] = [];
    let reviewed = 0;
    for (let r = 0; r < RUNS; r++) {
      planMs.push((await timed(() => runWorkflow(wf, db, { mode: 'plan' }))).ms);
      const review = await timed(() => lintWorkflow(wf, db, DEFAULT_THRESHOLDS));
      if (review.value.problems.some((p) => p.severity === 'error'))
        throw new Error(`the bench workflow does not plan: ${review.value.problems[0]!.message}`);
      reviewMs.push(review.ms);
      reviewed = review.value.result.findings.length;
    }
    console.log(`workflow of ${NODES} nodes on ${TABLES} tables (${reviewed} findings)`);
    console.log(`  plan ms:                  ${msList(planMs)}`);
    console.log(`  lint (plan + review) ms:  ${msList(reviewMs)}`);

    return [
      {
        name: `lint: ${STATEMENTS}-statement SQL file without --db`,
        figures: { 'lint median ms': median(bareMs), 'parse median ms': median(parseMs) },
        ratio: median(pairedRatios(bareMs, parseMs)),
        baseline: 'libpg-query parse of the same file',
      },
      {
        name: `lint: ${STATEMENTS}-statement SQL file with --db (${TABLES} tables)`,
        figures: { 'lint median ms': median(liveMs), 'parse median ms': median(parseMs) },
        ratio: median(pairedRatios(liveMs, parseMs)),
        baseline: 'libpg-query parse of the same file',
      },
      {
        name: `lint: ${NODES}-node workflow on ${TABLES} tables`,
        figures: { 'lint median ms': median(reviewMs), 'plan median ms': median(planMs) },
        ratio: median(pairedRatios(reviewMs, planMs)),
        baseline: 'dataflow plan of the same workflow',
        target: 1.5,
      },
    ];
  } finally {
    await dbs.close();
  }
}
