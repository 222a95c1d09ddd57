/** `dataflow lint` as a user runs it: inputs, exit codes, formats, the configuration file, --db. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type FreshDatabase } from '../../test/databases.ts';
import { dataflow } from '../../test/dataflow-cli.ts';

function migrations(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'dataflow-lint-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const SAFE =
  "SET lock_timeout = '2s';\nSET statement_timeout = '5min';\nCREATE INDEX CONCURRENTLY orders_user ON orders (user_id);\n";

describe('dataflow lint', () => {
  let pg: FreshDatabase;
  beforeAll(async () => {
    pg = await createTestDatabase('postgres');
    await pg.setup('CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);');
  });
  afterAll(async () => {
    await pg?.cleanup();
  });

  it('reads a migrations directory in file order and exits 1 on an error-level finding', async () => {
    const dir = migrations({
      'V10__purge.sql': 'DELETE FROM sessions;\n',
      'V2__index.sql': 'CREATE INDEX orders_user ON orders (user_id);\n',
      'notes.txt': 'not SQL',
    });
    const r = await dataflow('lint', dir);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines.filter((l) => /^\S+\.sql:\d+:\d+: /.test(l))).toEqual([
      `${join(dir, 'V2__index.sql')}:1:1: warning [DF713] a locking statement runs without lock_timeout and statement_timeout: the file takes its first lock here without setting lock_timeout or statement_timeout`,
      `${join(dir, 'V2__index.sql')}:1:1: warning [DF704] CREATE INDEX without CONCURRENTLY on an existing table: building "orders_user" on "orders" holds a SHARE lock: inserts, updates and deletes wait until it is built`,
      `${join(dir, 'V10__purge.sql')}:1:1: error [DF808] UPDATE or DELETE without WHERE: DELETE from "sessions" without WHERE deletes every row`,
    ]);
    expect(r.stdout).toContain('  fix: CREATE INDEX CONCURRENTLY, outside a transaction block');
    expect(r.stdout).toMatch(
      /not evaluated without --db .*DF715 a statement rewrites or scans a large table \(1 statement\)/,
    );
    expect(r.stdout).toMatch(/1 error, 2 warnings, 0 info in 2 statements; PostgreSQL 15 assumed; config: defaults$/m);
  });

  it('exits 0 on the safe form; the dataflow.lint.json next to the input changes severities and turns rules off', async () => {
    const clean = await dataflow('lint', join(migrations({ 'V1.sql': SAFE }), 'V1.sql'));
    expect(clean.code).toBe(0);
    const dir = migrations({ 'V1.sql': 'DELETE FROM sessions;\nCREATE INDEX orders_user ON orders (user_id);\n' });
    writeFileSync(
      join(dir, 'dataflow.lint.json'),
      JSON.stringify({ rules: { DF808: 'warning', DF704: 'off', DF713: 'off' } }),
    );
    const r = await dataflow('lint', dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(': warning [DF808]');
    expect(r.stdout).not.toContain('DF704');
    expect(r.stdout).toContain(`config: ${join(dir, 'dataflow.lint.json')}`);
  });

  it('refuses unusable input with exit 2: a bad config, a file PostgreSQL cannot parse, conflicting flags', async () => {
    const dir = migrations({ 'V1.sql': 'SELECT 1;\nALTER TABLE t ADD COLUMN x int DEFALT 1;\n' });
    const config = join(dir, 'other.json');
    writeFileSync(config, JSON.stringify({ rules: { DF999: 'off' }, thresholds: { largeTableRows: -1 } }));
    const bad = await dataflow('lint', dir, '--config', config);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      `${config}: rules.DF999 is not a rule code (the codes are listed in docs/lint.md); thresholds.largeTableRows`,
    );
    const parse = await dataflow('lint', dir);
    expect(parse.code).toBe(2);
    expect(parse.stderr).toContain(
      `${join(dir, 'V1.sql')}:2:32: PostgreSQL cannot parse it: syntax error at or near "DEFALT"`,
    );
    const flags = await dataflow('lint', dir, '--db', pg.conn, '--pg-version', '12');
    expect(flags.code).toBe(2);
    expect(flags.stderr).toContain('--pg-version is for linting without --db');
  });

  it('sarif, github and json formats', async () => {
    const dir = migrations({
      'V1.sql': "SET lock_timeout = '2s';\nSET statement_timeout = 0;\n\nDROP TABLE legacy;\n",
    });
    const sarif = JSON.parse((await dataflow('lint', dir, '--format', 'sarif')).stdout) as {
      version: string;
      runs: { tool: { driver: { rules: { id: string }[] } }; results: Record<string, unknown>[] }[];
    };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]!.tool.driver.rules.map((r) => r.id)).toContain('DF801');
    expect(
      sarif.runs[0]!.results.map((r) => [
        r.ruleId,
        r.level,
        (r.locations as { physicalLocation: { region: unknown } }[])[0]!.physicalLocation.region,
      ]),
    ).toEqual([
      ['DF713', 'warning', { startLine: 4, startColumn: 1 }],
      ['DF801', 'error', { startLine: 4, startColumn: 1 }],
    ]);
    const github = await dataflow('lint', dir, '--format', 'github');
    expect(github.code).toBe(1);
    expect(github.stdout).toContain(
      `::error file=${join(dir, 'V1.sql')},line=4,col=1,title=DF801 DROP TABLE loses the table and its data::dropping "legacy" deletes`,
    );
    const json = JSON.parse((await dataflow('lint', dir, '--format', 'json')).stdout) as {
      findings: { code: string; message: string }[];
      live: boolean;
    };
    expect(json.live).toBe(false);
    expect(json.findings.map((f) => f.code)).toEqual(['DF713', 'DF801']);
    expect(json.findings[0]!.message).toContain('without setting statement_timeout');
  });

  it('--db reads the live schema: an empty table is not reported, the server version is named', async () => {
    const dir = migrations({
      'V1.sql': 'CREATE INDEX orders_user ON orders (user_id);\nALTER TABLE orders ADD COLUMN note text NOT NULL;\n',
    });
    writeFileSync(join(dir, 'dataflow.lint.json'), JSON.stringify({ rules: { DF713: 'off' } }));
    const r = await dataflow('lint', dir, '--db', pg.conn);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('DF704');
    expect(r.stdout).not.toContain('DF301');
    expect(r.stdout).not.toContain('not evaluated');
    expect(r.stdout).toMatch(/in 2 statements; PostgreSQL 17 \(the server\)/);
    await pg.setup('INSERT INTO orders VALUES (1, 1); ANALYZE orders;');
    const rows = await dataflow('lint', dir, '--db', pg.conn);
    expect(rows.code).toBe(1);
    expect(rows.stdout).toMatch(
      /error \[DF301\] .*"note" is added NOT NULL without a default, but "orders" has rows \(about 1 rows\)/,
    );
    expect(rows.stdout).toContain('[DF704]');
  });

  it('a workflow is planned on --db and its schema changes reviewed, naming node and field', async () => {
    const dir = migrations({});
    const path = join(dir, 'drop.dataflow.json');
    writeFileSync(
      path,
      JSON.stringify({
        format: 'dataflow-workflow',
        version: 1,
        name: 'drop',
        description: '',
        nodes: [
          {
            id: 'drop_user',
            type: 'SchemaModificationNode',
            params: { operation: 'drop_column', table: 'orders', column_name: 'user_id' },
            position: { x: 0, y: 0 },
          },
        ],
        connections: [],
      }),
    );
    const noDb = await dataflow('lint', path);
    expect(noDb.code).toBe(1);
    expect(noDb.stdout).toContain(
      'node "drop_user", field "Column": error [DF802] DROP COLUMN loses the column and its data: dropping "orders"."user_id" deletes its values',
    );
    expect(noDb.stdout).toMatch(
      /^note: without --db the workflow is not planned: only the rules that read a node's params ran/m,
    );
    expect(noDb.stdout).toMatch(/in 0 statements; not planned \(no --db\)/);
    const r = await dataflow('lint', path, '--db', pg.conn);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'node "drop_user", field "Column": error [DF802] DROP COLUMN loses the column and its data: dropping "orders"."user_id" deletes its values',
    );
    expect(r.stdout).toMatch(
      /^note: the engine runs each statement that takes a strong lock under lock_timeout 2000 ms/m,
    );
    expect(r.stdout).toMatch(/in 1 statement; PostgreSQL 17 \(the server\)/);
  });
});
