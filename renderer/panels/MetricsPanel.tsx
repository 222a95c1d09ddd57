/** Metrics panel: each MonitoringNode's before/after comparison as bar charts, deltas and alerts; a lone snapshot as its values. */
import type { MetricsSnapshot, MonitoringOutput, SlowdownTest } from '../../shared/metrics.ts';
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
    <section className="df-panel" data-testid="metrics-panel" tabIndex={0} aria-label="Metrics">
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
                {bar.before === null && bar.why ? ` (${bar.why})` : ''}
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
                {bar.before !== null && bar.why ? ` (${bar.why})` : ''}
              </text>
            </g>
          );
        })}
      </svg>
      {group.bars.map((bar) => bar.slowdown && <Verdict key={bar.key} test={bar.slowdown} change={bar.change} />)}
    </figure>
  );
}

const signedMs = (v: number) => `${v > 0 ? '+' : ''}${formatMetric(v, 'ms')}`;

/** The decision on a timed query: slower or not, the median's change with its 95% interval, the test. */
function Verdict({ test, change }: { test: SlowdownTest; change: number | null }) {
  const [low, high] = test.ci_ms;
  const headline = {
    slower: `Slower: beyond the ${formatMetric(test.allowance_ms, 'ms')} allowed`,
    not_slower: `Not slower: within the ${formatMetric(test.allowance_ms, 'ms')} allowed`,
    inconclusive: 'Cannot tell yet: raise Repeat to time it more often',
  }[test.verdict];
  return (
    <p className={`df-verdict df-verdict-${test.verdict}`} data-testid="metrics-verdict" data-verdict={test.verdict}>
      <strong>{headline}</strong>
      {change !== null && ` · median ${signedMs(change)}`} · 95% interval {signedMs(low)} to {signedMs(high)} ·
      Mann-Whitney U one-sided p {test.p_value < 0.001 ? '< 0.001' : `= ${test.p_value}`} (α {test.alpha}) on{' '}
      {test.samples[0]} and {test.samples[1]} timings
    </p>
  );
}

/** A cell of a metric the node did not ask for. */
function NotCaptured({ metric }: { metric: string }) {
  return <span className="df-muted">not captured (add {metric} to Metrics)</span>;
}

/** A cell whose value the database cannot give, and why. */
function Why({ text }: { text: string }) {
  return <span className="df-muted">n/a: {text}</span>;
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
            {tables.map(([name, m]) => {
              const rows = m.row_count ?? m.table_size?.rows;
              const why = (key: string) => snapshot.unavailable?.[`${name}.${key}`] ?? 'not reported';
              const size = (key: 'total_bytes' | 'table_bytes') => {
                if (!m.table_size) return <NotCaptured metric="table_size" />;
                const v = m.table_size[key];
                return v === null ? <Why text={why(key)} /> : formatMetric(v, 'bytes');
              };
              return (
                <tr key={name}>
                  <td>{name}</td>
                  <td>{rows === undefined ? <NotCaptured metric="row_count" /> : formatMetric(rows, 'rows')}</td>
                  <td>{size('total_bytes')}</td>
                  <td>{size('table_bytes')}</td>
                  <td>
                    {!m.index_usage ? (
                      <NotCaptured metric="index_usage" />
                    ) : m.index_usage.length === 0 ? (
                      'no index'
                    ) : (
                      m.index_usage.map((i) => (
                        <div key={i.index}>
                          {i.index}{' '}
                          {i.size_bytes === null ? (
                            <Why text={why(`${i.index}.size_bytes`)} />
                          ) : (
                            formatMetric(i.size_bytes, 'bytes')
                          )}
                          {', '}
                          {i.scans === null ? (
                            <Why text={why(`${i.index}.scans`)} />
                          ) : (
                            `${formatMetric(i.scans, 'scans')} scans`
                          )}
                        </div>
                      ))
                    )}
                  </td>
                </tr>
              );
            })}
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
