import { describe, expect, it } from 'vitest';
import { exampleText } from '../../test/examples.ts';
import { parseWorkflow, validateWorkflow } from '../../shared/workflow.ts';
import { docFromWorkflow, docText, docToWorkflow, moveNodes, planText, setParams } from './doc.ts';
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

describe('planText', () => {
  it('is the text of the last document planned while only positions change, and the new text after an edit', () => {
    const text = planText(doc);
    expect(text).toBe(docText(doc));
    const id = doc.nodes[0]!.id;
    const moved = moveNodes(doc, new Map([[id, { x: 700, y: 300 }]]));
    expect(docText(moved)).not.toBe(text);
    expect(planText(moved)).toBe(text);
    const movedAgain = moveNodes(moved, new Map([[id, { x: 20, y: 20 }]]));
    expect(planText(movedAgain)).toBe(text);
    const edited = setParams(movedAgain, id, { ...movedAgain.nodes[0]!.params, table: 'orders' });
    expect(planText(edited)).toBe(docText(edited));
  });
});
