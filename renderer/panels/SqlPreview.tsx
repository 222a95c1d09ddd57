/** SQL preview: the exact SQL of a plan, per node or for the whole workflow, and its plan-time problems. */
import { useState } from 'react';
import { plural } from './format.ts';
import type { RunResult } from '../../shared/run.ts';
import type { DialectName } from '../../shared/schema.ts';
import { CodeView } from './CodeView.tsx';
import { nodeToSql, planProblems, planToSql, type PlanProblem } from '../../shared/plan-script.ts';
import './panels.css';

export { planToSql } from '../../shared/plan-script.ts';

export interface SqlPreviewProps {
  /** The latest plan-mode run of the document on the chosen connection; null before the first plan. */
  result: RunResult | null;
  /** True while a new plan is computed (the previous one stays visible, dimmed). */
  loading: boolean;
  /** Node id -> node type, from the document: names each node's type in the SQL comments. */
  nodeTypes?: Readonly<Record<string, string>>;
  /** The connection's dialect, for keyword highlighting. */
  dialect?: DialectName;
  /** Called with the shown SQL when the user copies; without it the panel writes to the Clipboard API. */
  onCopy?: (sql: string) => void;
  /** Called with the whole workflow's SQL (planToSql) to save as a .sql file; the button shows only with it. */
  onExportSql?: (sql: string) => void;
  /** Selects a node on the canvas from its problem line. */
  onSelectNode?: (id: string) => void;
}

const WHOLE = '';

export function SqlPreview({
  result,
  loading,
  nodeTypes = {},
  dialect,
  onCopy,
  onExportSql,
  onSelectNode,
}: SqlPreviewProps) {
  const [scope, setScope] = useState(WHOLE);
  const [copied, setCopied] = useState(false);
  const node = result && scope !== WHOLE ? result.nodes[scope] : undefined;
  const text = !result ? '' : node ? nodeToSql(scope, node, nodeTypes) : planToSql(result, nodeTypes);

  const copy = async () => {
    if (onCopy) onCopy(text);
    else await navigator.clipboard.writeText(text);
    setCopied(true);
  };

  return (
    <section className={`df-panel${loading ? ' df-loading' : ''}`} data-testid="sql-preview" aria-busy={loading}>
      <header className="df-panel-head">
        <h2>SQL preview</h2>
        {result && (
          <>
            <select
              aria-label="Show SQL of"
              data-testid="sql-preview-scope"
              value={node ? scope : WHOLE}
              onChange={(e) => {
                setScope(e.target.value);
                setCopied(false);
              }}
            >
              <option value={WHOLE}>Whole workflow</option>
              {result.order.map((id) => (
                <option key={id} value={id}>
                  {nodeTypes[id] ? `${id} (${nodeTypes[id]})` : id}
                </option>
              ))}
            </select>
            <button type="button" data-testid="sql-preview-copy" onClick={() => void copy()}>
              {copied ? 'Copied' : 'Copy'}
            </button>
            {onExportSql && (
              <button
                type="button"
                data-testid="sql-preview-export"
                onClick={() => onExportSql(planToSql(result, nodeTypes))}
              >
                Export .sql
              </button>
            )}
          </>
        )}
      </header>
      {loading && (
        <p className="df-muted" data-testid="sql-preview-loading">
          Planning…
        </p>
      )}
      {result ? (
        <>
          <p className="df-muted" data-testid="sql-preview-summary">
            {summary(result)}
          </p>
          <CodeView value={text} dialect={dialect} testId="sql-preview-code" label="SQL preview" />
          <Problems problems={planProblems(result)} onSelectNode={onSelectNode} />
        </>
      ) : (
        !loading && <p className="df-empty">Plan the workflow to see the SQL it would run.</p>
      )}
    </section>
  );
}

function summary(result: RunResult): string {
  const steps = result.order.reduce((n, id) => n + (result.nodes[id]?.sql.length ?? 0), 0);
  return `${plural(steps, 'statement')} from ${plural(result.order.length, 'node')}, ${result.mode} on ${result.connection}`;
}

function Problems({ problems, onSelectNode }: { problems: PlanProblem[]; onSelectNode?: (id: string) => void }) {
  if (problems.length === 0)
    return (
      <p className="df-ok" data-testid="sql-preview-no-problems">
        No plan-time problems.
      </p>
    );
  return (
    <ul className="df-problems" data-testid="sql-preview-problems">
      {problems.map((p, i) => (
        <li key={i} className={`df-${p.severity}`} data-testid="sql-problem" data-field={p.field}>
          <span className={`df-badge df-badge-${p.severity}`}>{p.severity}</span>{' '}
          {p.nodeId &&
            (onSelectNode ? (
              <button type="button" className="df-link" onClick={() => onSelectNode(p.nodeId!)}>
                {p.nodeId}
              </button>
            ) : (
              <strong>{p.nodeId}</strong>
            ))}
          {p.nodeId && ': '}
          {p.message}
          {p.code && <span className="df-muted"> ({p.code})</span>}
        </li>
      ))}
    </ul>
  );
}
