/**
 * What the start screen says about its choices: one line per example of the guide (its section and
 * what its nodes do, as their cards summarise them), and the workflow "New from the live schema"
 * starts for a table.
 */
import { WORKFLOW_FORMAT, WORKFLOW_VERSION, type Workflow } from '../../shared/workflow.ts';
import { nodeDescription } from '../../shared/nodes/index.ts';
import { INTERNAL_TABLES, type Schema } from '../../shared/schema.ts';

/**
 * "orders.total_amount decimal(10,2) → … (3 nodes)" from an example's workflow, with the guide's
 * section before it when the example's name does not say it already.
 */
export function exampleLine(wf: Pick<Workflow, 'name' | 'description' | 'nodes'>): string {
  const parts = /under "([^"]+)"/.exec(wf.description)?.[1]?.split(' > ') ?? [];
  const section = parts.filter((p) => p.toLowerCase() !== wf.name.toLowerCase()).pop();
  const steps = wf.nodes.map((n) => nodeDescription(n.type)?.subtitle(n.params) ?? n.type).filter(Boolean);
  const shown = steps.slice(0, 3).join(' → ') + (steps.length > 3 ? ` → … (${steps.length} nodes)` : '');
  return [section, shown].filter(Boolean).join(' · ');
}

/** The user's tables of the schema (not the product's own bookkeeping), by name. */
export function userTables(schema: Schema | null): string[] {
  return (schema?.tables ?? [])
    .map((t) => t.name)
    .filter((name) => !INTERNAL_TABLES.includes(name))
    .sort((a, b) => a.localeCompare(b));
}

/**
 * A workflow started from a table of the live schema: a ValidationNode that checks the table is
 * there, then a SchemaModificationNode on it (add_column, its column left for the user to name).
 * Nothing else is guessed: the operation can be changed in the inspector, whose fields offer the
 * table's columns.
 */
export function workflowForTable(table: string, connection: string): Workflow {
  const stem = table.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 80);
  return {
    format: WORKFLOW_FORMAT,
    version: WORKFLOW_VERSION,
    name: `change ${table}`,
    description: `A change to ${table}, started from the live schema of ${connection}.`,
    nodes: [
      {
        id: `check_${stem}`,
        type: 'ValidationNode',
        params: { table, check_table_exists: true },
        position: { x: 0, y: 0 },
      },
      {
        id: `change_${stem}`,
        type: 'SchemaModificationNode',
        params: { table, operation: 'add_column' },
        position: { x: 320, y: 0 },
      },
    ],
    connections: [{ source: `check_${stem}`, sourceOutput: 'result', target: `change_${stem}`, targetInput: 'input' }],
  };
}
