/**
 * The names a node's schema fields hold that are not in the schema the node sees (a table or
 * column that does not exist), with the inspector's words (SchemaFields.tsx `unknownName`), for the
 * node cards. Worked out once per node and change of the plan, the live schema, the nodes or the
 * target, and given to each card as one string, so a card re-renders only when its own problems
 * change.
 */
import { nodeDescription } from '../../shared/nodes/index.ts';
import type { WorkflowNode } from '../../shared/workflow.ts';
import { unknownName } from '../inspector/SchemaFields.tsx';
import { isVisible } from '../inspector/fields.ts';
import { unknownJsonNames } from '../inspector/json-names.ts';
import { NO_SCHEMA, seenSchema } from '../inspector/schema-view.ts';
import type { AppState } from '../store/types.ts';

type Sources = Pick<AppState, 'preview' | 'schema' | 'doc' | 'connectionId' | 'connections'>;

/** `Table: No table "userz" on Demo database. Did you mean users?` */
function described(label: string, unknown: { message: string; suggestions: string[] }): string {
  const s = unknown.suggestions;
  const mean =
    s.length === 0 ? '' : ` Did you mean ${s.length > 1 ? `${s.slice(0, -1).join(', ')} or ` : ''}${s.at(-1)}?`;
  return `${label}: ${unknown.message}${mean}`;
}

function problemsOf(s: Sources, node: WorkflowNode | undefined): string {
  const desc = node && nodeDescription(node.type);
  if (!node || !desc) return '';
  const fields = desc.fields.filter((h) => (h.schema || h.widget === 'json') && isVisible(desc, node.params, h));
  if (fields.length === 0) return '';
  const view = { ...NO_SCHEMA, ...seenSchema(s, node.id) };
  return fields
    .flatMap((h) => {
      if (!h.schema) return unknownJsonNames(node.type, h.name, node.params, view).map((u) => described(h.label, u));
      const unknown = unknownName(h.schema, node.params, node.params[h.name], view);
      return unknown ? [described(h.label, unknown)] : [];
    })
    .join('\n');
}

/**
 * The problems found per node object, for one plan, live schema and target: an edit of one node
 * makes a new object of that node only, so the other nodes keep theirs.
 */
let last: {
  sources: unknown[];
  nodes: readonly WorkflowNode[];
  byId: Map<string, WorkflowNode>;
  byNode: WeakMap<WorkflowNode, string>;
} | null = null;

/** The unknown names of node `id`, one problem a line; '' when every name is there (or nothing is known). */
export function nameProblems(s: AppState, id: string): string {
  const sources = [s.preview, s.schema, s.connectionId, s.connections];
  if (!last || last.sources.some((x, i) => x !== sources[i]))
    last = { sources, nodes: [], byId: new Map(), byNode: new WeakMap() };
  if (last.nodes !== s.doc.nodes) {
    last.nodes = s.doc.nodes;
    last.byId = new Map(s.doc.nodes.map((n) => [n.id, n]));
  }
  const node = last.byId.get(id);
  if (!node) return '';
  let text = last.byNode.get(node);
  if (text === undefined) last.byNode.set(node, (text = problemsOf(s, node)));
  return text;
}
