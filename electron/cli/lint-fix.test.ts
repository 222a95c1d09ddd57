/** `dataflow lint --fix -o fixed.json`: the fixes (a param change, expand/contract), written to a new workflow file, reviewed again and run. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type FreshDatabase } from '../../test/databases.ts';
import { dataflow } from '../../test/dataflow-cli.ts';

describe('dataflow lint --fix', () => {
  let pg: FreshDatabase;
  beforeAll(async () => {
    pg = await createTestDatabase('postgres');
    await pg.setup(
      'CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint); CREATE INDEX orders_old ON orders (id, user_id); INSERT INTO orders SELECT g, g FROM generate_series(1, 100) g; ANALYZE orders;',
    );
  });
  afterAll(async () => {
    await pg?.cleanup();
  });

  it('sets concurrently on the index nodes, writes the fixed workflow and reviews it clean', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dataflow-lint-fix-'));
    const path = join(dir, 'indexes.dataflow.json');
    const node = (id: string, params: Record<string, unknown>, x: number) => ({
      id,
      type: 'SchemaModificationNode',
      params,
      position: { x, y: 0 },
    });
    writeFileSync(
      path,
      JSON.stringify({
        format: 'dataflow-workflow',
        version: 1,
        name: 'indexes',
        description: 'kept as is',
        nodes: [
          node(
            'add_idx',
            { operation: 'create_index', table: 'orders', index_name: 'orders_user', columns: ['user_id'] },
            0,
          ),
          node('drop_old', { operation: 'drop_index', table: 'orders', index_name: 'orders_old' }, 300),
        ],
        connections: [{ source: 'add_idx', sourceOutput: 'result', target: 'drop_old', targetInput: 'input' }],
      }),
    );
    const before = await dataflow('lint', path, '--db', pg.conn);
    expect(before.stdout).toContain('node "add_idx", field "Concurrently (PostgreSQL)": warning [DF704]');
    expect(before.stdout).toContain('node "drop_old", field "Concurrently (PostgreSQL)": warning [DF705]');

    const noOutput = await dataflow('lint', path, '--db', pg.conn, '--fix');
    expect(noOutput.code).toBe(2);
    expect(noOutput.stderr).toContain('--fix needs -o <file>');

    const fixedPath = join(dir, 'fixed.json');
    const r = await dataflow('lint', path, '--db', pg.conn, '--fix', '-o', fixedPath);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('fixed: node "add_idx": [DF704] use CONCURRENTLY');
    expect(r.stderr).toContain('fixed: node "drop_old": [DF705] use CONCURRENTLY');
    expect(r.stdout).not.toContain('DF704');
    expect(r.stdout).not.toContain('DF705');
    const fixed = JSON.parse(readFileSync(fixedPath, 'utf8')) as {
      description: string;
      nodes: { id: string; params: Record<string, unknown> }[];
    };
    expect(fixed.description).toBe('kept as is');
    expect(fixed.nodes.map((n) => [n.id, n.params.concurrently])).toEqual([
      ['add_idx', true],
      ['drop_old', true],
    ]);
    const plan = await dataflow('plan', fixedPath, '--db', pg.conn);
    expect(plan.stdout).toContain('CREATE INDEX CONCURRENTLY "orders_user"');
    expect(plan.stdout).toContain('DROP INDEX CONCURRENTLY');
  });

  const workflowFile = (name: string, params: Record<string, unknown>) => {
    const path = join(mkdtempSync(join(tmpdir(), 'dataflow-lint-fix-')), `${name}.dataflow.json`);
    writeFileSync(
      path,
      JSON.stringify({
        format: 'dataflow-workflow',
        version: 1,
        name,
        description: '',
        nodes: [{ id: 'change', type: 'SchemaModificationNode', params, position: { x: 0, y: 0 } }],
        connections: [],
      }),
    );
    return path;
  };

  interface Fixed {
    nodes: { id: string; type: string; params: Record<string, unknown>; disabled?: boolean }[];
    connections: { source: string; target: string }[];
    groups: { name: string; nodes: string[] }[];
    notes: { text: string }[];
  }

  it('a column rename becomes expand/contract on SQLite: add, copy in batches, a disabled drop; it runs and keeps the old column', async () => {
    const lite = await createTestDatabase('sqlite');
    try {
      await lite.setup(
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL); INSERT INTO users VALUES (1, 'a@x'), (2, 'b@x'), (3, 'c@x');",
      );
      const path = workflowFile('rename', {
        operation: 'rename_column',
        table: 'users',
        column_name: 'email',
        new_name: 'email_address',
      });
      const fixedPath = join(path, '..', 'fixed.json');
      const r = await dataflow('lint', path, '--db', lite.conn, '--fix', '-o', fixedPath);
      expect(r.stderr).toContain('fixed: node "change": [DF806] expand/contract (add, copy, drop later)');
      expect(r.stdout).not.toContain('DF806');
      const fixed = JSON.parse(readFileSync(fixedPath, 'utf8')) as Fixed;
      expect(fixed.nodes.map((n) => [n.id, n.type, n.params, n.disabled ?? false])).toEqual([
        [
          'change',
          'SchemaModificationNode',
          {
            operation: 'add_column',
            table: 'users',
            column_name: 'email_address',
            column_type: 'text',
            nullable: true,
          },
          false,
        ],
        [
          'change_copy',
          'DataBackfillNode',
          { table: 'users', update_field: 'email_address', calculation: '"email"', batch_size: 1000 },
          false,
        ],
        [
          'change_contract',
          'SchemaModificationNode',
          { operation: 'drop_column', table: 'users', column_name: 'email' },
          true,
        ],
      ]);
      expect(fixed.connections.map((c) => `${c.source}>${c.target}`)).toEqual([
        'change>change_copy',
        'change_copy>change_contract',
      ]);
      expect(fixed.groups).toEqual([
        expect.objectContaining({
          name: 'expand/contract: rename "users"."email" to "email_address"',
          nodes: ['change', 'change_copy', 'change_contract'],
        }),
      ]);
      expect(fixed.notes[0]!.text).toContain('enable `change_contract` to drop it');
      const run = await dataflow('run', fixedPath, '--db', lite.conn);
      expect(run.code).toBe(0);
      const rows = await lite.driver.query<{ email: string; email_address: string }>(
        'SELECT email, email_address FROM users ORDER BY id',
      );
      expect(rows.rows).toEqual([
        { email: 'a@x', email_address: 'a@x' },
        { email: 'b@x', email_address: 'b@x' },
        { email: 'c@x', email_address: 'c@x' },
      ]);
    } finally {
      await lite.cleanup();
    }
  });

  it('a type change that rewrites becomes a new column of the new type, copied; without --db there is no fix', async () => {
    await pg.setup(
      'CREATE TABLE meters (id bigint PRIMARY KEY, reading integer); INSERT INTO meters VALUES (1, 7), (2, 9);',
    );
    const path = workflowFile('widen', {
      operation: 'alter_column_type',
      table: 'meters',
      column_name: 'reading',
      column_type: 'bigint',
    });
    const fixedPath = join(path, '..', 'fixed.json');
    const noDb = await dataflow('lint', path, '--fix', '-o', fixedPath);
    expect(noDb.stderr).toContain('0 fixes applied');
    const r = await dataflow('lint', path, '--db', pg.conn, '--fix', '-o', fixedPath);
    expect(r.stderr).toContain('fixed: node "change": [DF702] expand/contract (new column, copy, drop later)');
    const fixed = JSON.parse(readFileSync(fixedPath, 'utf8')) as Fixed;
    expect(fixed.nodes[0]!.params).toEqual({
      operation: 'add_column',
      table: 'meters',
      column_name: 'reading_new',
      column_type: 'bigint',
      nullable: true,
    });
    expect((await dataflow('run', fixedPath, '--db', pg.conn)).code).toBe(0);
    const rows = await pg.driver.query<{ reading_new: string }>('SELECT reading_new FROM meters ORDER BY id');
    expect(rows.rows.map((x) => Number(x.reading_new))).toEqual([7, 9]);
  });
});
