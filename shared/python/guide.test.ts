/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';
import guide from '../../assets/guide/schema-management.md?raw';
import { pythonBlocks } from './guide-blocks.ts';
import { importPython, type ImportResult } from './parse.ts';
import { validateWorkflow } from '../workflow.ts';

const blocks = pythonBlocks(guide);

function block(heading: string): { code: string; line: number } {
  const found = blocks.filter((b) => b.heading === heading);
  expect(found, heading).toHaveLength(1);
  return found[0]!;
}

const ids = (r: ImportResult) => r.workflow.nodes.map((n) => `${n.id}:${n.type}`);
const edges = (r: ImportResult) =>
  r.workflow.connections.map((c) => `${c.source}.${c.sourceOutput}->${c.target}.${c.targetInput}`);
const unconnected = (r: ImportResult) =>
  r.problems
    .filter((p) => p.message.includes('has no connections: it runs in the order it was added'))
    .map((p) => p.node);

describe('the guide copy', () => {
  it('holds every Python block of the guide, with its heading', () => {
    expect(blocks.map((b) => b.heading)).toEqual([
      'Basic Usage',
      'Add Column',
      'Drop Column',
      'Advanced Schema Modifications',
      'Basic Migration Tracking',
      'Migration Workflow Pattern',
      'Backward Compatible Changes',
      'Complex Schema Changes',
      'Integration with DataFlow Models',
      '1. Always Use Migrations',
      '2. Test Migrations',
      '3. Version Your Schema',
      '4. Handle Rollbacks',
      'Zero-Downtime Migrations',
      'Monitor Migration Impact',
    ]);
    expect(blocks[0]?.line).toBe(16);
    expect(blocks[0]?.code.startsWith('from kailash.workflow.builder import WorkflowBuilder\n')).toBe(true);
  });
});

describe('importing each guide block', () => {
  it('Basic Usage', () => {
    const r = importPython(block('Basic Usage').code);
    expect(r.problems).toEqual([]);
    expect(ids(r)).toEqual(['add_column:SchemaModificationNode']);
    expect(r.workflow.nodes[0]?.params).toEqual({
      table: 'orders',
      operation: 'add_column',
      column_name: 'notes',
      column_type: 'text',
      nullable: true,
    });
  });

  it('Add Column and Drop Column', () => {
    const add = importPython(block('Add Column').code);
    expect(add.problems).toEqual([]);
    expect(add.workflow.nodes[0]).toMatchObject({
      id: 'add_field',
      params: { table: 'users', column_name: 'phone_number', column_type: 'varchar(20)', nullable: true },
    });
    const drop = importPython(block('Drop Column').code);
    expect(drop.problems).toEqual([]);
    expect(drop.workflow.nodes[0]).toMatchObject({
      id: 'remove_field',
      params: { table: 'users', operation: 'drop_column', column_name: 'deprecated_field' },
    });
  });

  it('Advanced Schema Modifications', () => {
    const r = importPython(block('Advanced Schema Modifications').code);
    expect(ids(r)).toEqual(['add_status:SchemaModificationNode', 'add_email:SchemaModificationNode']);
    expect(r.workflow.nodes[0]?.params).toMatchObject({
      nullable: false,
      default_value: 'pending',
      column_type: 'varchar(50)',
    });
    expect(r.workflow.nodes[1]?.params).toMatchObject({ table: 'contacts', nullable: false, unique: true });
    expect(r.problems.every((p) => p.severity === 'warning')).toBe(true);
    expect(unconnected(r)).toEqual(['add_status', 'add_email']);
  });

  it('Basic Migration Tracking', () => {
    const r = importPython(block('Basic Migration Tracking').code);
    expect(r.problems).toEqual([]);
    expect(ids(r)).toEqual([
      'track_migration:MigrationNode',
      'apply_change:SchemaModificationNode',
      'complete_migration:MigrationNode',
    ]);
    expect(edges(r)).toEqual([
      'track_migration.result->apply_change.input',
      'apply_change.result->complete_migration.input',
    ]);
    expect(r.workflow.nodes.map((n) => n.position.x)).toEqual([0, 300, 600]);
  });

  it('Migration Workflow Pattern: reports the source -> target connection at its line', () => {
    const { code } = block('Migration Workflow Pattern');
    const strict = importPython(code);
    expect(ids(strict)).toEqual([
      'check_migration:MigrationNode',
      'migration_decision:SwitchNode',
      'apply_migration:SchemaModificationNode',
      'update_status:MigrationNode',
      'skip_migration:PythonCodeNode',
    ]);
    expect(strict.workflow.nodes[1]?.params).toEqual({
      input: ':migration_status',
      cases: { pending: 'apply_migration', completed: 'skip_migration' },
    });
    expect(strict.workflow.nodes[4]?.params).toEqual({ code: "result = {'message': 'Migration already applied'}" });
    const sourceLine = code.split('\n').findIndex((l) => l.includes('add_connection("source"')) + 1;
    const inputLine = code.split('\n').findIndex((l) => l.includes('":migration_status"')) + 1;
    const bad = strict.problems.filter((p) => p.severity === 'error');
    expect(bad).toEqual([
      expect.objectContaining({ line: inputLine, kind: 'workflow', node: 'migration_decision' }),
      expect.objectContaining({ line: sourceLine, column: 1, kind: 'connection', node: 'source' }),
    ]);
    expect(bad[0]?.message).toMatch(
      /field "input": Input reads ":migration_status" from its input, but no connection feeds/,
    );
    expect(bad[1]?.message).toMatch(
      /^workflow.add_connection\("source", "result", "target", "input"\) names nodes "source" and "target", which this workflow does not have/,
    );
    expect(edges(strict)).toEqual([
      'migration_decision.result->apply_migration.input',
      'migration_decision.result->skip_migration.input',
      'apply_migration.result->update_status.input',
    ]);

    // Lenient: the connection naming missing nodes and the unfed switch (with its routes) are left
    // out with warnings, so that the file written validates.
    const lenient = importPython(code, { lenient: true });
    expect(lenient.problems.every((p) => p.severity === 'warning')).toBe(true);
    expect(lenient.problems.find((p) => p.kind === 'connection')?.message).toMatch(/the connection is left out$/);
    expect(lenient.problems.find((p) => p.kind === 'node')?.message).toMatch(
      /^node "migration_decision" is left out, so that the workflow validates; fix the problem reported for it/,
    );
    expect(edges(lenient)).toEqual(['apply_migration.result->update_status.input']);
    expect(validateWorkflow(lenient.workflow).filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('Backward Compatible Changes', () => {
    const r = importPython(block('Backward Compatible Changes').code);
    expect(ids(r)).toEqual(['add_optional_field:SchemaModificationNode', 'add_with_default:SchemaModificationNode']);
    expect(r.workflow.nodes[1]?.params).toMatchObject({ column_type: 'boolean', nullable: false, default_value: true });
    expect(r.problems.filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('Complex Schema Changes', () => {
    const r = importPython(block('Complex Schema Changes').code);
    expect(r.problems).toEqual([]);
    expect(ids(r)).toEqual([
      'add_new_column:SchemaModificationNode',
      'copy_data:DataMigrationNode',
      'drop_old_column:SchemaModificationNode',
    ]);
    expect(r.workflow.nodes[1]?.params).toEqual({
      source_table: 'users',
      target_table: 'users',
      field_mapping: { email: 'email_address' },
    });
    expect(edges(r)).toEqual(['add_new_column.result->copy_data.input', 'copy_data.result->drop_old_column.input']);
  });

  it('Integration with DataFlow Models: the later User replaces the earlier', () => {
    const r = importPython(block('Integration with DataFlow Models').code);
    expect(r.problems).toEqual([]);
    expect(r.workflow.nodes).toEqual([]);
    expect(r.models).toHaveLength(1);
    expect(r.models[0]).toMatchObject({ name: 'User', table: 'users' });
    expect(r.models[0]?.columns.map((c) => `${c.name} ${c.type}${c.nullable ? ' null' : ''}`)).toEqual([
      'id integer',
      'name text',
      'email text',
      'phone_number text null',
      'created_at timestamp',
      'updated_at timestamp',
    ]);
  });

  it('1. Always Use Migrations: the {...} placeholder is reported at its line', () => {
    const { code } = block('1. Always Use Migrations');
    const r = importPython(code);
    expect(ids(r)).toEqual(['track:MigrationNode', 'modify:SchemaModificationNode', 'complete:MigrationNode']);
    const line = code.split('\n').findIndex((l) => l.includes('{...}')) + 1;
    expect(r.problems.filter((p) => p.severity === 'error')).toEqual([
      expect.objectContaining({
        line,
        column: code.split('\n')[line - 1]!.indexOf('{...}') + 1,
        kind: 'params',
        node: 'modify',
      }),
    ]);
    expect(r.problems.find((p) => p.severity === 'error')?.message).toMatch(
      /the params are a placeholder \{\.\.\.\}; write the SchemaModificationNode params out as a dict \(its fields: table, operation, /,
    );
    // Lenient: the node is left out with a warning, so that the file written validates.
    const lenient = importPython(code, { lenient: true });
    expect(ids(lenient)).toEqual(['track:MigrationNode', 'complete:MigrationNode']);
    expect(lenient.problems).toContainEqual(
      expect.objectContaining({
        severity: 'warning',
        node: 'modify',
        message: expect.stringMatching(
          /^node "modify" is left out, so that the workflow validates; fix the problem reported for it/,
        ),
      }),
    );
    expect(validateWorkflow(lenient.workflow).filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('2. Test Migrations: nodes with no connections are warned about', () => {
    const r = importPython(block('2. Test Migrations').code);
    expect(ids(r)).toEqual([
      'test_migration:TransactionScopeNode',
      'test_change:SchemaModificationNode',
      'verify:ValidationNode',
    ]);
    expect(r.workflow.nodes[2]?.params).toEqual({
      check_column_exists: true,
      table: 'test_users',
      column: 'test_field',
    });
    expect(r.workflow.connections).toEqual([]);
    expect(r.problems.every((p) => p.severity === 'warning')).toBe(true);
    expect(unconnected(r)).toEqual(['test_migration', 'test_change', 'verify']);
  });

  it('3. Version Your Schema', () => {
    const r = importPython(block('3. Version Your Schema').code);
    expect(r.problems).toEqual([]);
    expect(r.workflow.nodes[0]?.params).toEqual({
      migration_name: 'schema_v2.1.0',
      status: 'pending',
      metadata: { version: '2.1.0', description: 'Add user preferences table', breaking_change: false },
    });
  });

  it('4. Handle Rollbacks: switch routes without connections, an unconnected check, an unfed ":needs_rollback"', () => {
    const { code } = block('4. Handle Rollbacks');
    const r = importPython(code);
    expect(ids(r)).toEqual([
      'check_rollback:MigrationNode',
      'rollback_decision:SwitchNode',
      'rollback_migration:SchemaModificationNode',
      'proceed_migration:SchemaModificationNode',
    ]);
    expect(r.workflow.connections).toEqual([]);
    expect(unconnected(r)).toEqual(['check_rollback']);
    const inputLine = code.split('\n').findIndex((l) => l.includes('":needs_rollback"')) + 1;
    // The one error: nothing feeds the switch the needs_rollback it reads (the example adds the connection).
    expect(r.problems.filter((p) => p.severity === 'error')).toEqual([
      expect.objectContaining({
        line: inputLine,
        node: 'rollback_decision',
        message: expect.stringContaining('reads ":needs_rollback" from its input, but no connection feeds this node'),
      }),
    ]);
    expect(r.workflow.nodes.map((n) => n.position.x)).toEqual([0, 0, 300, 300]);
  });

  it('Zero-Downtime Migrations', () => {
    const r = importPython(block('Zero-Downtime Migrations').code);
    expect(ids(r)).toEqual([
      'phase1_add:SchemaModificationNode',
      'phase2_backfill:DataBackfillNode',
      'phase3_constraint:SchemaModificationNode',
    ]);
    expect(r.workflow.nodes[0]?.params).toMatchObject({ column_type: 'decimal(10,2)' });
    expect(r.workflow.nodes[1]?.params).toEqual({
      table: 'orders',
      update_field: 'total_amount',
      calculation: 'subtotal + tax + shipping',
      batch_size: 1000,
    });
    expect(r.workflow.nodes[2]?.params).toMatchObject({
      operation: 'add_constraint',
      constraint_type: 'not_null',
      column_name: 'total_amount',
    });
    expect(r.problems.filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('Monitor Migration Impact: the {...} placeholder is reported', () => {
    const { code } = block('Monitor Migration Impact');
    const r = importPython(code);
    expect(ids(r)).toEqual([
      'pre_migration_metrics:MonitoringNode',
      'perform_migration:SchemaModificationNode',
      'post_migration_metrics:MonitoringNode',
    ]);
    expect(r.workflow.nodes[2]?.params).toEqual({
      capture_metrics: ['query_performance', 'table_size', 'index_usage'],
      compare_with: 'pre_migration_metrics',
      alert_on_degradation: true,
    });
    const line = code.split('\n').findIndex((l) => l.includes('{...}')) + 1;
    expect(r.problems.filter((p) => p.severity === 'error').map((p) => [p.line, p.kind, p.node])).toEqual([
      [line, 'params', 'perform_migration'],
    ]);
  });
});
