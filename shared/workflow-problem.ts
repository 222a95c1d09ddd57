/**
 * A problem found in a workflow and how it is printed. Apart from `workflow.ts` (which loads the
 * node catalogue and zod) so that the `dataflow` command can print problems and its help without
 * loading them.
 */

/** One problem found in a workflow. `node` and `field` say where; `message` says what and how to fix it. */
export interface WorkflowProblem {
  node?: string;
  field?: string;
  message: string;
  severity: 'error' | 'warning';
}

export function formatProblem(p: WorkflowProblem): string {
  const where = [p.node && `node "${p.node}"`, p.field && `field "${p.field}"`].filter(Boolean).join(', ');
  return where ? `${where}: ${p.message}` : p.message;
}
