/**
 * The document's validation problems, validated once per edit (a drag is no edit): the errors (the
 * ones a run would refuse) disable Rehearse and Apply, which say why; the workflow inspector lists
 * the problems of connections, Switch cases and ids.
 */
import { formatProblem, nothingToRun, validateWorkflow, type WorkflowProblem } from '../../shared/workflow.ts';
import { docToWorkflow, movedOnly, type Doc } from './doc.ts';
import { plural } from '../panels/format.ts';
import { paramProblems } from '../nodes/problems.ts';

let cached: { doc: Doc; problems: WorkflowProblem[]; errors: WorkflowProblem[] } | null = null;

/**
 * Every problem validateWorkflow finds in the document, validated again only when more than its
 * nodes' positions changed (a drag of 5,000 nodes moves one per frame, and a validation of them
 * takes 20-40 ms).
 */
export function workflowProblems(doc: Doc): WorkflowProblem[] {
  return validated(doc).problems;
}

/** The document's errors: the problems a run would refuse. */
export function workflowErrors(doc: Doc): WorkflowProblem[] {
  return validated(doc).errors;
}

function validated(doc: Doc): { problems: WorkflowProblem[]; errors: WorkflowProblem[] } {
  if (cached && cached.doc !== doc && movedOnly(cached.doc, doc)) cached = { ...cached, doc };
  if (cached?.doc !== doc) {
    const problems = validateWorkflow(docToWorkflow(doc), { params: (n) => paramProblems(n.id, n.type, n.params) });
    cached = { doc, problems, errors: problems.filter((p) => p.severity === 'error') };
  }
  return cached;
}

/** Why a run cannot start yet, as a notice: the first problem (its node a link) and how many there are; null when it can. */
export function blockedNotice(
  doc: Doc,
  mode: string,
): { level: 'error'; text: string; problem: WorkflowProblem; untilRunnable: true } | null {
  const errors = workflowErrors(doc);
  if (errors.length === 0) {
    // No error, but nothing to run (no node, or every node disabled: shared/workflow.ts nothingToRun).
    const idle = nothingToRun(doc);
    if (!idle) return null;
    return {
      level: 'error',
      text: `Cannot ${mode}:`,
      problem: { message: idle, severity: 'error' },
      untilRunnable: true,
    };
  }
  const more = errors.length > 1 ? ` (1 of ${plural(errors.length, 'problem')})` : '';
  return {
    level: 'error',
    text: `Cannot ${mode}. Fix the workflow first${more}:`,
    problem: errors[0]!,
    untilRunnable: true,
  };
}

/** Why a run cannot start yet, in one line (the first problem and how many there are), or null. */
export function blockedReason(doc: Doc): string | null {
  const errors = workflowErrors(doc);
  if (errors.length === 0) {
    const idle = nothingToRun(doc);
    return idle && idle[0]!.toUpperCase() + idle.slice(1);
  }
  const more = errors.length > 1 ? ` (and ${plural(errors.length - 1, 'more problem')})` : '';
  return `Fix the workflow first: ${formatProblem(errors[0]!)}${more}`;
}
