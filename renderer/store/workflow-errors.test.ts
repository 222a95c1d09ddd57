import { describe, expect, it } from 'vitest';
import { exampleText } from '../../test/examples.ts';
import { parseWorkflow } from '../../shared/workflow.ts';
import { docFromWorkflow, moveNodes, setParams } from './doc.ts';
import { workflowErrors } from './workflow-errors.ts';

const doc = docFromWorkflow(parseWorkflow(exampleText('migration-workflow-pattern')).workflow);

describe('workflowErrors', () => {
  it('keeps its result while only positions change (a drag), and validates again after an edit', () => {
    const id = doc.nodes[0]!.id;
    const broken = setParams(doc, id, { ...doc.nodes[0]!.params, table: undefined, migration_name: undefined });
    const errors = workflowErrors(broken);
    expect(errors.length).toBeGreaterThan(0);
    const moved = moveNodes(broken, new Map([[id, { x: 500, y: 40 }]]));
    expect(moved).not.toBe(broken);
    expect(workflowErrors(moved)).toBe(errors);
    expect(workflowErrors(doc)).toEqual([]);
  });
});
