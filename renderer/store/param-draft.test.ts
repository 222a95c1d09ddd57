import { beforeEach, describe, expect, it } from 'vitest';
import { exampleText } from '../../test/examples.ts';
import { parseWorkflow } from '../../shared/workflow.ts';
import { runCommand } from '../commands/registry.ts';
import '../commands/index.ts';
import { isDirty, useApp } from './index.ts';
import { COMMIT_AFTER_MS, draftParams, flushParamDraft } from './param-draft.ts';

const params = () => useApp.getState().doc.nodes.find((n) => n.id === 'phase1_add')!.params;
const typed = (column: string) => ({ ...params(), column_name: column });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeEach(() => {
  flushParamDraft();
  useApp.getState().loadDocument(parseWorkflow(exampleText('zero-downtime')).workflow, null);
});

describe('the inspector draft of a node params', () => {
  it('keeps keystrokes out of the document until a pause, then commits them as one undo step', async () => {
    const before = useApp.getState().doc;
    let committed = 0;
    for (const text of ['t', 'to', 'tot']) draftParams('phase1_add', { ...typed(text) }, () => committed++);
    expect(useApp.getState().doc).toBe(before);
    expect(useApp.getState().draftNode).toBe('phase1_add');
    expect(isDirty(useApp.getState())).toBe(true);
    await sleep(COMMIT_AFTER_MS + 100);
    expect(params().column_name).toBe('tot');
    expect(committed).toBe(1);
    expect(useApp.getState().draftNode).toBeNull();
    expect(useApp.temporal.getState().pastStates).toHaveLength(1);
  });

  it('commits before a command runs, so undo takes back the typing', () => {
    draftParams('phase1_add', typed('total'), () => undefined);
    runCommand('edit.undo');
    expect(params().column_name).toBe('total_amount');
    expect(useApp.getState().draftNode).toBeNull();
    expect(isDirty(useApp.getState())).toBe(false);
  });

  it('commits the draft of one node before another node is drafted', () => {
    draftParams('phase1_add', typed('first'), () => undefined);
    const backfill = useApp.getState().doc.nodes.find((n) => n.id === 'phase2_backfill')!;
    draftParams('phase2_backfill', { ...backfill.params, batch_size: 500 }, () => undefined);
    expect(params().column_name).toBe('first');
    expect(useApp.getState().draftNode).toBe('phase2_backfill');
  });
});
