/**
 * One executor per node type, keyed by the guide's type name (shared/nodes). The table's type
 * lists every type of the catalogue: a node type without an executor fails the type check, and
 * each executor is checked against its type's params.
 */
import type { z } from 'zod';
import type { NodeParamsSchema, NodeTypeName } from '../../../shared/nodes/index.ts';
import type { Executor } from '../types.ts';
import { schemaModificationExecutor } from './schema-modification.ts';
import { migrationExecutor } from './migration.ts';
import { switchExecutor } from './switch.ts';
import { transactionScopeExecutor } from './transaction-scope.ts';
import { validationExecutor } from './validation.ts';
import { dataMigrationExecutor } from './data-migration.ts';
import { dataBackfillExecutor } from './data-backfill.ts';
import { monitoringExecutor } from './monitoring.ts';
import { pythonCodeExecutor } from './python-code.ts';
import { codeNodeExecutor } from './code-node.ts';

const executors: { readonly [T in NodeTypeName]: Executor<z.output<NodeParamsSchema<T>>> } = {
  SchemaModificationNode: schemaModificationExecutor,
  MigrationNode: migrationExecutor,
  SwitchNode: switchExecutor,
  TransactionScopeNode: transactionScopeExecutor,
  ValidationNode: validationExecutor,
  DataMigrationNode: dataMigrationExecutor,
  DataBackfillNode: dataBackfillExecutor,
  MonitoringNode: monitoringExecutor,
  PythonCodeNode: pythonCodeExecutor,
  CodeNode: codeNodeExecutor,
};

/** The executor of node type `type` (a workflow's type name, checked against the catalogue), or undefined. */
export function executorFor(type: string): Executor | undefined {
  return Object.hasOwn(executors, type) ? (executors[type as NodeTypeName] as Executor) : undefined;
}
