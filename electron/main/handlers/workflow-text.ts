/** Workflow JSON text from a payload, validated, or a failure naming the field and every problem. */
import { formatProblem, parseWorkflow, WorkflowError, type Workflow } from '../../../shared/workflow.ts';
import { IpcFailure } from '../ipc-table.ts';

/** `draft`: params left unchecked (see validateWorkflow). */
export function workflowFromText(text: string, field = 'text', draft = false): Workflow {
  try {
    return parseWorkflow(text, { draft }).workflow;
  } catch (e) {
    if (e instanceof WorkflowError)
      throw new IpcFailure(`the workflow is not valid: ${e.problems.map(formatProblem).join('; ')}`, field);
    throw e;
  }
}
