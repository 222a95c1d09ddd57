import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestDatabase, type TestDatabase } from '../../test/databases.ts';
import { findTable } from '../../shared/schema.ts';
import { parseWorkflow } from '../../shared/workflow.ts';
import { runWorkflow } from '../engine/run.ts';
import { modelsCommand } from './models-command.ts';

async function models(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (c: Buffer) => out.push(c.toString()));
  stderr.on('data', (c: Buffer) => err.push(c.toString()));
  const code = await modelsCommand(argv, { stdout, stderr, stdin: Readable.from([]) });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

const MODELS = `from typing import Optional
from dataflow import DataFlow

db = DataFlow()

@db.model
class User:
    name: str
    email: str
    phone_number: Optional[str] = None

@db.model
class OrderItem:
    sku: str
    quantity: int = 1
    gift: bool = False
    attrs: Optional[dict] = None
`;

for (const dialect of DIALECTS) {
  describe(`dataflow models on ${dialect}`, () => {
    let db: TestDatabase & { cleanup(): Promise<void> };
    const dir = mkdtempSync(join(tmpdir(), 'dataflow-models-'));
    const file = join(dir, 'models.py');
    const out = join(dir, 'sync.dataflow.json');
    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      await db.setup(`CREATE TABLE users (id integer PRIMARY KEY, name text NOT NULL, email text NOT NULL, deprecated_field text, created_at timestamp);
        INSERT INTO users (id, name, email) VALUES (1, 'Ada', 'ada@example.com');`);
      writeFileSync(file, MODELS);
    });
    afterAll(async () => {
      await db?.cleanup();
    });

    it('writes the workflow that creates and adds what is missing; once run, models finds nothing to do', async () => {
      const first = await models(file, '--db', db.conn, '-o', out);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stderr).toContain(
        'warning: users.deprecated_field is not in model User; kept (dropping loses its data): rerun with --allow-destructive to drop it',
      );
      expect(first.stderr).toContain(
        '3 change(s): add column users.phone_number text; add column users.updated_at timestamp; create table order_items',
      );
      const { workflow } = parseWorkflow(readFileSync(out, 'utf8'));
      expect(workflow.nodes.map((n) => n.id)).toEqual([
        'track_models',
        'add_users_phone_number',
        'add_users_updated_at',
        'create_order_items',
        'complete_models',
      ]);

      const run = await runWorkflow(workflow, db, { mode: 'apply' });
      expect(run.error ?? null, JSON.stringify(run.nodes)).toBe(null);
      expect(run.status).toBe('succeeded');
      const schema = await db.dialect.introspect(db.driver);
      expect(findTable(schema, 'order_items')?.columns.map((c) => c.name)).toEqual([
        'id',
        'sku',
        'quantity',
        'gift',
        'attrs',
        'created_at',
        'updated_at',
      ]);

      const again = await models(file, '--db', db.conn);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stderr).toContain('the database matches the 2 model(s); the workflow has no nodes');
      expect(parseWorkflow(again.stdout).workflow.nodes).toEqual([]);
    });

    it('creates id as an identity column: an INSERT without id succeeds after models (the issue 17 case)', async () => {
      const fresh = await createTestDatabase(dialect);
      try {
        const customers = join(dir, 'customers.py');
        writeFileSync(
          customers,
          'from datetime import datetime\n\n@db.model\nclass Customer:\n    name: str\n    email: str\n    joined: datetime\n',
        );
        const r = await models(customers, '--db', fresh.conn);
        expect(r.code, r.stderr).toBe(0);
        const run = await runWorkflow(parseWorkflow(r.stdout).workflow, fresh, { mode: 'apply' });
        expect(run.status, run.error ?? '').toBe('succeeded');
        const created = run.diff?.changes.find((c) => c.kind === 'table_added');
        expect(created?.kind === 'table_added' && created.after.columns[0]).toMatchObject({
          name: 'id',
          identity: true,
        });
        for (const name of ['Ada', 'Grace'])
          await fresh.driver.query(
            `INSERT INTO customers (name, email, joined) VALUES ('${name}', '${name.toLowerCase()}@example.com', '2026-01-02 03:04:05')`,
          );
        const { rows } = await fresh.driver.query<{ id: number | string; name: string }>(
          'SELECT id, name FROM customers ORDER BY id',
        );
        expect(rows.map((x) => [Number(x.id), x.name])).toEqual([
          [1, 'Ada'],
          [2, 'Grace'],
        ]);
        const id = findTable(await fresh.dialect.introspect(fresh.driver), 'customers')?.columns[0];
        expect(id).toMatchObject({ name: 'id', primaryKey: true, nullable: false, identity: true });
        const again = await models(customers, '--db', fresh.conn);
        expect(again.stderr).toContain('the database matches the 1 model(s)');
        expect(again.stderr).not.toContain('warning');
      } finally {
        await fresh.cleanup();
      }
    });

    it('drops columns no model declares only with --allow-destructive', async () => {
      const r = await models(file, '--db', db.conn, '--allow-destructive');
      expect(r.code, r.stderr).toBe(0);
      const { workflow } = parseWorkflow(r.stdout);
      expect(workflow.nodes.map((n) => n.id)).toEqual([
        'track_models',
        'drop_users_deprecated_field',
        'complete_models',
      ]);
    });
  });
}

describe('dataflow models input errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dataflow-models-'));
  it('needs --db, an existing database and models without errors', async () => {
    const file = join(dir, 'm.py');
    writeFileSync(file, MODELS);
    expect(await models(file)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--db <connection> is required'),
    });
    expect(await models(file, '--db', `sqlite:${join(dir, 'missing.db')}`)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('no SQLite database at'),
    });
    const bad = join(dir, 'bad.py');
    writeFileSync(bad, '@db.model\nclass User:\n    name: Money\n');
    const r = await models(bad, '--db', 'sqlite:/nonexistent.db');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${bad}:3:11: error: field "name": type Money has no column type`);
    const none = join(dir, 'none.py');
    writeFileSync(none, 'x = 1\n');
    expect(await models(none, '--db', 'sqlite:/nonexistent.db')).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('has no @db.model classes'),
    });
  });
});
