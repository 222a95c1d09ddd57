/**
 * Find on the canvas (Mod+F): which nodes a query matches, by id, type, table, column, other
 * params and SQL text (the params' SQL, and the planned SQL of the SQL preview's last plan when
 * there is one). Case-insensitive substring; one hit per node, in canvas order (left to right,
 * as the automatic layout runs a workflow, then top to bottom), naming what matched first.
 */
import type { WorkflowNode } from '../../shared/workflow.ts';
import { nodeDescription } from '../../shared/nodes/index.ts';

export type HitField = 'id' | 'type' | 'table' | 'column' | 'sql' | 'param';

export interface FindHit {
  nodeId: string;
  field: HitField;
  /** The param key that matched (`table_name`), for params; the statement's comment for planned SQL. */
  where: string | null;
  /** The text that matched, cut around the match for display. */
  text: string;
}

/** A param key's kind, by the form's field for it (a table or column field, a code field), else by its name. */
function fieldOf(type: string, key: string): HitField {
  const field = nodeDescription(type)?.fields.find((f) => f.name === key);
  if (field?.schema?.kind === 'table') return 'table';
  if (field?.schema?.kind === 'column') return 'column';
  if (field?.widget === 'code') return 'sql';
  const k = key.toLowerCase();
  if (k.includes('table')) return 'table';
  if (k.includes('column')) return 'column';
  if (k.includes('sql') || k.includes('query')) return 'sql';
  return 'param';
}

/** Every string in a params value with the key path leading to it (`columns.0.name`). */
function strings(value: unknown, path: string, out: [string, string][]): void {
  if (typeof value === 'string') out.push([path, value]);
  else if (typeof value === 'number' || typeof value === 'boolean') out.push([path, String(value)]);
  else if (Array.isArray(value)) value.forEach((v, i) => strings(v, path ? `${path}.${i}` : String(i), out));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) strings(v, path ? `${path}.${k}` : k, out);
}

/** The text around the match (`text` on one line), at most about 60 characters. */
function excerpt(text: string, at: number): string {
  if (text.length <= 60) return text;
  const start = Math.max(0, Math.min(at - 20, text.length - 60));
  return `${start > 0 ? '…' : ''}${text.slice(start, start + 60)}${start + 60 < text.length ? '…' : ''}`;
}

/** The hit of one node, or null. `planned`: the node's planned statements (sql, comment), if known. */
function hitOf(node: WorkflowNode, q: string, planned: readonly { sql: string; comment: string }[]): FindHit | null {
  const label = nodeDescription(node.type)?.label ?? '';
  const candidates: [HitField, string | null, string][] = [
    ['id', null, node.id],
    ['type', null, node.type],
    ['type', null, label],
  ];
  const params: [string, string][] = [];
  strings(node.params, '', params);
  // The first key that names a kind decides (`columns.0.name` is a column's name).
  for (const [path, text] of params) {
    const keys = path.split('.').filter((k) => !/^\d+$/.test(k));
    const kind = keys.map((k) => fieldOf(node.type, k)).find((f) => f !== 'param') ?? 'param';
    candidates.push([kind, path, text]);
  }
  for (const step of planned) candidates.push(['sql', step.comment || null, step.sql]);
  for (const [field, where, raw] of candidates) {
    const text = raw.replace(/\s+/g, ' ').trim();
    const at = text.toLowerCase().indexOf(q);
    if (at >= 0) return { nodeId: node.id, field, where, text: excerpt(text, at) };
  }
  return null;
}

/** The hits of `query` among `nodes`, in canvas order; none for a blank query. */
export function findHits(
  nodes: readonly WorkflowNode[],
  query: string,
  plannedSql: (nodeId: string) => readonly { sql: string; comment: string }[] = () => [],
): FindHit[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  return [...nodes]
    .sort((a, b) => a.position.x - b.position.x || a.position.y - b.position.y)
    .map((n) => hitOf(n, q, plannedSql(n.id)))
    .filter((h): h is FindHit => h !== null);
}
