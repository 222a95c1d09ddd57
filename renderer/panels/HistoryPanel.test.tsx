// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { RunSummary } from '../../shared/ipc.ts';
import { HistoryPanel } from './HistoryPanel.tsx';
import { formatDateTime } from './format.ts';

afterEach(cleanup);

const runs: RunSummary[] = [
  {
    runId: 'b2',
    workflow: 'orders_total_amount',
    mode: 'apply',
    connection: 'Demo database (SQLite)',
    status: 'succeeded',
    startedAt: '2025-06-01T10:05:00.000Z',
    durationMs: 2400,
    filePath: '/home/dba/zero-downtime.dataflow.json',
    connectionId: 'demo',
    state: 'succeeded',
    resumable: false,
    rolledBackBy: null,
  },
  {
    runId: 'a1',
    workflow: 'orders_total_amount',
    mode: 'rehearse',
    connection: 'staging (PostgreSQL)',
    status: 'failed',
    startedAt: '2025-06-01T10:00:00.000Z',
    durationMs: 850,
    filePath: null,
    connectionId: 'staging',
    state: 'failed',
    resumable: false,
    rolledBackBy: null,
  },
  {
    runId: 'd4c6e1f0-5b1a-4f5e-9f3e-2a7c1d9b8e01',
    workflow: 'retire deprecated_field',
    mode: 'apply',
    connection: 'Demo database (SQLite)',
    status: 'succeeded',
    startedAt: '2025-06-01T09:00:00.000Z',
    durationMs: 990,
    filePath: null,
    connectionId: 'demo',
    state: 'succeeded',
    resumable: false,
    rolledBackBy: '9387861c-dff6-4973-ae59-4e95d60bd640',
  },
  {
    runId: 'c3',
    workflow: 'orders_total_amount',
    mode: 'apply',
    connection: 'Demo database (SQLite)',
    status: 'cancelled',
    startedAt: '2025-06-01T10:10:00.000Z',
    durationMs: 3100,
    filePath: null,
    connectionId: 'demo',
    state: 'partially applied',
    resumable: true,
    rolledBackBy: null,
  },
];

describe('HistoryPanel', () => {
  it('lists past runs with status, mode, workflow, connection, time and duration, and opens one', () => {
    const opened: string[] = [];
    render(<HistoryPanel runs={runs} onOpen={(id) => opened.push(id)} />);
    const cells = (id: string) =>
      Array.from(screen.getByTestId(`history-run-${id}`).querySelectorAll('td')).map((td) => td.textContent);
    expect(cells('b2')).toEqual([
      'succeeded',
      'apply',
      'orders_total_amount',
      'Demo database (SQLite)',
      formatDateTime('2025-06-01T10:05:00.000Z'),
      '2.4 s',
      'Open',
    ]);
    expect(cells('a1')).toEqual([
      'failed',
      'rehearse',
      'orders_total_amount',
      'staging (PostgreSQL)',
      formatDateTime('2025-06-01T10:00:00.000Z'),
      '850 ms',
      'Open',
    ]);
    expect(screen.getByTestId('history-run-a1').querySelector('.df-status-failed')).toBeTruthy();
    expect(formatDateTime('2025-06-01T10:05:00.000Z')).toMatch(/^2025-06-01 \d\d:05:00$/);
    fireEvent.click(screen.getByTestId('history-open-a1'));
    expect(opened).toEqual(['a1']);
  });

  it('shows an apply that stopped part-way as partially applied, and resumes only such a run', () => {
    const resumed: string[] = [];
    render(<HistoryPanel runs={runs} onOpen={() => {}} onResume={(r) => resumed.push(r.runId)} />);
    expect(screen.getByTestId('history-run-c3').querySelector('td')!.textContent).toBe('partially applied');
    expect(screen.queryByTestId('history-resume-b2')).toBeNull();
    expect(screen.queryByTestId('history-resume-a1')).toBeNull();
    fireEvent.click(screen.getByTestId('history-resume-c3'));
    expect(resumed).toEqual(['c3']);
  });

  it('offers Roll back on the applies that changed something, not on a rehearsal', () => {
    const rolled: string[] = [];
    render(<HistoryPanel runs={runs} onOpen={() => {}} onRollback={(r) => rolled.push(r.runId)} />);
    expect(screen.queryByTestId('history-rollback-a1')).toBeNull();
    fireEvent.click(screen.getByTestId('history-rollback-b2'));
    fireEvent.click(screen.getByTestId('history-rollback-c3'));
    expect(rolled).toEqual(['b2', 'c3']);
  });

  it('says which run rolled a run back instead of offering Roll back again', () => {
    render(<HistoryPanel runs={runs} onOpen={() => {}} onRollback={() => {}} />);
    const id = 'd4c6e1f0-5b1a-4f5e-9f3e-2a7c1d9b8e01';
    expect(screen.queryByTestId(`history-rollback-${id}`)).toBeNull();
    expect(screen.getByTestId(`history-rolled-back-${id}`).textContent).toBe('rolled back by run 9387861c');
  });

  it('lists an apply known from the database record only: who ran it where, Roll back, nothing to open', () => {
    const rolled: string[] = [];
    const cli: RunSummary = {
      runId: 'e5',
      workflow: 'rollback of run d4c6e1f0-5b1a-4f5e-9f3e-2a7c1d9b8e01',
      mode: 'apply',
      connection: 'Demo database (SQLite)',
      status: 'running',
      startedAt: '2025-06-01T11:00:00.000Z',
      durationMs: null,
      filePath: null,
      connectionId: 'demo',
      state: 'running',
      resumable: false,
      rolledBackBy: null,
      recordedBy: { appliedBy: 'dba', host: 'build-7' },
    };
    const interrupted: RunSummary = {
      ...cli,
      runId: 'f6',
      state: 'interrupted',
      durationMs: 40,
      recordedBy: { appliedBy: 'dba@build-7', host: 'build-7' },
    };
    render(<HistoryPanel runs={[cli, interrupted]} onOpen={() => {}} onRollback={(r) => rolled.push(r.runId)} />);
    expect(screen.getByTestId('history-recorded-e5').textContent).toBe('recorded on the database by dba on build-7');
    expect(screen.queryByTestId('history-open-e5')).toBeNull();
    expect(screen.getByTestId('history-run-e5').querySelectorAll('td')[5]!.textContent).toBe('running');
    // A rollback's workflow name carries the whole id of the run it reverses: the column shows the
    // short id, the tooltip the whole name.
    const name = screen.getByTestId('history-run-e5').querySelectorAll('td')[2]!;
    expect(name.textContent).toBe('rollback of run d4c6e1f0');
    expect(name.getAttribute('title')).toBe('rollback of run d4c6e1f0-5b1a-4f5e-9f3e-2a7c1d9b8e01');
    expect(screen.getByTestId('history-run-f6').querySelector('.df-status-partial')!.textContent).toBe('interrupted');
    expect(screen.getByTestId('history-recorded-f6').textContent).toBe('recorded on the database by dba@build-7');
    expect(screen.queryByTestId('history-rollback-e5')).toBeNull();
  });

  it('links a run whose process died to the run that resumed it, both ways, with no duration for the dead one', () => {
    const recorded = { appliedBy: 'worker@machine-b', host: 'machine-b' };
    const dead: RunSummary = {
      ...runs[0]!,
      runId: '7d1e0c55-0000-4000-8000-000000000001',
      status: 'failed',
      state: 'partially applied',
      durationMs: null,
      recordedBy: recorded,
      continuedBy: '9a2b3c4d-0000-4000-8000-000000000002',
      continues: null,
    };
    const resume: RunSummary = {
      ...runs[0]!,
      runId: '9a2b3c4d-0000-4000-8000-000000000002',
      recordedBy: recorded,
      continuedBy: null,
      continues: dead.runId,
    };
    render(<HistoryPanel runs={[resume, dead]} onOpen={() => {}} />);
    expect(screen.getByTestId(`history-continued-${dead.runId}`).textContent).toBe('continued by run 9a2b3c4d');
    expect(screen.getByTestId(`history-continues-${resume.runId}`).textContent).toBe('resumed run 7d1e0c55');
    expect(screen.queryByTestId(`history-continued-${resume.runId}`)).toBeNull();
    const cells = screen.getByTestId(`history-run-${dead.runId}`).querySelectorAll('td');
    expect(cells[0]!.textContent).toBe('partially applied');
    expect(cells[5]!.textContent).toBe('–');
  });

  it('says when there are no runs', () => {
    render(<HistoryPanel runs={[]} onOpen={() => {}} />);
    expect(screen.getByTestId('history-panel').textContent).toContain('No runs yet.');
  });
});
