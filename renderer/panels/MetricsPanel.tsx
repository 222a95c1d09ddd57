/** Metrics panel: each MonitoringNode's before/after comparison as bar charts, deltas and alerts; a lone snapshot as its values. */
import type { MetricsSnapshot, MonitoringOutput } from '../../shared/metrics.ts';
import { RehearsalNote } from './RehearsalNote.tsx';
import type { RunMode, RunResult } from '../../shared/run.ts';
import { formatDateTime, formatPct } from './format.ts';
import {
  comparisonGroups,
  formatMetric,
  isMonitoringOutput,
  type MetricBar,
  type MetricGroup,
} from './metrics-model.ts';
import './panels.css';

export interface MetricsPanelProps {
  /** RunResult.metrics: each MonitoringNode's output keyed by node id. */
  metrics: RunResult['metrics'];
  /** The run's mode: a rehearsal says its changes were rolled back. */
  mode?: RunMode | null;
}

export function MetricsPanel({ metrics, mode }: MetricsPanelProps) {
  const entries = Object.entries(metrics);
  return (
    <section className="df-panel" data-testid="metrics-panel">
      <header className="df-panel-head">
        <h2>Metrics</h2>
      </header>
      {entries.length > 0 && <RehearsalNote mode={mode} />}
      {entries.length === 0 && (
        <p className="df-empty">No metrics: add a MonitoringNode before and after the change, and compare them.</p>
      )}
      {entries.map(([id, output]) =>
        isMonitoringOutput(output) ? (
          <NodeMetrics key={id} id={id} output={output} />
        ) : (
          <p key={id} className="df-error">
            {id}: not a MonitoringNode output
          </p>
        ),
      )}
    </section>
  );
}

function NodeMetrics({ id, output }: { id: string; output: MonitoringOutput }) {
  return (
    <article className="df-metrics-node" data-testid={`metrics-node-${id}`}>
      <h3>
        {id} <span className="df-muted">captured {formatDateTime(output.metrics.captured_at)}</span>
      </h3>
      {output.alerts.length > 0 && (
        <ul className="df-alerts" data-testid="metrics-alerts">
          {output.alerts.map((a) => (
            <li key={a.metric} className="df-alert">
              {a.message}
            </li>
          ))}
        </ul>
      )}
      {output.comparison ? (
        comparisonGroups(output).map((g) => <MetricChart key={`${g.kind}:${g.title}`} group={g} />)
      ) : (
        <Snapshot snapshot={output.metrics} />
      )}
      {output.notes.length > 0 && (
        <ul className="df-notes" data-testid="metrics-notes">
          {output.notes.map((n, i) => (
            <li key={i} className="df-muted">
              {n}
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}

const BAR_WIDTH = 300;
const ROW = 46;

function barClass(bar: MetricBar): string {
  return `df-bar-after${bar.alert ? ' df-bar-alert' : bar.degraded ? ' df-bar-degraded' : ''}`;
}

/** One group (a table or a query) as an inline SVG: per metric a before bar and an after bar, with values and the delta. */
function MetricChart({ group }: { group: MetricGroup }) {
  return (
    <figure className="df-chart" data-testid="metrics-chart" data-kind={group.kind} data-title={group.title}>
      <figcaption title={group.title}>
        {group.kind === 'table' ? <strong>{group.title}</strong> : <code>{group.title}</code>}
      </figcaption>
      <svg
        viewBox={`0 0 ${BAR_WIDTH + 120} ${group.bars.length * ROW}`}
        width="100%"
        role="img"
        aria-label={`${group.title}: before and after`}
      >
        {group.bars.map((bar, i) => {
          const y = i * ROW;
          return (
            <g
              key={bar.key}
              data-testid="metrics-row"
              data-key={bar.key}
              className={bar.alert ? 'df-row-alert' : undefined}
            >
              <text x={0} y={y + 12} className="df-chart-label">
                {bar.metric}{' '}
                <tspan className={bar.alert || bar.degraded ? 'df-delta-bad' : 'df-delta'} data-testid="metrics-delta">
                  {formatPct(bar.change_pct)}
                </tspan>
              </text>
              <rect
                x={0}
                y={y + 17}
                height={11}
                width={bar.beforeFraction * BAR_WIDTH}
                className="df-bar-before"
                data-testid="metrics-bar-before"
              />
              <text x={bar.beforeFraction * BAR_WIDTH + 4} y={y + 27} className="df-chart-value">
                before {formatMetric(bar.before, bar.unit)}
              </text>
              <rect
                x={0}
                y={y + 30}
                height={11}
                width={bar.afterFraction * BAR_WIDTH}
                className={barClass(bar)}
                data-testid="metrics-bar-after"
              />
              <text x={bar.afterFraction * BAR_WIDTH + 4} y={y + 40} className="df-chart-value">
                after {formatMetric(bar.after, bar.unit)}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

/** A capture without comparison: its values as tables. */
function Snapshot({ snapshot }: { snapshot: MetricsSnapshot }) {
  const tables = Object.entries(snapshot.tables);
  return (
    <div data-testid="metrics-snapshot">
      {tables.length > 0 && (
        <table className="df-grid">
          <thead>
            <tr>
              <th>table</th>
              <th>rows</th>
              <th>total</th>
              <th>data</th>
              <th>indexes</th>
            </tr>
          </thead>
          <tbody>
            {tables.map(([name, m]) => (
              <tr key={name}>
                <td>{name}</td>
                <td>{m.row_count === undefined ? '' : formatMetric(m.row_count, 'rows')}</td>
                <td>{m.table_size ? formatMetric(m.table_size.total_bytes, 'bytes') : ''}</td>
                <td>{m.table_size ? formatMetric(m.table_size.table_bytes, 'bytes') : ''}</td>
                <td>
                  {m.index_usage
                    ?.map(
                      (i) =>
                        `${i.index} ${formatMetric(i.size_bytes, 'bytes')}${i.scans === null ? '' : `, ${i.scans} scans`}`,
                    )
                    .join('; ') ?? ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {snapshot.queries.length > 0 && (
        <table className="df-grid">
          <thead>
            <tr>
              <th>query</th>
              <th>median</th>
              <th>p95</th>
              <th>min</th>
              <th>max</th>
              <th>runs</th>
            </tr>
          </thead>
          <tbody>
            {snapshot.queries.map((q) => (
              <tr key={q.sql}>
                <td>
                  <code>{q.sql}</code>
                </td>
                <td>{formatMetric(q.median_ms, 'ms')}</td>
                <td>{formatMetric(q.p95_ms, 'ms')}</td>
                <td>{formatMetric(q.min_ms, 'ms')}</td>
                <td>{formatMetric(q.max_ms, 'ms')}</td>
                <td>{q.runs}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
