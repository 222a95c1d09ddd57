/** `dataflow lint --fix -o fixed.json`: the fixes that are a param change, written to a new workflow file and reviewed again. */
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
});
