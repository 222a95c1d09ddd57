/**
 * The one way a message about a node reads, wherever it shows (the notice bar, the run panel, the
 * SQL preview's plan problems and safety review, the Apply confirmation, the inspector): the node
 * by its id, a button that selects it and shows it on the canvas; the field by its form label, the
 * param key beside it in small print; then what is wrong and the fix, and the rule's code.
 */
import { formLabel } from '../../shared/nodes/index.ts';
import { revealOnCanvas } from '../canvas/viewport.ts';
import { useApp } from '../store/index.ts';

export interface ProblemData {
  /** The node at fault, by id. */
  node?: string | null;
  /** The param at fault (`column_name`, `references.table`). */
  field?: string;
  /** The field's form label (`Column`); looked up from the node's type when absent. */
  label?: string;
  /** What is wrong and the fix. */
  message: string;
  /** The rule or error code (`DF104`, a SQLSTATE). */
  code?: string;
}

/** Selects node `id` and shows it in the middle of the canvas. */
export function revealNode(id: string): void {
  useApp.getState().select({ nodes: [id], edges: [] });
  revealOnCanvas(id);
}

/** `message` without a leading `param "<field>": ` or `field "<field>": ` (the field is shown apart). */
function ownMessage(message: string, field: string | undefined): string {
  if (!field) return message;
  for (const lead of [`param "${field}": `, `field "${field}": `])
    if (message.startsWith(lead)) return message.slice(lead.length);
  return message;
}

export function Problem({
  node,
  field,
  label,
  message,
  code,
  type,
  testId,
}: ProblemData & {
  /** The node type whose form labels the field, when no node names it (the inspector's own node). */
  type?: string;
  testId?: string;
}) {
  const nodeType = useApp((s) => (node ? s.doc.nodes.find((n) => n.id === node)?.type : undefined));
  const formType = type ?? nodeType;
  const shownLabel = label ?? (formType ? formLabel(formType, field) : undefined);
  const text = ownMessage(message, field);
  return (
    <span className="problem" data-testid={testId}>
      {node && (
        <>
          <button
            type="button"
            className="problem-node"
            data-testid={`problem-node-${node}`}
            title={`Select ${node} and show it on the canvas`}
            onClick={() => revealNode(node)}
          >
            {node}
          </button>{' '}
        </>
      )}
      {field && (
        <>
          <span className="problem-field">{shownLabel ?? field}</span>
          {shownLabel && shownLabel !== field && <small className="problem-key">{field}</small>}{' '}
        </>
      )}
      {(node || field) && <span className="problem-sep">— </span>}
      {text}
      {code && <small className="problem-code"> {code}</small>}
    </span>
  );
}
