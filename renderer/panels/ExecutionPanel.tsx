/**
 * A node's execution view (like n8n's execution data): what the node did in the run shown, live or
 * from the history. Its statements with their time, rows and outcome; its outputs as a tree (Copy
 * gives the JSON); the batches of a backfill or copy as a chart of their timings; a validation's
 * checks row by row; its part of the schema diff (from the schemas its run record keeps); its
 * warnings and notes.
 */
import { useEffect, useState, type ReactNode } from 'react';
import type { Schema } from '../../shared/schema.ts';
import { diffSchemas } from '../../shared/diff.ts';
import type { SchemaDiff } from '../../shared/diff-types.ts';
import { outcomeLabel, type ExecutedStep, type NodeResult, type RunMode } from '../../shared/run.ts';
import { DiffPanel } from './DiffPanel.tsx';
import { RehearsalNote } from './RehearsalNote.tsx';
import {
  batchesOf,
  checkRows,
  jsonValue,
  median,
  outputsJson,
  statementTime,
  type Batch,
  type CheckRow,
} from './execution-model.ts';
import { formatDateTime, formatDuration, formatNumber, plural } from './format.ts';
import './panels.css';

export interface ExecutionPanelProps {
  /** The node shown; null when no single node is selected. */
  nodeId: string | null;
  nodeType: string | null;
  /** Its result in the run shown; null when the run has not finished it (or there is no run). */
  result: NodeResult | null;
  mode: RunMode | null;
  /** Reads a schema snapshot the history keeps (a node's schemaBefore / schemaAfter). */
  loadSnapshot: (hash: string) => Promise<Schema | null>;
  /** The node's run actions (Run from here, Run this node only). */
  actions?: ReactNode;
}

type Tab = 'statements' | 'output' | 'batches' | 'checks' | 'schema' | 'messages';

export function ExecutionPanel({ nodeId, nodeType, result, mode, loadSnapshot, actions }: ExecutionPanelProps) {
  const [tab, setTab] = useState<Tab | null>(null);
  if (!nodeId)
    return (
      <section className="df-panel" data-testid="execution-panel">
        <header className="df-panel-head">
          <h2>Execution</h2>
        </header>
        <p className="df-empty">Select a node (or click one in the Run panel) to see what it did in the run.</p>
      </section>
    );
  const batches = result ? batchesOf(result.sql) : [];
  const checks = result ? checkRows(result.outputs) : [];
  const messages = result ? result.warnings.length + (result.notes?.length ?? 0) : 0;
  const tabs: [Tab, string][] = result
    ? [
        ['statements', `Statements (${result.sql.length})`],
        ['output', 'Output'],
        ...(batches.length > 0 ? [['batches', `Batches (${batches.length})`] as [Tab, string]] : []),
        ...(checks.length > 0 ? [['checks', `Checks (${checks.length})`] as [Tab, string]] : []),
        ['schema', 'Schema diff'],
        ['messages', `Warnings and notes (${messages})`],
      ]
    : [];
  const shown: Tab = tab && tabs.some(([t]) => t === tab) ? tab : checks.length > 0 ? 'checks' : 'statements';
  return (
    <section className="df-panel df-execution" data-testid="execution-panel" aria-label={`What ${nodeId} did`}>
      <header className="df-panel-head">
        <h2>
          {nodeId} <span className="df-muted df-type">{nodeType}</span>
        </h2>
        {result && <Summary result={result} />}
        {actions}
      </header>
      {!result ? (
        <p className="df-empty" data-testid="execution-none">
          {nodeId} has no result in the run shown: run the workflow (or this node), or open a run from the History.
        </p>
      ) : (
        <>
          <RehearsalNote mode={mode} />
          {result.error && (
            <p className="df-error" data-testid="execution-error">
              {result.error.message}
              {result.error.code && <span className="df-muted"> ({result.error.code})</span>}
            </p>
          )}
          <div className="df-subtabs" role="tablist" aria-label={`What ${nodeId} did`}>
            {tabs.map(([t, label]) => (
              <button
                key={t}
                type="button"
                role="tab"
                aria-selected={shown === t}
                className={shown === t ? 'active' : ''}
                data-testid={`execution-tab-${t}`}
                onClick={() => setTab(t)}
              >
                {label}
              </button>
            ))}
          </div>
          <div className="df-subpane" role="tabpanel" tabIndex={0} aria-label={shown}>
            {shown === 'statements' && <Statements sql={result.sql} mode={mode} />}
            {shown === 'output' && <Output outputs={result.outputs} />}
            {shown === 'batches' && <Batches batches={batches} nodeMs={result.durationMs} />}
            {shown === 'checks' && <Checks rows={checks} />}
            {shown === 'schema' && <NodeSchemaDiff result={result} mode={mode} loadSnapshot={loadSnapshot} />}
            {shown === 'messages' && <Messages result={result} />}
          </div>
        </>
      )}
    </section>
  );
}

function Summary({ result }: { result: NodeResult }) {
  return (
    <span className="df-muted" data-testid="execution-summary">
      <span className={`df-badge df-status-${result.outcome ? 'already' : result.status}`}>
        {result.outcome ? outcomeLabel(result.outcome) : result.status.replace('_', ' ')}
      </span>
      {result.startedAt && ` started ${formatDateTime(result.startedAt)}`}
      {result.durationMs !== null && ` · ${formatDuration(result.durationMs)}`}
      {` · ${plural(result.rowsAffected, 'row')}`}
    </span>
  );
}

function outcomeOf(s: ExecutedStep, mode: RunMode | null): ReactNode {
  if (s.error) return <span className="df-error-text">{s.error}</span>;
  if (s.notRun) return <span className="df-muted">{mode === 'plan' ? 'planned' : 'not run'}</span>;
  return <span className="df-ok-text">ok</span>;
}

function Statements({ sql, mode }: { sql: readonly ExecutedStep[]; mode: RunMode | null }) {
  if (sql.length === 0) return <p className="df-empty">The node ran no statement.</p>;
  const total = sql.reduce((t, s) => t + (s.durationMs ?? 0), 0);
  return (
    <table className="df-grid df-statements" data-testid="execution-statements">
      <thead>
        <tr>
          <th className="df-num">#</th>
          <th>statement</th>
          <th className="df-num">time</th>
          <th className="df-num">rows</th>
          <th>outcome</th>
        </tr>
      </thead>
      <tbody>
        {sql.map((s, i) => (
          <tr key={i} data-testid="execution-statement" className={s.error ? 'df-row-error' : undefined}>
            <td className="df-num df-muted">{i + 1}</td>
            <td>
              <div className="df-comment">{s.comment}</div>
              <code className="df-sql" title={s.sql}>
                {s.sql}
              </code>
            </td>
            <td className="df-num">{statementTime(s.durationMs)}</td>
            <td className="df-num">{s.rowsAffected === null ? '–' : formatNumber(s.rowsAffected)}</td>
            <td>{outcomeOf(s, mode)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <td />
          <td className="df-muted">{plural(sql.length, 'statement')}</td>
          <td className="df-num">{statementTime(total)}</td>
          <td className="df-num">{formatNumber(sql.reduce((t, s) => t + (s.rowsAffected ?? 0), 0))}</td>
          <td />
        </tr>
      </tfoot>
    </table>
  );
}

function Output({ outputs }: { outputs: Record<string, unknown> }) {
  const [copied, setCopied] = useState(false);
  const keys = Object.keys(outputs);
  return (
    <div data-testid="execution-output">
      <div className="df-toolbar">
        <button
          type="button"
          data-testid="execution-copy-json"
          onClick={() =>
            void navigator.clipboard.writeText(outputsJson(outputs)).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          Copy JSON
        </button>
        {copied && (
          <span className="df-muted" role="status">
            copied
          </span>
        )}
      </div>
      {keys.length === 0 ? (
        <p className="df-empty">No outputs.</p>
      ) : (
        <ul className="df-tree" aria-label="Outputs">
          {keys.map((k) => (
            <JsonNode key={k} name={k} path={k} value={outputs[k]} depth={0} />
          ))}
        </ul>
      )}
    </div>
  );
}

/** One key of the outputs: a value on its line, or an object or array that folds (open at the top level). */
function JsonNode({ name, path, value, depth }: { name: string; path: string; value: unknown; depth: number }) {
  const entries =
    value !== null && typeof value === 'object'
      ? Array.isArray(value)
        ? value.map((v, i) => [String(i), v] as const)
        : Object.entries(value as Record<string, unknown>)
      : null;
  if (!entries)
    return (
      <li data-testid={`json-${path}`}>
        <span className="df-json-key">{name}</span>:{' '}
        <span className={`df-json-${typeof value}`}>{jsonValue(value)}</span>
      </li>
    );
  const size = Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`;
  return (
    <li>
      <details open={depth < 1}>
        <summary>
          <span className="df-json-key">{name}</span> <span className="df-muted">{size}</span>
        </summary>
        <ul className="df-tree">
          {entries.map(([k, v]) => (
            <JsonNode key={k} name={k} path={`${path}.${k}`} value={v} depth={depth + 1} />
          ))}
        </ul>
      </details>
    </li>
  );
}

const CHART_W = 720;
const CHART_H = 120;

/**
 * The batches of a data node: a bar per batch (its statement's time), the median as a line, and
 * the figures; the rate is over the node's whole time (commits, checkpoints and pauses included).
 */
function Batches({ batches, nodeMs }: { batches: readonly Batch[]; nodeMs: number | null }) {
  const rows = batches.reduce((t, b) => t + b.rows, 0);
  const time = batches.reduce((t, b) => t + b.durationMs, 0);
  const max = Math.max(...batches.map((b) => b.durationMs), 0.001);
  const mid = median(batches.map((b) => b.durationMs));
  const slowest = batches.reduce((a, b) => (b.durationMs > a.durationMs ? b : a));
  const w = CHART_W / batches.length;
  const y = (ms: number) => CHART_H - (ms / max) * (CHART_H - 10);
  return (
    <div data-testid="execution-batches">
      <p className="df-muted" data-testid="execution-batches-summary">
        {plural(batches.length, 'batch', 'batches')} · {plural(rows, 'row')}
        {nodeMs
          ? ` · ${formatNumber(Math.round(rows / (Math.max(nodeMs, 1) / 1000)))} rows/s over the node's ${formatDuration(nodeMs)}`
          : ''}{' '}
        · batch statements {statementTime(time)} in all, median {statementTime(mid)} · slowest: batch {slowest.index} (
        {statementTime(slowest.durationMs)}, {slowest.range})
      </p>
      <svg
        className="df-batch-chart"
        viewBox={`0 0 ${CHART_W + 60} ${CHART_H + 24}`}
        role="img"
        aria-label={`Time per batch: median ${statementTime(mid)}, slowest ${statementTime(max)}`}
      >
        <g transform="translate(56 4)">
          <line x1={0} y1={CHART_H} x2={CHART_W} y2={CHART_H} className="df-axis" />
          <line x1={0} y1={0} x2={0} y2={CHART_H} className="df-axis" />
          <text x={-4} y={y(max) + 4} textAnchor="end" className="df-axis-label">
            {statementTime(max)}
          </text>
          <text x={-4} y={CHART_H} textAnchor="end" className="df-axis-label">
            0
          </text>
          {batches.map((b, i) => (
            <rect
              key={b.index}
              x={i * w + (w > 3 ? 0.5 : 0)}
              y={y(b.durationMs)}
              width={Math.max(w - (w > 3 ? 1 : 0), 0.5)}
              height={CHART_H - y(b.durationMs)}
              className={b === slowest ? 'df-bar df-bar-slowest' : 'df-bar'}
            >
              <title>
                {`batch ${b.index} (${b.range}): ${plural(b.rows, 'row')} in ${statementTime(b.durationMs)}`}
              </title>
            </rect>
          ))}
          <line x1={0} y1={y(mid)} x2={CHART_W} y2={y(mid)} className="df-median" />
          <text x={CHART_W} y={y(mid) - 3} textAnchor="end" className="df-axis-label">
            median {statementTime(mid)}
          </text>
          <text x={0} y={CHART_H + 16} className="df-axis-label">
            batch {batches[0]!.index}
          </text>
          <text x={CHART_W} y={CHART_H + 16} textAnchor="end" className="df-axis-label">
            batch {batches.at(-1)!.index}
          </text>
        </g>
      </svg>
    </div>
  );
}

function Checks({ rows }: { rows: readonly CheckRow[] }) {
  return (
    <table className="df-grid" data-testid="execution-checks">
      <thead>
        <tr>
          <th>check</th>
          <th>result</th>
          <th>expected</th>
          <th>observed</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i} data-testid={`execution-check-${r.check}`}>
            <td>
              <code>{r.check}</code>
            </td>
            <td>
              {r.passed === null ? (
                <span className="df-muted">not run{r.notRun ? `: ${r.notRun}` : ''}</span>
              ) : r.passed ? (
                <span className="df-badge df-status-succeeded">passed</span>
              ) : (
                <span className="df-badge df-status-failed">failed</span>
              )}
            </td>
            <td>
              <code>{jsonValue(r.expected)}</code>
            </td>
            <td>
              <code>{jsonValue(r.observed)}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Messages({ result }: { result: NodeResult }) {
  const notes = result.notes ?? [];
  if (result.warnings.length === 0 && notes.length === 0 && !result.outcome)
    return <p className="df-empty">No warning or note.</p>;
  return (
    <ul className="df-list" data-testid="execution-messages">
      {result.outcome && (
        <li>
          <span className="df-badge df-status-already">{outcomeLabel(result.outcome)}</span> {result.outcome.note}
        </li>
      )}
      {result.warnings.map((w, i) => (
        <li key={`w${i}`}>
          <span className="df-badge df-badge-warning">warning</span> {w}
        </li>
      ))}
      {notes.map((n, i) => (
        <li key={`n${i}`}>
          <span className="df-badge df-badge-note">note</span> {n}
        </li>
      ))}
    </ul>
  );
}

/** The node's own schema changes: the diff of the schemas its run record keeps before and after it (applies). */
function NodeSchemaDiff({
  result,
  mode,
  loadSnapshot,
}: {
  result: NodeResult;
  mode: RunMode | null;
  loadSnapshot: (hash: string) => Promise<Schema | null>;
}) {
  const { schemaBefore, schemaAfter } = result;
  const [state, setState] = useState<{ key: string; diff: SchemaDiff | null; error: string | null } | null>(null);
  const key = `${schemaBefore}:${schemaAfter}`;
  useEffect(() => {
    if (!schemaBefore || !schemaAfter) return;
    let live = true;
    Promise.all([loadSnapshot(schemaBefore), loadSnapshot(schemaAfter)]).then(
      ([before, after]) => {
        if (!live) return;
        setState(
          before && after
            ? { key, diff: diffSchemas(before, after), error: null }
            : { key, diff: null, error: 'the schemas this run recorded are no longer in the history' },
        );
      },
      (e: unknown) => live && setState({ key, diff: null, error: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
  }, [key, schemaBefore, schemaAfter, loadSnapshot]);
  if (!schemaBefore || !schemaAfter)
    return (
      <p className="df-empty" data-testid="execution-schema-none">
        {mode === 'apply'
          ? 'The node did not run, so the run recorded no schema before and after it.'
          : `The schema before and after each node is recorded for applies; this ${mode ?? 'run'}'s whole diff is in the Diff tab.`}
      </p>
    );
  if (!state || state.key !== key) return <p className="df-empty">Reading the schemas the run recorded…</p>;
  if (state.error) return <p className="df-error">{state.error}</p>;
  return <DiffPanel diff={state.diff} mode={mode} />;
}
