// @vitest-environment jsdom
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { Schema } from '../../shared/schema.ts';
import { ExecutionPanel } from './ExecutionPanel.tsx';
import { batchesOf, checkRows } from './execution-model.ts';
import { loadRealRuns } from '../../test/load-real-runs.ts';
import type { RealRun } from '../../test/real-runs.ts';

afterEach(cleanup);

const noSnapshot = () => Promise.resolve(null);

describe('ExecutionPanel', () => {
  let apply: RealRun;
  let failed: RealRun;
  let schema: Schema;
  beforeAll(async () => {
    ({ apply, failedPlan: failed, schema } = await loadRealRuns('apply', 'failedPlan', 'schema'));
  });

  it('lists each statement of a node with its time, rows and outcome', () => {
    const node = apply.result.nodes.phase1_add!;
    render(
      <ExecutionPanel
        nodeId="phase1_add"
        nodeType="SchemaModificationNode"
        result={node}
        mode="apply"
        loadSnapshot={noSnapshot}
      />,
    );
    const rows = screen.getAllByTestId('execution-statement');
    expect(rows).toHaveLength(node.sql.length);
    expect(rows[0]!.textContent).toContain('ALTER TABLE "orders" ADD COLUMN "total_amount"');
    expect(rows[0]!.textContent).toMatch(/\d+(\.\d)? ms/);
    expect(within(rows[0]!).getByText('ok')).toBeTruthy();
    expect(screen.getByTestId('execution-summary').textContent).toContain('succeeded');
  });

  it("charts a backfill's batches from its statements, and shows its outputs as a tree", () => {
    const node = apply.result.nodes.phase2_backfill!;
    const batches = batchesOf(node.sql);
    expect(batches.map((b) => b.rows)).toEqual([1000, 1000, 1000]);
    expect(batches.every((b) => b.durationMs >= 0)).toBe(true);
    render(
      <ExecutionPanel
        nodeId="phase2_backfill"
        nodeType="DataBackfillNode"
        result={node}
        mode="apply"
        loadSnapshot={noSnapshot}
      />,
    );
    fireEvent.click(screen.getByTestId('execution-tab-batches'));
    expect(screen.getByTestId('execution-batches-summary').textContent).toMatch(
      /^3 batches · 3,000 rows · [\d,]+ rows\/s over the node's /,
    );
    expect(document.querySelectorAll('.df-bar')).toHaveLength(3);
    fireEvent.click(screen.getByTestId('execution-tab-output'));
    expect(screen.getByTestId('json-rows_updated').textContent).toBe('rows_updated: 3000');
  });

  it("shows a failed node's error, and its statements as planned in a plan", () => {
    const add = failed.result.nodes.add_email!;
    render(
      <ExecutionPanel
        nodeId="add_email"
        nodeType="SchemaModificationNode"
        result={add}
        mode="plan"
        loadSnapshot={noSnapshot}
      />,
    );
    expect(screen.getByTestId('execution-error').textContent).toContain(add.error!.message);
  });

  it('shows validation checks row by row', () => {
    const checks = [
      { check: 'check_column_exists', passed: true, observed: 'email', expected: true },
      { check: 'check_not_null', passed: null, observed: null, expected: true, not_run: 'plan mode' },
    ];
    expect(checkRows({ checks })).toEqual([
      { check: 'check_column_exists', passed: true, observed: 'email', expected: true },
      { check: 'check_not_null', passed: null, observed: null, expected: true, notRun: 'plan mode' },
    ]);
    expect(checkRows({ rows_updated: 3 })).toEqual([]);
  });

  it('diffs the schemas the run recorded before and after the node, or says they are gone', async () => {
    const node = apply.result.nodes.phase1_add!;
    expect(node.schemaBefore && node.schemaAfter).toBeTruthy();
    render(
      <ExecutionPanel
        nodeId="phase1_add"
        nodeType="SchemaModificationNode"
        result={node}
        mode="apply"
        loadSnapshot={noSnapshot}
      />,
    );
    fireEvent.click(screen.getByTestId('execution-tab-schema'));
    expect(await screen.findByText(/no longer in the history/)).toBeTruthy();
    cleanup();
    const after = { ...schema, tables: schema.tables.filter((t) => t.name !== 'order_notes') };
    render(
      <ExecutionPanel
        nodeId="phase1_add"
        nodeType="SchemaModificationNode"
        result={node}
        mode="apply"
        loadSnapshot={(hash) => Promise.resolve(hash === node.schemaBefore ? schema : after)}
      />,
    );
    fireEvent.click(screen.getByTestId('execution-tab-schema'));
    expect((await screen.findByTestId('diff-panel')).textContent).toContain('order_notes');
  });

  it('asks for a node when none is selected, and says when the node has no result', () => {
    render(<ExecutionPanel nodeId={null} nodeType={null} result={null} mode={null} loadSnapshot={noSnapshot} />);
    expect(screen.getByTestId('execution-panel').textContent).toContain('Select a node');
    cleanup();
    render(
      <ExecutionPanel
        nodeId="x"
        nodeType="SchemaModificationNode"
        result={null}
        mode="apply"
        loadSnapshot={noSnapshot}
      />,
    );
    expect(screen.getByTestId('execution-none')).toBeTruthy();
  });
});
