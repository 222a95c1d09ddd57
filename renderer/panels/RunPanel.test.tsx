// @vitest-environment jsdom
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { RunEvent } from '../../shared/run.ts';
import { RunPanel } from './RunPanel.tsx';
import { loadRealRuns } from '../../test/load-real-runs.ts';
import type { RealRun } from '../../test/real-runs.ts';

afterEach(cleanup);

const start: RunEvent = {
  type: 'run_started',
  runId: 'r',
  mode: 'apply',
  workflow: 'orders_total_amount',
  order: ['phase1_add', 'phase2_backfill'],
  at: '2025-06-01T10:00:00.000Z',
};
const backfilling: RunEvent[] = [
  start,
  { type: 'node_started', runId: 'r', nodeId: 'phase2_backfill', at: '2025-06-01T10:00:00.100Z' },
  {
    type: 'progress',
    runId: 'r',
    nodeId: 'phase2_backfill',
    progress: { done: 1000, total: 6000, rowsPerSecond: 250, etaSeconds: null },
  },
  { type: 'warning', runId: 'r', nodeId: 'phase2_backfill', message: 'batch 2 retried after a lock timeout' },
  {
    type: 'progress',
    runId: 'r',
    nodeId: 'phase2_backfill',
    progress: { done: 1500, total: 6000, rowsPerSecond: 500.4, etaSeconds: 9, message: 'resuming after id 1000' },
  },
];

describe('RunPanel', () => {
  let apply: RealRun;
  let failed: RealRun;
  let rolledBack: RealRun;
  let reapplied: RealRun;
  beforeAll(async () => {
    ({
      apply,
      failedPlan: failed,
      rolledBackScope: rolledBack,
      reapplied,
    } = await loadRealRuns('apply', 'failedPlan', 'rolledBackScope', 'reapplied'));
  });

  it('shows each node of a real apply with its status, duration and rows, and the log with times', () => {
    render(<RunPanel events={apply.events} result={apply.result} onSelectNode={() => {}} />);
    expect(screen.getByTestId('run-status').textContent).toBe('succeeded');
    for (const id of apply.result.order)
      expect(screen.getByTestId(`run-node-${id}`).getAttribute('data-status')).toBe('succeeded');
    const rows = apply.result.nodes.phase2_backfill!.rowsAffected.toLocaleString('en-US');
    expect(screen.getByTestId('run-node-phase2_backfill').textContent).toMatch(
      new RegExp(`^succeeded phase2_backfill \\d+(\\.\\d)? m?s · ${rows} rows$`),
    );
    const lines = within(screen.getByTestId('run-log'))
      .getAllByTestId('run-log-line')
      .map((l) => l.textContent);
    expect(lines[0]).toBe('+0.000 s run apply of "Zero-Downtime Migrations" started: 3 nodes');
    // Each node line: time, kind, the node (a button), then what happened.
    expect(lines).toContainEqual(
      expect.stringMatching(new RegExp(`^\\+\\d+\\.\\d{3} s node phase2_backfill — succeeded in .+, ${rows} rows$`)),
    );
    expect(lines).toContainEqual(expect.stringMatching(/^\+\d+\.\d{3} s node phase1_add — started$/));
    expect(lines.at(-1)).toMatch(/^\+\d+\.\d{3} s run succeeded in /);
    expect(screen.queryByRole('progressbar')).toBeNull();
  });

  it('draws a progress bar with done/total, rows/s and ETA from the latest progress event', () => {
    render(<RunPanel events={backfilling} result={null} onSelectNode={() => {}} />);
    expect(screen.getByTestId('run-status').textContent).toBe('running');
    expect(screen.getByTestId('run-node-phase1_add').getAttribute('data-status')).toBe('pending');
    const bar = screen.getByRole('progressbar');
    expect([bar.getAttribute('aria-valuenow'), bar.getAttribute('aria-valuemax')]).toEqual(['1500', '6000']);
    expect((bar.firstElementChild as HTMLElement).style.width).toBe('25%');
    expect(screen.getByTestId('run-progress-text').textContent).toBe(
      'phase2_backfill: 1,500 / 6,000 rows (25%) · 500 rows/s · ETA 9 s',
    );
    expect(screen.getByTestId('run-progress-phase2_backfill').textContent).toContain('resuming after id 1000');
    const warning = screen.getAllByTestId('run-log-line').at(-1)!;
    expect(warning.textContent).toBe('+0.100 s warning phase2_backfill — batch 2 retried after a lock timeout');
    // The node by its id, a button that selects it (layout/Problem.tsx).
    expect(within(warning).getByRole('button', { name: 'phase2_backfill' })).toBeTruthy();
  });

  it('shows the ETA as unknown before the first estimate', () => {
    render(<RunPanel events={backfilling.slice(0, 4)} result={null} onSelectNode={() => {}} />);
    expect(screen.getByTestId('run-progress-text').textContent).toBe(
      'phase2_backfill: 1,000 / 6,000 rows (16%) · 250 rows/s · ETA unknown',
    );
  });

  it('shows a failed node with its error and selects it on the canvas from the error', () => {
    const selected: string[] = [];
    render(<RunPanel events={failed.events} result={failed.result} onSelectNode={(id) => selected.push(id)} />);
    expect(screen.getByTestId('run-status').textContent).toBe('failed');
    expect(screen.getByTestId('run-node-check_email').getAttribute('data-status')).toBe('not_run');
    expect(screen.getByTestId('run-node-error-add_email').textContent).toContain(
      failed.result.nodes.add_email!.error!.message,
    );
    // The log's failed line reads in the one pattern: the node a button, then when and why.
    const line = screen.getAllByTestId('run-log-line').find((l) => l.className === 'df-log-failed')!;
    expect(within(line).getByRole('button', { name: 'add_email' })).toBeTruthy();
    expect(line.textContent).toContain(`failed in `);
    expect(line.textContent).toContain(failed.result.nodes.add_email!.error!.message);
    fireEvent.click(screen.getByTestId('run-show-node-add_email'));
    expect(selected).toEqual(['add_email']);
    expect(screen.queryByTestId('run-error')).toBeNull();
  });

  it('shows the members of a scope that rolled back as rolled back, live and from history', () => {
    for (const events of [rolledBack.events, []]) {
      render(<RunPanel events={events} result={rolledBack.result} onSelectNode={() => {}} />);
      for (const id of ['tx', 'add_note']) {
        const row = screen.getByTestId(`run-node-${id}`);
        expect(row.getAttribute('data-status')).toBe('rolled_back');
        expect(row.querySelector('.df-badge')!.textContent).toBe('rolled back');
      }
      expect(screen.getByTestId('run-node-rename_missing').getAttribute('data-status')).toBe('failed');
      cleanup();
    }
  });

  it('shows the nodes of a re-run that found their work done as already completed and already applied, with what is there', () => {
    for (const events of [reapplied.events, []]) {
      render(<RunPanel events={events} result={reapplied.result} onSelectNode={() => {}} />);
      expect(screen.getByTestId('run-status').textContent).toBe('succeeded');
      const badges = reapplied.result.order.map((id) => {
        const row = screen.getByTestId(`run-node-${id}`);
        expect(row.getAttribute('data-status')).toBe('succeeded');
        return [id, row.getAttribute('data-outcome'), row.querySelector('.df-badge')!.textContent];
      });
      expect(badges).toEqual([
        ['track_migration', 'already_completed', 'already completed'],
        ['apply_change', 'already_applied', 'already applied'],
        ['complete_migration', 'already_completed', 'already completed'],
      ]);
      expect(screen.getByTestId('run-node-outcome-apply_change').textContent).toBe(
        'column "phone_number" of "users" exists already as varchar(20) NULL',
      );
      expect(screen.getByTestId('run-node-outcome-track_migration').textContent).toMatch(
        /^migration "add_user_phone_number" was completed at .* by run .*; its record stays completed$/,
      );
      const lines = screen.getAllByTestId('run-log-line').map((l) => l.textContent);
      expect(lines).toContainEqual(
        expect.stringMatching(
          /^\+\d+\.\d{3} s node apply_change — already applied in .+: column "phone_number" of "users" exists already as varchar\(20\) NULL$/,
        ),
      );
      cleanup();
    }
  });

  it('shows a run opened from history from its result alone, and a run error no node carries', () => {
    render(
      <RunPanel
        events={[]}
        result={{ ...apply.result, status: 'failed', error: 'could not take the migration lock: held by run 7' }}
        onSelectNode={() => {}}
      />,
    );
    // Its nodes applied before it failed: it stopped part-way.
    expect(screen.getByTestId('run-status').textContent).toBe('partially applied');
    expect(screen.getByTestId('run-error').textContent).toBe('could not take the migration lock: held by run 7');
    expect(screen.getByTestId('run-node-phase3_constraint').getAttribute('data-status')).toBe('succeeded');
  });

  it('shows an apply that stopped part-way as partially applied, offers Resume, and opens a node it ran', async () => {
    const { partial } = await loadRealRuns('partial');
    const resumed: string[] = [];
    const shown: string[] = [];
    render(
      <RunPanel
        events={partial.events}
        result={partial.result}
        onSelectNode={() => {}}
        onShowNode={(id) => shown.push(id)}
        onResume={() => resumed.push(partial.result.runId)}
      />,
    );
    expect(screen.getByTestId('run-status').textContent).toBe('partially applied');
    expect(screen.getByTestId('run-partial').textContent).toContain('Resume continues it');
    fireEvent.click(screen.getByTestId('run-resume'));
    expect(resumed).toEqual([partial.result.runId]);
    fireEvent.click(screen.getByTestId('run-node-link-phase2_backfill'));
    expect(shown).toEqual(['phase2_backfill']);
    cleanup();
    render(<RunPanel events={apply.events} result={apply.result} onSelectNode={() => {}} onResume={() => {}} />);
    expect(screen.getByTestId('run-status').textContent).toBe('succeeded');
    expect(screen.queryByTestId('run-resume')).toBeNull();
  });

  it('says there is no run yet', () => {
    render(<RunPanel events={[]} result={null} onSelectNode={() => {}} />);
    expect(screen.getByTestId('run-panel').textContent).toContain('No run yet');
  });
});

describe('before the first event', () => {
  it('says Starting… with the mode and target the moment the run is confirmed, and "No run yet" only when none is', () => {
    const { rerender } = render(
      <RunPanel
        events={[]}
        result={null}
        onSelectNode={() => {}}
        starting={{ mode: 'rehearse', target: 'orders-prod' }}
      />,
    );
    expect(screen.getByTestId('run-starting').textContent).toBe('Starting the rehearsal on orders-prod…');
    expect(screen.queryByText(/No run yet/)).toBeNull();
    rerender(<RunPanel events={[]} result={null} onSelectNode={() => {}} />);
    expect(screen.queryByTestId('run-starting')).toBeNull();
    expect(screen.getByText(/No run yet/)).toBeTruthy();
  });

  it('labels a rehearsal as rolled back once it finished, and an apply not at all', () => {
    const running: RunEvent = { ...start, mode: 'rehearse' };
    const { rerender } = render(<RunPanel events={[running]} result={null} onSelectNode={() => {}} />);
    expect(screen.getByTestId('rehearsal-note').textContent).toBe(
      'Rehearsal: everything is rolled back at the end, nothing is committed',
    );
    rerender(<RunPanel events={[start]} result={null} onSelectNode={() => {}} />);
    expect(screen.queryByTestId('rehearsal-note')).toBeNull();
  });
});
