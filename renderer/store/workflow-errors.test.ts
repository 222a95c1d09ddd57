import { describe, expect, it } from 'vitest';
import { exampleText } from '../../test/examples.ts';
import { parseWorkflow, validateWorkflow } from '../../shared/workflow.ts';
import { docFromWorkflow, docToWorkflow, moveNodes, setParams } from './doc.ts';
import { workflowErrors, workflowProblems } from './workflow-errors.ts';

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

  it('gives the workflow inspector every problem validateWorkflow finds, from the same validation', () => {
    const [first, second] = doc.connections;
    const doubled = { ...doc, connections: [...doc.connections, { ...second!, source: first!.source }] };
    const problems = workflowProblems(doubled);
    expect(problems).toEqual(validateWorkflow(docToWorkflow(doubled)));
    expect(problems.map((p) => p.field)).toContain(`connections[${doc.connections.length}]`);
    const id = doubled.nodes[1]!.id;
    expect(workflowProblems(moveNodes(doubled, new Map([[id, { x: 900, y: 90 }]])))).toBe(problems);
    expect(workflowProblems(setParams(doubled, id, { ...doubled.nodes[1]!.params }))).not.toBe(problems);
  });
});
