/** The params a node starts with when dragged from the palette: the choices that shape its form. */
const TEMPLATES: Record<string, Record<string, unknown>> = {
  SchemaModificationNode: { operation: 'add_column' },
  MigrationNode: { status: 'pending' },
  MonitoringNode: { capture_metrics: ['table_size', 'row_count'] },
  TransactionScopeNode: { rollback_on_error: true },
};

export function newNodeParams(type: string): Record<string, unknown> {
  return structuredClone(TEMPLATES[type] ?? {});
}
