/**
 * `dataflow models`: compares `@db.model` definitions with a live schema and builds the workflow
 * that brings the database in line: a MigrationNode `pending`, the changes, a MigrationNode
 * `completed`, connected in sequence. Missing tables are created (id an identity primary key, the
 * model's columns, created_at/updated_at) and missing columns added; drops and type changes only with
 * `allowDestructive`, warnings otherwise. Nullability and default differences are warnings.
 * Tables no model maps to are left alone. A database that matches gives a workflow with no nodes.
 */
import { parseColumnType, typeFamily, type ColumnType } from '../column-type.ts';
import { stringifyJson } from '../json-text.ts';
import type { ColumnSpec, SchemaModificationParams } from '../nodes/schema-modification.ts';
import { findColumn, findTable, isInternalTable, type DialectName, type Schema } from '../schema.ts';
import { WORKFLOW_FORMAT, WORKFLOW_VERSION, type Connection, type Workflow, type WorkflowNode } from '../workflow.ts';
import { layoutWorkflow } from './layout.ts';
import type { ModelColumn, ModelDefinition } from './model-class.ts';

export interface CompareOptions {
  /** Also drop columns no model declares and alter column types that differ. Default false. */
  allowDestructive?: boolean;
}

export interface CompareResult {
  /** Empty (no nodes) when the schema matches the models. */
  workflow: Workflow;
  /** One sentence each: what was not changed and why, or what deserves attention. */
  warnings: string[];
  /** One line per change node, for a summary. */
  changes: string[];
}

export function compareModels(
  models: readonly ModelDefinition[],
  schema: Schema,
  options: CompareOptions = {},
): CompareResult {
  const warnings: string[] = [];
  const steps: { id: string; params: SchemaModificationParams; summary: string }[] = [];
  const destructive = options.allowDestructive ?? false;
  const byTable = new Map<string, ModelDefinition>();
  for (const m of models) {
    const earlier = byTable.get(m.table);
    if (earlier && earlier.name !== m.name)
      warnings.push(
        `models ${earlier.name} and ${m.name} both map to table "${m.table}"; ${m.name} (the later) is used`,
      );
    byTable.set(m.table, m);
  }
  for (const model of byTable.values()) {
    if (isInternalTable(model.table)) {
      warnings.push(
        `model ${model.name}: table "${model.table}" is kept by DataFlow Studio itself; rename the model or set __tablename__`,
      );
      continue;
    }
    const table = findTable(schema, model.table);
    if (!table) {
      steps.push({
        id: `create_${model.table}`,
        params: { table: model.table, operation: 'create_table', columns: model.columns.map(columnSpec) },
        summary: `create table ${model.table}`,
      });
      continue;
    }
    for (const col of model.columns) {
      const live = findColumn(table, col.name);
      const where = `${model.table}.${col.name}`;
      if (!live) {
        if (col.primaryKey) {
          warnings.push(
            `${where}: the table has no "${col.name}" column and a primary key cannot be added in place; recreate the table to match model ${model.name}`,
          );
          continue;
        }
        const nullable = col.implicit ? true : col.nullable;
        const params: SchemaModificationParams = {
          table: model.table,
          operation: 'add_column',
          column_name: col.name,
          column_type: col.type,
          nullable,
        };
        if (col.default !== undefined && !col.implicit) params.default_value = col.default;
        if (!nullable && params.default_value === undefined && table.rowEstimate > 0) {
          warnings.push(
            `${where}: NOT NULL without a default fails on a table with rows (about ${table.rowEstimate}); give field "${col.name}" a default or make it Optional`,
          );
        }
        steps.push({
          id: `add_${model.table}_${col.name}`,
          params,
          summary: `add column ${where} ${col.type}${nullable ? '' : ' NOT NULL'}`,
        });
        continue;
      }
      if (!compatible(col.type, live.type, schema.dialect)) {
        if (destructive) {
          steps.push({
            id: `alter_${model.table}_${col.name}`,
            params: {
              table: model.table,
              operation: 'alter_column_type',
              column_name: col.name,
              column_type: col.type,
            },
            summary: `alter column ${where} from ${live.type} to ${col.type}`,
          });
        } else {
          warnings.push(
            `${where} is ${live.type} in the database but ${col.type} in model ${model.name}; not changed (a type change can lose data): rerun with --allow-destructive to alter it`,
          );
        }
      }
      if (col.identity && !live.identity) {
        warnings.push(
          `${where} is not numbered by the database (model ${model.name} expects an identity column), so an INSERT must give "${col.name}"; not changed: an existing column cannot be made an identity column here`,
        );
      }
      if (!col.implicit && !col.primaryKey && live.nullable !== col.nullable) {
        warnings.push(
          col.nullable
            ? `${where} is NOT NULL in the database but nullable in model ${model.name}; not changed`
            : `${where} allows NULL in the database but model ${model.name} requires a value; not changed (add a SchemaModificationNode add_constraint not_null once no row is NULL)`,
        );
      }
    }
    for (const live of table.columns) {
      if (model.columns.some((c) => c.name === live.name)) continue;
      const where = `${model.table}.${live.name}`;
      if (destructive) {
        steps.push({
          id: `drop_${model.table}_${live.name}`,
          params: { table: model.table, operation: 'drop_column', column_name: live.name },
          summary: `drop column ${where}`,
        });
      } else {
        warnings.push(
          `${where} is not in model ${model.name}; kept (dropping loses its data): rerun with --allow-destructive to drop it`,
        );
      }
    }
  }
  return { workflow: buildWorkflow(steps, models.length), warnings, changes: steps.map((s) => s.summary) };
}

function columnSpec(c: ModelColumn): ColumnSpec {
  const spec: ColumnSpec = {
    name: c.name,
    type: c.type,
    nullable: c.nullable,
    unique: false,
    primary_key: c.primaryKey,
  };
  if (c.default !== undefined) spec.default_value = c.default;
  if (c.identity) spec.identity = true;
  return spec;
}

/** Type families that compare equal; on SQLite, also types stored alike (bool as integer, timestamps and JSON as text). */
function compatible(modelType: string, liveType: string, dialect: DialectName): boolean {
  const a = parseColumnType(modelType);
  const b = parseColumnType(liveType);
  if (!a.ok || !b.ok) return modelType.trim().toLowerCase() === liveType.trim().toLowerCase();
  if (group(a.type) === group(b.type)) return true;
  return dialect === 'sqlite' && sqliteStorage(a.type) === sqliteStorage(b.type);
}

function group(t: ColumnType): string {
  if (t.arrayDims > 0) return `array of ${t.base}`;
  if (t.base === 'timestamp' || t.base === 'timestamptz') return 'timestamp';
  const family = typeFamily(t);
  return family === 'temporal' ? t.base : family;
}

function sqliteStorage(t: ColumnType): string {
  const family = typeFamily(t);
  if (family === 'integer' || family === 'boolean') return 'integer';
  if (t.base === 'real' || t.base === 'double precision') return 'real';
  if (family === 'decimal') return 'numeric';
  if (family === 'binary') return 'blob';
  return 'text';
}

const nodeId = (raw: string, used: Set<string>): string => {
  const base = raw.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 90);
  let id = base;
  for (let i = 2; used.has(id); i++) id = `${base}_${i}`;
  used.add(id);
  return id;
};

function buildWorkflow(
  steps: { id: string; params: SchemaModificationParams; summary: string }[],
  modelCount: number,
): Workflow {
  const empty: Workflow = {
    format: WORKFLOW_FORMAT,
    version: WORKFLOW_VERSION,
    name: 'sync_models',
    description: `The database already matches the ${modelCount} @db.model class${modelCount === 1 ? '' : 'es'}`,
    nodes: [],
    connections: [],
  };
  if (steps.length === 0) return empty;
  const migration = `models_${fnv1a(stringifyJson(steps.map((s) => s.params)))}`;
  const used = new Set<string>(['track_models', 'complete_models']);
  const nodes: WorkflowNode[] = [
    {
      id: 'track_models',
      type: 'MigrationNode',
      params: { migration_name: migration, status: 'pending' },
      position: { x: 0, y: 0 },
    },
    ...steps.map((s) => ({
      id: nodeId(s.id, used),
      type: 'SchemaModificationNode',
      params: s.params as Record<string, unknown>,
      position: { x: 0, y: 0 },
    })),
    {
      id: 'complete_models',
      type: 'MigrationNode',
      params: { migration_name: migration, status: 'completed' },
      position: { x: 0, y: 0 },
    },
  ];
  const connections: Connection[] = nodes
    .slice(1)
    .map((n, i) => ({ source: nodes[i]!.id, sourceOutput: 'result', target: n.id, targetInput: 'input' }));
  const description = `Brings the database in line with the @db.model classes: ${steps.map((s) => s.summary).join('; ')}`;
  return layoutWorkflow({ ...empty, description, nodes, connections });
}

/** FNV-1a, 32 bits, as 8 hex digits: a stable name for a set of changes. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
