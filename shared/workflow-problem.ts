/**
 * A problem found in a workflow and how it is printed. Apart from `workflow.ts` (which loads the
 * node catalogue and zod) so that the `dataflow` command can print problems and its help without
 * loading them.
 */

/** One problem found in a workflow. `node` and `field` say where; `message` says what and how to fix it. */
export interface WorkflowProblem {
  node?: string;
  field?: string;
  /** The form label of `field` (`Column` for `column_name`), when the inspector shows it under one. */
  label?: string;
  message: string;
  /** `info`: nothing to fix (a plan's note, e.g. DF212); a workflow file's own problems are errors and warnings. */
  severity: 'error' | 'warning' | 'info';
}

/** `node "add_col", field "column_name" (Column): <message>`: where first, by id, param and form label. */
export function formatProblem(p: WorkflowProblem): string {
  // A message that starts with the label (`Column is ":x"...`) names it already.
  const label = p.label && !p.message.startsWith(p.label) ? ` (${p.label})` : '';
  const field = p.field && `field "${p.field}"${label}`;
  const where = [p.node && `node "${p.node}"`, field].filter(Boolean).join(', ');
  return where ? `${where}: ${p.message}` : p.message;
}
