/**
 * The document's validation errors (the ones a run would refuse), validated once per edit: while
 * there are any, Rehearse and Apply are disabled and say why.
 */
import { formatProblem, validateWorkflow, type WorkflowProblem } from '../../shared/workflow.ts';
import { docToWorkflow, type Doc } from './doc.ts';
import { plural } from '../panels/format.ts';
import { paramProblems } from '../nodes/problems.ts';

let cached: { doc: Doc; errors: WorkflowProblem[] } | null = null;

export function workflowErrors(doc: Doc): WorkflowProblem[] {
  if (cached?.doc !== doc)
    cached = {
      doc,
      errors: validateWorkflow(docToWorkflow(doc), { params: (n) => paramProblems(n.id, n.type, n.params) }).filter(
        (p) => p.severity === 'error',
      ),
    };
  return cached.errors;
}

/** Why a run cannot start yet, as a notice: the first problem (its node a link) and how many there are; null when it can. */
export function blockedNotice(
  doc: Doc,
  mode: string,
): { level: 'error'; text: string; problem: WorkflowProblem } | null {
  const errors = workflowErrors(doc);
  if (errors.length === 0) return null;
  const more = errors.length > 1 ? ` (1 of ${plural(errors.length, 'problem')})` : '';
  return { level: 'error', text: `Cannot ${mode}. Fix the workflow first${more}:`, problem: errors[0]! };
}

/** Why a run cannot start yet, in one line (the first problem and how many there are), or null. */
export function blockedReason(doc: Doc): string | null {
  const errors = workflowErrors(doc);
  if (errors.length === 0) return null;
  const more = errors.length > 1 ? ` (and ${plural(errors.length - 1, 'more problem')})` : '';
  return `Fix the workflow first: ${formatProblem(errors[0]!)}${more}`;
}
