/**
 * The safety review's badge on a node card (docs/lint.md): the worst severity of the node's
 * findings and their count, each finding in the tooltip. Subscribes to its own node's findings only.
 */
import { LINT_RULES } from '../../shared/lint/rules.ts';
import type { LintFinding } from '../../shared/lint/finding.ts';
import { useApp } from '../store/index.ts';

const NONE: readonly LintFinding[] = [];
const ICON = { error: '✖', warning: '⚠', info: 'i' } as const;

export function worstSeverity(findings: readonly LintFinding[]): LintFinding['severity'] | null {
  if (findings.some((f) => f.severity === 'error')) return 'error';
  if (findings.some((f) => f.severity === 'warning')) return 'warning';
  return findings.length > 0 ? 'info' : null;
}

export function LintBadge({ id }: { id: string }) {
  const findings = useApp((s) => s.lint.byNode[id] ?? NONE);
  const worst = worstSeverity(findings);
  if (!worst) return null;
  const title = findings.map((f) => `${f.severity} ${f.code} ${LINT_RULES[f.code].title}: ${f.message}`).join('\n');
  return (
    <span
      className={`lint-badge lint-${worst}`}
      data-testid={`node-lint-${id}`}
      data-severity={worst}
      title={title}
      aria-label={`safety review: ${findings.length} finding${findings.length === 1 ? '' : 's'}, worst ${worst}`}
    >
      {ICON[worst]} {findings.length}
    </span>
  );
}
