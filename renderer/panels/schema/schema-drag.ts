/**
 * Dragging a table or a column out of the schema browser: the item travels as
 * `application/x-dataflow-schema` (JSON, read by the canvas: a SchemaModificationNode on it) and
 * as text (`orders` or `email`), which a text field the user drops it on takes as typed input.
 */
export const SCHEMA_MIME = 'application/x-dataflow-schema';

/** A table, or one column of it, as the browser hands it over. */
export interface SchemaItem {
  table: string;
  column?: string;
}

export function startSchemaDrag(e: { dataTransfer: DataTransfer }, item: SchemaItem): void {
  e.dataTransfer.setData(SCHEMA_MIME, JSON.stringify(item));
  e.dataTransfer.setData('text/plain', item.column ?? item.table);
  e.dataTransfer.effectAllowed = 'copy';
}

/** The item of a drop, or null when it is not one of the browser's. */
export function droppedSchemaItem(data: DataTransfer): SchemaItem | null {
  const text = data.getData(SCHEMA_MIME);
  if (!text) return null;
  const v = JSON.parse(text) as Partial<SchemaItem>;
  if (typeof v.table !== 'string') return null;
  return typeof v.column === 'string' ? { table: v.table, column: v.column } : { table: v.table };
}

/** The params of the SchemaModificationNode a dropped item makes: on that table, or on that column. */
export function schemaNodeParams(defaults: Record<string, unknown>, item: SchemaItem): Record<string, unknown> {
  return item.column === undefined
    ? { ...defaults, table: item.table }
    : { ...defaults, table: item.table, operation: 'alter_column_type', column_name: item.column };
}
