// @vitest-environment jsdom
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { EditorView } from 'codemirror';
import { SqlPreview, planToSql } from './SqlPreview.tsx';
import { useApp } from '../store/index.ts';
import { loadRealRuns } from '../../test/load-real-runs.ts';
import type { RealRun } from '../../test/real-runs.ts';

afterEach(cleanup);

function editorText(): string {
  const dom = screen.getByTestId('sql-preview-code').querySelector<HTMLElement>('.cm-editor');
  return EditorView.findFromDOM(dom!)!.state.doc.toString();
}

describe('SqlPreview', () => {
  let plan: RealRun;
  let failed: RealRun;
  beforeAll(async () => {
    ({ plan, failedPlan: failed } = await loadRealRuns('plan', 'failedPlan'));
  });

  it('shows the whole plan highlighted in a read-only editor, then the SQL of one node', async () => {
    render(<SqlPreview result={plan.result} loading={false} nodeTypes={plan.nodeTypes} dialect="sqlite" />);
    expect(editorText()).toBe(planToSql(plan.result, plan.nodeTypes));
    const code = screen.getByTestId('sql-preview-code');
    expect(code.querySelector('.cm-content')!.getAttribute('contenteditable')).toBe('false');
    // CodeMirror parses within a time budget and highlights the rest a moment later on a busy machine.
    await waitFor(() => {
      const keyword = Array.from(code.querySelectorAll('.cm-line'))
        .flatMap((line) => Array.from(line.children))
        .find((s) => s.textContent === 'ALTER');
      expect(keyword?.className).toMatch(/\S/);
    });
    expect(screen.getByTestId('sql-preview-summary').textContent).toMatch(
      /^\d+ statements from 3 nodes, plan on sqlite:/,
    );
    expect(screen.getByTestId('sql-preview-no-problems')).toBeTruthy();

    fireEvent.change(screen.getByTestId('sql-preview-scope'), { target: { value: 'phase1_add' } });
    const text = editorText();
    expect(text).toMatch(/^-- node phase1_add \(SchemaModificationNode\): add column/);
    expect(text).toContain('ALTER TABLE "orders" ADD COLUMN "total_amount"');
    expect(text).not.toContain('phase2_backfill');
  });

  it('copies the shown SQL and exports the whole workflow through the props', () => {
    const copied: string[] = [];
    const exported: string[] = [];
    render(
      <SqlPreview
        result={plan.result}
        loading={false}
        nodeTypes={plan.nodeTypes}
        onCopy={(s) => copied.push(s)}
        onExportSql={(s) => exported.push(s)}
      />,
    );
    fireEvent.change(screen.getByTestId('sql-preview-scope'), { target: { value: 'phase2_backfill' } });
    fireEvent.click(screen.getByTestId('sql-preview-copy'));
    expect(copied).toEqual([editorText()]);
    expect(copied[0]).toMatch(/^-- node phase2_backfill \(DataBackfillNode\)/);
    expect(screen.getByTestId('sql-preview-copy').textContent).toBe('Copied');
    fireEvent.click(screen.getByTestId('sql-preview-export'));
    expect(exported).toEqual([planToSql(plan.result, plan.nodeTypes)]);
  });

  it('lists plan-time problems and selects the failed node from its line', () => {
    render(<SqlPreview result={failed.result} loading={false} />);
    const problems = within(screen.getByTestId('sql-preview-problems')).getAllByTestId('sql-problem');
    // The failed node's error, then the warning of the node after it, which the plan could not plan.
    expect(problems).toHaveLength(2);
    expect(problems[0]!.textContent).toContain(failed.result.nodes.add_email!.error!.message);
    expect(problems[1]!.textContent).toContain('not planned: it runs after node "add_email" (failed)');
    expect(problems[0]!.getAttribute('data-field')).toBe(failed.result.nodes.add_email!.error!.field);
    fireEvent.click(within(problems[0]!).getByRole('button', { name: 'add_email' }));
    expect(useApp.getState().selection.nodes).toEqual(['add_email']);
    expect(editorText()).toContain('-- node add_email: FAILED: ');
    expect(screen.queryByTestId('sql-preview-export')).toBeNull();
  });

  it('updates the editor when a new plan arrives and keeps the old one visible while planning', () => {
    const { rerender } = render(<SqlPreview result={null} loading={false} />);
    expect(screen.getByText(/Plan the workflow/)).toBeTruthy();
    rerender(<SqlPreview result={plan.result} loading={false} />);
    expect(editorText()).toBe(planToSql(plan.result));
    rerender(<SqlPreview result={plan.result} loading />);
    expect(screen.getByTestId('sql-preview-loading')).toBeTruthy();
    expect(screen.getByTestId('sql-preview').getAttribute('aria-busy')).toBe('true');
    rerender(<SqlPreview result={failed.result} loading={false} />);
    expect(editorText()).toBe(planToSql(failed.result));
  });
});
