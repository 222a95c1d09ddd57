/**
 * Dragging a table or a column out of the schema browser: the item travels as
 * `application/x-dataflow-schema` (JSON, read by the canvas: a SchemaModificationNode on it; and by
 * the inspector: the field it lands on takes its name, fieldDrop) and as text (`orders` or
 * `email`), which a code field (SQL) takes where it is dropped.
 */
import { nodeDescription, type FieldHint } from '../../../shared/nodes/index.ts';

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

/** The params of the SchemaModificationNode a dropped item makes: its defaults, on that table or on that column. */
export function schemaNodeParams(item: SchemaItem): Record<string, unknown> {
  const defaults = structuredClone(nodeDescription('SchemaModificationNode')?.defaults ?? {});
  return item.column === undefined
    ? { ...defaults, table: item.table }
    : { ...defaults, table: item.table, operation: 'alter_column_type', column_name: item.column };
}

/** Whether an inspector field takes a dropped item by name (fieldDrop); code fields take its text at the drop point instead. */
export function takesSchemaDrop(hint: FieldHint): boolean {
  if (hint.schema) return hint.schema.kind === 'table' || hint.schema.kind === 'column';
  return hint.widget === 'text' || (hint.widget === 'list' && !hint.options);
}

/**
 * The params after `item` is dropped on the field `hint`: a table field takes the table; a column
 * field the column (and its table, when the node names none yet); a list one more line; any other
 * text field the column's name, else the table's. Null when the field has no use for it (a table
 * on a column field).
 */
export function fieldDrop(
  hint: FieldHint,
  params: Record<string, unknown>,
  item: SchemaItem,
): Record<string, unknown> | null {
  if (!takesSchemaDrop(hint)) return null;
  const ref = hint.schema;
  if (ref?.kind === 'table') return { ...params, [hint.name]: item.table };
  if (ref?.kind === 'column') {
    if (item.column === undefined) return null;
    const table = params[ref.table];
    return {
      ...params,
      ...(typeof table === 'string' && table !== '' ? {} : { [ref.table]: item.table }),
      [hint.name]: item.column,
    };
  }
  const name = item.column ?? item.table;
  if (hint.widget === 'list') {
    const items = Array.isArray(params[hint.name]) ? (params[hint.name] as unknown[]) : [];
    return items.includes(name) ? null : { ...params, [hint.name]: [...items, name] };
  }
  return { ...params, [hint.name]: name };
}
