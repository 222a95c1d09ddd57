/**
 * One-click fixes (docs/lint.md, "Fixes"): where a finding on a workflow node has a safe form, the
 * workflow that makes it. The editor applies a fix as one undoable edit; `dataflow lint --fix -o
 * fixed.json` applies every fix to the workflow file.
 *
 * - DF704 (an index built without CONCURRENTLY: `create_index`, or the unique index of an
 *   `add_constraint` unique or primary key) and DF705 (`drop_index` without CONCURRENTLY): set
 *   `concurrently` (the planner then builds or drops it outside a transaction, and attaches a
 *   key's index with USING INDEX).
 * - DF806 (a column renamed) and DF702 (a type change that rewrites the table): expand/contract.
 *   The node becomes an `add_column` of the new column (the old column's type for a rename, the
 *   new type for a type change), followed by a DataBackfillNode that copies the old column into it
 *   in batches and a disabled `drop_column` of the old column, to enable once the application
 *   reads and writes the new one; the three are grouped, with a note saying the steps. The old
 *   column's type comes from the live schema: without it there is no fix.
 * A CHECK or FOREIGN KEY node needs no fix: the planner always adds it NOT VALID and validates
 * it in a separate transaction.
 */
import { findColumn, findTable, type Schema } from '../schema.ts';
import type { Workflow, WorkflowNode } from '../workflow.ts';
import type { LintFinding } from './finding.ts';

export interface LintFix {
  /** The button's label. */
  label: string;
  /** The workflow after the fix. */
  workflow: Workflow;
}

const KEYS = new Set(['unique', 'primary_key']);

/** A function that answers `base`, or `base_2`, `base_3`... whichever no node, note or group of `wf` nor an earlier answer has. */
function idMaker(wf: Workflow): (base: string) => string {
  const taken = new Set([...wf.nodes, ...(wf.notes ?? []), ...(wf.groups ?? [])].map((x) => x.id));
  return (base) => {
    const stem = base.slice(0, 90);
    let id = stem;
    for (let i = 2; taken.has(id); i++) id = `${stem}_${i}`;
    taken.add(id);
    return id;
  };
}

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * The expand/contract form of `node` (a rename of, or a type change of, `column` of `table`):
 * add `added` of `type`, copy `column` into it, drop `column` later.
 */
function expandContract(
  wf: Workflow,
  node: WorkflowNode,
  table: string,
  column: string,
  added: string,
  type: string,
  why: string,
): Workflow {
  const { x, y } = node.position;
  const newId = idMaker(wf);
  const copy = newId(`${node.id}_copy`);
  const contract = newId(`${node.id}_contract`);
  const group = newId(`${node.id}_expand_contract`);
  const note = newId(`${node.id}_steps`);
  const nodes: WorkflowNode[] = wf.nodes.map((n) =>
    n.id === node.id
      ? {
          ...n,
          params: { operation: 'add_column', table, column_name: added, column_type: type, nullable: true },
        }
      : n,
  );
  nodes.push(
    {
      id: copy,
      type: 'DataBackfillNode',
      params: { table, update_field: added, calculation: quoted(column), batch_size: 1000 },
      position: { x: x + 300, y },
    },
    {
      id: contract,
      type: 'SchemaModificationNode',
      params: { operation: 'drop_column', table, column_name: column },
      position: { x: x + 600, y },
      disabled: true,
    },
  );
  const order = (source: string, target: string) => ({
    source,
    sourceOutput: 'result',
    target,
    targetInput: 'input',
  });
  return {
    ...wf,
    nodes,
    connections: [...wf.connections, order(node.id, copy), order(copy, contract)],
    // A node belongs to one group at most: the new group takes it from the one it was in.
    groups: [
      ...(wf.groups ?? [])
        .map((g) => ({ ...g, nodes: g.nodes.filter((id) => id !== node.id) }))
        .filter((g) => g.nodes.length > 0),
      { id: group, name: `expand/contract: ${why}`, nodes: [node.id, copy, contract] },
    ],
    notes: [
      ...(wf.notes ?? []),
      {
        id: note,
        text: [
          `**Expand/contract: ${why}**`,
          '',
          `1. \`${node.id}\` adds "${added}" and \`${copy}\` copies "${column}" into it in batches.`,
          `2. Deploy application code that writes both columns and reads "${added}".`,
          `3. Run \`${copy}\` again: it copies the rows written in between (where "${added}" is still NULL).`,
          `4. Once nothing reads "${column}", enable \`${contract}\` to drop it.`,
        ].join('\n'),
        position: { x, y: y + 160 },
      },
    ],
  };
}

/** The fix of finding `f` in `wf`, or null when it has none; `schema`: the live schema the finding was made on. */
export function lintFix(f: LintFinding, wf: Workflow, schema: Schema | null): LintFix | null {
  const node = wf.nodes.find((n) => n.id === f.node);
  if (!node) return null;
  const params = node.params;
  const op = params.operation;
  const withParams = (p: Record<string, unknown>): Workflow => ({
    ...wf,
    nodes: wf.nodes.map((n) => (n.id === node.id ? { ...n, params: p } : n)),
  });
  const builds = op === 'create_index' || (op === 'add_constraint' && KEYS.has(String(params.constraint_type)));
  if (params.concurrently !== true && ((f.code === 'DF704' && builds) || (f.code === 'DF705' && op === 'drop_index')))
    return { label: 'Fix: use CONCURRENTLY', workflow: withParams({ ...params, concurrently: true }) };

  const table = typeof params.table === 'string' ? params.table : '';
  const column = typeof params.column_name === 'string' ? params.column_name : '';
  const live = schema ? findTable(schema, table) : undefined;
  const old = live ? findColumn(live, column) : undefined;
  if (!old) return null;
  if (f.code === 'DF806' && op === 'rename_column' && typeof params.new_name === 'string') {
    const why = `rename "${table}"."${column}" to "${params.new_name}"`;
    return {
      label: 'Fix: expand/contract (add, copy, drop later)',
      workflow: expandContract(wf, node, table, column, params.new_name, old.type, why),
    };
  }
  if (f.code === 'DF702' && op === 'alter_column_type' && typeof params.column_type === 'string') {
    const added = live!.columns.some((c) => c.name === `${column}_new`) ? `${column}_new_2` : `${column}_new`;
    const why = `change "${table}"."${column}" to ${params.column_type}`;
    return {
      label: 'Fix: expand/contract (new column, copy, drop later)',
      workflow: expandContract(wf, node, table, column, added, params.column_type, why),
    };
  }
  return null;
}
