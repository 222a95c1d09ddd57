/** One executor per node type, keyed by the guide's type name (shared/nodes). */
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

export const executors: Readonly<Record<string, Executor>> = {
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
