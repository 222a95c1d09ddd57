/**
 * Idempotent re-apply (electron/db/reapply.ts), every SchemaModificationNode operation on both
 * real databases: applied once, the same node again is `already applied` in plan, rehearse and
 * apply, runs no statement, and the run succeeds; a node of the same name with another definition
 * fails with DF120 naming both definitions, and the database stays as it was.
 */
import { describe, expect, it } from 'vitest';
import { DIALECTS, freshDatabases, userSchema, type FreshDatabase } from '../../test/databases.ts';
import { node, workflow } from '../../test/workflows.ts';
import type { RunMode } from '../../shared/run.ts';
import { runWorkflow } from './run.ts';

const SETUP = `
  CREATE TABLE teams (id integer PRIMARY KEY, label text);
  CREATE TABLE users (
    id integer PRIMARY KEY,
    name text NOT NULL,
    email varchar(255) NOT NULL,
    age integer,
    status text DEFAULT 'new',
    team_id integer,
    legacy text,
    CONSTRAINT age_check CHECK (age >= 0)
  );
  CREATE INDEX users_name_idx ON users (name);
  CREATE TABLE tags (code varchar(10) NOT NULL, label text NOT NULL);
  CREATE TABLE old_logs (id integer, line text);
  CREATE TABLE archive (id integer, note text);
  INSERT INTO teams (id, label) VALUES (1, 'red'), (2, 'blue');
  INSERT INTO users (id, name, email, age, team_id) VALUES (1, 'ada', 'ada@x.io', 36, 1), (2, 'bob', 'bob@x.io', 41, 2);
  INSERT INTO tags (code, label) VALUES ('a', 'alpha'), ('b', 'beta');
`;

interface Case {
  name: string;
  params: Record<string, unknown>;
  /** A node of the same name with another definition, and what its failure names (both definitions). */
  conflict?: { params: Record<string, unknown>; names: RegExp[] };
}

const CASES: Case[] = [
  {
    name: 'add_column nullable',
    params: {
      table: 'users',
      operation: 'add_column',
      column_name: 'phone',
      column_type: 'varchar(20)',
      nullable: true,
    },
    conflict: {
      params: { table: 'users', operation: 'add_column', column_name: 'phone', column_type: 'integer' },
      names: [/exists already as varchar\(20\) NULL/, /adds it as integer NULL/],
    },
  },
  {
    name: 'add_column NOT NULL with a default',
    params: {
      table: 'users',
      operation: 'add_column',
      column_name: 'tier',
      column_type: 'varchar(10)',
      nullable: false,
      default_value: 'basic',
    },
    conflict: {
      params: {
        table: 'users',
        operation: 'add_column',
        column_name: 'tier',
        column_type: 'varchar(10)',
        nullable: false,
        default_value: 'gold',
      },
      names: [
        /exists already as varchar\(10\) NOT NULL DEFAULT .*basic/,
        /adds it as varchar\(10\) NOT NULL DEFAULT .*gold/,
      ],
    },
  },
  {
    name: 'add_column unique',
    params: { table: 'users', operation: 'add_column', column_name: 'code', column_type: 'varchar(8)', unique: true },
    conflict: {
      params: { table: 'users', operation: 'add_column', column_name: 'code', column_type: 'varchar(8)' },
      names: [/exists already as varchar\(8\) NULL UNIQUE/, /adds it as varchar\(8\) NULL;/],
    },
  },
  { name: 'drop_column', params: { table: 'users', operation: 'drop_column', column_name: 'legacy' } },
  {
    name: 'rename_column',
    params: { table: 'users', operation: 'rename_column', column_name: 'name', new_name: 'full_name' },
  },
  {
    name: 'alter_column_type',
    params: { table: 'users', operation: 'alter_column_type', column_name: 'age', column_type: 'bigint' },
  },
  {
    name: 'set_default',
    params: { table: 'users', operation: 'set_default', column_name: 'age', default_value: 18 },
  },
  { name: 'drop_default', params: { table: 'users', operation: 'drop_default', column_name: 'status' } },
  {
    name: 'add_constraint not_null',
    params: { table: 'users', operation: 'add_constraint', constraint_type: 'not_null', column_name: 'age' },
  },
  {
    name: 'add_constraint unique',
    params: {
      table: 'users',
      operation: 'add_constraint',
      constraint_type: 'unique',
      columns: ['email'],
      constraint_name: 'users_email_key',
    },
    conflict: {
      params: {
        table: 'users',
        operation: 'add_constraint',
        constraint_type: 'unique',
        columns: ['name', 'email'],
        constraint_name: 'users_email_key',
      },
      names: [/exists already as UNIQUE \(email\)/, /adds UNIQUE \(name, email\)/],
    },
  },
  {
    name: 'add_constraint check',
    params: {
      table: 'users',
      operation: 'add_constraint',
      constraint_type: 'check',
      expression: 'age < 150',
      constraint_name: 'age_max',
    },
    conflict: {
      params: {
        table: 'users',
        operation: 'add_constraint',
        constraint_type: 'check',
        expression: 'age < 120',
        constraint_name: 'age_max',
      },
      names: [/exists already as CHECK \(.*150.*\)/, /adds CHECK \(.*120.*\)/],
    },
  },
  {
    name: 'add_constraint foreign_key',
    params: {
      table: 'users',
      operation: 'add_constraint',
      constraint_type: 'foreign_key',
      column_name: 'team_id',
      references: { table: 'teams', column: 'id' },
      constraint_name: 'users_team_fk',
    },
    conflict: {
      params: {
        table: 'users',
        operation: 'add_constraint',
        constraint_type: 'foreign_key',
        column_name: 'team_id',
        references: { table: 'teams', column: 'id', on_delete: 'cascade' },
        constraint_name: 'users_team_fk',
      },
      names: [
        /exists already as FOREIGN KEY \(team_id\) REFERENCES teams \(id\)(?! ON DELETE cascade)/,
        /ON DELETE cascade/,
      ],
    },
  },
  {
    name: 'add_constraint primary_key',
    params: {
      table: 'tags',
      operation: 'add_constraint',
      constraint_type: 'primary_key',
      columns: ['code'],
      constraint_name: 'tags_pkey',
    },
    conflict: {
      params: {
        table: 'tags',
        operation: 'add_constraint',
        constraint_type: 'primary_key',
        columns: ['code', 'label'],
        constraint_name: 'tags_pkey',
      },
      names: [/exists already as PRIMARY KEY \(code\)/, /adds PRIMARY KEY \(code, label\)/],
    },
  },
  {
    name: 'drop_constraint',
    params: { table: 'users', operation: 'drop_constraint', constraint_name: 'age_check' },
  },
  {
    name: 'create_index',
    params: { table: 'users', operation: 'create_index', index_name: 'idx_users_email', columns: ['email'] },
    conflict: {
      params: {
        table: 'users',
        operation: 'create_index',
        index_name: 'idx_users_email',
        columns: ['email', 'name'],
        unique: true,
      },
      names: [/exists already as INDEX ON users \(email\)/, /creates UNIQUE INDEX ON users \(email, name\)/],
    },
  },
  { name: 'drop_index', params: { table: 'users', operation: 'drop_index', index_name: 'users_name_idx' } },
  {
    name: 'create_table',
    params: {
      table: 'audit',
      operation: 'create_table',
      columns: [
        { name: 'id', type: 'bigint', primary_key: true, identity: true },
        { name: 'note', type: 'text', nullable: false, default_value: '' },
      ],
    },
    conflict: {
      params: {
        table: 'audit',
        operation: 'create_table',
        columns: [
          { name: 'id', type: 'bigint', primary_key: true, identity: true },
          { name: 'note', type: 'varchar(200)' },
        ],
      },
      names: [
        /exists already as \(id (bigint|integer) .*note text NOT NULL DEFAULT/,
        /creates it as \(id (bigint|integer) .*note varchar\(200\) NULL\)/,
      ],
    },
  },
  { name: 'drop_table', params: { table: 'old_logs', operation: 'drop_table' } },
  { name: 'rename_table', params: { table: 'archive', operation: 'rename_table', new_name: 'archive_2024' } },
];

const databases = freshDatabases();
const one = (params: Record<string, unknown>) => workflow([node('change', 'SchemaModificationNode', params)]);

async function run(db: FreshDatabase, params: Record<string, unknown>, mode: RunMode) {
  const result = await runWorkflow(one(params), db, { mode });
  return { result, change: result.nodes.change! };
}

for (const dialect of DIALECTS) {
  describe(`re-applying a schema change that is there already (${dialect})`, () => {
    for (const c of CASES) {
      it(`${c.name}: already applied in plan, rehearse and apply; ${c.conflict ? 'another definition fails naming both' : 'the run succeeds'}`, async () => {
        const db = await databases(dialect, SETUP);
        const first = await run(db, c.params, 'apply');
        expect(first.result.status, first.change.error?.message).toBe('succeeded');
        expect(first.change.outcome).toBeUndefined();
        expect(first.change.sql.length).toBeGreaterThan(0);
        const applied = await userSchema(db);

        for (const mode of ['plan', 'rehearse', 'apply'] as const) {
          const again = await run(db, c.params, mode);
          expect(again.result.status, `${mode}: ${again.change.error?.message}`).toBe('succeeded');
          expect(again.change.status).toBe('succeeded');
          expect(again.change.outcome?.kind, mode).toBe('already_applied');
          expect(again.change.outcome?.note).toMatch(/already/);
          expect(again.change.sql).toEqual([]);
          expect(again.change.outputs.result).toMatchObject({ status: 'already_applied', sql: [] });
        }
        expect(await userSchema(db)).toEqual(applied);

        if (!c.conflict) return;
        for (const mode of ['plan', 'apply'] as const) {
          const clash = await run(db, c.conflict.params, mode);
          expect(clash.result.status).toBe('failed');
          expect(clash.change.status).toBe('failed');
          expect(clash.change.outcome).toBeUndefined();
          const message = clash.change.error?.message ?? '';
          expect(message).toMatch(/^\[DF120\] /);
          for (const named of c.conflict.names) expect(message).toMatch(named);
          expect(message).toMatch(/another name/);
        }
        expect(await userSchema(db)).toEqual(applied);
      });
    }
  });
}

/** Adds `score` NULL, fills it, gives it a default and makes it NOT NULL: the expand/backfill/contract pattern. */
const expandContract = (withNotNull: boolean) => {
  const nodes = [
    node('add_score', 'SchemaModificationNode', {
      table: 'users',
      operation: 'add_column',
      column_name: 'score',
      column_type: 'integer',
      nullable: true,
    }),
    node('fill_score', 'DataBackfillNode', {
      table: 'users',
      update_field: 'score',
      calculation: 'age * 2',
      batch_size: 100,
    }),
    node('default_score', 'SchemaModificationNode', {
      table: 'users',
      operation: 'set_default',
      column_name: 'score',
      default_value: 0,
    }),
    node('require_score', 'SchemaModificationNode', {
      table: 'users',
      operation: 'add_constraint',
      constraint_type: 'not_null',
      column_name: 'score',
    }),
  ];
  const kept = withNotNull ? nodes : nodes.slice(0, 3);
  return workflow(
    kept,
    kept.slice(1).map((n, i) => `${kept[i]!.id}.result->${n.id}.input`),
  );
};

for (const dialect of DIALECTS) {
  describe(`re-running a workflow whose later nodes change the column it adds (${dialect})`, () => {
    it('the add_column is already applied when the column is as those nodes leave it; without them it is DF120', async () => {
      const db = await databases(dialect, SETUP);
      const first = await runWorkflow(expandContract(true), db, { mode: 'apply' });
      expect(first.status, first.error ?? undefined).toBe('succeeded');
      const applied = await userSchema(db);

      for (const mode of ['plan', 'rehearse', 'apply'] as const) {
        const again = await runWorkflow(expandContract(true), db, { mode });
        expect(again.status, `${mode}: ${again.error}`).toBe('succeeded');
        const add = again.nodes.add_score!;
        expect(add.outcome?.kind, mode).toBe('already_applied');
        expect(add.outcome?.note).toMatch(
          /^column "score" of "users" exists already as integer NOT NULL DEFAULT 0, as this node adds it and nodes "default_score", "require_score" of this workflow then change it$/,
        );
        expect(add.sql).toEqual([]);
        for (const id of ['default_score', 'require_score'])
          expect(again.nodes[id]!.outcome?.kind, `${mode} ${id}`).toBe('already_applied');
      }
      expect(await userSchema(db)).toEqual(applied);

      // Without the node that makes it NOT NULL, the workflow would leave the column NULL: a conflict.
      const partial = await runWorkflow(expandContract(false), db, { mode: 'plan' });
      expect(partial.status).toBe('failed');
      expect(partial.nodes.add_score!.error?.message).toMatch(
        /^\[DF120\] column "score" of "users" exists already as integer NOT NULL DEFAULT 0, but this node adds it as integer NULL/,
      );
      expect(await userSchema(db)).toEqual(applied);
    });
  });
}
