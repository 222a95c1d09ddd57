/**
 * The guide's examples (assets/examples/): they are exactly what scripts/extract-guide-examples.ts
 * generates from the guide, and each one rehearses on a fresh demo database on SQLite and on
 * PostgreSQL with the per-node statuses below, leaving the database as it was.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EXAMPLES_DIR,
  GUIDE_COPY,
  HAND_WRITTEN,
  expectedExampleFiles,
  generateExamples,
} from '../../scripts/extract-guide-examples.ts';
import type { NodeStatus, RunResult } from '../../shared/run.ts';
import { isInternalTable } from '../../shared/schema.ts';
import { parseWorkflow } from '../../shared/workflow.ts';
import { DIALECTS, createTestDatabase, type TestDatabase } from '../../test/databases.ts';
import { createDemoDatabase } from '../db/demo.ts';
import { runWorkflow } from './run.ts';

interface Expected {
  /** Status of every node after a rehearse on a fresh demo database. */
  nodes: Record<string, NodeStatus>;
  /** Schema changes the rehearse reports (`kind table.object`), sorted. */
  changes: string[];
  /** The changes on SQLite where they differ: a json/jsonb column comes with its CHECK (json_valid(...)). */
  sqliteChanges?: string[];
  /** For an example that must fail: the failed node's error. */
  error?: RegExp;
}

const ok = (...ids: string[]) => Object.fromEntries(ids.map((id) => [id, 'succeeded' as const]));

const EXPECTED: Record<string, Expected> = {
  'basic-add-column': { nodes: ok('add_column'), changes: ['column_added orders.notes'] },
  'add-column': { nodes: ok('add_field'), changes: ['column_added users.phone_number'] },
  'drop-column': { nodes: ok('remove_field'), changes: ['column_dropped users.deprecated_field'] },
  // The guide's contacts.email NOT NULL UNIQUE without a default cannot succeed on a table with rows.
  'advanced-schema-modifications': {
    nodes: { add_status: 'succeeded', add_email: 'failed' },
    changes: ['column_added orders.processing_status'],
    error: /contacts.*(rows|default)|(rows|default).*contacts/i,
  },
  'migration-tracking': {
    nodes: ok('track_migration', 'apply_change', 'complete_migration'),
    changes: ['column_added users.phone_number'],
  },
  'migration-workflow-pattern': {
    nodes: {
      ...ok('check_migration', 'migration_decision', 'apply_migration', 'update_status'),
      skip_migration: 'skipped',
    },
    changes: ['column_added users.last_login'],
  },
  'backward-compatible-changes': {
    nodes: ok('add_optional_field', 'add_with_default'),
    changes: ['column_added products.description', 'column_added products.is_active'],
  },
  'complex-rename-column': {
    nodes: ok('add_new_column', 'copy_data', 'drop_old_column'),
    changes: ['column_added users.email_address', 'column_dropped users.email'],
  },
  'test-migrations': {
    nodes: ok('test_migration', 'test_change', 'verify'),
    changes: ['column_added test_users.test_field'],
  },
  'version-your-schema': { nodes: ok('version_schema'), changes: [] },
  'handle-rollbacks': {
    nodes: { ...ok('check_rollback', 'rollback_decision', 'proceed_migration'), rollback_migration: 'skipped' },
    changes: ['column_added users.preferences'],
    sqliteChanges: ['column_added users.preferences', 'constraint_added users.users_preferences_check'],
  },
  'zero-downtime': {
    nodes: ok('phase1_add', 'phase2_backfill', 'phase3_constraint'),
    changes: ['column_added orders.total_amount'],
  },
  'monitor-migration-impact': {
    nodes: ok('pre_migration_metrics', 'perform_migration', 'post_migration_metrics'),
    changes: ['index_added orders.orders_created_at_idx'],
  },
};

const SUFFIX = '.dataflow.json';
const files = readdirSync(EXAMPLES_DIR)
  .filter((f) => f.endsWith(SUFFIX))
  .sort();
const read = (file: string) => readFileSync(join(EXAMPLES_DIR, file), 'utf8');
const statuses = (r: RunResult) => Object.fromEntries(Object.entries(r.nodes).map(([id, n]) => [id, n.status]));
/** `kind table.object` of each change of the rehearse's diff. */
const changes = (r: RunResult) =>
  (r.diff?.changes ?? [])
    .map((c) => {
      if (!('table' in c)) return `${c.kind} ${c.view}`;
      const what =
        'column' in c
          ? c.column
          : 'index' in c
            ? c.index
            : 'constraint' in c
              ? c.constraint
              : 'trigger' in c
                ? c.trigger
                : '';
      return `${c.kind} ${c.table}${what ? `.${what}` : ''}`;
    })
    .sort();

/** The database's tables without the product's own, and the row count of each of those. */
async function state(db: TestDatabase) {
  const schema = await db.dialect.introspect(db.driver);
  const internal: Record<string, number> = {};
  for (const t of schema.tables.filter((t) => isInternalTable(t.name))) {
    const { rows } = await db.driver.query<{ n: number | string }>(
      `SELECT count(*) AS n FROM ${db.dialect.quoteIdent(t.name)}`,
    );
    internal[t.name] = Number(rows[0]!.n);
  }
  return { ...schema, tables: schema.tables.filter((t) => !isInternalTable(t.name)), internal };
}

describe('assets/examples/', () => {
  it('holds exactly what the generator makes from the guide (run it with --write after changing the guide or the fix-ups)', () => {
    const expected = expectedExampleFiles(readFileSync(GUIDE_COPY, 'utf8'), read);
    expect(files).toEqual([...expected.keys()].sort());
    for (const file of files) expect(read(file), file).toBe(expected.get(file));
  });

  it('skips the blocks that are not complete workflows, and keeps a hand-written example only for them', () => {
    const { examples, skipped } = generateExamples(readFileSync(GUIDE_COPY, 'utf8'));
    expect(skipped.map((s) => [s.block.heading, s.reason.split(':')[0]])).toEqual([
      ['Integration with DataFlow Models', 'only @db.model classes (User)'],
      ['1. Always Use Migrations', 'a {...} placeholder for the params of "modify" (guide line 262)'],
      ['Monitor Migration Impact', 'a {...} placeholder for the params of "perform_migration" (guide line 381)'],
    ]);
    expect(examples).toHaveLength(12);
    expect(Object.keys(HAND_WRITTEN)).toEqual(['monitor-migration-impact']);
    const pattern = examples.find((e) => e.file === 'migration-workflow-pattern.dataflow.json')!;
    // Line 131: the switch reads ":migration_status" with nothing feeding it (a fix-up connects it);
    // line 159: the add_connection naming nodes that do not exist (a fix-up drops it).
    expect(pattern.problems.filter((p) => p.severity === 'error').map((p) => p.line + pattern.block.line - 1)).toEqual([
      131, 159,
    ]);
    expect(pattern.workflow.connections.map((c) => `${c.source}->${c.target}`)).toEqual([
      'migration_decision->apply_migration',
      'migration_decision->skip_migration',
      'apply_migration->update_status',
      'check_migration->migration_decision',
    ]);
  });

  it("has expected statuses for every example, and every example has the guide's name and layout", () => {
    expect(
      Object.keys(EXPECTED)
        .map((n) => n + SUFFIX)
        .sort(),
    ).toEqual(files);
    for (const file of files) {
      const wf = parseWorkflow(read(file)).workflow;
      expect(new Set(wf.nodes.map((n) => `${n.position.x},${n.position.y}`)).size, `${file}: overlapping nodes`).toBe(
        wf.nodes.length,
      );
      expect(Object.keys(EXPECTED[file.slice(0, -SUFFIX.length)]!.nodes).sort(), file).toEqual(
        wf.nodes.map((n) => n.id).sort(),
      );
    }
  });
});

for (const dialect of DIALECTS) {
  describe(`the examples rehearse on the demo database (${dialect})`, () => {
    let db: TestDatabase & { cleanup(): Promise<void> };
    beforeAll(async () => {
      db = await createTestDatabase(dialect);
    });
    afterAll(async () => {
      await db?.cleanup();
    });

    for (const file of files) {
      const name = file.slice(0, -SUFFIX.length);
      it(name, async () => {
        const expected = EXPECTED[name]!;
        await createDemoDatabase(db, { rows: 300, force: true });
        const before = await state(db);
        const r = await runWorkflow(parseWorkflow(read(file)).workflow, db, { mode: 'rehearse', trustCode: true });
        expect(statuses(r), r.error ?? '').toEqual(expected.nodes);
        expect(r.status).toBe(expected.error ? 'failed' : 'succeeded');
        if (expected.error) {
          const failed = Object.values(r.nodes).find((n) => n.status === 'failed')!;
          expect(failed.error?.message).toMatch(expected.error);
        }
        expect(changes(r)).toEqual((dialect === 'sqlite' && expected.sqliteChanges) || expected.changes);
        expect(await state(db)).toEqual(before);
      });
    }

    it('advanced-schema-modifications: the preflight plan refuses it before anything runs', async () => {
      await createDemoDatabase(db, { rows: 300, force: true });
      const before = await state(db);
      const r = await runWorkflow(parseWorkflow(read('advanced-schema-modifications.dataflow.json')).workflow, db, {
        mode: 'apply',
        preflight: true,
      });
      expect(statuses(r)).toEqual({ add_status: 'not_run', add_email: 'failed' });
      expect(r.error).toMatch(/node "add_email" cannot succeed/);
      expect(await state(db)).toEqual(before);
    });
  });
}
