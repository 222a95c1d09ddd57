/**
 * The fleet's grid: the plan matrix (status, statements against the common plan, findings,
 * planned at) or the live run matrix (wave, status colour, current node, progress, duration, run),
 * one dense row per target, sorted by a click on a column's head, filtered by status. A click on
 * a target shows what it has to say under the grid: why it fails, its statements, its run.
 */
import { useEffect, useState, type ReactNode } from 'react';
import type { FleetTargetRow, PlanMatrix, PlanRow, RunMatrix } from '../../shared/fleet.ts';
import { formatDuration, plural } from '../panels/format.ts';

interface Column<R> {
  key: string;
  label: string;
  num?: boolean;
  value(row: R): string | number;
  cell?(row: R): ReactNode;
}

const PLAN_STATUS: Record<PlanRow['status'], string> = {
  would_apply: 'would apply',
  already_applied: 'already applied',
  would_fail: 'would fail',
  drift: 'drift',
};

const time = (iso: string | null) => (iso ? new Date(iso).toLocaleTimeString() : '');

/** Elapsed time of a running target, ticking twice a second while the fleet runs. */
function useNow(ticking: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return;
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, [ticking]);
  return now;
}

function planColumns(): Column<PlanRow>[] {
  return [
    { key: 'label', label: 'target', value: (r) => r.label },
    {
      key: 'status',
      label: 'status',
      value: (r) => PLAN_STATUS[r.status],
      cell: (r) => <span className={`fleet-status fleet-plan-${r.status}`}>{PLAN_STATUS[r.status]}</span>,
    },
    {
      key: 'statements',
      label: 'statements',
      num: true,
      value: (r) => r.statements.length,
      cell: (r) => (r.differs ? `${r.statements.length} (differs)` : r.statements.length > 0 ? 'common' : '0'),
    },
    { key: 'findings', label: 'findings', num: true, value: (r) => r.findings.length },
    { key: 'plannedAt', label: 'planned at', value: (r) => r.plannedAt, cell: (r) => time(r.plannedAt) },
    { key: 'connection', label: 'connection', value: (r) => r.connection, cell: (r) => <code>{r.connection}</code> },
  ];
}

function runColumns(now: number): Column<FleetTargetRow>[] {
  const elapsed = (r: FleetTargetRow) =>
    r.durationMs ?? (r.status === 'running' && r.startedAt ? now - Date.parse(r.startedAt) : -1);
  return [
    { key: 'label', label: 'target', value: (r) => r.label },
    {
      key: 'wave',
      label: 'wave',
      value: (r) => r.wave ?? -1,
      cell: (r) => (r.wave === null ? '' : r.wave === 0 ? 'canary' : r.wave),
    },
    {
      key: 'status',
      label: 'status',
      value: (r) => r.status,
      cell: (r) => <span className={`fleet-status fleet-run-${r.status}`}>{r.status}</span>,
    },
    {
      key: 'node',
      label: 'current node',
      value: (r) => r.currentNode ?? '',
      cell: (r) => <code>{r.currentNode ?? ''}</code>,
    },
    {
      key: 'progress',
      label: 'progress',
      value: (r) => (r.nodesTotal ? (r.nodesDone ?? 0) / r.nodesTotal : 0),
      cell: (r) =>
        r.nodesTotal && (r.status === 'running' || r.status === 'succeeded') ? (
          <span className="fleet-progress" title={`${r.nodesDone ?? 0} of ${r.nodesTotal} nodes`}>
            <span style={{ width: `${(100 * (r.nodesDone ?? 0)) / r.nodesTotal}%` }} />
            <em>
              {r.nodesDone ?? 0}/{r.nodesTotal}
            </em>
          </span>
        ) : null,
    },
    {
      key: 'duration',
      label: 'duration',
      num: true,
      value: elapsed,
      cell: (r) => (elapsed(r) >= 0 ? formatDuration(elapsed(r)) : ''),
    },
    { key: 'run', label: 'run', value: (r) => r.runId ?? '', cell: (r) => <code>{r.runId?.slice(0, 8) ?? ''}</code> },
    { key: 'connection', label: 'connection', value: (r) => r.connection, cell: (r) => <code>{r.connection}</code> },
  ];
}

function Table<R extends { label: string }>({
  rows,
  columns,
  selected,
  onSelect,
  rowClass,
}: {
  rows: readonly R[];
  columns: Column<R>[];
  selected: string | null;
  onSelect(label: string): void;
  rowClass(row: R): string;
}) {
  const [sort, setSort] = useState<{ key: string; dir: 1 | -1 } | null>(null);
  const col = sort && columns.find((c) => c.key === sort.key);
  const sorted = col
    ? [...rows].sort((a, b) => {
        const x = col.value(a);
        const y = col.value(b);
        return (
          (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y))) * sort!.dir
        );
      })
    : rows;
  return (
    <div className="fleet-scroll">
      <table className="fleet-table fleet-grid" data-testid="fleet-grid">
        <thead>
          <tr>
            {columns.map((c) => (
              <th
                key={c.key}
                className={c.num ? 'fleet-numcol' : undefined}
                aria-sort={sort?.key === c.key ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none'}
              >
                <button
                  type="button"
                  className="fleet-sort"
                  data-testid={`fleet-sort-${c.key}`}
                  onClick={() =>
                    setSort(sort?.key === c.key ? { key: c.key, dir: sort.dir === 1 ? -1 : 1 } : { key: c.key, dir: 1 })
                  }
                >
                  {c.label}
                  {sort?.key === c.key ? (sort.dir === 1 ? ' ▲' : ' ▼') : ''}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {sorted.map((r) => (
            <tr
              key={r.label}
              data-testid={`fleet-row-${r.label}`}
              className={`${rowClass(r)}${selected === r.label ? ' fleet-selected' : ''}`}
              aria-selected={selected === r.label}
              tabIndex={0}
              onClick={() => onSelect(r.label)}
              onKeyDown={(e) => e.key === 'Enter' && onSelect(r.label)}
            >
              {columns.map((c) => (
                <td key={c.key} className={c.num ? 'fleet-numcol' : undefined}>
                  {c.cell ? c.cell(r) : c.value(r)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Status filter chips: a status with its count, toggled on and off (none on: all shown). */
function Filter({ counts, on, toggle }: { counts: [string, number][]; on: string[]; toggle(s: string): void }) {
  return (
    <div className="fleet-row" role="group" aria-label="Filter by status">
      {counts
        .filter(([, n]) => n > 0)
        .map(([status, n]) => (
          <button
            key={status}
            type="button"
            aria-pressed={on.includes(status)}
            className={`fleet-chip${on.includes(status) ? ' fleet-chip-on' : ''}`}
            data-testid={`fleet-filter-${status.replace(/ /g, '-')}`}
            onClick={() => toggle(status)}
          >
            {status} {n}
          </button>
        ))}
    </div>
  );
}

export function FleetGrid({
  plan,
  run,
  onOpenRun,
}: {
  plan: PlanMatrix | null;
  run: RunMatrix | null;
  onOpenRun(runId: string): void;
}) {
  const [filter, setFilter] = useState<string[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const now = useNow(run?.status === 'running');
  const toggle = (s: string) => setFilter(filter.includes(s) ? filter.filter((x) => x !== s) : [...filter, s]);
  if (run) {
    const rows = run.targets.filter((r) => filter.length === 0 || filter.includes(r.status));
    const row = run.targets.find((r) => r.label === selected) ?? null;
    return (
      <section className="fleet-result" aria-label="Fleet run">
        <div className="fleet-row">
          <strong data-testid="fleet-status" className={`fleet-status fleet-fleet-${run.status}`}>
            fleet {run.fleetId.slice(0, 8)} {run.status}
          </strong>
          {run.stopReason && <span className="df-muted">({run.stopReason})</span>}
          <Filter counts={Object.entries(run.counts)} on={filter} toggle={toggle} />
        </div>
        <Table
          rows={rows}
          columns={runColumns(now)}
          selected={selected}
          onSelect={setSelected}
          rowClass={(r) => `fleet-line-${r.status}`}
        />
        {row && (
          <div className="fleet-detail" data-testid="fleet-detail">
            <strong>{row.label}</strong> <code>{row.connection}</code> — {row.status}
            {row.error && <p className="fleet-error">{row.error.message}</p>}
            {row.runId && (
              <button type="button" data-testid="fleet-open-run" onClick={() => onOpenRun(row.runId!)}>
                Open run {row.runId.slice(0, 8)}
              </button>
            )}
          </div>
        )}
      </section>
    );
  }
  if (!plan) return <p className="df-empty">Pick targets, then Plan to see what each would do, or Run.</p>;
  const counts = Object.entries(plan.counts).map(
    ([k, n]) => [PLAN_STATUS[k as PlanRow['status']] ?? k, n] as [string, number],
  );
  const rows = plan.targets.filter((r) => filter.length === 0 || filter.includes(PLAN_STATUS[r.status]));
  const row = plan.targets.find((r) => r.label === selected) ?? null;
  return (
    <section className="fleet-result" aria-label="Fleet plan">
      <div className="fleet-row">
        <strong data-testid="fleet-plan-summary">
          plan on {plural(plan.targets.length, 'target')}; common plan {plural(plan.common.length, 'statement')}
        </strong>
        <Filter counts={counts} on={filter} toggle={toggle} />
      </div>
      <Table
        rows={rows}
        columns={planColumns()}
        selected={selected}
        onSelect={setSelected}
        rowClass={(r) => `fleet-line-${r.status}`}
      />
      {plan.invalid.length > 0 && (
        <ul className="fleet-invalid" data-testid="fleet-invalid">
          {plan.invalid.map((t) => (
            <li key={`${t.source}-${t.label}`}>
              invalid {t.source} {t.label}: "{t.field}" {t.message}
            </li>
          ))}
        </ul>
      )}
      {row && (
        <div className="fleet-detail" data-testid="fleet-detail">
          <strong>{row.label}</strong> <code>{row.connection}</code> — {PLAN_STATUS[row.status]}
          {row.error && <p className="fleet-error">{row.error.message}</p>}
          {row.problems.map((p) => (
            <p key={p} className="fleet-error">
              {p}
            </p>
          ))}
          {row.findings.map((f, i) => (
            <p key={i}>
              [{f.code}] {f.message}
            </p>
          ))}
          {row.appliedBy && (
            <p>
              applied by run {row.appliedBy.runId.slice(0, 8)} at {new Date(row.appliedBy.at).toLocaleString()}
            </p>
          )}
          {row.status === 'would_apply' && (
            <pre className="fleet-sql">
              {(row.differs ? row.statements : plan.common).map((s) => `-- node ${s.node}\n${s.sql}`).join('\n')}
            </pre>
          )}
        </div>
      )}
    </section>
  );
}
