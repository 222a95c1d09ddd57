/**
 * SQL preview: the exact SQL of a plan, per node or for the whole workflow, its plan-time
 * problems, and the safety review's findings under the statements they concern (with a one-click
 * fix where one exists) and the configuration that applied.
 */
import { useEffect, useMemo, useState } from 'react';
import type { LintFinding } from '../../shared/lint/finding.ts';
import type { LintFix } from '../../shared/lint/fixes.ts';
import { LINT_RULES } from '../../shared/lint/rules.ts';
import type { LineNote } from './code-notes.ts';
import { plural } from './format.ts';
import type { RunResult } from '../../shared/run.ts';
import type { DialectName } from '../../shared/schema.ts';
import { CodeView } from './CodeView.tsx';
import { Problem } from '../layout/Problem.tsx';
import { nodeToSql, planProblems, planToSql, statementLines, type PlanProblem } from '../../shared/plan-script.ts';
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
  /** Show this node's SQL (a node's "Show SQL"); a new `seq` asks again for the same node. */
  focus?: { nodeId: string | null; seq: number };
  /** The safety review of the same document, shown under the statements; absent: not reviewed. */
  review?: PreviewReview;
}

/** What the SQL preview shows of the safety review. */
export interface PreviewReview {
  findings: readonly LintFinding[];
  /** The dataflow.lint.json that applied; null: the defaults. */
  config: string | null;
  /** The fix of a finding, if it has one (applied as an undoable edit). */
  fixOf?: (f: LintFinding) => (LintFix & { apply(): void }) | null;
}

const WHOLE = '';

export function SqlPreview({
  result,
  loading,
  nodeTypes = {},
  dialect,
  onCopy,
  onExportSql,
  review,
  focus,
}: SqlPreviewProps) {
  const [scope, setScope] = useState(WHOLE);
  useEffect(() => {
    if (focus?.nodeId) setScope(focus.nodeId);
  }, [focus?.nodeId, focus?.seq]);
  const [copied, setCopied] = useState(false);
  const node = result && scope !== WHOLE ? result.nodes[scope] : undefined;
  const text = !result ? '' : node ? nodeToSql(scope, node, nodeTypes) : planToSql(result, nodeTypes);
  const notes = useMemo(
    () => (result && review ? findingNotes(result, nodeTypes, node ? scope : undefined, review) : []),
    [result, nodeTypes, node, scope, review],
  );

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
          <CodeView value={text} dialect={dialect} testId="sql-preview-code" label="SQL preview" notes={notes} />
          <Problems problems={planProblems(result)} />
          {review && (
            <p className="df-muted" data-testid="sql-preview-lint-config">
              Safety review: {plural(review.findings.length, 'finding')}, configuration{' '}
              {review.config ? (
                <code>{review.config}</code>
              ) : (
                'defaults (no dataflow.lint.json next to the workflow file)'
              )}
            </p>
          )}
        </>
      ) : (
        !loading && <p className="df-empty">Plan the workflow to see the SQL it would run.</p>
      )}
    </section>
  );
}

/** The findings as notes under the statements of the shown script (a finding without a step: under the node's first). */
function findingNotes(
  result: RunResult,
  nodeTypes: Readonly<Record<string, string>>,
  node: string | undefined,
  review: PreviewReview,
): LineNote[] {
  const lines = statementLines(result, nodeTypes, node);
  return review.findings.flatMap((f) => {
    const line = lines.get(`${f.node}#${f.step ?? 0}`);
    if (line === undefined) return [];
    const fix = review.fixOf?.(f);
    return [
      {
        line,
        severity: f.severity,
        code: f.code,
        title: LINT_RULES[f.code].title,
        problem: { node: f.node, field: f.field, label: f.fieldLabel, message: f.message },
        testId: `sql-finding-${f.node}-${f.code}`,
        ...(fix ? { fix: { label: fix.label, apply: fix.apply } } : {}),
      },
    ];
  });
}

function summary(result: RunResult): string {
  const steps = result.order.reduce((n, id) => n + (result.nodes[id]?.sql.length ?? 0), 0);
  return `${plural(steps, 'statement')} from ${plural(result.order.length, 'node')}, ${result.mode} on ${result.connection}`;
}

function Problems({ problems }: { problems: PlanProblem[] }) {
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
          <Problem node={p.nodeId} field={p.field} label={p.label} message={p.message} code={p.code} />
        </li>
      ))}
    </ul>
  );
}
