/**
 * The bad-input corpus (test/bad-input-corpus.ts) through `dataflow validate`, `plan` and `run` on
 * a SQLite file and on PostgreSQL: every case is refused, with exit 2 by all three when the file
 * is invalid, or validate 0 then plan and run 1 when only the database can tell; the refusal names
 * the node and the field by its form label; no output holds a control character; and neither
 * database changes (schema and row checksums compared with the state before the corpus).
 * In-process through the command's own main() (a process per command would take minutes), with a
 * sample through the real `dataflow` command.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../electron/cli/main.ts';
import { terminalText } from '../shared/terminal-text.ts';
import { badInputCases, CORPUS_SETUP, type BadInputCase } from './bad-input-corpus.ts';
import { createTestDatabase, DIALECTS, type FreshDatabase } from './databases.ts';
import { databaseState, type DatabaseState } from './database-state.ts';
import { dataflow } from './dataflow-cli.ts';
import {
  CONTINUATIONS_TABLE,
  OUTPUTS_TABLE,
  RUNS_TABLE,
  RUN_NODES_TABLE,
  SNAPSHOTS_TABLE,
} from '../electron/db/run-record-sql.ts';

/**
 * The run records are left out of "unchanged": a workflow that passes its preflight (only a node
 * that reads failed it) is applied and fails at run time, and every apply is recorded on the
 * database on purpose (docs/recovery.md). Each record must say the run failed.
 */
const RECORDS = [RUNS_TABLE, RUN_NODES_TABLE, SNAPSHOTS_TABLE, OUTPUTS_TABLE, CONTINUATIONS_TABLE];

function withoutRecords(state: DatabaseState): DatabaseState {
  return {
    schema: { ...state.schema, tables: state.schema.tables.filter((t) => !RECORDS.includes(t.name)) },
    rows: Object.fromEntries(Object.entries(state.rows).filter(([name]) => !RECORDS.includes(name))),
  };
}

async function recordedStatuses(db: FreshDatabase): Promise<string[]> {
  const state = await databaseState(db);
  if (!(RUNS_TABLE in state.rows)) return [];
  const { rows } = await db.driver.query<{ status: string }>(`SELECT status FROM ${db.dialect.quoteIdent(RUNS_TABLE)}`);
  return [...new Set(rows.map((r) => r.status))];
}

const CASES = badInputCases();
const dir = mkdtempSync(join(tmpdir(), 'dataflow-corpus-'));
const files = CASES.map((c, i) => {
  const file = join(dir, `case-${i}.dataflow.json`);
  writeFileSync(file, c.text);
  return file;
});

/** A control character but newline: what a terminal would act on. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/;

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** `dataflow <argv>` run in this process by the command's main(), its output captured. */
async function inProcess(argv: string[]): Promise<Outcome> {
  const out = { stdout: '', stderr: '' };
  const write = { stdout: process.stdout.write, stderr: process.stderr.write };
  process.stdout.write = ((chunk: string) => ((out.stdout += chunk), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => ((out.stderr += chunk), true)) as typeof process.stderr.write;
  try {
    return { code: await main(argv), ...out };
  } finally {
    process.stdout.write = write.stdout;
    process.stderr.write = write.stderr;
  }
}

/** The refusal names the case's node, its field (form label) and what it must say. */
function expectNamed(c: BadInputCase, what: string, o: Outcome): void {
  const text = o.stdout + o.stderr;
  if (c.node !== undefined) expect(text, what).toContain(`node "${terminalText(c.node)}"`);
  if (c.field !== undefined) expect(text, what).toContain(c.field);
  if (c.says !== undefined) expect(text, what).toContain(c.says);
}

function expectNoControl(what: string, o: Outcome): void {
  expect(CONTROL.exec(o.stdout + o.stderr), `${what} printed a control character`).toBeNull();
}

const databases: Record<string, FreshDatabase> = {};
const before: Record<string, DatabaseState> = {};

beforeAll(async () => {
  for (const dialect of DIALECTS) {
    const db = await createTestDatabase(dialect);
    await db.setup(CORPUS_SETUP);
    databases[dialect] = db;
    before[dialect] = withoutRecords(await databaseState(db));
  }
});

afterAll(async () => {
  for (const db of Object.values(databases)) await db.cleanup();
});

describe(`the bad-input corpus (${CASES.length} workflow files)`, () => {
  it('covers every node type and at least 250 files', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(250);
    expect(new Set(CASES.map((c) => /"type": "(\w+)"/.exec(c.text)?.[1])).size).toBeGreaterThanOrEqual(10);
  });

  it.each(CASES.map((c, i) => [c.name, i] as const))(
    '%s: refused, named, the databases unchanged',
    async (_name, i) => {
      const c = CASES[i]!;
      const file = files[i]!;
      const validate = await inProcess(['validate', file]);
      expectNoControl('validate', validate);
      expect([0, 2], `validate: ${validate.stderr}`).toContain(validate.code);
      if (validate.code === 2) expectNamed(c, 'validate', validate);
      for (const dialect of DIALECTS) {
        const db = databases[dialect]!;
        for (const command of ['plan', 'run'] as const) {
          const o = await inProcess([command, file, '--db', db.conn]);
          const what = `${command} on ${dialect}`;
          expectNoControl(what, o);
          if (validate.code === 2) {
            // The same refusal, before the database is opened.
            expect(o.code, `${what}: ${o.stderr}`).toBe(2);
            expect(o.stderr, what).toBe(validate.stderr);
          } else {
            expect(o.code, `${what}: ${o.stdout}${o.stderr}`).toBe(1);
            expectNamed(c, what, o);
          }
        }
        expect(withoutRecords(await databaseState(db)), `${dialect} changed`).toEqual(before[dialect]);
        expect(await recordedStatuses(db), `${dialect}: a recorded run that did not fail`).not.toContain('succeeded');
      }
    },
  );
});

describe('a sample of the corpus through the dataflow command', () => {
  const sample = CASES.map((c, i) => [c.name, i] as const).filter((_, i) => i % 80 === 7);

  it.each(sample)('%s: the same exit codes and names', { timeout: 60_000 }, async (_name, i) => {
    const c = CASES[i]!;
    const file = files[i]!;
    const validate = await dataflow('validate', file);
    expectNoControl('validate', validate);
    const dialect = i % 2 === 0 ? 'sqlite' : 'postgres';
    const db = databases[dialect]!;
    for (const command of ['plan', 'run'] as const) {
      const o = await dataflow(command, file, '--db', db.conn);
      expectNoControl(command, o);
      expect(o.code, `${command} on ${dialect}: ${o.stderr}`).toBe(validate.code === 2 ? 2 : 1);
      expectNamed(c, command, o);
    }
    expect(withoutRecords(await databaseState(db))).toEqual(before[dialect]);
  });
});
